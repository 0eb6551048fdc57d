import { describe, expect, it } from 'vitest';
import { calculatorTool } from './calculator.ts';
import { runServerTool } from './server-tool.ts';

const run = (args: unknown) =>
  calculatorTool.run(typeof args === 'string' ? args : JSON.stringify(args));

describe('the calculate tool', () => {
  it('adds, subtracts, multiplies and divides two numbers', () => {
    expect(run({ operation: 'add', a: 2, b: 3 })).toEqual({ result: 5 });
    expect(run({ operation: 'subtract', a: 2, b: 3 })).toEqual({ result: -1 });
    expect(run({ operation: 'multiply', a: 2.5, b: 4 })).toEqual({ result: 10 });
    expect(run({ operation: 'divide', a: 1, b: 4 })).toEqual({ result: 0.25 });
  });

  it('answers an error for the model, never throws, for division by zero and overflow', () => {
    expect(run({ operation: 'divide', a: 1, b: 0 })).toEqual({ error: 'division by zero' });
    expect(run({ operation: 'multiply', a: 1e308, b: 10 })).toEqual({
      error: 'the result is not a finite number',
    });
  });

  it('refuses arguments that are not JSON, not its schema, or carry anything extra', () => {
    expect(run('process.exit(1)')).toEqual({ error: 'the arguments are not JSON' });
    expect(run({ operation: 'power', a: '2', b: 3 })).toEqual({
      error: expect.stringMatching(/^invalid arguments: operation: .*; a: /) as unknown,
    });
    expect(run({ operation: 'add', a: 1, b: 2, code: 'x' })).toMatchObject({
      error: expect.stringContaining('invalid arguments') as unknown,
    });
  });

  it('declares a strict JSON schema that requires exactly its three arguments', () => {
    expect(calculatorTool.definition).toMatchObject({
      type: 'function',
      name: 'calculate',
      strict: true,
      parameters: { required: ['operation', 'a', 'b'], additionalProperties: false },
    });
  });

  it('is run by name, and an unknown name is an error for the model', () => {
    expect(runServerTool([calculatorTool], 'calculate', '{"operation":"add","a":1,"b":1}')).toBe(
      '{"result":2}',
    );
    expect(runServerTool([calculatorTool], 'rm', '{}')).toBe(
      '{"error":"there is no tool named rm"}',
    );
  });
});
