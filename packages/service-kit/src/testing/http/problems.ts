/** Every refusal is an RFC 9457 problem with the right status; security headers on every answer. */
import { describe, expect, it } from 'vitest';
import { hello, postJson, postRaw, problemOf } from './http-client.ts';
import type { GetState } from './suite-state.ts';

export function problemResponses(state: GetState): void {
  const chat = () => `${state().service.url}/api/chat`;

  describe('errors as application/problem+json', () => {
    it('answers 404 for an unknown route, listing the routes there are', async () => {
      const response = await fetch(`${state().service.url}/api/nothing-here`);
      expect(response.status).toBe(404);
      expect((await problemOf(response)).detail).toContain('POST /api/chat');
    });

    it('answers 413 above API_BODY_LIMIT, naming the limit and the setting', async () => {
      const big = { messages: [{ role: 'user', content: 'x'.repeat(70_000) }] };
      const response = await postJson(chat(), big);
      expect(response.status).toBe(413);
      const { detail } = await problemOf(response);
      // The suite runs the service with API_BODY_LIMIT=64kb.
      expect(detail).toContain('at most 65536 bytes');
      expect(detail).toContain('API_BODY_LIMIT');
    });

    it('answers 413 for a body over the limit sent without Content-Length, and keeps serving', async () => {
      const chunks = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 20; i += 1) controller.enqueue(new Uint8Array(8_192).fill(0x20));
          controller.close();
        },
      });
      const response = await fetch(chat(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: chunks,
        duplex: 'half',
      });
      expect(response.status).toBe(413);
      await problemOf(response);
      expect((await postJson(chat(), hello)).status).toBe(200);
    });

    it('answers 415 when the body is not JSON, or no content type is sent', async () => {
      const form = await postRaw(chat(), 'messages=hi', 'application/x-www-form-urlencoded');
      expect(form.status).toBe(415);
      expect((await problemOf(form)).detail).toContain('Content-Type: application/json');
      const none = await postRaw(chat(), new Uint8Array([123, 125]));
      expect(none.status).toBe(415);
      await problemOf(none);
    });

    it('answers 415 for a charset other than UTF-8 and for a compressed body', async () => {
      const charset = await postRaw(
        chat(),
        JSON.stringify(hello),
        'application/json; charset=klingon',
      );
      expect(charset.status).toBe(415);
      await problemOf(charset);
      const gzip = await fetch(chat(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        body: JSON.stringify(hello),
      });
      expect(gzip.status).toBe(415);
      await problemOf(gzip);
    });

    it('answers 400 for a body that is not valid JSON, without echoing it', async () => {
      const response = await postRaw(chat(), '{"messages": [ oops', 'application/json');
      expect(response.status).toBe(400);
      const problem = await problemOf(response);
      expect(problem.type).toBe('urn:keyless:problem:invalid-json');
      expect(JSON.stringify(problem)).not.toContain('oops');
    });

    it('answers 400 for JSON that is not an object, and for an empty or whitespace-only body', async () => {
      for (const body of [
        'null',
        'true',
        '0',
        '"text"',
        '[]',
        '[{"role":"user"}]',
        '',
        ' ',
        '\n\t',
      ]) {
        for (const path of ['/api/chat', '/api/embeddings']) {
          const response = await postRaw(`${state().service.url}${path}`, body, 'application/json');
          expect(response.status, `${path} ${JSON.stringify(body)}`).toBe(400);
          await problemOf(response);
        }
      }
    });

    it('answers 400 for invalid UTF-8 inside a JSON string instead of failing', async () => {
      const prefix = new TextEncoder().encode('{"messages":[{"role":"user","content":"');
      const suffix = new TextEncoder().encode('"}],"maxTokens":"x"}');
      const body = new Uint8Array([...prefix, 0xc3, 0x28, 0xff, 0xfe, ...suffix]);
      const response = await postRaw(chat(), body, 'application/json');
      expect(response.status).toBe(400);
      expect((await problemOf(response)).detail).toContain('maxTokens');
    });

    it('sets the security headers on every answer, and no x-powered-by', async () => {
      for (const response of [
        await fetch(`${state().service.url}/healthz`),
        await postJson(chat(), hello),
      ]) {
        expect(response.headers.get('x-content-type-options')).toBe('nosniff');
        expect(response.headers.get('strict-transport-security')).toContain('max-age=');
        expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
        expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
        expect(response.headers.has('x-powered-by')).toBe(false);
        expect(response.headers.get('x-request-id')).toBeTruthy();
      }
    });
  });
}
