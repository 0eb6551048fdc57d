import { describe, expect, it } from 'vitest';
import type { LocalAzure } from './stack.ts';
import { nextSteps } from './status.ts';

// nextSteps reads only these two fields of the stack.
const stackWith = (envFile: string) => ({ envFile, services: [] }) as unknown as LocalAzure;

describe('nextSteps', () => {
  it('names the join file relative to the working folder when it lies inside it', () => {
    const text = nextSteps(stackWith('/repo/.local-azure/stack.env'), '/repo');
    expect(text).toContain('set -a; . .local-azure/stack.env; set +a');
  });

  it('names the join file by its absolute path when it lies outside the working folder', () => {
    const text = nextSteps(stackWith('/tmp/state/stack.env'), '/repo/packages/local-azure');
    expect(text).toContain('set -a; . /tmp/state/stack.env; set +a');
    expect(text).not.toContain('..');
  });
});
