// Component tests (vitest + happy-dom + Testing Library): renders a renderer component with the
// providers the app gives it (i18n in the chosen language, the screen-keys registry). Each test file
// starts with `// @vitest-environment happy-dom`.
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { KeysProvider } from '../../src-renderer/app/keys';
import { createI18n } from '../../src-renderer/i18n';

type Language = Parameters<typeof createI18n>[0];

export function renderScreen(
  ui: ReactElement,
  language: Language = 'zh-CN',
): RenderResult & { i18n: ReturnType<typeof createI18n> } {
  const i18n = createI18n(language);
  const result = render(
    <I18nextProvider i18n={i18n}>
      <KeysProvider blocked={false}>{ui}</KeysProvider>
    </I18nextProvider>,
  );
  // The i18n instance, e.g. to switch the language as F10 does.
  return Object.assign(result, { i18n });
}
