import { randomUUID } from 'node:crypto';
import http from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import {
  injectTraceContext,
  startTelemetry,
  telemetryMiddleware,
  traceJob,
  traceModelCall,
} from '../src/index.ts';
import { startOtlpReceiver } from '../src/receiver/index.ts';
import { close, listen, settingsFor } from './helpers.ts';

const isPatched = (fn: unknown): boolean =>
  typeof fn === 'function' && '__wrapped' in (fn as unknown as Record<string, unknown>);

describe('OTEL_SDK_DISABLED=true', () => {
  it('starts nothing: no patches, no header, no spans, and every helper still runs its work', async () => {
    const receiver = await startOtlpReceiver();
    const telemetry = startTelemetry({
      serviceName: 'api',
      settings: settingsFor({
        OTEL_SDK_DISABLED: 'true',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      }),
    });
    try {
      expect(telemetry).toMatchObject({ enabled: false, destinations: [] });
      expect(isPatched(http.request)).toBe(false);
      expect(isPatched(Reflect.get(http.Server.prototype, 'emit'))).toBe(false);

      const api = express();
      api.use(telemetryMiddleware());
      api.get('/ping', (_request, response) => {
        response.json({ ok: true });
      });
      const { url, server } = await listen(api);
      const response = await fetch(`${url}/ping`);
      await close(server);
      expect(response.status).toBe(200);
      expect(response.headers.has('traceresponse')).toBe(false);

      const answer = `answer-${randomUUID()}`;
      await expect(
        traceModelCall({ operation: 'chat', deployment: 'chat' }, () => Promise.resolve(answer)),
      ).resolves.toBe(answer);
      await expect(traceJob({ queue: 'q', body: {} }, () => Promise.resolve(1))).resolves.toBe(1);
      expect(injectTraceContext({ id: 'j' })).toEqual({ id: 'j' });

      await telemetry.flush();
      expect(receiver.rawBodies).toEqual([]);
    } finally {
      await telemetry.shutdown();
      await receiver.close();
    }
  });
});

describe('shutdown', () => {
  it('takes the http patches off again, so telemetry can start anew', async () => {
    const receiver = await startOtlpReceiver();
    const settings = settingsFor({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
    const first = startTelemetry({ serviceName: 'api', settings });
    expect(isPatched(http.request)).toBe(true);
    expect(() => startTelemetry({ serviceName: 'api', settings })).toThrow(/already running/);
    await first.shutdown();
    expect(isPatched(http.request)).toBe(false);
    const second = startTelemetry({ serviceName: 'api', settings });
    expect(second.enabled).toBe(true);
    await second.shutdown();
    await receiver.close();
  });
});
