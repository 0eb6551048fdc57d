/** The embeddings contract: POST /api/embeddings. */
import { describe, expect, it } from 'vitest';
import { postJson, problemOf } from './http-client.ts';
import type { GetState } from './suite-state.ts';

export function embeddingsContract(state: GetState): void {
  describe('POST /api/embeddings', () => {
    it('answers one vector for one string', async () => {
      const response = await postJson(`${state().service.url}/api/embeddings`, {
        input: 'keyless',
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        data: Array<{ index: number; embedding: number[] }>;
        usage: { promptTokens: number; totalTokens: number };
      };
      expect(body.data).toHaveLength(1);
      expect(body.data[0]?.index).toBe(0);
      expect(body.data[0]?.embedding.length).toBeGreaterThan(0);
      expect(body.data[0]?.embedding.every((value) => typeof value === 'number')).toBe(true);
      expect(body.usage.promptTokens).toBeGreaterThan(0);
    });

    it('answers a vector per input, in order', async () => {
      const response = await postJson(`${state().service.url}/api/embeddings`, {
        input: ['a', 'b', 'c'],
      });
      const body = (await response.json()) as { data: Array<{ index: number }> };
      expect(body.data.map((item) => item.index)).toEqual([0, 1, 2]);
    });

    it('answers 400 naming the field when input is of the wrong type', async () => {
      const response = await postJson(`${state().service.url}/api/embeddings`, { input: [1, 2] });
      expect(response.status).toBe(400);
      const problem = (await problemOf(response)) as { errors: Array<{ path: string }> };
      expect(problem.errors.map((error) => error.path.replace(/\[\d+\]$/, ''))).toContain('input');
    });

    it('answers 501 naming the variable to set when no embedding deployment is configured', async () => {
      const response = await postJson(`${state().strict.url}/api/embeddings`, { input: 'x' });
      expect(response.status).toBe(501);
      expect((await problemOf(response)).detail).toContain('AZURE_OPENAI_EMBEDDING_DEPLOYMENT');
    });
  });
}
