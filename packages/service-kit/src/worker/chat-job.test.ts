import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { chatJobSchema } from './chat-job.ts';
import { parseJob as parseWith } from './handler.ts';
import { guessJobId } from './message.ts';

const parseJob = (text: string) => parseWith(text, chatJobSchema);

describe('a chat job', () => {
  it('turns a prompt into a one-message user conversation', () => {
    expect(parseJob(JSON.stringify({ id: 'job-1', prompt: 'hello', maxTokens: 20 }))).toEqual({
      ok: true,
      job: { id: 'job-1', messages: [{ role: 'user', content: 'hello' }], maxTokens: 20 },
    });
  });

  it('keeps a messages conversation as given', () => {
    const messages = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
    ];
    expect(parseJob(JSON.stringify({ id: 'a', messages }))).toEqual({
      ok: true,
      job: { id: 'a', messages },
    });
  });

  it('accepts base64-encoded JSON, as az storage message put and Azure Functions send it', () => {
    const text = Buffer.from(JSON.stringify({ id: 'b64', prompt: 'x' })).toString('base64');
    expect(parseJob(text)).toMatchObject({ ok: true, job: { id: 'b64' } });
  });

  it('rejects text that is not JSON with a reason saying so', () => {
    expect(parseJob('this is {not json')).toEqual({
      ok: false,
      reason: 'message is not JSON (nor base64-encoded JSON)',
    });
  });

  it('rejects a job with both messages and prompt, naming the rule', () => {
    const result = parseJob(
      JSON.stringify({ id: 'x', prompt: 'p', messages: [{ role: 'user', content: 'm' }] }),
    );
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.reason).toContain('exactly one of `messages` or `prompt`');
  });

  it('rejects a job with neither messages nor prompt', () => {
    const result = parseJob(JSON.stringify({ id: 'x' }));
    expect(!result.ok && result.reason).toContain('exactly one of `messages` or `prompt`');
  });

  it('names each failing field path', () => {
    const result = parseJob(
      JSON.stringify({
        id: '../etc/passwd',
        messages: [{ role: 'tool', content: '' }],
        maxTokens: -1,
      }),
    );
    expect(result.ok).toBe(false);
    const reason = !result.ok ? result.reason : '';
    expect(reason).toContain('id:');
    expect(reason).toContain('messages.0.role');
    expect(reason).toContain('messages.0.content');
    expect(reason).toContain('maxTokens');
  });

  it('rejects JSON that is not an object', () => {
    for (const text of ['42', 'null', '"a string"', '[1,2]']) {
      expect(parseJob(text).ok).toBe(false);
    }
  });

  it('does not let a __proto__ key change the job', () => {
    const result = parseJob('{"id":"p","prompt":"x","__proto__":{"maxTokens":5}}');
    expect(result).toEqual({
      ok: true,
      job: { id: 'p', messages: [{ role: 'user', content: 'x' }] },
    });
  });
});

describe('guessJobId', () => {
  it('finds the id of an invalid job so the poison entry can name it', () => {
    expect(guessJobId(JSON.stringify({ id: 'abc', prompt: 42 }))).toBe('abc');
  });

  it('returns undefined when there is no string id', () => {
    expect(guessJobId('not json')).toBeUndefined();
    expect(guessJobId(JSON.stringify({ id: 7 }))).toBeUndefined();
  });
});

describe('any job handler’s schema', () => {
  it('still gets the kit’s rule for ids, which become blob names', () => {
    const loose = z.object({ id: z.string(), url: z.string() });
    const result = parseWith(JSON.stringify({ id: '../../etc', url: 'x' }), loose);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('id: must be 1-128 letters');
    expect(parseWith(JSON.stringify({ id: 'ok-1', url: 'x' }), loose)).toEqual({
      ok: true,
      job: { id: 'ok-1', url: 'x' },
    });
  });
});
