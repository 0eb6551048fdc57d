/**
 * The load generator in its own process: autocannon, driven over IPC by the benchmark runner so
 * that the load, the api and the stack each have their own event loop.
 * Message in: { url, method, headers, body, connections, duration? (s), amount? }.
 * Message out: { requests, errors, non2xx, perSecond, p50Ms, p99Ms }.
 */
import autocannon from 'autocannon';

interface LoadRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  duration?: number;
  amount?: number;
}

process.on('message', (message: LoadRequest) => {
  void autocannon({
    url: message.url,
    method: 'POST',
    headers: message.headers,
    body: message.body,
    connections: message.connections,
    ...(message.amount === undefined
      ? { duration: message.duration ?? 1 }
      : { amount: message.amount }),
  }).then((result) => {
    const seconds = result.duration;
    process.send?.({
      requests: result.requests.total,
      errors: result.errors + result.timeouts,
      non2xx: result.non2xx,
      perSecond: result['2xx'] / seconds,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
    });
  });
});
process.on('disconnect', () => process.exit(0));
