import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
// Each case starts Node processes that load the Azure SDKs; slow on a busy machine.
const timeout = 60_000;

/** Runs a command as `npm run` does, from the repository, with no stack to talk to. */
async function cli(bin: string, args: string[]) {
  try {
    await run(process.execPath, [new URL(`./${bin}.ts`, import.meta.url).pathname, ...args], {
      cwd: import.meta.dirname,
      env: { PATH: process.env.PATH ?? '' },
    });
    return { code: 0, stderr: '' };
  } catch (error) {
    return error as { code: number; stderr: string };
  }
}

describe('npm run enqueue and npm run result', () => {
  it(
    'refuse a service that services.json does not list, with exit 1 and the fix',
    async () => {
      for (const bin of ['enqueue', 'result']) {
        const { code, stderr } = await cli(bin, ['--service', 'nosuch', 'job-1']);
        expect(code).toBe(1);
        expect(stderr).toContain('There is no service named "nosuch" in services.json.');
        expect(stderr).toContain('Fix: name one of the workers (worker');
      }
    },
    timeout,
  );

  it(
    'refuse an api, which has no queue, with exit 1',
    async () => {
      for (const bin of ['enqueue', 'result']) {
        const { code, stderr } = await cli(bin, ['--service', 'api', 'job-1']);
        expect(code).toBe(1);
        expect(stderr).toContain('"api" is an api service, not a worker');
      }
    },
    timeout,
  );

  it(
    'enqueue without a prompt prints the usage and fails',
    async () => {
      const { code, stderr } = await cli('enqueue', []);
      expect(code).toBe(1);
      expect(stderr).toContain('Usage: npm run enqueue -- [--service <worker name>] "a prompt"');
    },
    timeout,
  );

  it(
    'enqueue refuses a --json that is not one JSON object, or comes with a prompt, naming the fix',
    async () => {
      for (const json of ['{oops', '[1,2]', '"text"']) {
        const { code, stderr } = await cli('enqueue', ['--json', json]);
        expect(code).toBe(1);
        expect(stderr).toContain(
          `--json must be a JSON object, such as '{"text":"hello"}' (got ${json})`,
        );
      }
      const both = await cli('enqueue', ['--json', '{"text":"a"}', 'a prompt']);
      expect(both.code).toBe(1);
      expect(both.stderr).toContain('--json is the whole job: drop the prompt and --max-tokens.');
    },
    timeout,
  );

  it(
    'enqueue refuses an unsafe job id, from --id or the job itself, and an id given twice',
    async () => {
      const unsafe =
        'must be 1-128 letters, digits, ".", "_" or "-", starting with a letter or digit';
      for (const args of [
        ['--id', '../x', 'a prompt'],
        ['--json', '{"id":"../x","text":"a"}'],
      ]) {
        const { code, stderr } = await cli('enqueue', args);
        expect(code).toBe(1);
        expect(stderr).toContain(`The job id "../x" ${unsafe}.`);
      }
      const twice = await cli('enqueue', ['--json', '{"id":"a","text":"x"}', '--id', 'b']);
      expect(twice.code).toBe(1);
      expect(twice.stderr).toContain(
        '--id b and the job\'s own "id" (a) differ; give the id once.',
      );
      const many = await cli('enqueue', ['--json', '{"id":"a","text":"x"}', '--count', '2']);
      expect(many.code).toBe(1);
      expect(many.stderr).toContain('An id names one job');
    },
    timeout,
  );

  it(
    'enqueue answers an unknown option with the usage, exit 1',
    async () => {
      const { code, stderr } = await cli('enqueue', ['--max-tags', '3', 'x']);
      expect(code).toBe(1);
      expect(stderr).toContain("Unknown option '--max-tags'");
      expect(stderr).toContain('npm run enqueue -- [--service <worker name>] --json');
    },
    timeout,
  );
});
