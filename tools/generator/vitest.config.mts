import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/generator',
  test: {
    name: '@keyless/generator',
    watch: false,
    environment: 'node',
    // Node runs the TypeScript itself (type stripping), as `npm start` does: no Vite transform.
    experimental: { viteModuleRunner: false, nodeLoader: false },
    include: ['{src,test}/**/*.test.ts'],
    // Most tests start the generator (or Prettier, npm, Nx) as a process; on a busy machine that
    // alone can take seconds.
    testTimeout: 60_000,
  },
});
