import { z } from 'zod';
import { functionName, jsonSchema } from './requests.ts';

const inputContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });

/** A message item: `type` may be left out, as the SDKs do for `{ role, content }`. */
const messageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(inputContentPart)]),
});

const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string().min(1),
  name: z.string(),
  arguments: z.string(),
});

const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string().min(1),
  output: z.union([z.string(), z.array(inputContentPart)]),
});

/** Items of other kinds (reasoning, item references, built-in tool calls) are carried along, not read. */
const otherItem = z.looseObject({
  type: z
    .string()
    .refine((type) => !['message', 'function_call', 'function_call_output'].includes(type)),
});

export const inputItem = z.union([
  messageItem,
  functionCallItem,
  functionCallOutputItem,
  otherItem,
]);

/** A function tool, checked field by field so an error names the field; other tool types pass through. */
const tool = z
  .looseObject({
    type: z.string(),
    name: functionName.optional(),
    parameters: jsonSchema.nullish(),
    strict: z.boolean().nullish(),
    description: z.string().nullish(),
  })
  .refine((candidate) => candidate.type !== 'function' || candidate.name !== undefined, {
    message: "a function tool needs a 'name'",
    path: ['name'],
  });

const textFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z
      .string()
      .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes'),
    schema: jsonSchema,
    strict: z.boolean().nullish(),
  }),
]);

/** The Responses parameters the emulator reads; any other field is accepted and ignored. */
export const responsesRequestSchema = z.looseObject({
  model: z.string().optional(),
  input: z.union([z.string(), z.array(inputItem)]).optional(),
  instructions: z.string().nullish(),
  max_output_tokens: z.number().int().min(16).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  text: z.looseObject({ format: textFormat.optional() }).nullish(),
  tools: z.array(tool).max(128).nullish(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.literal('function'), name: z.string() }),
      z.looseObject({ type: z.string() }),
    ])
    .nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  store: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().min(1).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
});

export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;
export type InputItem = z.infer<typeof inputItem>;
