// ESLint flat config: correctness rules only; layout is Prettier's (see docs/ARCHITECTURE.md, "Tooling").
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // fixtures/ holds data files in their own formats (an X export's window.YTD scripts), not code.
  {
    ignores: [
      'dist/',
      'build/',
      'web/dist/',
      'node_modules/',
      'bench-data/',
      'bench-results/',
      'test-artifacts/',
      'data/',
      'fixtures/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An async function without await is how this code keeps one promise-returning contract:
      // Fastify plugins and handlers, and interfaces some implementations of which do wait (an
      // archive source's fetch). A forgotten await is caught by no-floating-promises and
      // no-misused-promises, which stay on.
      '@typescript-eslint/require-await': 'off',
      // `_name` marks a binding kept on purpose (a destructured field left out, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'web/test/**/*.ts', 'vitest.config.ts', 'eslint.config.js', 'web/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  {
    // Only src/db talks to SQLite (docs/ARCHITECTURE.md, "Rules the code keeps"); dependency-cruiser
    // checks the imports, this checks the calls on a connection handed in.
    files: ['src/**/*.ts'],
    ignores: ['src/db/**', 'src/**/*.test.ts', 'src/testing/**', 'src/bench/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(prepare|pragma|transaction|backup|loadExtension)$/]',
          message: 'SQL belongs in src/db: call a store instead.',
        },
        {
          selector: "CallExpression[callee.property.name='exec'][arguments.0.type=/^(Literal|TemplateLiteral)$/]",
          message: 'SQL belongs in src/db: call a store instead.',
        },
      ],
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: globals.browser },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  prettier,
);
