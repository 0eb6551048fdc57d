import baseConfig from '../../eslint.config.mjs';

export default [
  ...baseConfig,
  {
    // The conformance suites are test code shipped as a library: the test-file rules apply.
    files: ['src/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
];
