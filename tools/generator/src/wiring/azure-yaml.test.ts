import { describe, expect, it } from 'vitest';
import { addAzureYamlService } from './azure-yaml.ts';

const azureYaml = `# a comment that must survive
name: demo
services:
  api:
    project: ./apps/api
    language: ts
    docker:
      # why the context is the root
      context: ../..
hooks:
  # the hook's own comment
  postprovision: {}
`;

describe('addAzureYamlService', () => {
  it('adds the entry after the last service and keeps every comment and the rest in place', () => {
    const result = addAzureYamlService(azureYaml, 'billing');
    expect(result).toBe(
      azureYaml.replace(
        'hooks:',
        [
          '  billing:',
          '    project: ./apps/billing',
          '    language: ts',
          '    host: containerapp',
          '    docker:',
          '      path: ./Dockerfile',
          '      context: ../..',
          'hooks:',
        ].join('\n'),
      ),
    );
  });

  it('refuses a service that is already listed', () => {
    expect(() => addAzureYamlService(azureYaml, 'api')).toThrow(/already lists a service "api"/);
  });

  it('refuses a file without a services map, saying how to restore it', () => {
    expect(() => addAzureYamlService('name: demo\n', 'billing')).toThrow(
      /git checkout -- azure\.yaml/,
    );
  });
});
