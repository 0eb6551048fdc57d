import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkReadiness,
  createCredential,
  KeylessError,
  createTokenProvider,
} from '../src/index.ts';

// az and azd are not installed here, so stand-ins on PATH play "installed but not logged in".
// They only log that they ran; nothing leaves the machine.
let bin: string;
let originalPath: string | undefined;

async function fakeCli(name: string, stderr: string): Promise<void> {
  const file = join(bin, name);
  await writeFile(
    file,
    // The message goes in a quoted here-document so the shell never interprets it.
    `#!/bin/sh\necho ${name} >> '${join(bin, 'calls.log')}'\ncat >&2 <<'MESSAGE'\n${stderr}\nMESSAGE\nexit 1\n`,
  );
  await chmod(file, 0o755);
}

beforeAll(async () => {
  bin = await mkdtemp(join(tmpdir(), 'keyless-dev-chain-'));
  await fakeCli('azd', 'ERROR: not logged in, run `azd auth login` to login');
  await fakeCli('az', "ERROR: Please run 'az login' to setup account.");
  originalPath = process.env['PATH'];
  // Only the stand-ins and /bin (for sh): no real az, azd or pwsh can be found.
  process.env['PATH'] = [bin, dirname(process.execPath), '/bin', '/usr/bin'].join(':');
});

afterAll(async () => {
  process.env['PATH'] = originalPath;
  await rm(bin, { recursive: true, force: true });
});

describe('the developer credential chain', () => {
  it('tries azd then az, never managed identity, and says how to log in', async () => {
    const { credential, source } = createCredential({ managedIdentityEnvironment: false });
    expect(source).toBe('developer');
    const provider = createTokenProvider(
      credential,
      'https://cognitiveservices.azure.com/.default',
    );

    const error: unknown = await provider().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KeylessError);
    const keyless = error as KeylessError;
    expect(keyless.code).toBe('KEYLESS_ERR_NO_CREDENTIAL');
    const tried = keyless.message
      .split('\n')
      .filter((line) => line.startsWith('  - '))
      .map((line) => line.slice(4).split(':')[0]);
    expect(tried).toEqual([
      'AzureDeveloperCliCredential',
      'AzureCliCredential',
      'VisualStudioCodeCredential',
      'AzurePowerShellCredential',
    ]);
    expect(keyless.message).toContain("run 'azd auth login'");
    expect(keyless.message).toContain("run 'az login'");
    expect(keyless.fix).toContain('azd auth login');
    expect(keyless.message).not.toMatch(/ManagedIdentityCredential/);
    const calls = (await readFile(join(bin, 'calls.log'), 'utf8')).trim().split('\n');
    expect(calls.slice(0, 2)).toEqual(['azd', 'az']);
  });

  it('reports a failed readiness check that names the scope and why', async () => {
    const { credential } = createCredential({ managedIdentityEnvironment: false });
    const result = await checkReadiness(credential, ['https://storage.azure.com/.default'], {
      timeoutMs: 20_000,
    });
    expect(result.ok).toBe(false);
    expect(result.checks[0]?.scope).toBe('https://storage.azure.com/.default');
    expect(result.checks[0]?.reason).toContain('KEYLESS_ERR_NO_CREDENTIAL');
  });
});
