import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/telemetry',
  test: {
    name: '@keyless/telemetry',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
  },
});
