// The conformance suite of the queue worker kind: apps/worker and every generated worker run it.
export { describeWorkerConformance } from './suite.ts';
export type { WorkerConformanceOptions } from './suite.ts';
export type { ConformanceStack } from './stack.ts';
export { chatJobs } from './jobs.ts';
export type { RefusedJob, WorkerConformanceJobs } from './jobs.ts';
