import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/local-azure',
  test: {
    name: '@keyless/local-azure',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
  },
});
