/**
 * A generated corpus of hostile requests never gets a 5xx, a reset, a token or a stack trace, on
 * any route that takes a body: the api kind's and the service's own, as its 404 problem lists them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hello, leaks, postJson, problemOf } from './http-client.ts';
import { hostileBody, hostileContentType } from './hostile-bodies.ts';
import type { GetState } from './suite-state.ts';

/** The api kind's routes: every http service serves them, so a list without them is a broken one. */
const kitRoutes = ['POST /api/chat', 'POST /api/responses', 'POST /api/embeddings'];

/** The methods whose requests carry a body. */
const bodyMethods = new Set(['POST', 'PUT', 'PATCH']);

/** Every route gets at least this many requests, however many routes share the runs. */
const minRunsPerRoute = 50;

interface Target {
  /** As the service lists it: `POST /api/items/:id`. */
  route: string;
  method: string;
  /** A path the route matches: each parameter is `1`, each optional part present. */
  path: string;
}

/**
 * The routes that take a body, as the service lists them in its 404 problem's `routes` member, so
 * a route of the service's own is covered without being named here.
 */
async function bodyRoutes(url: string): Promise<Target[]> {
  const response = await fetch(`${url}/_conformance/no-such-route`);
  expect(response.status).toBe(404);
  const { routes } = await problemOf(response);
  expect(routes, 'the 404 problem lists the routes as its `routes` member').toEqual(
    expect.arrayContaining(kitRoutes),
  );
  const targets = (routes as unknown[]).flatMap((route) => {
    if (typeof route !== 'string') return [];
    const [method = '', pattern = ''] = route.split(' ', 2);
    return bodyMethods.has(method) ? [{ route, method, path: concretePath(pattern) }] : [];
  });
  expect(targets.length).toBeGreaterThanOrEqual(kitRoutes.length);
  return targets;
}

/** A path matching an Express 5 route pattern (`/api/items/:id{/:part}` → `/api/items/1/1`). */
function concretePath(pattern: string): string {
  return pattern.replace(
    /\\(.)|[{}]|[:*](?:"(?:[^"\\]|\\.)*"|[A-Za-z_$][\w$]*)/g,
    (match, escaped?: string) => escaped ?? (match === '{' || match === '}' ? '' : '1'),
  );
}

/** The start of a body as text, for a failure's message. */
function preview(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 200));
  return JSON.stringify(body.length > 200 ? `${text}…` : text);
}

export function hostileRequests(state: GetState, runs: number): void {
  describe('under hostile requests', () => {
    it(`answers ${runs} generated bodies, split across every route that takes one (the 404 problem's routes), with a 2xx or a 4xx problem, and keeps serving`, async () => {
      const { service } = state();
      const targets = await bodyRoutes(service.url);
      const runsPerRoute = Math.max(minRunsPerRoute, Math.ceil(runs / targets.length));
      const statuses = new Map<number, number>();
      for (const target of targets) {
        let reached = 0;
        try {
          await fc.assert(
            fc.asyncProperty(hostileBody, hostileContentType, async (body, contentType) => {
              // A reset or a refused connection rejects here and fails the property.
              const response = await fetch(`${service.url}${target.path}`, {
                method: target.method,
                headers: contentType === undefined ? {} : { 'content-type': contentType },
                body,
              });
              const text = await response.text();
              statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
              const sent = `${contentType ?? '(no content type)'} ${preview(body)}`;
              expect(response.status, `${sent} → ${text}`).toBeLessThan(500);
              expect(text).not.toMatch(leaks);
              if (response.status < 400) {
                reached += 1;
                return;
              }
              expect(response.headers.get('content-type')).toBe(
                'application/problem+json; charset=utf-8',
              );
              const problem = JSON.parse(text) as Record<string, unknown>;
              expect(problem).toMatchObject({ status: response.status, type: expect.any(String) });
              // The 404 for a path no route claims is the one answer that did not reach the route.
              if (!(response.status === 404 && 'routes' in problem)) reached += 1;
            }),
            { numRuns: runsPerRoute },
          );
        } catch (error) {
          const sentTo = `${target.method} ${target.path}`;
          const where = sentTo === target.route ? target.route : `${target.route} (as ${sentTo})`;
          // fast-check's message names the counterexample; its cause, what the service answered.
          const why = [error, error instanceof Error ? error.cause : undefined]
            .map((part) => (part instanceof Error ? part.message : undefined))
            .filter(Boolean)
            .join('\n');
          throw new Error(`${where} failed under hostile requests: ${why}`, { cause: error });
        }
        expect(reached, `${target.route} was reached by some request`).toBeGreaterThan(0);
      }
      // The corpus reached each kind of refusal.
      for (const status of [400, 413, 415])
        expect(statuses.get(status), `status ${status}`).toBeGreaterThan(0);
      expect(service.child.exitCode).toBeNull();
      expect((await postJson(`${service.url}/api/chat`, hello)).status).toBe(200);
    });
  });
}
