import { fileURLToPath } from 'node:url';
import { bundleForTests } from '@keyless/build';
import { startLocalAzure } from '@keyless/local-azure';
import { describeWorkerConformance } from '@keyless/service-kit/testing/worker';
import { afterAll } from 'vitest';

// A worker whose handler is its own (fixtures/tagger) passes the worker kind's suite too, given
// its jobs: what a user who replaces src/handler.ts writes in test/conformance.test.ts.
const bundle = await bundleForTests(
  fileURLToPath(new URL('./fixtures/tagger/main.ts', import.meta.url)),
);
afterAll(() => bundle.remove());

describeWorkerConformance({
  service: 'worker',
  entry: bundle.main,
  startStack: () => startLocalAzure({ ports: 'free', storage: true }),
  jobs: {
    valid: (id, text) => ({ id, text }),
    invalid: [
      { job: { id: 'no-text' }, reason: 'text:' },
      { job: { id: 'too-many', text: 'x', maxTags: 50 }, reason: 'maxTags:' },
    ],
  },
});
