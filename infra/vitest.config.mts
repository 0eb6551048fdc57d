import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../node_modules/.vite/infra',
  test: {
    name: '@keyless/infra',
    watch: false,
    environment: 'node',
    include: ['test/**/*.test.ts'],
  },
});
