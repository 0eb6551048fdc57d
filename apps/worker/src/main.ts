/** Entry point: the queue worker `worker` (services.json), run by @keyless/service-kit. */
import { startWorker } from '@keyless/service-kit/worker';
import { handler } from './handler.ts';

await startWorker({ name: 'worker', handler, env: process.env });
