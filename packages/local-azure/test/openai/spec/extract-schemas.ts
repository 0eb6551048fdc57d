/**
 * Extracts the response and error schemas the emulator is checked against from Azure's OpenAPI
 * spec of the data plane (azure-rest-api-specs, `inference.json` of api-version 2024-10-21), so
 * the test needs no file outside the repository. Run again when the reference moves:
 *   node packages/local-azure/test/openai/spec/extract-schemas.ts <path to the spec json>
 */
import { writeFileSync } from 'node:fs';
import { readSpec, schemaPicker, type OpenApiSpec } from './schema-picker.ts';

interface Spec extends OpenApiSpec {
  paths: Record<
    string,
    { post: { responses: Record<string, { content: Record<string, { schema: unknown }> }> } }
  >;
}

const specPath = process.argv[2] ?? '/work/shared/reference/azure-openai-inference-2024-10-21.json';
const spec = readSpec<Spec>(specPath);
const roots = [
  'createChatCompletionResponse',
  'createChatCompletionStreamResponse',
  'errorResponse',
];

const { picked, pick, collect } = schemaPicker(spec, specPath);
roots.forEach(pick);
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
