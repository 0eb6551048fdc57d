/** A function tool that the service runs itself when the model calls it. */
import type { FunctionTool } from 'openai/resources/responses/responses';

export interface ServerTool {
  /** What the model is told about the tool (name, description, JSON schema of its arguments). */
  definition: FunctionTool;
  /** Runs the tool on the model's arguments (a JSON string); never throws, and does no I/O. */
  run(argumentsJson: string): Record<string, unknown>;
}

/** Runs the named tool; an unknown name is an error for the model, not for the caller. */
export function runServerTool(
  tools: readonly ServerTool[],
  name: string,
  argumentsJson: string,
): string {
  const tool = tools.find((candidate) => candidate.definition.name === name);
  const output = tool ? tool.run(argumentsJson) : { error: `there is no tool named ${name}` };
  return JSON.stringify(output);
}
