// The queue worker kind: a worker's main.ts calls startWorker; what is its own is its job handler.
export { startWorker } from './start.ts';
export type { StartWorkerOptions } from './start.ts';
export { loadWorkerConfig } from './config.ts';
export type { WorkerConfig, WorkerConfigOptions } from './config.ts';
export { defineJobHandler, PermanentJobError } from './handler.ts';
export type { JobContext, JobHandler } from './handler.ts';
// A handler of your own wraps its model call in this, for the GenAI span and metrics the kit's have.
export { traceModelCall, startModelCall } from '@keyless/telemetry';
export type { ModelCall, ModelCallOutcome } from '@keyless/telemetry';
export { chatJobHandler } from './chat-handler.ts';
export type { ChatResult } from './chat-handler.ts';
export { chatJobSchema } from './chat-job.ts';
export type { ChatJob, ChatMessage } from './chat-job.ts';
export { jobIdSchema } from './message.ts';
export { createWorker } from './worker.ts';
export type { Worker } from './worker.ts';
export type { WorkerStats } from './loop.ts';
export type { Outcome } from './processor.ts';
export { resultBlobName } from './results.ts';
export type { StoredResult } from './results.ts';
export type { PoisonEntry } from './poison.ts';
