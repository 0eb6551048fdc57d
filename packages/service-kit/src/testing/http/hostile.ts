/** A generated corpus of hostile requests never gets a 5xx, a reset, a token or a stack trace. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hello, leaks, postJson } from './http-client.ts';
import { hostileBody, hostileContentType } from './hostile-bodies.ts';
import type { GetState } from './suite-state.ts';

export function hostileRequests(state: GetState, runs: number): void {
  describe('under hostile requests', () => {
    it(`answers ${runs} generated bodies with a 2xx or a 4xx problem, and keeps serving`, async () => {
      const { service } = state();
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(
          hostileBody,
          hostileContentType,
          fc.constantFrom('/api/chat', '/api/embeddings'),
          async (body, contentType, path) => {
            // A reset or a refused connection rejects here and fails the property.
            const response = await fetch(`${service.url}${path}`, {
              method: 'POST',
              headers: contentType === undefined ? {} : { 'content-type': contentType },
              body,
            });
            const text = await response.text();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
            expect(response.status).toBeLessThan(500);
            expect(text).not.toMatch(leaks);
            if (response.status >= 400) {
              expect(response.headers.get('content-type')).toBe(
                'application/problem+json; charset=utf-8',
              );
              expect(JSON.parse(text)).toMatchObject({
                status: response.status,
                type: expect.any(String),
              });
            }
          },
        ),
        { numRuns: runs },
      );
      // The corpus reached each kind of refusal.
      for (const status of [400, 413, 415])
        expect(statuses.get(status), `status ${status}`).toBeGreaterThan(0);
      expect(service.child.exitCode).toBeNull();
      expect((await postJson(`${service.url}/api/chat`, hello)).status).toBe(200);
    });
  });
}
