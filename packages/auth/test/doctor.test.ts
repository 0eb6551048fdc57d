import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalAzure } from '@keyless/local-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rolelessIdentity, startStack } from './local-stack.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
/** What `npm run doctor` runs (root package.json): `node <script> [flags]`, arguments after it. */
const [, script, ...scriptArgs] = (
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { doctor: string } }
).scripts.doctor.split(' ');
let stack: LocalAzure;
let dir: string;

beforeAll(async () => {
  stack = await startStack({ storage: true });
  dir = await mkdtemp(join(tmpdir(), 'keyless-doctor-'));
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await rm(dir, { recursive: true, force: true });
});

async function envFile(name: string, env: Record<string, string>): Promise<string> {
  const file = join(dir, `${name}.env`);
  await writeFile(
    file,
    Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
  );
  return file;
}

/** Runs `npm run doctor -- --env-file <file>` as a child process; resolves its exit code and output. */
function runDoctor(file: string, path?: string): Promise<{ code: number; output: string }> {
  return runDoctorWith(['--env-file', file], path);
}

/** Runs `npm run doctor -- <args>` as a child process, as npm does, without npm. */
function runDoctorWith(
  args: string[],
  path = process.env['PATH'] ?? '',
): Promise<{ code: number; output: string }> {
  // A clean environment: only what a shell would have, plus the env file.
  const env = { PATH: path, HOME: process.env['HOME'] ?? '' };
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(root, script!), ...scriptArgs, ...args],
      { env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/**
 * Stand-ins for the Azure CLIs, which are not installed here: `azd` is not logged in, and `az`
 * answers `az account get-access-token` with a token the local identity endpoint mints for the
 * `developer` identity (a User), as a logged-in developer's az would.
 */
async function fakeDeveloperTools(): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin, { recursive: true });
  const developer = stack.envFor('developer');
  await writeFile(
    join(bin, 'azd'),
    "#!/bin/sh\ncat >&2 <<'MESSAGE'\nERROR: not logged in, run azd auth login to login\nMESSAGE\nexit 1\n",
  );
  await writeFile(
    join(bin, 'az'),
    `#!${process.execPath}
const resource = process.argv[process.argv.indexOf('--resource') + 1];
const url = new URL(${JSON.stringify(developer['IDENTITY_ENDPOINT'])});
url.searchParams.set('api-version', '2019-08-01');
url.searchParams.set('resource', resource);
url.searchParams.set('client_id', ${JSON.stringify(developer['AZURE_CLIENT_ID'])});
fetch(url, { headers: { 'x-identity-header': ${JSON.stringify(developer['IDENTITY_HEADER'])} } })
  .then((response) => response.json())
  .then((body) => console.log(JSON.stringify({ accessToken: body.access_token, expires_on: Number(body.expires_on), tokenType: 'Bearer' })));
`,
  );
  await chmod(join(bin, 'azd'), 0o755);
  await chmod(join(bin, 'az'), 0o755);
  return [bin, '/bin', '/usr/bin'].join(':');
}

const jwtShape = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+/;

