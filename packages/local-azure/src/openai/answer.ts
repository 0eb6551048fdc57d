import { sampleJson } from './json-sample.ts';

/** A function the caller declared (chat's `tools[].function`, Responses' `tools[]` of type `function`). */
export interface FunctionTool {
  name: string;
  parameters?: unknown;
}

export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

export type OutputFormat =
  { type: 'text' } | { type: 'json_object' } | { type: 'json_schema'; schema: unknown };

/** What the emulated model sees of a conversation: enough to decide its next move. */
export interface Turn {
  /** The last user message's text ('' when there is none). */
  said: string;
  /** Set when the conversation ends with a function's result: the model answers with it. */
  toolResult?: { name: string; output: string };
  functions: readonly FunctionTool[];
  toolChoice: ToolChoice;
  format: OutputFormat;
}

export type Answer =
  { kind: 'text'; text: string } | { kind: 'call'; name: string; arguments: string };

export const greeting = 'Hello from the local Azure OpenAI emulator.';

/**
 * The emulated model's deterministic move. It calls a declared function when the user's message
 * names it (or `tool_choice` forces one), with arguments sampled from the function's parameters;
 * after a function's result it answers `The function <name> returned: <output>`; otherwise it
 * answers `You said: <message>`. A JSON format wraps the sentence: `{"reply": ...}` for
 * `json_object`, a value of the given schema (strings filled with the sentence) for `json_schema`.
 */
export function answer(turn: Turn): Answer {
  const called = turn.toolResult ? undefined : chooseFunction(turn);
  if (called) {
    const parameters = called.parameters ?? { type: 'object', properties: {} };
    return {
      kind: 'call',
      name: called.name,
      arguments: JSON.stringify(sampleJson(parameters, turn.said)),
    };
  }
  const sentence = turn.toolResult
    ? `The function ${turn.toolResult.name} returned: ${turn.toolResult.output}`
    : turn.said
      ? `You said: ${turn.said}`
      : greeting;
  return { kind: 'text', text: formatted(sentence, turn.format) };
}

function chooseFunction(turn: Turn): FunctionTool | undefined {
  const { functions, toolChoice } = turn;
  if (functions.length === 0 || toolChoice === 'none') return undefined;
  if (typeof toolChoice === 'object') {
    return functions.find((candidate) => candidate.name === toolChoice.name);
  }
  const said = turn.said.toLowerCase();
  const named = functions.find((candidate) => said.includes(candidate.name.toLowerCase()));
  return named ?? (toolChoice === 'required' ? functions[0] : undefined);
}

function formatted(sentence: string, format: OutputFormat): string {
  if (format.type === 'json_object') return JSON.stringify({ reply: sentence });
  if (format.type === 'json_schema') return JSON.stringify(sampleJson(format.schema, sentence));
  return sentence;
}
