// ESLint with typescript-eslint's type-checked rules over the whole TypeScript tree.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'out/',
      'node_modules/',
      'cdktf.out/',
      'bench/.estates/',
      'compiler/types/contract.generated.ts',
      'compiler/validate/validators.generated.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Messages interpolate ports, counts and limits; numbers print unambiguously.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // An `as` that narrows (a Map lookup `as ServiceModel`, say) hides an undefined: say so instead.
      '@typescript-eslint/no-unsafe-type-assertion': 'error',
    },
  },
  {
    // Tests read the product's own output and their fixtures, whose shapes the assertions check
    // themselves: a cast or a `!` that is wrong there fails the test it is in, loudly.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-type-assertion': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    // Plain JavaScript (the bin shim, the bench and scripts) has no types to check.
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly' },
    },
  },
);
