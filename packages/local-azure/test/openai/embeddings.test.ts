import type OpenAI from 'openai';
import { AzureOpenAI } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emulatorClient, jsonRequest, startHarness, type Harness } from './fixture.ts';

function norm(vector: readonly number[]): number {
  return Math.hypot(...vector);
}

describe('embeddings', () => {
  let harness: Harness;
  let v1: OpenAI;
  beforeAll(async () => {
    harness = await startHarness({
      deployments: [
        { name: 'gpt-4o-mini', kind: 'chat', model: 'gpt-4o-mini-2024-07-18' },
        {
          name: 'text-embedding-3-small',
          kind: 'embeddings',
          model: 'text-embedding-3-small',
          dimensions: 1536,
        },
        {
          name: 'text-embedding-3-large',
          kind: 'embeddings',
          model: 'text-embedding-3-large',
          dimensions: 3072,
        },
      ],
    });
    v1 = emulatorClient(harness);
  });
  afterAll(() => harness.close());

  it('returns a unit vector of the deployment dimension through the SDK (which asks for base64)', async () => {
    const result = await v1.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
    const vector = result.data[0]!.embedding;
    expect(vector).toHaveLength(1536);
    expect(norm(vector)).toBeCloseTo(1, 5);
    expect(result.model).toBe('text-embedding-3-small');
  });

  it('uses the configured dimension of another deployment', async () => {
    const result = await v1.embeddings.create({ model: 'text-embedding-3-large', input: 'hello' });
    expect(result.data[0]!.embedding).toHaveLength(3072);
  });

  it('gives the same input the same vector and different inputs different vectors', async () => {
    const result = await v1.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['same', 'same', 'other'],
      encoding_format: 'float',
    });
    const [a, b, c] = result.data.map((item) => item.embedding);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(result.data.map((item) => item.index)).toEqual([0, 1, 2]);
  });

  it('returns the same numbers as float or as base64, to float32 precision', async () => {
    const asFloat = await fetch(
      `${harness.emulator.url}/openai/v1/embeddings`,
      jsonRequest(harness.token, {
        model: 'text-embedding-3-small',
        input: 'precise',
        encoding_format: 'float',
      }),
    );
    const asBase64 = await fetch(
      `${harness.emulator.url}/openai/v1/embeddings`,
      jsonRequest(harness.token, {
        model: 'text-embedding-3-small',
        input: 'precise',
        encoding_format: 'base64',
      }),
    );
    const floats = ((await asFloat.json()) as { data: Array<{ embedding: number[] }> }).data[0]!
      .embedding;
    const encoded = ((await asBase64.json()) as { data: Array<{ embedding: string }> }).data[0]!
      .embedding;
    const bytes = Buffer.from(encoded, 'base64');
    const decoded = Array.from(
      new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4),
    );
    expect(decoded).toHaveLength(floats.length);
    expect(decoded.every((value, index) => Math.abs(value - floats[index]!) < 1e-6)).toBe(true);
  });

  it('honours dimensions with a shortened vector that is normalised again', async () => {
    const result = await v1.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'short',
      dimensions: 256,
    });
    expect(result.data[0]!.embedding).toHaveLength(256);
    expect(norm(result.data[0]!.embedding)).toBeCloseTo(1, 5);
  });

  it('refuses more dimensions than the model has, naming the maximum', async () => {
    await expect(
      v1.embeddings.create({ model: 'text-embedding-3-small', input: 'x', dimensions: 4096 }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'dimensions',
      message: expect.stringContaining('maximum dimensions is 1536'),
    });
  });

  it('counts prompt tokens over every input', async () => {
    const result = await v1.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a b', 'c, d'],
    });
    expect(result.usage).toEqual({ prompt_tokens: 5, total_tokens: 5 });
  });

  it('accepts token arrays as input', async () => {
    const result = await v1.embeddings.create({
      model: 'text-embedding-3-small',
      input: [[1, 2, 3], [4]],
    });
    expect(result.data).toHaveLength(2);
    expect(result.usage.prompt_tokens).toBe(4);
  });

  it('answers the dated API through AzureOpenAI', async () => {
    const dated = new AzureOpenAI({
      endpoint: harness.emulator.url,
      apiVersion: '2024-06-01',
      deployment: 'text-embedding-3-small',
      azureADTokenProvider: () => Promise.resolve(harness.token),
    });
    const result = await dated.embeddings.create({ model: '', input: 'dated' });
    expect(result.data[0]!.embedding).toHaveLength(1536);
  });

  it('refuses an empty input string with 400 naming the input', async () => {
    const response = await fetch(
      `${harness.emulator.url}/openai/v1/embeddings`,
      jsonRequest(harness.token, { model: 'text-embedding-3-small', input: '' }),
    );
    const body = (await response.json()) as { error: { param: string } };
    expect(response.status).toBe(400);
    expect(body.error.param).toBe('input');
  });
});
