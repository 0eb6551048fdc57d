import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspaceRoot } from './workspace.ts';

/** The commands of the README's quickstart block, in order. */
async function quickstartCommands(): Promise<string[]> {
  const readme = await readFile(join(workspaceRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## Quickstart$/m)[1] ?? '';
  const block = /```(?:sh|bash)\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

describe('.ci/run', () => {
  it('runs the README quickstart install command, then its test command', async () => {
    const commands = await quickstartCommands();
    const install = commands.find((command) => /^npm (ci|install)\b/.test(command));
    const test = commands.find((command) => command === 'npm test');
    expect(install).toBeDefined();
    expect(test).toBeDefined();

    const script = (await readFile(join(workspaceRoot, '.ci/run'), 'utf8')).split('\n');
    const installLine = script.findIndex((line) => line.trim() === install);
    const testLine = script.findIndex(
      (line) => line.trim().startsWith(`${test ?? ''} `) || line.trim() === test,
    );
    expect(installLine).toBeGreaterThan(-1);
    expect(testLine).toBeGreaterThan(installLine);
  });

  it('stops at the first failing command', async () => {
    const script = await readFile(join(workspaceRoot, '.ci/run'), 'utf8');
    expect(script).toMatch(/^set -euo pipefail$/m);
  });
});
