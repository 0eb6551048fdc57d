/**
 * The example server-side tool of the Responses route: exact arithmetic over two numbers. It does
 * no I/O and evaluates no text, so whatever arguments the model (or a prompt injection) sends,
 * the worst outcome is an `error` in its output, which goes back to the model.
 */
import type { FunctionTool } from 'openai/resources/responses/responses';
import { z } from 'zod';
import type { ServerTool } from './server-tool.ts';

const operations = ['add', 'subtract', 'multiply', 'divide'] as const;

const calculatorArguments = z.strictObject({
  operation: z.enum(operations),
  a: z.number(),
  b: z.number(),
});

const definition: FunctionTool = {
  type: 'function',
  name: 'calculate',
  description:
    'Adds, subtracts, multiplies or divides two numbers exactly. Use it for any arithmetic.',
  strict: true,
  parameters: {
    type: 'object',
    properties: {
      operation: { type: 'string', enum: [...operations] },
      a: { type: 'number', description: 'the left operand' },
      b: { type: 'number', description: 'the right operand' },
    },
    required: ['operation', 'a', 'b'],
    additionalProperties: false,
  },
};

export const calculatorTool: ServerTool = {
  definition,
  run(argumentsJson) {
    let parsedJson: unknown;
    try {
      parsedJson = JSON.parse(argumentsJson);
    } catch {
      return { error: 'the arguments are not JSON' };
    }
    const parsed = calculatorArguments.safeParse(parsedJson);
    if (!parsed.success) {
      return {
        error: `invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ')}`,
      };
    }
    const { operation, a, b } = parsed.data;
    if (operation === 'divide' && b === 0) return { error: 'division by zero' };
    const result = calculate(operation, a, b);
    if (!Number.isFinite(result)) return { error: 'the result is not a finite number' };
    return { result };
  },
};

function calculate(operation: (typeof operations)[number], a: number, b: number): number {
  switch (operation) {
    case 'add':
      return a + b;
    case 'subtract':
      return a - b;
    case 'multiply':
      return a * b;
    case 'divide':
      return a / b;
  }
}
