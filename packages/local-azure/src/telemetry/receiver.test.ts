import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { PortInUseError } from '../errors.ts';
import { readSpans } from './trace-file.ts';
import { startTelemetryReceiver } from './receiver.ts';

/** A traces.jsonl in a folder of its own, removed when the test finishes. */
function tracesFile(): string {
  const folder = mkdtempSync(join(tmpdir(), 'receiver-'));
  onTestFinished(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'traces.jsonl');
}

const traceRequest = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: '0af7651916cd43dd8448eb211c80319c',
              spanId: 'b7ad6b7169203331',
              name: 'GET /api/items/:id',
              kind: 2,
              startTimeUnixNano: '1764460800000000000',
              endTimeUnixNano: '1764460800012500000',
              attributes: [{ key: 'http.response.status_code', value: { intValue: 200 } }],
              status: { code: 0 },
            },
          ],
        },
      ],
    },
  ],
};

describe('the telemetry receiver', () => {
  it('keeps received spans in memory and appends them to its file', async () => {
    const file = tracesFile();
    const receiver = await startTelemetryReceiver({ port: 0, file });
    try {
      const response = await fetch(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(traceRequest),
      });
      expect(response.status).toBe(200);
      const expected = {
        service: 'api',
        name: 'GET /api/items/:id',
        kind: 'server',
        startMs: 1764460800000,
        durationMs: 12.5,
        attributes: { 'http.response.status_code': 200 },
      };
      expect(receiver.spans).toEqual([expect.objectContaining(expected)]);
      expect(readSpans(file)).toEqual([expect.objectContaining(expected)]);
    } finally {
      await receiver.close();
    }
  });

  it('refuses protobuf with 415 and says how to send JSON', async () => {
    const receiver = await startTelemetryReceiver({ port: 0 });
    try {
      const response = await fetch(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf' },
        body: new Uint8Array([1, 2, 3]),
      });
      expect(response.status).toBe(415);
      expect(await response.json()).toMatchObject({
        fix: expect.stringContaining('OTEL_EXPORTER_OTLP_PROTOCOL=http/json'),
      });
    } finally {
      await receiver.close();
    }
  });

  it('answers a body that is not OTLP with 400 and keeps nothing', async () => {
    const receiver = await startTelemetryReceiver({ port: 0 });
    try {
      const response = await fetch(`${receiver.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ spans: [] }),
      });
      expect(response.status).toBe(400);
      expect(receiver.spans).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it('names the variable that moves it when its port is taken', async () => {
    const first = await startTelemetryReceiver({ port: 0 });
    const port = Number(new URL(first.url).port);
    try {
      const taken = startTelemetryReceiver({ port, portEnvVar: 'LOCAL_AZURE_OTLP_PORT' });
      await expect(taken).rejects.toBeInstanceOf(PortInUseError);
      await expect(taken).rejects.toThrow(/LOCAL_AZURE_OTLP_PORT=<port>/);
    } finally {
      await first.close();
    }
  });
});
