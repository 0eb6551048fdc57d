/**
 * The floor the api is measured against: the least a Node proxy of the same call can cost. A bare
 * `node:http` server that forwards the chat messages with undici's `request` and a token fetched
 * once at start, with no framework, validation, logging, telemetry or SDK. Run by the benchmark
 * with the stack's environment and PORT, like the api.
 */
import { createServer } from 'node:http';
import { Agent, request } from 'undici';
import { createKeylessClients, loadConfig } from '@keyless/auth';

const config = loadConfig(process.env);
const { credential } = createKeylessClients(config);
const token = await credential.getToken(config.openai.scope);
if (!token) throw new Error('the floor proxy got no token');
const url = `${config.openai.endpoint}/openai/v1/chat/completions`;
const headers = { 'content-type': 'application/json', authorization: `Bearer ${token.token}` };
const dispatcher = new Agent();

createServer((req, res) => {
  if (req.url === '/readyz') {
    res.end('ok');
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const { messages } = JSON.parse(Buffer.concat(chunks).toString()) as { messages: unknown };
    const body = JSON.stringify({ model: config.openai.chatDeployment, messages });
    void request(url, { method: 'POST', headers, body, dispatcher })
      .then(async (upstream) => {
        const completion = (await upstream.body.json()) as {
          id: string;
          choices: { message: unknown }[];
        };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ id: completion.id, message: completion.choices[0]?.message }));
      })
      .catch(() => {
        res.statusCode = 502;
        res.end();
      });
  });
}).listen(Number(process.env.PORT), process.env.HOST ?? '127.0.0.1');
