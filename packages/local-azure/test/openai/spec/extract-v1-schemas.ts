/**
 * Extracts the schemas the emulator's v1 answers (Responses, its stream events, chat completions
 * with tool calls, errors) are checked against, from OpenAI's published OpenAPI description of the
 * v1 API (github.com/openai/openai-openapi, `openapi.json`), which Azure's v1 description
 * (azure-rest-api-specs `OpenAI.v1`) is generated from. Run again when the reference moves:
 *   node packages/local-azure/test/openai/spec/extract-v1-schemas.ts <path to openapi.json>
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Spec {
  info: { version: string };
  components: { schemas: Record<string, unknown> };
}

const specPath = process.argv[2];
if (!specPath) {
  console.error(
    "Give the path of OpenAI's openapi.json: node extract-v1-schemas.ts <path to openapi.json>",
  );
  process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
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

const picked: Record<string, unknown> = {};
function collect(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collect);
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/components/schemas/', '');
      if (!(name in picked)) {
        const schema = spec.components.schemas[name];
        if (schema === undefined) throw new Error(`${value} is not in ${specPath}`);
        picked[name] = schema;
        collect(schema);
      }
    } else {
      collect(value);
    }
  }
}
roots.forEach((name) => collect({ $ref: `#/components/schemas/${name}` }));

const out = new URL('./openai-v1.schemas.json', import.meta.url);
writeFileSync(
  out,
  `${JSON.stringify({ source: 'OpenAI API OpenAPI description (github.com/openai/openai-openapi, openapi.json)', version: spec.info.version, roots, components: { schemas: picked } })}\n`,
);
console.log(`wrote ${Object.keys(picked).length} schemas to ${out.pathname}`);
