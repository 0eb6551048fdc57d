import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/auth',
  test: {
    name: '@keyless/auth',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
    // Refuses and reports any connection off loopback, in every test file.
    setupFiles: ['test/loopback-guard.ts'],
  },
});
