/** The api passes the http kind's conformance suite, as every generated api does. */
import { fileURLToPath } from 'node:url';
import { startLocalAzure } from '@keyless/local-azure';
import { describeHttpServiceConformance } from '@keyless/service-kit/testing/http';

describeHttpServiceConformance({
  name: 'api',
  main: fileURLToPath(new URL('../src/main.ts', import.meta.url)),
  async stack() {
    const stack = await startLocalAzure({ ports: 'free', storage: false });
    return { env: stack.envFor('id-api'), stop: () => stack.stop() };
  },
});
