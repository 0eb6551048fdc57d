/**
 * An api with a route of its own (fixtures/summarise: POST /api/summarise) passes the http kind's
 * suite too, and the suite's hostile bodies reach that route without it being named: what a user
 * who adds a route to src/routes.ts gets from test/conformance.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { bundleForTests } from '@keyless/build';
import { startLocalAzure } from '@keyless/local-azure';
import { describeHttpServiceConformance } from '@keyless/service-kit/testing/http';
import { afterAll } from 'vitest';

const bundle = await bundleForTests(
  fileURLToPath(new URL('./fixtures/summarise/main.ts', import.meta.url)),
);
afterAll(() => bundle.remove());

describeHttpServiceConformance({
  name: 'api',
  main: bundle.main,
  async stack() {
    const stack = await startLocalAzure({ ports: 'free', storage: false });
    return { env: stack.envFor('id-api'), stop: () => stack.stop() };
  },
});
