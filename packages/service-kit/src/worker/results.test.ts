/**
 * The check the worker makes before writing a result, traced against the local stack's Azurite
 * with the real storage client: a missing result is an answer (`exists()` is false), not an error
 * in telemetry, while a storage refusal still is one.
 */
import { randomUUID } from 'node:crypto';
import { ContainerClient } from '@azure/storage-blob';
import { createKeylessClients, loadConfig } from '@keyless/auth';
import { createStorageClients } from '@keyless/auth/storage';
import type { KeylessClients } from '@keyless/auth';
import { startLocalAzure, trustCertificate } from '@keyless/local-azure';
import type { LocalAzure } from '@keyless/local-azure';
import { readTelemetrySettings, startTelemetry } from '@keyless/telemetry';
import type { Telemetry } from '@keyless/telemetry';
import { startOtlpReceiver } from '@keyless/telemetry/receiver';
import type { OtlpReceiver } from '@keyless/telemetry/receiver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createResultStore } from './results.ts';

let stack: LocalAzure;
let receiver: OtlpReceiver;
let telemetry: Telemetry;
let container: ContainerClient;
let credential: KeylessClients['credential'];

beforeAll(async () => {
  stack = await startLocalAzure({ ports: 'free' });
  trustCertificate(stack.storage!.caCertPath);
  const env = stack.envFor('id-worker');
  // ManagedIdentityCredential reads these itself, once per process (this file has its own worker).
  process.env.IDENTITY_ENDPOINT = env.IDENTITY_ENDPOINT;
  process.env.IDENTITY_HEADER = env.IDENTITY_HEADER;
  receiver = await startOtlpReceiver();
  telemetry = startTelemetry({
    serviceName: 'worker',
    settings: readTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRIC_EXPORT_INTERVAL: '600000',
    }),
    ignoreIncomingPaths: ['/v1/traces', '/v1/metrics'],
  });
  const clients = createKeylessClients(loadConfig(env));
  credential = clients.credential;
  container = createStorageClients(clients).blobService.getContainerClient(
    `results-${randomUUID()}`,
  );
  await container.createIfNotExists();
  // The set-up's own spans, out of the way of the first test's.
  await telemetry.flush();
}, 60_000);

afterAll(async () => {
  await telemetry?.shutdown();
  await receiver?.close();
  await stack?.stop();
});

/** The storage spans `run` made, as `name status-code: span status`, sorted. */
async function storageSpans(run: () => Promise<unknown>): Promise<string[]> {
  const from = receiver.spans.length;
  await run();
  await telemetry.flush();
  return (
    receiver.spans
      .slice(from)
      // The storage client's spans and its requests'; the credential's (a cached token) aside.
      .filter((span) => /^(BlobClient|ContainerClient)-|^HTTP /.test(span.name))
      .map((span) => {
        const code = span.attributes['http.status_code'];
        return `${span.name}${code === undefined ? '' : ` ${String(code)}`}: ${span.status}`;
      })
      .sort()
  );
}

describe('the result check before a write, in telemetry', () => {
  it('leaves every span of exists() unset when the result is missing (a 404 it answers false)', async () => {
    const results = createResultStore(container);
    let found: boolean | undefined;
    expect(await storageSpans(async () => (found = await results.exists(randomUUID())))).toEqual([
      'BlobClient-exists: unset',
      'BlobClient-getProperties: unset',
      'HTTP HEAD 404: unset',
    ]);
    expect(found).toBe(false);
  });

  it('leaves the 409 of creating a container that exists unset', async () => {
    let created: boolean | undefined;
    expect(
      await storageSpans(
        async () => ({ succeeded: created } = await container.createIfNotExists()),
      ),
    ).toEqual([
      'ContainerClient-create: unset',
      'ContainerClient-createIfNotExists: unset',
      'HTTP PUT 409: unset',
    ]);
    expect(created).toBe(false);
  });

  it('marks exists() an error when storage refuses the caller with 403, and a read of a missing blob', async () => {
    // Azurite answers a token for another audience with 403, as Azure answers a principal without
    // the data role: the request fails, the check does not answer.
    const otherAudience = 'https://cognitiveservices.azure.com/.default';
    const refused = new ContainerClient(container.url, {
      getToken: (_scopes, options) => credential.getToken(otherAudience, options),
    });
    // Fetched (and cached) first, so that only storage's spans are measured.
    await credential.getToken(otherAudience);
    await telemetry.flush();
    let failure: unknown;
    expect(
      await storageSpans(() =>
        createResultStore(refused)
          .exists(randomUUID())
          .catch((error: unknown) => (failure = error)),
      ),
    ).toEqual([
      'BlobClient-exists: error',
      'BlobClient-getProperties: error',
      'HTTP HEAD 403: error',
    ]);
    expect(failure).toMatchObject({ statusCode: 403 });
    expect(
      await storageSpans(() =>
        container
          .getBlobClient(`${randomUUID()}.json`)
          .download()
          .catch(() => undefined),
      ),
    ).toEqual(['BlobClient-download: error', 'HTTP GET 404: error']);
  });
});
