import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/repo-checks',
  test: {
    name: '@keyless/repo-checks',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
    testTimeout: 60_000,
  },
});
