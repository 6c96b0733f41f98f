import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { HomePage } from './features/home/HomePage';
import './styles.css';

const client = createClient();
const root = document.getElementById('root');
if (!root) throw new Error('#root is missing from index.html');

createRoot(root).render(
  <StrictMode>
    <HomePage client={client} />
  </StrictMode>,
);
