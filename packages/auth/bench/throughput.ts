// `npm run bench -w @keyless/auth`: what the keyless token provider costs, against the local
// emulator in this process. Not a test: it prints numbers (goals: ratio ≥ 0.97, 1 token request).
import { performance } from 'node:perf_hooks';
import { startLocalAzure } from '@keyless/local-azure';
import OpenAI from 'openai';
import {
  createCredential,
  createKeylessClients,
  createTokenProvider,
  loadConfig,
} from '../src/index.ts';

const calls = Number(process.argv[2] ?? 6000);
const concurrency = Number(process.argv[3] ?? 16);
const rounds = 10;
const burst = 500;

const stack = await startLocalAzure({ ports: 'free', storage: false });
const apiEnv = stack.envFor('id-api');
// @azure/identity reads the managed-identity endpoint from process.env itself.
process.env['IDENTITY_ENDPOINT'] = apiEnv['IDENTITY_ENDPOINT'];
process.env['IDENTITY_HEADER'] = apiEnv['IDENTITY_HEADER'];

interface Sample {
  ms: number;
  cpuUs: number;
}

async function run(client: OpenAI, model: string, count: number): Promise<Sample> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next += 1;
      await client.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 1,
      });
    }
  };
  const cpu = process.cpuUsage();
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const used = process.cpuUsage(cpu);
  // The emulator runs in this process too, so CPU per call includes serving it (alike for all).
  return { ms: performance.now() - start, cpuUs: used.user + used.system };
}

try {
  const config = loadConfig(apiEnv);
  const model = config.openai.chatDeployment;
  const baseURL = `${config.openai.endpoint}/openai/v1/`;
  const { credential } = createCredential(config.identity);
  const token = await credential.getToken(config.openai.scope);
  if (!token) throw new Error('no token for the baseline');
  const variants: Record<string, OpenAI> = {
    // The baseline: the same client with a fixed bearer string and no credential behind it.
    'fixed bearer string': new OpenAI({ baseURL, apiKey: token.token, maxRetries: 0 }),
    // The openai SDK's own cost of a key function, without @azure/identity behind it.
    'key function, fixed string': new OpenAI({
      baseURL,
      apiKey: () => Promise.resolve(token.token),
      maxRetries: 0,
    }),
    'keyless client': createKeylessClients(config).openai,
  };
  const names = Object.keys(variants);
  const totals = new Map(names.map((name) => [name, { ms: 0, cpuUs: 0 }]));
  for (const name of names) await run(variants[name]!, model, 300);
  // Interleaved rounds in alternating order, so warm-up, garbage collection and a noisy
  // neighbour on a shared machine fall on every variant alike.
  for (let round = 0; round < rounds; round += 1) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const sample = await run(variants[name]!, model, calls / rounds);
      const total = totals.get(name)!;
      total.ms += sample.ms;
      total.cpuUs += sample.cpuUs;
    }
  }
  console.log(`chat calls: ${calls} per variant, concurrency ${concurrency}, ${rounds} rounds`);
  const rate = (name: string) => (calls / totals.get(name)!.ms) * 1000;
  for (const name of names) {
    const cpuPerCall = totals.get(name)!.cpuUs / calls;
    console.log(
      `  ${name.padEnd(27)} ${rate(name).toFixed(0).padStart(6)} calls/s, ${cpuPerCall.toFixed(0)} µs CPU per call`,
    );
  }
  console.log(
    `  ratio keyless / fixed bearer: ${(rate('keyless client') / rate('fixed bearer string')).toFixed(3)} (goal ≥ 0.97)`,
  );
  console.log(
    `  ratio keyless / key function: ${(rate('keyless client') / rate('key function, fixed string')).toFixed(3)}`,
  );

  // The provider's own cost per call once warm.
  const provider = createTokenProvider(credential, config.openai.scope);
  await provider();
  const providerCalls = 100_000;
  const providerStart = performance.now();
  for (let index = 0; index < providerCalls; index += 1) await provider();
  const perCallUs = ((performance.now() - providerStart) * 1000) / providerCalls;
  console.log(`  token provider, warm: ${perCallUs.toFixed(2)} µs per call`);

  // Cold burst: an identity that has never fetched a token in this process.
  const cold = createKeylessClients(loadConfig(stack.envFor('developer'))).openai;
  const before = stack.identity.tokenRequests;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: burst }, () =>
      cold.chat.completions.create({
        model,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 1,
      }),
    ),
  );
  const burstMs = performance.now() - start;
  console.log(
    `cold burst: ${burst} concurrent calls in ${burstMs.toFixed(0)} ms, token requests: ${stack.identity.tokenRequests - before} (goal 1)`,
  );
} finally {
  await stack.stop();
}
