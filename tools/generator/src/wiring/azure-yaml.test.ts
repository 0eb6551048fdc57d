import { describe, expect, it } from 'vitest';
import { addAzureYamlService } from './azure-yaml.ts';

const azureYaml = `# a comment that must survive
name: demo
services:
  # ── service: api ──
  api:
    project: ./apps/api
    language: ts
  # ── end service: api ──
hooks:
  postprovision: {}
`;

describe('addAzureYamlService', () => {
  it('adds a delimited entry after the last service and keeps every comment', () => {
    const result = addAzureYamlService(azureYaml, 'billing');
    expect(result).toContain('# a comment that must survive');
    expect(result).toContain(
      [
        '  # ── end service: api ──',
        '  # ── service: billing ──',
        '  billing:',
        '    project: ./apps/billing',
      ].join('\n'),
    );
    expect(result).toMatch(/context: \.\.\/\.\.\n {2}# ── end service: billing ──\nhooks:/);
  });

  it('refuses a service that is already listed', () => {
    expect(() => addAzureYamlService(azureYaml, 'api')).toThrow(/already lists a service "api"/);
  });
});
