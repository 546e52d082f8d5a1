// ESLint flat config: correctness rules only; layout is Prettier's (see docs/ARCHITECTURE.md, "Tooling").
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'web/dist/', 'node_modules/', 'bench-data/', 'bench-results/', 'test-artifacts/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_name` marks a binding kept on purpose (a destructured field left out, an unused parameter).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['src/**/*.ts', 'vitest.config.ts', 'eslint.config.js', 'web/vite.config.ts'],
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
          selector: "CallExpression[callee.property.name=/^(prepare|pragma|transaction|backup|loadExtension)$/]",
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
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
  prettier,
);
