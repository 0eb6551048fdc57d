import { describe, expect, it } from 'vitest';
import { fieldPath } from './field-path.ts';
import { chatRequest, embeddingsRequest, responsesRequest } from './schemas.ts';

describe('chatRequest', () => {
  it('accepts messages with the three roles, stream and maxTokens', () => {
    const body = {
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
      ],
      stream: true,
      maxTokens: 50,
    };
    expect(chatRequest.parse(body)).toEqual(body);
  });

  it('drops members it does not know, including __proto__ and constructor', () => {
    const body = JSON.parse(
      '{"messages":[{"role":"user","content":"Hi","__proto__":{"admin":true}}],"constructor":{"prototype":{}},"temperature":2}',
    ) as unknown;
    const parsed = chatRequest.parse(body);
    expect(parsed).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('refuses an empty message list, a tool role and a fractional maxTokens', () => {
    const result = chatRequest.safeParse({
      messages: [],
      maxTokens: 1.5,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((issue) => fieldPath(issue.path));
    expect(paths).toEqual(['messages', 'maxTokens']);
    expect(chatRequest.safeParse({ messages: [{ role: 'tool', content: 'x' }] }).success).toBe(
      false,
    );
  });
});

describe('embeddingsRequest', () => {
  it('accepts one string or a list of strings', () => {
    expect(embeddingsRequest.parse({ input: 'a' })).toEqual({ input: 'a' });
    expect(embeddingsRequest.parse({ input: ['a', 'b'] })).toEqual({ input: ['a', 'b'] });
  });

  it('refuses an empty string, an empty list and more than 2048 inputs', () => {
    expect(embeddingsRequest.safeParse({ input: '' }).success).toBe(false);
    expect(embeddingsRequest.safeParse({ input: [] }).success).toBe(false);
    expect(embeddingsRequest.safeParse({ input: Array(2049).fill('a') }).success).toBe(false);
  });
});

describe('fieldPath', () => {
  it('writes paths the way a client developer would', () => {
    expect(fieldPath(['messages', 0, 'content'])).toBe('messages[0].content');
    expect(fieldPath(['input', 3])).toBe('input[3]');
  });

  it('names the body itself when the path is empty', () => {
    expect(fieldPath([])).toBe('(body)');
  });
});

describe('responsesRequest', () => {
  const pathsOf = (body: unknown) => {
    const result = responsesRequest.safeParse(body);
    return result.success ? [] : result.error.issues.map((issue) => fieldPath(issue.path));
  };

  it('accepts a prompt, or a conversation with the four roles, and drops unknown members', () => {
    const conversation = [
      { role: 'developer', content: 'Answer in French.' },
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Salut' },
    ];
    expect(responsesRequest.parse({ input: 'Hi', temperature: 2, tools: [] })).toEqual({
      input: 'Hi',
    });
    expect(
      responsesRequest.parse({
        input: conversation,
        instructions: 'x',
        previousResponseId: 'resp_abc-123',
        stream: true,
        maxOutputTokens: 16,
      }),
    ).toEqual({
      input: conversation,
      instructions: 'x',
      previousResponseId: 'resp_abc-123',
      stream: true,
      maxOutputTokens: 16,
    });
  });

  it('names a bad message by its own path, not as a union that matched nothing', () => {
    expect(pathsOf({ input: ['hi', { role: 'tool', content: 'x' }] })).toEqual([
      'input[0]',
      'input[1].role',
    ]);
  });

  it('refuses a missing, empty or non-text input with one problem on input', () => {
    for (const input of [undefined, '', [], 7, { role: 'user' }, null]) {
      expect(pathsOf({ input })).toEqual(['input']);
    }
  });

  it('refuses maxOutputTokens below the Responses minimum of 16 and an unsafe previousResponseId', () => {
    expect(pathsOf({ input: 'x', maxOutputTokens: 15 })).toEqual(['maxOutputTokens']);
    expect(pathsOf({ input: 'x', previousResponseId: '../../etc' })).toEqual([
      'previousResponseId',
    ]);
  });
});
