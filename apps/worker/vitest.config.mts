import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/apps/worker',
  test: {
    name: '@keyless/worker',
    watch: false,
    environment: 'node',
    // Node runs the TypeScript itself (type stripping), as `npm start` does: no Vite transform.
    experimental: { viteModuleRunner: false, nodeLoader: false },
    include: ['{src,test}/**/*.test.ts'],
    // The integration tests start the local stack (Azurite included) and real worker processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
