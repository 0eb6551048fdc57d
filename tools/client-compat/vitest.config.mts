import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/client-compat',
  test: {
    name: '@keyless/client-compat',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
