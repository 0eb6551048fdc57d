import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/generator',
  test: {
    name: '@keyless/generator',
    watch: false,
    environment: 'node',
    include: ['{src,test}/**/*.test.ts'],
    // Most tests start the generator (or Prettier, npm, Nx) as a process; on a busy machine that
    // alone can take seconds.
    testTimeout: 60_000,
  },
});
