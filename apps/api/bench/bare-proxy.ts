/**
 * The floors the api is measured against: a bare `node:http` server that forwards the chat
 * messages, with no framework, validation, logging or telemetry. BENCH_PROXY_UPSTREAM says how:
 * - `undici` (the floor): undici's `request` with a token fetched once at start, the least any
 *   Node proxy of this call can cost;
 * - `sdk`: the `openai` client exactly as the api gets it from `@keyless/auth` (token provider,
 *   undici-based fetch), the least a proxy that keeps the SDK can cost.
 * Run by the benchmark with the stack's environment and PORT, like the api.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { createKeylessClients, loadConfig } from '@keyless/auth';

type Forward = (messages: never) => Promise<{ id: string; message: unknown }>;

const config = loadConfig(process.env);
const clients = createKeylessClients(config);
const model = config.openai.chatDeployment;

async function undiciForward(): Promise<Forward> {
  const token = await clients.credential.getToken(config.openai.scope);
  if (!token) throw new Error('the floor proxy got no token');
  const url = `${config.openai.endpoint}/openai/v1/chat/completions`;
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token.token}` };
  const dispatcher = new Agent();
  return async (messages) => {
    const body = JSON.stringify({ model, messages });
    const upstream = await request(url, { method: 'POST', headers, body, dispatcher });
    const completion = (await upstream.body.json()) as {
      id: string;
      choices: { message: unknown }[];
    };
    return { id: completion.id, message: completion.choices[0]?.message };
  };
}

function sdkForward(): Forward {
  return async (messages) => {
    const completion = await clients.openai.chat.completions.create({ model, messages });
    return { id: completion.id, message: completion.choices[0]?.message };
  };
}

const forward = process.env.BENCH_PROXY_UPSTREAM === 'sdk' ? sdkForward() : await undiciForward();

createServer((req, res) => {
  if (req.url === '/readyz') {
    res.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { messages } = JSON.parse(Buffer.concat(chunks).toString()) as { messages: never };
    forward(messages)
      .then((reply) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(reply));
      })
      .catch(() => {
        res.statusCode = 502;
        res.end();
      });
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
