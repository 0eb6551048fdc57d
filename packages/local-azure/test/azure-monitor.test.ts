import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCertificate, startLocalAzure } from '../src/index.ts';
import type { LocalAzure } from '../src/index.ts';

const run = promisify(execFile);
let stack: LocalAzure;
let ingestion: Server;
let ingestionUrl: string;
let certDir: string;
let caCertPath: string;
const received: Array<{ path: string; headers: IncomingHttpHeaders; body: string }> = [];

// Application Insights' ingestion ("breeze") endpoint cannot run here; this one records what the
// exporter sends and answers as the service does when it accepts every item. It speaks https,
// since a bearer token is only ever sent over TLS.
beforeAll(async () => {
  stack = await startLocalAzure({ ports: 'free', storage: false });
  certDir = await mkdtemp(join(tmpdir(), 'ingestion-cert-'));
  const certificate = await createCertificate(certDir);
  caCertPath = certificate.certPath;
  const tls = { cert: readFileSync(certificate.certPath), key: readFileSync(certificate.keyPath) };
  ingestion = createServer(tls, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body =
        request.headers['content-encoding'] === 'gzip'
          ? gunzipSync(raw).toString()
          : raw.toString();
      received.push({ path: request.url ?? '', headers: request.headers, body });
      const items = body.trim().startsWith('[') ? (JSON.parse(body) as unknown[]).length : 1;
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ itemsReceived: items, itemsAccepted: items, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => ingestion.listen(0, '127.0.0.1', resolve));
  ingestionUrl = `https://127.0.0.1:${(ingestion.address() as AddressInfo).port}/`;
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => ingestion?.close(resolve));
  await stack?.stop();
  await rm(certDir, { recursive: true, force: true });
});

describe('telemetry to Application Insights', () => {
  it('is sent with the service’s own Entra token for Azure Monitor, never an instrumentation key alone', async () => {
    const { stdout } = await run(
      process.execPath,
      [new URL('./fixtures/send-to-azure-monitor.ts', import.meta.url).pathname],
      {
        cwd: new URL('./fixtures/', import.meta.url).pathname,
        env: {
          PATH: process.env['PATH'],
          ...stack.envFor('id-api'),
          NODE_EXTRA_CA_CERTS: caCertPath,
          APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=${randomUUID()};IngestionEndpoint=${ingestionUrl}`,
          // The exporter's own usage reports and configuration poll go to Microsoft's hosts:
          // off, and any that still tried would meet a refused loopback proxy.
          APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
          APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
          HTTPS_PROXY: 'http://127.0.0.1:9',
          NO_PROXY: '127.0.0.1,localhost',
        },
      },
    );
    expect(JSON.parse(stdout.trim().split('\n').at(-1)!)).toEqual({
      destinations: ['Application Insights (Entra ID)'],
    });

    const track = received.find((request) => request.path.includes('/track'));
    expect(track?.body).toContain('GET /api/things');
    const authorization = track?.headers.authorization ?? '';
    expect(authorization).toMatch(/^Bearer ey/);
    const claims = decodeJwt(authorization.slice('Bearer '.length));
    const api = stack.identities.find((identity) => identity.name === 'id-api')!;
    expect(claims).toMatchObject({ aud: 'https://monitor.azure.com', oid: api.principalId });
  }, 60_000);
});
