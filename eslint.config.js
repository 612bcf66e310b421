// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const SERVICES = ['discovery', 'campaign', 'contracts', 'payments', 'analytics'];

/**
 * The import boundaries: the kit is plumbing and knows no domain, the vocabulary knows nothing of ours,
 * no service reaches into another, and the gateway knows services only through the supergraph. infra/
 * and bench/ may use everything (they run and measure the services).
 */
const restrict = (message, packages, groups = []) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: packages, message }, ...(groups.length ? [{ group: groups, message }] : [])] }],
});
const boundaries = [
  {
    files: ['shared/kit/**/*.ts'],
    rules: restrict(
      'The kit is plumbing: it imports no package of ours (no vocabulary, no service).',
      ['@influenceflow/*'],
      ['**/vocabulary/**', '**/services/**'],
    ),
  },
  {
    files: ['shared/vocabulary/**/*.ts'],
    rules: restrict('The vocabulary stands alone: it imports no package of ours.', ['@influenceflow/*'], ['**/kit/**', '**/services/**']),
  },
  ...SERVICES.map((name) => ({
    files: [`services/${name}/**/*.ts`],
    rules: restrict(
      `A service does not import another service: talk to it through events or the supergraph.`,
      SERVICES.filter((other) => other !== name).map((other) => `@influenceflow/${other}`),
      SERVICES.filter((other) => other !== name).flatMap((other) => [`**/services/${other}/**`, `../../${other}/**`]),
    ),
  })),
  {
    files: ['examples/**/*.ts'],
    rules: restrict(
      'An example stands alone so integrators can copy it: it imports no package of ours.',
      ['@influenceflow/*'],
      ['**/shared/**', '**/services/**', '**/gateway/**', '**/infra/**'],
    ),
  },
  {
    files: ['gateway/**/*.ts'],
    rules: restrict(
      'The gateway knows services only through the composed supergraph.',
      SERVICES.map((s) => `@influenceflow/${s}`),
      ['**/services/**'],
    ),
  },
];

module.exports = tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.cache/**', '.data/**', 'coverage/**', 'web/src/gql/**', '.test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  ...boundaries,
  {
    // The web dashboard is a client of the public API only: no package of ours (docs/web.md).
    files: ['web/**/*.{ts,tsx,mjs}'],
    rules: restrict('The dashboard talks to the gateway over HTTP only: it imports no package of ours.', ['@influenceflow/*'], ['**/shared/**', '**/services/**', '**/gateway/**', '**/infra/**']),
  },
  {
    // its build scripts run on Node 20 (fetch, Response, URL are globals there)
    files: ['web/scripts/**/*.mjs'],
    languageOptions: { sourceType: 'module', globals: { Response: 'readonly', URL: 'readonly' } },
  },
  {
    // The click keeper runs in brands' pages: browser globals only (its ES2017 syntax is checked by its test,
    // since the TypeScript parser reads any syntax).
    files: ['services/analytics/src/landing-script/*.js'],
    rules: { '@typescript-eslint/no-unused-vars': ['error', { caughtErrors: 'none' }] },
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly',
        document: 'readonly',
        location: 'readonly',
        localStorage: 'readonly',
        InfluenceFlow: 'readonly',
        URL: 'readonly',
        URLSearchParams: 'readonly',
        MutationObserver: 'readonly',
        CustomEvent: 'readonly',
        addEventListener: 'readonly',
        require: 'off',
        module: 'off',
        __dirname: 'off',
        process: 'off',
      },
    },
  },
);
