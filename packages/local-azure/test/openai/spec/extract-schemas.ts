/**
 * Extracts the response and error schemas the emulator is checked against from Azure's OpenAPI
 * spec of the data plane (azure-rest-api-specs, `inference.json` of api-version 2024-10-21), so
 * the test needs no file outside the repository. Run again when the reference moves:
 *   node packages/local-azure/test/openai/spec/extract-schemas.ts <path to the spec json>
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Spec {
  info: { version: string };
  paths: Record<
    string,
    { post: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
  >;
  components: { schemas: Record<string, unknown> };
}

const specPath = process.argv[2] ?? '/work/shared/reference/azure-openai-inference-2024-10-21.json';
const spec = JSON.parse(readFileSync(specPath, 'utf8')) as Spec;
const roots = [
  'createChatCompletionResponse',
  'createChatCompletionStreamResponse',
  'errorResponse',
];

const picked: Record<string, unknown> = {};
function collect(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(collect);
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      const name = value.replace('#/components/schemas/', '');
      if (!(name in picked)) {
        picked[name] = spec.components.schemas[name];
        collect(picked[name]);
      }
    } else {
      collect(value);
    }
  }
}
roots.forEach((name) => collect({ $ref: `#/components/schemas/${name}` }));
const embeddings =
  spec.paths['/deployments/{deployment-id}/embeddings']?.post.responses['200']?.content[
    'application/json'
  ]?.schema;
picked['createEmbeddingsResponse'] = embeddings;
collect(embeddings);

const out = new URL('./azure-openai-2024-10-21.schemas.json', import.meta.url);
writeFileSync(
  out,
  `${JSON.stringify({ source: 'Azure OpenAI data-plane OpenAPI spec (azure-rest-api-specs, inference.json)', version: spec.info.version, components: { schemas: picked } }, null, 2)}\n`,
);
console.log(`wrote ${Object.keys(picked).length} schemas to ${out.pathname}`);
