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

async function run(client: OpenAI, model: string, count: number): Promise<number> {
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
  const start = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return performance.now() - start;
}

try {
  const config = loadConfig(apiEnv);
  const keyless = createKeylessClients(config).openai;
  // The baseline: the same client with a fixed bearer string and no credential behind it.
  const { credential } = createCredential(config.identity);
  const token = await credential.getToken(config.openai.scope);
  if (!token) throw new Error('no token for the baseline');
  const fixed = new OpenAI({
    baseURL: `${config.openai.endpoint}/openai/v1/`,
    apiKey: token.token,
    maxRetries: 0,
  });
  const model = config.openai.chatDeployment;

  await run(keyless, model, 200);
  await run(fixed, model, 200);
  let keylessMs = 0;
  let fixedMs = 0;
  const roundRatios: number[] = [];
  // Interleaved rounds, so that warm-up and machine noise fall on both sides alike; the median
  // of the per-round ratios resists a noisy neighbour on a shared machine.
  for (let round = 0; round < rounds; round += 1) {
    const fixedRound = await run(fixed, model, calls / rounds);
    const keylessRound = await run(keyless, model, calls / rounds);
    fixedMs += fixedRound;
    keylessMs += keylessRound;
    roundRatios.push(fixedRound / keylessRound);
  }
  const medianRatio = roundRatios.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  const keylessRate = (calls / keylessMs) * 1000;
  const fixedRate = (calls / fixedMs) * 1000;
  console.log(`chat calls: ${calls}, concurrency ${concurrency}, ${rounds} interleaved rounds`);
  console.log(`  fixed bearer string: ${fixedRate.toFixed(0)} calls/s`);
  console.log(`  keyless client:      ${keylessRate.toFixed(0)} calls/s`);
  console.log(
    `  ratio keyless/fixed: ${(keylessRate / fixedRate).toFixed(3)} overall, ${medianRatio.toFixed(3)} median of rounds (goal ≥ 0.97)`,
  );

  // The provider's own cost per call once warm (what the ratio above is made of).
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
