import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { createClient } from './api/client';
import { App } from './app/App';
import { CustomerApp, isCustomerPage } from './features/customer/CustomerApp';
import { createI18n } from './i18n';
import './styles.css';

const client = createClient();
const i18n = createI18n();
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      {isCustomerPage(location) ? (
        // The customer display: the Electron customer window is bound by the shell (bridge).
        <CustomerApp client={client} bound={client.transport === 'bridge'} />
      ) : (
        <App client={client} />
      )}
    </I18nextProvider>
  </StrictMode>,
);
