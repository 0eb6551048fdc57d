/**
 * What this worker does with a job: the worker kind's chat job (`{ id, prompt | messages,
 * maxTokens? }` → one chat completion). To do something else, define your own with
 * `defineJobHandler({ schema, handle })` from `@keyless/service-kit/worker`.
 */
export { chatJobHandler as handler } from '@keyless/service-kit/worker';
