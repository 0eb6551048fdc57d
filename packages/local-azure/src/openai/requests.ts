import { z } from 'zod';
import { invalidRequest, malformedJson, type EmulatorErrorResponse } from './errors.ts';

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

const chatToolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(contentPart), z.null()]).optional(),
  tool_calls: z.array(chatToolCall).nullish(),
  tool_call_id: z.string().optional(),
});

/** A JSON Schema as the caller sends it; its shape is the caller's business (the sampler reads what it knows). */
export const jsonSchema = z.record(z.string(), z.unknown());

export const functionName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes');

/** A function tool, checked field by field so an error names the field; other tool types pass through. */
const chatTool = z
  .looseObject({
    type: z.string(),
    function: z.looseObject({ name: functionName, parameters: jsonSchema.optional() }).optional(),
  })
  .refine((tool) => tool.type !== 'function' || tool.function !== undefined, {
    message: "a function tool needs 'function' with its 'name'",
    path: ['function'],
  });

/** The chat parameters the emulator reads; any other field is accepted and ignored, as Azure ignores what a model does not use. */
export const chatRequestSchema = z.looseObject({
  // The dated API ignores it (the path names the deployment); the v1 API checks it before validation.
  model: z.string().optional(),
  messages: z.array(message).min(1),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  seed: z.number().int().nullish(),
  user: z.string().nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({ name: z.string(), schema: jsonSchema.optional() }),
      }),
    ])
    .nullish(),
  tools: z.array(chatTool).max(128).nullish(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({
        type: z.literal('function'),
        function: z.looseObject({ name: z.string() }),
      }),
    ])
    .nullish(),
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;
export type ChatMessage = z.infer<typeof message>;

const nonEmptyText = z.string().min(1, 'must not be empty');

export const embeddingsRequestSchema = z.looseObject({
  // The dated API ignores it (the path names the deployment); the v1 API checks it before validation.
  model: z.string().optional(),
  input: z.union([
    nonEmptyText,
    z.array(nonEmptyText).min(1).max(2048),
    z.array(z.number().int()).min(1),
    z.array(z.array(z.number().int()).min(1)).min(1).max(2048),
  ]),
  dimensions: z.number().int().min(1).nullish(),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  user: z.string().nullish(),
});

export type EmbeddingsRequest = z.infer<typeof embeddingsRequestSchema>;

/** Parses a request body as JSON; anything but a JSON object is malformed. */
export function parseJsonObject(
  body: Buffer,
): { ok: true; value: Record<string, unknown> } | { ok: false; error: EmulatorErrorResponse } {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { ok: false, error: malformedJson((error as Error).message) };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: malformedJson('the body is not a JSON object') };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** Validates a parsed body, answering the first problem the way OpenAI's validator words it. */
export function validate<T>(
  schema: z.ZodType<T>,
  value: unknown,
): { ok: true; value: T } | { ok: false; error: EmulatorErrorResponse } {
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const param = issue ? paramName(issue.path) : undefined;
  const missing =
    issue?.code === 'invalid_type' &&
    param !== undefined &&
    readPath(value, issue.path) === undefined;
  const message = missing
    ? `Missing required parameter: '${param}'.`
    : `Invalid value for '${param ?? 'body'}': ${issue?.message ?? 'invalid request'}.`;
  return { ok: false, error: invalidRequest(message, param) };
}

function paramName(path: readonly PropertyKey[]): string | undefined {
  if (path.length === 0) return undefined;
  return path
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${String(key)}`,
    )
    .join('');
}

function readPath(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
