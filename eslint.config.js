// Lint keeps the process boundaries: shared runs anywhere, the renderer never reaches into main or node.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeOnly = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'net',
  'http',
  'https',
  'crypto',
  'stream',
  'util',
  'events',
];
const nodePackages = ['electron', 'node-pty', 'ws', 'proper-lockfile', '@aws-sdk/*', 'aws-sdk-client-mock'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: [...nodeOnly, ...nodePackages], message: 'src/shared runs anywhere: no node, electron or DOM.' },
            { group: ['**/main/**', '**/renderer/**'], message: 'src/shared may not import main or renderer code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [...nodeOnly, ...nodePackages],
              message: 'The renderer is sandboxed: no node or main-process packages.',
            },
            { group: ['**/main/**'], message: 'The renderer talks to main only through the contract client.' },
          ],
        },
      ],
    },
  },
  // Layers inside main: the core knows providers only through their interface and no transport; the
  // workspace knows no provider; providers know no core, router or transport. Tests may wire real ones.
  {
    files: ['src/main/core/**/*.ts'],
    ignores: ['src/main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/providers/aws-ecs/**', '**/providers/local/**', '@aws-sdk/*'],
              message: 'core knows no concrete provider: ask the provider interface and its capabilities.',
            },
            { group: ['**/transports/**', 'electron', 'ws'], message: 'core knows no transport.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/workspace/**/*.ts'],
    ignores: ['src/main/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/providers/**', '**/core/**'], message: 'the workspace knows no provider or core.' }],
        },
      ],
    },
  },
  {
    files: ['src/main/providers/**/*.ts'],
    ignores: ['src/main/**/*.test.ts', 'src/main/providers/**/testing/**', 'src/main/providers/**/test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/core/**', '**/router/**', '**/transports/**', '**/services.js'],
              message: 'providers know no core, router or transport: they implement provider.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    // Only the transport modules may touch raw IPC.
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/main/transports/**', 'src/main/app/preload.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'ipcRenderer', message: 'Use the contract client.' },
        { object: 'ipcMain', message: 'Use the router through src/main/transports.' },
        { property: 'send', object: 'webContents', message: 'Use the router through src/main/transports.' },
      ],
    },
  },
  {
    files: [
      'vite.config.ts',
      'vitest.aws.config.ts',
      'vitest.chaos.config.ts',
      'playwright.config.ts',
      'eslint.config.js',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
  prettier,
);
