// The bench's service: Express with the telemetry middleware and a model call of a fixed latency,
// in its own process. Prints its port, then its CPU time in ms when asked on stdin.
import express from 'express';
import {
  readTelemetrySettings,
  startTelemetry,
  telemetryMiddleware,
  traceModelCall,
} from '../src/index.ts';

const telemetry = startTelemetry({
  serviceName: 'bench-api',
  settings: readTelemetrySettings(process.env),
});
const latencyMs = Number(process.env['BENCH_MODEL_LATENCY_MS'] ?? 50);
const app = express();
app.use(telemetryMiddleware());
app.use(express.json());
app.post('/api/chat', async (request, response) => {
  const completion = await traceModelCall(
    { operation: 'chat', deployment: 'gpt-4o-mini' },
    () =>
      new Promise<object>((resolve) =>
        setTimeout(
          () =>
            resolve({
              id: 'c',
              model: 'gpt-4o-mini',
              choices: [{ finish_reason: 'stop', message: { content: 'ok' } }],
              usage: { prompt_tokens: 9, completion_tokens: 2 },
            }),
          latencyMs,
        ),
      ),
  );
  response.json({ completion, body: request.body as unknown });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});
process.stdin.on('data', () => {
  const { user, system } = process.cpuUsage();
  console.log(JSON.stringify({ cpuMs: (user + system) / 1000 }));
});
process.on('SIGTERM', () => {
  void telemetry.shutdown().finally(() => process.exit(0));
});
