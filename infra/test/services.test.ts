import { describe, expect, it } from 'vitest';
import { copyRepo, edit, findingsOf, write } from './fixture.ts';

const messages = (copy: ReturnType<typeof copyRepo>) =>
  findingsOf(copy, 'services').map((finding) => finding.message);

describe('services check', () => {
  it('reports an app with a keyless field that azure.yaml and main.bicep do not deploy', () => {
    const copy = copyRepo();
    write(
      copy.repoRoot,
      'apps/mailer/package.json',
      JSON.stringify({ name: '@keyless/mailer', keyless: { kind: 'worker', port: 3002 } }),
    );
    const found = messages(copy);
    expect(found).toContainEqual(
      expect.stringContaining(
        'service "mailer" (apps/mailer, kind worker) is missing; add it under services:',
      ),
    );
    // The hint names an existing service of the same kind (the sample worker, or a generated one).
    expect(found).toContainEqual(
      expect.stringMatching(
        /service "mailer" has no block; copy the "service: (?!mailer")[a-z][a-z0-9-]*" block/,
      ),
    );
  });

  it('reports a service name too long for a Container App name', () => {
    const copy = copyRepo();
    write(
      copy.repoRoot,
      'apps/document-indexer/package.json',
      JSON.stringify({ keyless: { kind: 'worker', port: 3002 } }),
    );
    expect(messages(copy)).toContainEqual(
      'service "document-indexer" has a 16-character name; Container App names (ca-<name>-<token>) allow at most 15. Rename apps/document-indexer.',
    );
  });

  it('reports a service in azure.yaml that apps/ does not declare', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'azure.yaml',
      'hooks:',
      '  ghost:\n    project: ./apps/ghost\n    language: ts\n    host: containerapp\nhooks:',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        'service "ghost" is listed but apps/ghost/package.json has no "keyless"',
      ),
    );
  });

  it('reports a service hosted somewhere other than Container Apps', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'azure.yaml', 'host: containerapp', 'host: appservice');
    expect(messages(copy)).toContainEqual(
      'service "api" has host: appservice; expected host: containerapp.',
    );
  });

  it('reports a block calling the module of another kind', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.bicep',
      "module api 'app/api.bicep'",
      "module api 'app/worker.bicep'",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('service "api" is kind api but its block calls app/worker.bicep'),
    );
  });

  it('reports a port that differs from the package.json keyless.port', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/main.bicep', 'port: 3000', 'port: 8080');
    expect(messages(copy)).toContainEqual(
      'service "api" has port 8080; its package.json keyless.port is 3000.',
    );
  });

  it('reports a worker whose queue scale rule has no managed identity', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/app/worker.bicep', '          identity: identity.outputs.id\n', '');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        'its azureQueue scale rule must authenticate with identity: identity.outputs.id',
      ),
    );
  });

  it('reports a worker that does not scale to zero', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/app/worker.bicep', 'minReplicas: 0', 'minReplicas: 1');
    expect(messages(copy)).toContainEqual(expect.stringContaining('a worker scales to zero'));
  });

  it('reports an api without external ingress', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/app/api.bicep', 'externalIngress: true', 'externalIngress: false');
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('an api has externalIngress: true'),
    );
  });

  it("reports a kind module that grants another kind's roles", () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/app/api.bicep',
      'grants: catalogue.grantsByKind.api',
      'grants: catalogue.grantsByKind.worker',
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        'it must call core/security/grants.bicep with grants: catalogue.grantsByKind.api',
      ),
    );
  });

  it('reports a Container App without AZURE_CLIENT_ID', () => {
    const copy = copyRepo();
    edit(copy.repoRoot, 'infra/app/api.bicep', "name: 'AZURE_CLIENT_ID'", "name: 'CLIENT_ID'");
    const found = messages(copy);
    expect(found).toContainEqual(
      expect.stringContaining('its Container App env lacks AZURE_CLIENT_ID'),
    );
    expect(found).toContainEqual(
      expect.stringContaining("its env sets 'CLIENT_ID', which the contract does not list"),
    );
  });

  it('reports an identity not named after its service', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/app/worker.bicep',
      "name: 'id-${serviceName}-${resourceToken}'",
      "name: 'identity-${resourceToken}'",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining("its identity is named 'identity-${resourceToken}'"),
    );
  });

  it('reports a registry pulled with a password instead of the service identity', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/host/container-app.bicep',
      'identity: identityId\n        }',
      "passwordSecretRef: 'registry-password'\n        }",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining('registries must be [{ server, identity: identityId }]'),
    );
  });

  it('reports probes on other paths than /healthz and /readyz', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/core/host/container-app.bicep',
      "param readinessPath string = '/readyz'",
      "param readinessPath string = '/'",
    );
    expect(messages(copy)).toContainEqual("parameter readinessPath must default to '/readyz'.");
  });

  it('reports developer grants that ignore principalType', () => {
    const copy = copyRepo();
    edit(
      copy.repoRoot,
      'infra/main.bicep',
      'principalType: principalType\n    grants: catalogue.developerGrants',
      "principalType: 'User'\n    grants: catalogue.developerGrants",
    );
    expect(messages(copy)).toContainEqual(
      expect.stringContaining(
        'the developer grants must pass principalId: principalId and principalType: principalType',
      ),
    );
  });
});
