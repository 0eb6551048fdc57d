import { describe, expect, it } from 'vitest';
import { APIConnectionTimeoutError } from 'openai';
import { notFound, toProblemError } from './error-handler.ts';
import { ProblemError } from './problem.ts';

const upstream = { timeoutMs: 1_000, explain: () => undefined };

describe('toProblemError', () => {
  it('turns an unexpected error into a bare 500 that reveals nothing about it', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'secret')");
    const { problem } = toProblemError(bug, upstream);
    expect(problem).toEqual({
      type: 'urn:keyless:problem:internal',
      title: 'Internal server error',
      status: 500,
    });
  });

  it('keeps a ProblemError as it is', () => {
    const error = new ProblemError({ type: 'urn:x', title: 'X', status: 418 });
    expect(toProblemError(error, upstream)).toBe(error);
  });

  it('maps an SDK timeout to 504', () => {
    expect(toProblemError(new APIConnectionTimeoutError(), upstream).problem.status).toBe(504);
  });
});

describe('notFound', () => {
  it("lists the routes in the detail and, for a program, as the problem's routes member", () => {
    let passed: unknown;
    const handler = notFound(['GET /healthz', 'POST /api/chat']);
    // The handler only reads the method and the path, and passes the problem on.
    handler({ method: 'PUT', path: '/nope' } as never, {} as never, (error: unknown) => {
      passed = error;
    });
    expect(passed).toBeInstanceOf(ProblemError);
    expect((passed as ProblemError).problem).toEqual({
      type: 'urn:keyless:problem:not-found',
      title: 'Not found',
      status: 404,
      detail: 'No route for PUT /nope. This service serves GET /healthz, POST /api/chat.',
      routes: ['GET /healthz', 'POST /api/chat'],
    });
  });
});
