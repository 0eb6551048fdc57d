import { describe, expect, it } from 'vitest';
import { documentedVariables } from '../src/checks/service-variables.ts';
import { copyRepo, edit, findingsOf } from './fixture.ts';

describe('service-variables check', () => {
  it('reads every variable of the ARCHITECTURE.md table, several to a row included', () => {
    const table = [
      '## Environment a service receives',
      '',
      '| variable | meaning |',
      '| --- | --- |',
      '| `AZURE_CLIENT_ID` | x |',
      '| `IDENTITY_ENDPOINT`, `IDENTITY_HEADER` | y |',
      '',
      '## Next',
      '| `NOT_THIS` | z |',
    ].join('\n');
    expect(documentedVariables(table)).toEqual([
      'AZURE_CLIENT_ID',
      'IDENTITY_ENDPOINT',
      'IDENTITY_HEADER',
    ]);
  });

  it('reports a variable the services read that no Container App receives', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'docs/ARCHITECTURE.md',
      '| `PORT`',
      '| `AZURE_OPENAI_TIMEOUT_MS` | timeout |\n| `PORT`',
    );
    expect(findingsOf(copy, 'service-variables').map((finding) => finding.message)).toEqual([
      expect.stringContaining(
        'AZURE_OPENAI_TIMEOUT_MS is read by the services but no Container App receives it',
      ),
    ]);
  });

  it('reports a variable the infra sets that the services do not document', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'docs/ARCHITECTURE.md', '| `PORT`', '| `PORT_UNUSED`');
    expect(findingsOf(copy, 'service-variables').map((finding) => finding.message)).toContainEqual(
      expect.stringContaining('the infra sets PORT, which ARCHITECTURE.md does not list'),
    );
  });
});
