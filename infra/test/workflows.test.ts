import { accessSync, constants, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './fixture.ts';

interface Workflow {
  on: Record<string, { paths?: string[] } | null>;
  permissions: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps: { run?: string; uses?: string }[] }>;
}

const workflow = (name: string) =>
  parse(readFileSync(join(repoRoot, '.github/workflows', name), 'utf8')) as Workflow;
const runs = (file: Workflow) =>
  Object.values(file.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ''));

describe('.github/workflows/infra.yml', () => {
  it('runs on changes under infra/', () => {
    const file = workflow('infra.yml');
    expect(file.on['pull_request']?.paths).toContain('infra/**');
    expect(file.on['push']?.paths).toContain('infra/**');
  });

  it('compiles main.bicep and lints every Bicep file with the real Bicep CLI', () => {
    const commands = runs(workflow('infra.yml')).join('\n');
    expect(commands).toContain('bicep build infra/main.bicep');
    expect(commands).toContain('bicep lint "$file"');
  });
});

describe('.github/workflows/deploy.yml', () => {
  const file = workflow('deploy.yml');
  const text = readFileSync(join(repoRoot, '.github/workflows/deploy.yml'), 'utf8');

  it('signs in with OIDC: an id-token and read-only contents, nothing more', () => {
    expect(file.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(runs(file).join('\n')).toContain('--federated-credential-provider github');
  });

  it('reads the Azure ids from repository variables, never secrets', () => {
    const env = Object.values(file.jobs)[0]?.env ?? {};
    for (const name of ['AZURE_CLIENT_ID', 'AZURE_TENANT_ID', 'AZURE_SUBSCRIPTION_ID']) {
      expect(env[name]).toBe(`\${{ vars.${name} }}`);
    }
    expect(text).not.toContain('secrets.');
  });

  it('grants roles to the CI principal as a ServicePrincipal, avoiding UnmatchedPrincipalType', () => {
    expect(Object.values(file.jobs)[0]?.env?.['AZURE_PRINCIPAL_TYPE']).toBe('ServicePrincipal');
  });

  it('provisions and then deploys with azd', () => {
    const commands = runs(file);
    const provision = commands.findIndex((command) => command.startsWith('azd provision'));
    const deploy = commands.findIndex((command) => command.startsWith('azd deploy'));
    expect(provision).toBeGreaterThan(-1);
    expect(deploy).toBeGreaterThan(provision);
  });
});

describe('the azd postprovision hook', () => {
  const hooks = (
    parse(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8')) as {
      hooks: { postprovision: Record<string, { shell: string; run: string }> };
    }
  ).hooks.postprovision;

  it('has a POSIX shell and a PowerShell variant, each pointing at a script that exists', () => {
    expect(hooks['posix']).toEqual({ shell: 'sh', run: './infra/hooks/write-env.sh' });
    expect(hooks['windows']).toEqual({ shell: 'pwsh', run: './infra/hooks/write-env.ps1' });
    expect(() =>
      accessSync(join(repoRoot, 'infra/hooks/write-env.sh'), constants.X_OK),
    ).not.toThrow();
    expect(readFileSync(join(repoRoot, 'infra/hooks/write-env.ps1'), 'utf8')).toContain(
      'azd env get-values',
    );
  });

  it('writes the azd values to the .env at the repository root, which git ignores', () => {
    expect(readFileSync(join(repoRoot, 'infra/hooks/write-env.sh'), 'utf8')).toContain(
      'azd env get-values > "$root/.env"',
    );
    const ignored = readFileSync(join(repoRoot, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain('.env');
  });
});
