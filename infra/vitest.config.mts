import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../node_modules/.vite/infra',
  test: {
    name: '@keyless/infra',
    watch: false,
    environment: 'node',
    // Node runs the TypeScript itself (type stripping), as `npm start` does: no Vite transform.
    experimental: { viteModuleRunner: false, nodeLoader: false },
    include: ['test/**/*.test.ts'],
    // Finds (or restores) the Bicep CLI once for every test file, and says so when there is none.
    globalSetup: ['test/global-setup.ts'],
    // Each file compiles once in beforeAll; a real `bicep build` + `lint` + `snapshot` takes seconds.
    hookTimeout: 180_000,
    testTimeout: 180_000,
  },
});
