/**
 * Extracts the schemas the emulator's v1 answers (Responses, its stream events, chat completions
 * with tool calls, errors) are checked against, from OpenAI's published OpenAPI description of the
 * v1 API (github.com/openai/openai-openapi, `openapi.json`), which Azure's v1 description
 * (azure-rest-api-specs `OpenAI.v1`) is generated from. Run again when the reference moves:
 *   node packages/local-azure/test/openai/spec/extract-v1-schemas.ts <path to openapi.json>
 */
import { writeFileSync } from 'node:fs';
import { readSpec, schemaPicker } from './schema-picker.ts';

const specPath = process.argv[2];
if (!specPath) {
  console.error(
    "Give the path of OpenAI's openapi.json: node extract-v1-schemas.ts <path to openapi.json>",
  );
  process.exit(2);
}
const spec = readSpec(specPath);
const roots = [
  'Response',
  'ResponseCreatedEvent',
  'ResponseInProgressEvent',
  'ResponseOutputItemAddedEvent',
  'ResponseContentPartAddedEvent',
  'ResponseTextDeltaEvent',
  'ResponseTextDoneEvent',
  'ResponseContentPartDoneEvent',
  'ResponseOutputItemDoneEvent',
  'ResponseFunctionCallArgumentsDeltaEvent',
  'ResponseFunctionCallArgumentsDoneEvent',
  'ResponseCompletedEvent',
  'ResponseIncompleteEvent',
  'CreateChatCompletionResponse',
  'CreateChatCompletionStreamResponse',
];

const { picked, pick } = schemaPicker(spec, specPath);
roots.forEach(pick);

const out = new URL('./openai-v1.schemas.json', import.meta.url);
writeFileSync(
  out,
  `${JSON.stringify({ source: 'OpenAI API OpenAPI description (github.com/openai/openai-openapi, openapi.json)', version: spec.info.version, roots, components: { schemas: picked } })}\n`,
);
console.log(`wrote ${Object.keys(picked).length} schemas to ${out.pathname}`);
