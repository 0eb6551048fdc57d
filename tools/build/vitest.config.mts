import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/tools/build',
  test: {
    name: '@keyless/build',
    watch: false,
    environment: 'node',
    // Node runs the TypeScript itself (type stripping), as `npm start` does: no Vite transform.
    experimental: { viteModuleRunner: false, nodeLoader: false },
    include: ['{src,test}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
