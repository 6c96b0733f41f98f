// Flat ESLint config. Not type-checked on purpose: lint stays fast; `tsc --noEmit` does types.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import local from './eslint-rules/layering.js';

const root = import.meta.dirname;

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    'coverage/',
    'bench/.cache/',
    'tests/fixtures/**',
    '.tmp/',
    'data/',
  ]),

  { files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'] },
  js.configs.recommended,
  tseslint.configs.recommended,

  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
        },
      ],
    },
  },

  // Node everywhere but the renderer.
  {
    files: [
      'src-main/**',
      'tests/**',
      'bench/**',
      'scripts/**',
      'head-office/**',
      'eslint-rules/**',
      '*.{js,mjs,cjs,ts}',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  // Every file belongs to a tier by its path; eslint-rules/layering.js says what each may import
  // (docs/architecture.md).
  {
    files: ['**/*.{js,mjs,cjs,ts,mts,cts,tsx}'],
    plugins: { local },
    rules: { 'local/layering': ['error', { root }] },
  },

  // No `any` in product code.
  {
    files: ['core/**', 'src-main/**', 'src-renderer/**', 'head-office/src/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `import { type X } from 'm'` keeps a runtime `import 'm'` under verbatimModuleSyntax;
      // `import type { X }` is erased.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
);
