import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/api',
  test: {
    name: '@keyless/api',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
  },
});
