import { fileURLToPath } from 'node:url';
import { bundleForTests } from '@keyless/build';
import { startLocalAzure } from '@keyless/local-azure';
import { describeWorkerConformance } from '@keyless/service-kit/testing/worker';
import { afterAll } from 'vitest';

// The same suite every generated worker runs, on this worker's own entry point bundled as its
// image bundles it (@keyless/build), as real processes.
const bundle = await bundleForTests(fileURLToPath(new URL('../src/main.ts', import.meta.url)));
afterAll(() => bundle.remove());

describeWorkerConformance({
  service: 'worker',
  entry: bundle.main,
  startStack: () => startLocalAzure({ ports: 'free', storage: true }),
});
