import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { accountName, cliEnvironment } from './cli-env.ts';

describe('cliEnvironment', () => {
  it('uses the current environment when it names a queue endpoint', () => {
    const current = { AZURE_STORAGE_QUEUE_ENDPOINT: 'https://acct.queue.core.windows.net' };
    expect(cliEnvironment(current, '/nonexistent/stack.env')).toEqual({
      env: current,
      source: 'the environment',
    });
  });

  it('falls back to the env file npm start writes, with set variables winning', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'worker-cli-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'stack.env');
    await writeFile(
      file,
      '# written by npm start\nAZURE_STORAGE_QUEUE_ENDPOINT=https://127.0.0.1:10001/devstoreaccount1\nWORKER_QUEUE=jobs\n',
    );
    const { env, source } = cliEnvironment({ WORKER_QUEUE: 'other', EMPTY: '' }, file);
    expect(source).toBe(file);
    expect(env).toMatchObject({
      AZURE_STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:10001/devstoreaccount1',
      WORKER_QUEUE: 'other',
    });
  });

  it("trusts the stack's certificate even when the machine already sets NODE_EXTRA_CA_CERTS", async () => {
    const folder = await mkdtemp(join(tmpdir(), 'worker-cli-'));
    onTestFinished(() => rm(folder, { recursive: true, force: true }));
    const file = join(folder, 'stack.env');
    await writeFile(
      file,
      'AZURE_STORAGE_QUEUE_ENDPOINT=https://127.0.0.1:10001/devstoreaccount1\nNODE_EXTRA_CA_CERTS=/stack/cert.pem\n',
    );
    const current = { NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt' };
    expect(cliEnvironment(current, file).stackCertificate).toBe('/stack/cert.pem');
  });

  it('trusts no extra certificate when the environment alone is used', () => {
    const current = { AZURE_STORAGE_QUEUE_ENDPOINT: 'https://acct.queue.core.windows.net' };
    expect(cliEnvironment(current, '/nonexistent/stack.env').stackCertificate).toBeUndefined();
  });

  it('says how to get an environment when there is none', () => {
    expect(() => cliEnvironment({}, '/nonexistent/stack.env')).toThrow(/npm start.*az login/s);
  });
});

describe('accountName', () => {
  it('reads the account from an Azure host name or an Azurite path', () => {
    expect(accountName('https://mystore.blob.core.windows.net')).toBe('mystore');
    expect(accountName('https://127.0.0.1:10000/devstoreaccount1')).toBe('devstoreaccount1');
  });
});
