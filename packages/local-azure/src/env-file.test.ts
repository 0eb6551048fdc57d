import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEnvFile } from './env-file.ts';

const run = promisify(execFile);
let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'env-file-test-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

// Values a real stack can produce: a certificate under a folder with spaces and a `#`.
const env = {
  NODE_EXTRA_CA_CERTS: '/tmp/My Stack #2/azurite-cert.pem',
  AZURE_OPENAI_ENDPOINT: 'http://127.0.0.1:8080',
  SPACES: '  a  b  ',
  SPECIAL: 'x=1 $HOME `date` "q" \\ # not a comment',
};
const print = `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(Object.keys(env))}.map((n) => [n, process.env[n]]))))`;

describe('the stack env file', () => {
  it('gives back every value unchanged to a shell that sources it with set -a', async () => {
    const file = join(directory, 'shell.env');
    await writeEnvFile(file, env, 'developer');
    const { stdout } = await run(
      'sh',
      ['-c', `set -a; . "${file}"; set +a; exec "${process.execPath}" -e '${print}'`],
      { env: { PATH: process.env['PATH'] } },
    );
    expect(JSON.parse(stdout)).toEqual(env);
  });

  it('gives back every value unchanged to node --env-file', async () => {
    const file = join(directory, 'node.env');
    await writeEnvFile(file, env, 'developer');
    const { stdout } = await run(process.execPath, [`--env-file=${file}`, '-e', print], {
      env: { PATH: process.env['PATH'] },
    });
    expect(JSON.parse(stdout)).toEqual(env);
  });

  it('is readable by its owner only', async () => {
    const file = join(directory, 'mode.env');
    await writeEnvFile(file, env, 'developer');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('refuses a value neither reader could take back, naming the variable, and writes nothing', async () => {
    const file = join(directory, 'refused.env');
    await expect(
      writeEnvFile(file, { NODE_EXTRA_CA_CERTS: "/tmp/o'brien/cert.pem" }, 'developer'),
    ).rejects.toThrow(/NODE_EXTRA_CA_CERTS holds a single quote.*LOCAL_AZURE_DIR/);
    await expect(stat(file)).rejects.toThrow(/ENOENT/);
  });
});
