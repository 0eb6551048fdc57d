import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.ts';

const run = promisify(execFile);
const secretlint = join(workspaceRoot, 'node_modules/.bin/secretlint');

async function scan(file: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(
      secretlint,
      ['--secretlintrc', join(workspaceRoot, '.secretlintrc.json'), '--no-color', file],
      { cwd: workspaceRoot },
    );
    return { code: 0, output: stdout };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, output: failed.stdout };
  }
}

// Fake keys are minted at run time, so that no key-shaped text is ever committed.
const fakeStorageKey = () => randomBytes(64).toString('base64');
const fakeOpenAiKey = () => randomBytes(16).toString('hex');

describe('the secret scan of `npm test`', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keyless-secret-scan-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fails on a storage connection string with an account key', async () => {
    const file = join(dir, 'settings.ts');
    await writeFile(
      file,
      `export const conn = "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${fakeStorageKey()};EndpointSuffix=core.windows.net";\n`,
    );
    const { code, output } = await scan(file);
    expect(code).not.toBe(0);
    expect(output).toContain('settings.ts');
  });

  it('fails on an Azure OpenAI api-key header', async () => {
    const file = join(dir, 'client.ts');
    await writeFile(file, `fetch(url, { headers: { 'api-key': '${fakeOpenAiKey()}' } });\n`);
    const { code, output } = await scan(file);
    expect(code).not.toBe(0);
    expect(output).toContain('client.ts');
  });

  it('passes a keyless file that uses a token provider', async () => {
    const file = join(dir, 'keyless.ts');
    await writeFile(
      file,
      "const provider = getBearerTokenProvider(credential, 'https://cognitiveservices.azure.com/.default');\n",
    );
    expect((await scan(file)).code).toBe(0);
  });
});
