import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/service-kit',
  test: {
    name: '@keyless/service-kit',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
  },
});
