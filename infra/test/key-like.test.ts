import { describe, expect, it } from 'vitest';
import { copyRepo, edit, findingsOf } from './fixture.ts';

const messages = (copy: ReturnType<typeof copyRepo>) =>
  findingsOf(copy, 'key-like').map((finding) => finding.message);

describe('key-like check', () => {
  it('reports a listKeys() call', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/storage/storage.bicep',
      'output name string = account.name',
      'output name string = account.listKeys().keys[0].value',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('account.listKeys() reads keys or tokens'),
    );
  });

  it('reports a connection string built with AccountKey=', () => {
    const copy = copyRepo();
    const marker = ['Account', 'Key='].join('');
    edit(
      copy.repoRoot,
      'infra/core/storage/storage.bicep',
      "name: 'default'",
      `name: 'default'\n    tags: { note: 'DefaultEndpointsProtocol=https;${marker}\${name}' }`,
    );
    expect(messages(copy)).toContainEqual(expect.stringContaining(`contains '${marker}'`));
  });

  it('reports a Container Apps secret', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/host/container-app.bicep',
      "activeRevisionsMode: 'Single'",
      "activeRevisionsMode: 'Single'\n      secrets: []",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("property 'secrets' carries a key or secret"),
    );
  });

  it('reports a @secure() parameter', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/host/container-app.bicep',
      'param port int',
      '@secure()\nparam registryPassword string\n\nparam port int',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("param 'registryPassword' is @secure()"),
    );
  });

  it('reports an output whose name says it carries a key', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.bicep',
      'output AZURE_LOCATION string = location',
      "output AZURE_LOCATION string = location\noutput AZURE_OPENAI_API_KEY string = ''",
    );
    expect(messages(copy)).toContainEqual(expect.stringContaining("output 'AZURE_OPENAI_API_KEY'"));
  });

  it('reads the shared key of a workspace as a key, whatever the call around it', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/monitor/log-analytics.bicep',
      'output name string = workspace.name',
      'output name string = workspace.properties.primarySharedKey',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('workspace.properties.primarySharedKey reads a key'),
    );
  });

  it('scans the azd hooks as text for key commands', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/hooks/write-env.sh',
      'set -eu',
      'set -eu\naz storage account keys list -n x',
    );
    expect(findingsOf(copy, 'key-like')).toContainEqual(
      expect.objectContaining({
        file: 'hooks/write-env.sh',
        line: 6,
        message: expect.stringContaining("'keys list'"),
      }),
    );
  });
});
