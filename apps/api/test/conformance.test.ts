/**
 * The api passes the http kind's conformance suite, as every generated api does, run as its image
 * runs it: bundled into one file by @keyless/build.
 */
import { fileURLToPath } from 'node:url';
import { bundleForTests } from '@keyless/build';
import { startLocalAzure } from '@keyless/local-azure';
import { describeHttpServiceConformance } from '@keyless/service-kit/testing/http';
import { afterAll } from 'vitest';

const bundle = await bundleForTests(fileURLToPath(new URL('../src/main.ts', import.meta.url)));
afterAll(() => bundle.remove());

describeHttpServiceConformance({
  name: 'api',
  main: bundle.main,
  async stack() {
    const stack = await startLocalAzure({ ports: 'free', storage: false });
    return { env: stack.envFor('id-api'), stop: () => stack.stop() };
  },
});
