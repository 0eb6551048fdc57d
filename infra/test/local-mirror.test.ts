import { describe, expect, it } from 'vitest';
import { copyRepo, edit, findingsOf, write } from './fixture.ts';

const messages = (copy: ReturnType<typeof copyRepo>) =>
  findingsOf(copy, 'local-mirror').map((finding) => finding.message);

describe('local-mirror check', () => {
  it('reports a local grant Azure does not give (the emulator would allow what Azure refuses)', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'packages/local-azure/config/role-assignments.json',
      '"roleAssignments": [',
      '"roleAssignments": [\n    { "principal": "id-api", "role": "Storage Blob Data Contributor", "scope": "storage-container", "target": "results" },',
    );
    expect(messages(copy)).toEqual([
      expect.stringContaining(
        "'id-api' (kind api) differs from what Azure grants: extra Storage Blob Data Contributor on storage-container results",
      ),
    ]);
  });

  it('reports a grant Azure gives that the local stack lacks', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'packages/local-azure/config/role-assignments.json',
      '"Storage Queue Data Message Sender"',
      '"Storage Queue Data Reader"',
    );
    expect(messages(copy)[0]).toContain(
      "'id-worker' (kind worker) differs from what Azure grants: missing Storage Queue Data Message Sender on storage-queue jobs-poison",
    );
  });

  it('reports a new service with no local identity or grants', () => {
    const copy = copyRepo();
    write(
      copy.repoRoot,
      'apps/mailer/package.json',
      JSON.stringify({ keyless: { kind: 'api', port: 3002 } }),
    );
    expect(messages(copy)).toEqual([
      "identity 'id-mailer' is missing; the local stack cannot stand in for it.",
      expect.stringContaining(
        "'id-mailer' (kind api) differs from what Azure grants: missing Cognitive Services OpenAI User on openai",
      ),
    ]);
  });
});
