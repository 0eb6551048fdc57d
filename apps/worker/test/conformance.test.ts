import { startLocalAzure } from '@keyless/local-azure';
import { describeWorkerConformance } from '@keyless/service-kit/testing/worker';

// The same suite every generated worker runs: this worker's own entry point, as real processes.
describeWorkerConformance({
  service: 'worker',
  entry: new URL('../src/main.ts', import.meta.url),
  startStack: () => startLocalAzure({ ports: 'free', storage: true }),
});
