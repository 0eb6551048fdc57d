#!/usr/bin/env node
// `npm run doctor [-- --env-file <path>]`: checks configuration, credential, token, endpoint,
// one authorised model call and storage, printing the fix for anything that fails.
import { existsSync, readFileSync } from 'node:fs';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { parseArgs, parseEnv } from 'node:util';

const usage = [
  'Usage: npm run doctor [-- --env-file <path>]',
  '  --env-file <path>  check the environment in this file (the local stack writes .local-azure/stack.env);',
  "                     without it, .env.azure (azd's outputs) if present, else the shell's environment",
].join('\n');

// The npm script ends in `--`: Node 24 reads an `--env-file` anywhere on its command line, even
// after the script's name, and exits before this file runs when that file is missing. After `--`
// it leaves the arguments to the script.
const args = process.argv.slice(2);
if (args[0] === '--') args.shift();
let values: { 'env-file'?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    args,
    options: { 'env-file': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }));
} catch (error) {
  console.error(`✘ ${(error as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}
// azd's outputs, as its postprovision hook writes them (infra/hooks/write-env.sh).
const envFile = values['env-file'] ?? (existsSync('.env.azure') ? '.env.azure' : undefined);

if (envFile) {
  if (!existsSync(envFile)) {
    console.error(
      `✘ --env-file ${envFile} does not exist. Start the local stack with \`npm start\` (it writes .local-azure/stack.env), or pass the path of your env file.`,
    );
    process.exit(1);
  }
  const fromFile = parseEnv(readFileSync(envFile, 'utf8'));
  // The file wins over the shell: asking for it by name means "check this environment".
  // Into process.env, because @azure/identity reads IDENTITY_ENDPOINT and friends from there itself.
  Object.assign(process.env, fromFile);
  console.log(`Loaded ${envFile}`);
  // Node reads NODE_EXTRA_CA_CERTS only at start-up, so a certificate named in the file
  // (the local stack's, for Azurite's https) is trusted here, alongside the start-up ones.
  const caFile = fromFile['NODE_EXTRA_CA_CERTS'];
  if (caFile && existsSync(caFile)) {
    const pems = readFileSync(caFile, 'utf8').match(
      /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
    );
    setDefaultCACertificates([...getCACertificates('default'), ...(pems ?? [])]);
  }
}

// Imported only now, so that the Azure SDK loads after the certificate above is trusted.
const { runDoctor } = await import('../doctor/doctor.ts');
const ok = await runDoctor(process.env, (line) => console.log(line));
process.exit(ok ? 0 : 1);
