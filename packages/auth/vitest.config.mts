import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: import.meta.dirname,
  cacheDir: '../../node_modules/.vite/packages/auth',
  test: {
    name: '@keyless/auth',
    watch: false,
    environment: 'node',
    // Node runs the TypeScript itself (type stripping), as `npm start` does: no Vite transform.
    experimental: { viteModuleRunner: false, nodeLoader: false },
    include: ['{src,test}/**/*.test.ts'],
    // Refuses and reports any connection off loopback, in every test file.
    setupFiles: ['test/loopback-guard.ts'],
  },
});
