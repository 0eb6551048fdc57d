import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createLogger, redactedPaths } from './index.ts';
import type { Logger } from './index.ts';

/** A logger for `service` whose lines land in `raw` (synchronously, one write per line). */
function capture(service = 'billing', level = 'trace'): { log: Logger; raw: string[] } {
  const raw: string[] = [];
  const log = createLogger({ service, level }, { write: (line: string) => raw.push(line) });
  return { log, raw };
}

function parsed(raw: string[]): Array<Record<string, unknown>> {
  return raw.map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A JWT-shaped bearer token minted at run time, never a literal. */
function fakeJwt(): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ oid: randomUUID() })}.${randomUUID()}`;
}

/** An error shaped like an HTTP SDK's: the request and response, headers included, as fields. */
function sdkError(token: string): Error {
  return Object.assign(new Error('Unexpected status code: 401'), {
    statusCode: 401,
    request: {
      url: 'http://127.0.0.1:8080/openai/v1/chat/completions',
      headers: { authorization: `Bearer ${token}`, 'x-ms-client-request-id': 'r-1' },
    },
    response: {
      status: 401,
      headers: { 'set-cookie': `session=${token}`, 'content-type': 'application/json' },
    },
  });
}

describe('a log line', () => {
  it('names the service, carries an ISO time, and has no pid or hostname', () => {
    const { log, raw } = capture('billing');
    log.info({ jobId: 'j-1' }, 'job done');
    const [line] = parsed(raw);
    expect(line).toMatchObject({
      level: 30,
      service: 'billing',
      jobId: 'j-1',
      msg: 'job done',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    expect(new Date(line!.time as string).toISOString()).toBe(line!.time);
    expect(line).not.toHaveProperty('pid');
    expect(line).not.toHaveProperty('hostname');
    expect(line).not.toHaveProperty('name');
  });

  it('is written only at or above the configured level', () => {
    const { log, raw } = capture('billing', 'warn');
    log.info('not written');
    log.warn('written');
    expect(parsed(raw).map((line) => line.msg)).toEqual(['written']);
  });

  it('keeps the service on child loggers', () => {
    const { log, raw } = capture('billing');
    log.child({ reqId: 'r-1' }).info('from a request');
    expect(parsed(raw)[0]).toMatchObject({ service: 'billing', reqId: 'r-1' });
  });
});

describe('redaction', () => {
  it('censors every credential header of a logged request and response', () => {
    const { log, raw } = capture();
    const secret = () => `${randomUUID()}-${randomUUID()}`;
    log.info(
      {
        req: {
          method: 'POST',
          url: '/api/chat',
          headers: {
            authorization: `Bearer ${secret()}`,
            cookie: `session=${secret()}`,
            'api-key': secret(),
            'x-api-key': secret(),
            'ocp-apim-subscription-key': secret(),
            'content-type': 'application/json',
          },
        },
        res: { statusCode: 200, headers: { 'set-cookie': `session=${secret()}` } },
      },
      'request completed',
    );
    expect(parsed(raw)[0]).toMatchObject({
      req: {
        method: 'POST',
        headers: {
          authorization: '[redacted]',
          cookie: '[redacted]',
          'api-key': '[redacted]',
          'x-api-key': '[redacted]',
          'ocp-apim-subscription-key': '[redacted]',
          'content-type': 'application/json',
        },
      },
      res: { statusCode: 200, headers: { 'set-cookie': '[redacted]' } },
    });
  });

  it('censors the request and response an SDK error carries, keeping its message and status', () => {
    const { log, raw } = capture();
    log.error({ err: sdkError(fakeJwt()) }, 'the model call failed');
    const [line] = parsed(raw);
    expect(line).toMatchObject({
      err: {
        message: 'Unexpected status code: 401',
        statusCode: 401,
        request: '[redacted]',
        response: '[redacted]',
      },
    });
  });

  it('censors the headers of an error logged under another name', () => {
    const { log, raw } = capture();
    log.warn({ cause: sdkError(fakeJwt()) }, 'retrying');
    const [line] = parsed(raw);
    expect(line).toMatchObject({ cause: { request: { headers: '[redacted]' } } });
  });

  it('censors a bare authorization field, at the top level or one object down', () => {
    const { log, raw } = capture();
    log.info(
      { authorization: `Bearer ${fakeJwt()}`, upstream: { Authorization: `Bearer ${fakeJwt()}` } },
      'calling upstream',
    );
    expect(parsed(raw)[0]).toMatchObject({
      authorization: '[redacted]',
      upstream: { Authorization: '[redacted]' },
    });
  });

  it('censors a logged headers object, top level or inside another', () => {
    const { log, raw } = capture();
    log.debug(
      {
        headers: { authorization: `Bearer ${fakeJwt()}`, 'api-key': fakeJwt(), accept: '*/*' },
        call: { headers: { 'ocp-apim-subscription-key': fakeJwt() } },
      },
      'sending',
    );
    expect(parsed(raw)[0]).toMatchObject({
      headers: { authorization: '[redacted]', 'api-key': '[redacted]', accept: '*/*' },
      call: { headers: { 'ocp-apim-subscription-key': '[redacted]' } },
    });
  });

  it('never lets a token in any censored field reach the output', () => {
    const { log, raw } = capture();
    const token = fakeJwt();
    log.info({ authorization: `Bearer ${token}` }, 'bare');
    log.info({ req: { headers: { authorization: `Bearer ${token}`, cookie: token } } }, 'req');
    log.info({ res: { headers: { 'set-cookie': token } } }, 'res');
    log.info({ headers: { 'x-api-key': token } }, 'headers');
    log.error({ err: sdkError(token) }, 'sdk error');
    log.child({ reqId: 'r-1' }).warn({ upstream: { cookie: token } }, 'child');

    const output = raw.join('');
    expect(raw).toHaveLength(6);
    expect(output).not.toContain(token);
    for (const part of token.split('.')) expect(output).not.toContain(part);
    expect(output).not.toMatch(/Bearer\s+ey/);
  });
});

describe('redactedPaths', () => {
  /** An object holding `value` at `path`, `*` standing for any key. */
  function objectAt(path: string, value: string): Record<string, unknown> {
    const keys = path
      .replace(/\["([^"]+)"\]/g, '.$1')
      .split('.')
      .filter(Boolean)
      .map((key) => (key === '*' ? 'anything' : key));
    return keys.reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), {
      [keys.pop()!]: value,
    });
  }

  it('censors a token placed at each path it lists', () => {
    for (const path of redactedPaths) {
      const { log, raw } = capture();
      const token = fakeJwt();
      log.info(objectAt(path, token), 'listed path');
      expect({ path, leaked: raw.join('').includes(token) }).toEqual({ path, leaked: false });
      expect(raw.join('')).toContain('[redacted]');
    }
  });
});

describe('bad input', () => {
  it('refuses an unknown level, naming it and the levels that exist', () => {
    expect(() => createLogger({ service: 'billing', level: 'verbose' })).toThrow(
      /Unknown log level "verbose".*LOG_LEVEL.*trace, debug, info, warn, error, fatal, silent/,
    );
  });

  it('refuses an empty service name, which would make the lines unfindable', () => {
    expect(() => createLogger({ service: ' ', level: 'info' })).toThrow(/service name is empty/);
  });
});
