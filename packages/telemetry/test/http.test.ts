import express from 'express';
import { describe, expect, it } from 'vitest';
import { telemetryMiddleware } from '../src/index.ts';
import { close, listen } from './helpers.ts';
import { telemetryPerTest } from './telemetry-per-test.ts';

const otel = telemetryPerTest('api', ['/healthz']);

function app(): express.Express {
  const api = express();
  api.use(telemetryMiddleware());
  const items = express.Router();
  items.get('/:id', (request, response) => {
    response.json({ id: request.params.id });
  });
  api.use('/api/items', items);
  api.get('/healthz', (_request, response) => {
    response.json({ ok: true });
  });
  return api;
}

describe('an http service with telemetry', () => {
  it('gives each request a server span named for its route, and answers with its trace id', async () => {
    const { url, server } = await listen(app());
    try {
      const response = await fetch(`${url}/api/items/42`);
      expect(response.status).toBe(200);
      const header = response.headers.get('traceresponse');
      expect(header).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      await otel.telemetry.flush();

      const [, traceId, spanId] = header!.split('-');
      const server = otel.receiver.spans.find((span) => span.kind === 'server');
      expect(server).toMatchObject({
        service: 'api',
        name: 'GET /api/items/:id',
        traceId,
        spanId,
        attributes: { 'http.route': '/api/items/:id', 'http.response.status_code': 200 },
      });
    } finally {
      await close(server);
    }
  });

  it('records request duration per route, and leaves health probes out', async () => {
    const { url, server } = await listen(app());
    try {
      await fetch(`${url}/api/items/1`);
      await fetch(`${url}/api/items/2`);
      await fetch(`${url}/healthz`);
      await otel.telemetry.flush();
      const durations = otel.receiver.metrics.filter(
        (point) => point.name === 'http.server.request.duration',
      );
      expect(durations).toEqual([
        expect.objectContaining({
          service: 'api',
          count: 2,
          attributes: expect.objectContaining({ 'http.route': '/api/items/:id' }) as unknown,
        }),
      ]);
      expect(otel.receiver.spans.map((span) => span.name)).toEqual([
        'GET /api/items/:id',
        'GET /api/items/:id',
      ]);
    } finally {
      await close(server);
    }
  });

  it('continues the caller’s trace from its traceparent header', async () => {
    const { url, server } = await listen(app());
    try {
      const traceId = '0af7651916cd43dd8448eb211c80319c';
      const response = await fetch(`${url}/api/items/7`, {
        headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      });
      expect(response.headers.get('traceresponse')).toContain(traceId);
      await otel.telemetry.flush();
      expect(otel.receiver.spans[0]).toMatchObject({ traceId, parentSpanId: 'b7ad6b7169203331' });
    } finally {
      await close(server);
    }
  });
});
