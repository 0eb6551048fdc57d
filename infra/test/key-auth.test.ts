import { describe, expect, it } from 'vitest';
import { copyRepo, edit, findingsOf } from './fixture.ts';

describe('key-auth check', () => {
  it('reports an OpenAI account that accepts keys (disableLocalAuth: false)', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/ai/openai.bicep',
      'disableLocalAuth: true',
      'disableLocalAuth: false',
    );
    const [finding] = findingsOf(copy, 'key-auth');
    expect(finding?.file).toBe('core/ai/openai.bicep');
    expect(finding?.message).toContain('properties.disableLocalAuth: false; set it to true');
  });

  it('reports a storage account that allows shared keys', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/storage/storage.bicep',
      'allowSharedKeyAccess: false',
      'allowSharedKeyAccess: true',
    );
    expect(findingsOf(copy, 'key-auth').map((finding) => finding.message)).toEqual([
      expect.stringContaining('properties.allowSharedKeyAccess: true; set it to false'),
    ]);
  });

  it('reports a storage account whose setting is left out', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/storage/storage.bicep',
      '    defaultToOAuthAuthentication: true\n',
      '',
    );
    expect(findingsOf(copy, 'key-auth')[0]?.message).toContain(
      'properties.defaultToOAuthAuthentication: <missing>',
    );
  });

  it('reports a registry with the admin user enabled', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/host/container-registry.bicep',
      'adminUserEnabled: false',
      'adminUserEnabled: true',
    );
    expect(findingsOf(copy, 'key-auth')[0]?.message).toContain(
      'adminUserEnabled: true; set it to false',
    );
  });

  it('reports a setting passed through a parameter, since a parameter can turn keys back on', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/ai/openai.bicep',
      'disableLocalAuth: true',
      "disableLocalAuth: publicNetworkAccess == 'Enabled'",
    );
    expect(findingsOf(copy, 'key-auth')[0]?.message).toContain(
      "disableLocalAuth: publicNetworkAccess == 'Enabled'",
    );
  });

  it('reports a Log Analytics workspace with local (shared key) auth on', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/monitor/log-analytics.bicep',
      'disableLocalAuth: true',
      'disableLocalAuth: false',
    );
    expect(findingsOf(copy, 'key-auth')).toHaveLength(1);
  });

  it('reports a resource type nobody has classified, asking whether it accepts keys', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/monitor/log-analytics.bicep',
      'output id string',
      "resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {\n  name: 'kv-${name}'\n  location: location\n}\n\noutput id string",
    );
    expect(findingsOf(copy, 'key-auth')[0]?.message).toContain(
      'Microsoft.KeyVault/vaults, which the key-auth table does not know',
    );
  });

  it('ignores existing resources, which this template does not configure', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/monitor/log-analytics.bicep',
      'output id string',
      "resource other 'Microsoft.KeyVault/vaults@2023-07-01' existing = {\n  name: 'kv-elsewhere'\n}\n\noutput id string",
    );
    expect(findingsOf(copy, 'key-auth')).toEqual([]);
  });
});
