// Lint: typescript-eslint's recommended rules everywhere, plus the layering rules of DESIGN.md:
// engine/ never imports electron, react, @xyflow or the DOM; only engine/host/ touches the file
// system, the network or child processes; and engine/api.ts, the contract, is imported by the
// hosts and the renderer only.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const uiPackages = ['electron', 'electron/*', 'react', 'react/*', 'react-dom', 'react-dom/*', '@xyflow/*', 'zustand', 'zustand/*', 'recharts'];
const uiOnly = { group: uiPackages, message: 'engine/ is pure: it must not import UI or Electron code (DESIGN.md).' };
// engine/api.ts re-exports the words it shares from below; importing it from below would make a circle.
const contractRoof = {
  group: ['**/api', '**/api.ts', '**/engine/api'],
  message:
    'engine/api.ts is the roof: only hosts and the renderer import it; import the type from where it is defined (graph/types, train/events, data/summary, backend).',
};
const nodeIo = [
  'fs',
  'fs/*',
  'node:fs',
  'node:fs/*',
  'http',
  'https',
  'node:http',
  'node:https',
  'net',
  'node:net',
  'child_process',
  'node:child_process',
  'worker_threads',
  'node:worker_threads',
  'ws',
];

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'engine/kernels/**/*.wasm'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['engine/**/*.ts'],
    languageOptions: { globals: { ...globals.node, ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': ['error', { patterns: [uiOnly] }],
      'no-restricted-globals': [
        'error',
        { name: 'document', message: 'engine/ has no DOM.' },
        { name: 'window', message: 'engine/ has no DOM.' },
        { name: 'localStorage', message: 'engine/ has no DOM.' },
      ],
    },
  },
  {
    // The contract is the roof: only hosts (and the renderer) import it.
    files: ['engine/kernels/**/*.ts', 'engine/backend.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [uiOnly, contractRoof] }] },
  },
  {
    files: ['engine/**/*.ts'],
    ignores: ['engine/host/**', 'engine/kernels/**', 'engine/backend.ts', 'engine/api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            uiOnly,
            { group: nodeIo, message: 'Only engine/host/ touches files, the network or processes; take a port instead (engine/ports.ts).' },
            contractRoof,
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*', ...nodeIo, 'node:*'], message: 'The renderer runs sandboxed: talk to the host through renderer/host.' },
            { group: ['@tensorflow/*'], message: 'The renderer carries no tfjs; shapes come from engine/graph.' },
            {
              group: ['**/engine/host/*', '**/engine/train/*', '**/engine/compile/*', '**/engine/backend', '**/engine/kernels/*'],
              message: 'The renderer imports only engine/api, engine/graph and engine/blocks.',
            },
          ],
        },
      ],
    },
  },
);
