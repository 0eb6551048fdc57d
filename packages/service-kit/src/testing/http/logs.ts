/** The service's log lines: one shape, the request id on each, never a token. */
import { describe, expect, it } from 'vitest';
import { hello, postJson, readEvents } from './http-client.ts';
import type { GetState } from './suite-state.ts';

/** A JWT-shaped bearer token minted here, as a caller might send one. */
function callerJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ sub: crypto.randomUUID() })}.${crypto.randomUUID()}`;
}

export function logLines(state: GetState): void {
  describe('the logs', () => {
    it('hold no token, whatever the requests did', async () => {
      const { service, proxy, controls } = state();
      const callerToken = callerJwt();
      const auth = { authorization: `Bearer ${callerToken}`, cookie: `session=${callerToken}` };
      const url = service.url;
      await postJson(`${url}/api/chat`, hello, auth);
      await readEvents(await postJson(`${url}/api/chat`, { ...hello, stream: true }, auth));
      await postJson(`${url}/api/embeddings`, { input: 'x' }, auth);
      await postJson(`${url}/api/chat`, { messages: 'nope' }, auth);
      await controls.injectFault({ kind: 'status', status: 500, count: 2 });
      await postJson(`${url}/api/chat`, hello, auth);
      await controls.clearFaults();
      await fetch(`${url}/readyz`, { headers: auth });

      // The tokens the service's own identity sent upstream, read off the recorded calls.
      const ours = proxy.records
        .map((call) => call.headers.authorization ?? '')
        .filter((value) => value.startsWith('Bearer '))
        .map((value) => value.slice('Bearer '.length));
      expect(ours.length).toBeGreaterThan(0);
      await expect.poll(() => service.rawLogs.join('\n')).toContain('[redacted]');
      const everything = service.rawLogs.join('\n');
      for (const token of [...new Set(ours), callerToken]) {
        expect(everything).not.toContain(token);
        expect(everything).not.toContain(token.split('.')[1]!);
      }
      expect(everything).not.toMatch(/Bearer\s+ey/);
    });

    it('carry the request id on every line a request writes', async () => {
      const { service } = state();
      const before = service.logs.length;
      await postJson(
        `${service.url}/api/chat`,
        { messages: [] },
        { 'x-request-id': 'log-check-1' },
      );
      const ours = () => service.logs.slice(before).filter((line) => line.reqId === 'log-check-1');
      await expect.poll(() => ours().length).toBeGreaterThanOrEqual(2);
      // A late line of an earlier, slower request carries that request's id; every line carries one.
      for (const line of service.logs.slice(before)) expect(line.reqId).toEqual(expect.any(String));
    });

    it('are JSON with the service name, a level, an ISO time and a message, and no pid or hostname', () => {
      const { service, name } = state();
      expect(service.logs.length).toBeGreaterThan(0);
      for (const line of service.logs) {
        expect(line).not.toHaveProperty('pid');
        expect(line).not.toHaveProperty('hostname');
        expect(line).toMatchObject({
          service: name,
          level: expect.any(Number),
          time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          msg: expect.any(String),
        });
      }
    });
  });
}
