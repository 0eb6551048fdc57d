/**
 * What this worker does with a job: the worker kind's chat job (`{ id, prompt | messages,
 * maxTokens? }` → one answer from the chat deployment: the Responses API on the v1 API, chat
 * completions with AZURE_OPENAI_API_VERSION set; the result has one shape either way). To do
 * something else, define your own with `defineJobHandler({ schema, handle })` from
 * `@keyless/service-kit/worker`, and give test/conformance.test.ts its jobs (`jobs: { valid,
 * invalid }`; see this service's README).
 */
export { chatJobHandler as handler } from '@keyless/service-kit/worker';