describe('npm run doctor against the local stack', () => {
  it('passes every check for an identity with its roles, and prints claims but never the token', async () => {
    const { code, output } = await runDoctor(await envFile('developer', stack.envFor('developer')));

    expect(output).toContain('✔ Configuration');
    expect(output).toContain('✔ Credential: ManagedIdentityCredential answered');
    // The v1 API's audience, as Microsoft documents it (the dated API's would be cognitiveservices).
    expect(output).toContain('audience https://ai.azure.com');
    expect(output).toContain('scope https://ai.azure.com/.default (default for the v1 API)');
    expect(output).toContain(`tenant ${stack.tenantId}`);
    expect(output).toMatch(/object id [0-9a-f-]{36} \(User\)/);
    expect(output).toContain('✔ Endpoint reachable');
    expect(output).toContain(
      `✔ Authorised call: 1-token chat completion on ${stack.envFor('developer')['AZURE_OPENAI_CHAT_DEPLOYMENT']}`,
    );
    // The developer holds roles on every worker's queues, so no one queue is the one to check.
    expect(output).toContain(`✔ Storage queues reachable: ${stack.storage!.queueEndpoint}`);
    expect(output).toContain(`✔ Storage blobs reachable: ${stack.storage!.blobEndpoint}`);
    expect(output).toContain('no WORKER_QUEUE set');
    expect(output).toContain('All checks passed.');
    expect(output).not.toMatch(jwtShape);
    expect(code).toBe(0);
  }, 60_000);

  it('checks a worker’s own queue and container, named by WORKER_QUEUE and WORKER_RESULTS_CONTAINER', async () => {
    const worker = stack.envFor('id-worker');
    const { code, output } = await runDoctor(await envFile('worker', worker));
    expect(output).toContain(
      `✔ Storage queue "${worker['WORKER_QUEUE']}" (WORKER_QUEUE): authorised`,
    );
    expect(output).toContain(
      `✔ Storage container "${worker['WORKER_RESULTS_CONTAINER']}" (WORKER_RESULTS_CONTAINER): authorised`,
    );
    expect(output).not.toContain('reachable: https');
    expect(code).toBe(0);
  }, 60_000);

  it('fails the storage line, with the fix, when the storage endpoint does not answer', async () => {
    const { code, output } = await runDoctor(
      await envFile('no-storage', {
        ...stack.envFor('developer'),
        AZURE_STORAGE_QUEUE_ENDPOINT: 'https://127.0.0.1:9/devstoreaccount1',
      }),
    );
    expect(output).toContain('✘ Storage queues unreachable: https://127.0.0.1:9/devstoreaccount1');
    expect(output).toContain('Fix: Check AZURE_STORAGE_QUEUE_ENDPOINT');
    expect(output).toContain(`✔ Storage blobs reachable: ${stack.storage!.blobEndpoint}`);
    expect(code).toBe(1);
  }, 60_000);

  it('on a developer machine, says which developer credential answered and why the others did not', async () => {
    // A laptop: no managed-identity endpoint, no AZURE_CLIENT_ID, no AZURE_TOKEN_CREDENTIALS.
    const platformOnly = [
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
      'AZURE_TOKEN_CREDENTIALS',
      'AZURE_CLIENT_ID',
    ];
    const developerMachine = Object.fromEntries(
      Object.entries(stack.envFor('developer')).filter(([name]) => !platformOnly.includes(name)),
    );
    const { code, output } = await runDoctor(
      await envFile('laptop', developerMachine),
      await fakeDeveloperTools(),
    );

    expect(output).toContain('chosen because otherwise (a developer machine');
    expect(output).toContain('not used: AzureDeveloperCliCredential: ERROR: not logged in');
    expect(output).toContain('✔ Credential: AzureCliCredential answered');
    expect(output).toMatch(/object id [0-9a-f-]{36} \(User\)/);
    expect(output).toContain('✔ Authorised call');
    expect(output).not.toMatch(jwtShape);
    expect(code).toBe(0);
  }, 60_000);

  it('on a developer machine nobody is logged in to, fails saying how to log in', async () => {
    const bin = join(dir, 'logged-out');
    await mkdir(bin, { recursive: true });
    for (const tool of ['az', 'azd']) {
      await writeFile(
        join(bin, tool),
        "#!/bin/sh\ncat >&2 <<'MESSAGE'\nERROR: Please run az login to setup account.\nMESSAGE\nexit 1\n",
      );
      await chmod(join(bin, tool), 0o755);
    }
    const laptop = {
      AZURE_OPENAI_ENDPOINT: stack.openai.url,
      AZURE_OPENAI_CHAT_DEPLOYMENT: stack.envFor('developer')['AZURE_OPENAI_CHAT_DEPLOYMENT']!,
    };
    const { code, output } = await runDoctor(
      await envFile('logged-out', laptop),
      [bin, '/bin', '/usr/bin'].join(':'),
    );

    expect(output).toContain('✘ Credential: no developer credential answered');
    expect(output).toContain('not used: AzureCliCredential');
    expect(output).toContain('not used: AzurePowerShellCredential');
    expect(output).toContain('Fix: On a developer machine run `az login` or `azd auth login`');
    expect(code).toBe(1);
  }, 60_000);

  it('fails with the az role assignment command for an identity without the OpenAI role', async () => {
    const { code, output } = await runDoctor(
      await envFile('roleless', stack.envFor('id-roleless')),
    );

    expect(output).toContain('✘ Authorised call failed: KEYLESS_ERR_PERMISSION_DENIED');
    expect(output).toContain(
      `az role assignment create --role "Cognitive Services OpenAI User" --assignee-object-id ${rolelessIdentity.principalId} --assignee-principal-type ServicePrincipal`,
    );
    expect(output).not.toMatch(jwtShape);
    expect(code).toBe(1);
  }, 60_000);

  it('refuses an env file holding a key, naming it and the role to grant', async () => {
    const { code, output } = await runDoctor(
      await envFile('with-key', {
        ...stack.envFor('id-api'),
        AZURE_OPENAI_API_KEY: randomBytes(16).toString('hex'),
      }),
    );
    expect(output).toContain('✘ Configuration: KEYLESS_ERR_KEY_PRESENT');
    expect(output).toContain('AZURE_OPENAI_API_KEY');
    expect(output).toContain('Cognitive Services OpenAI User');
    expect(code).toBe(1);
  }, 60_000);

  it('says the identity endpoint is unreachable when the stack is not running there', async () => {
    const { code, output } = await runDoctor(
      await envFile('no-stack', {
        ...stack.envFor('id-api'),
        IDENTITY_ENDPOINT: 'http://127.0.0.1:9/msi/token',
      }),
    );
    expect(output).toContain('✘ Credential: managed-identity could not get a token');
    expect(output).toContain('IDENTITY_ENDPOINT');
    expect(code).toBe(1);
  }, 60_000);

  it('fails, naming the file and how to get one, when the env file is missing', async () => {
    // Node 24 itself reads an --env-file anywhere on its command line and, without the npm
    // script's `--`, exits 9 with only "not found" before the doctor runs.
    const { code, output } = await runDoctor(join(dir, 'missing.env'));
    expect(output).toContain(`--env-file ${join(dir, 'missing.env')} does not exist`);
    expect(output).toContain('npm start');
    expect(code).toBe(1);
  });

  it('prints its usage for --help and exits 0', async () => {
    const { code, output } = await runDoctorWith(['--help']);
    expect(output).toMatch(/^Usage: npm run doctor \[-- --env-file <path>\]/);
    expect(code).toBe(0);
  });

  it('refuses an unknown option with its usage, not a stack trace, and exits 2', async () => {
    const { code, output } = await runDoctorWith(['--env', 'x.env']);
    expect(output).toContain("Unknown option '--env'");
    expect(output).toContain('Usage: npm run doctor');
    expect(output).not.toMatch(/\n\s+at /);
    expect(code).toBe(2);
  });
});
