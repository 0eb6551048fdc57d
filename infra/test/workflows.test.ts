import { execFile } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot } from './fixture.ts';

const run = promisify(execFile);

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

  it("compiles, lints and policy-checks with the Bicep CLI of the runner's Azure CLI", () => {
    const commands = runs(workflow('infra.yml')).join('\n');
    expect(commands).toContain('az bicep install');
    expect(commands).toContain('npm run bicep -- build infra/main.bicep');
    expect(commands).toContain('npm run bicep -- lint infra/main.bicep');
    expect(commands).toContain('npm run check -w @keyless/infra');
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

  it('leaves the principal type to the preprovision hook, which detects GitHub Actions', () => {
    expect(Object.values(file.jobs)[0]?.env?.['AZURE_PRINCIPAL_TYPE']).toBeUndefined();
    expect(runs(file).join('\n')).toContain('npm ci');
  });

  it('provisions and then deploys with azd', () => {
    const commands = runs(file);
    const provision = commands.findIndex((command) => command.startsWith('azd provision'));
    const deploy = commands.findIndex((command) => command.startsWith('azd deploy'));
    expect(provision).toBeGreaterThan(-1);
    expect(deploy).toBeGreaterThan(provision);
  });
});

describe('.ci/run', () => {
  it('makes sure the Bicep CLI is there before the tests, and fails when it cannot get one', () => {
    const script = readFileSync(join(repoRoot, '.ci/run'), 'utf8');
    expect(script).toContain('set -euo pipefail');
    expect(script.indexOf('npm run bicep -- --which')).toBeLessThan(script.indexOf('npm test'));
  });
});

describe('the azd preprovision hook', () => {
  const hooks = (
    parse(readFileSync(join(repoRoot, 'azure.yaml'), 'utf8')) as {
      hooks: { preprovision: Record<string, { shell: string; run: string }> };
    }
  ).hooks.preprovision;

  it('has a POSIX shell and a PowerShell entry, both running the one TypeScript implementation', () => {
    expect(hooks['posix']).toEqual({ shell: 'sh', run: './infra/hooks/preprovision.sh' });
    expect(hooks['windows']).toEqual({ shell: 'pwsh', run: './infra/hooks/preprovision.ps1' });
    expect(() =>
      accessSync(join(repoRoot, 'infra/hooks/preprovision.sh'), constants.X_OK),
    ).not.toThrow();
    for (const entry of ['preprovision.sh', 'preprovision.ps1']) {
      expect(readFileSync(join(repoRoot, 'infra/hooks', entry), 'utf8')).toContain(
        'infra/src/bin/preprovision.ts',
      );
    }
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

  it('writes the azd values to .env.azure at the repository root, which git ignores, without AZURE_CLIENT_ID, and leaves the committed .env (read by Nx) alone', async () => {
    const root = await mkdtemp(join(tmpdir(), 'write-env-'));
    try {
      await mkdir(join(root, 'infra/hooks'), { recursive: true });
      await mkdir(join(root, 'bin'));
      await copyFile(
        join(repoRoot, 'infra/hooks/write-env.sh'),
        join(root, 'infra/hooks/write-env.sh'),
      );
      // azd itself cannot run here; this one prints what `azd env get-values` prints. An
      // AZURE_CLIENT_ID among the values must not reach a developer's shell: @keyless/auth would
      // then pick that managed identity locally. Every other line is kept as azd printed it.
      const kept = [
        'AZURE_ENV_NAME="dev"',
        'AZURE_OPENAI_ENDPOINT="https://example.openai.azure.com/"',
        'AZURE_TENANT_ID="00000000-0000-0000-0000-000000000001"',
        'SERVICE_APIS="[{\\"name\\":\\"api\\",\\"identityClientId\\":\\"00000000-0000-0000-0000-000000000002\\"}]"',
        'NOT_AZURE_CLIENT_ID="kept"',
      ];
      const printed = [
        kept[0],
        'AZURE_CLIENT_ID="00000000-0000-0000-0000-000000000003"',
        ...kept.slice(1),
      ];
      await writeFile(
        join(root, 'bin/azd'),
        `#!/bin/sh\ncat <<'EOF'\n${printed.join('\n')}\nEOF\n`,
        { mode: 0o755 },
      );
      await writeFile(join(root, '.env'), 'NX_ISOLATE_PLUGINS=false\n');
      await run('sh', [join(root, 'infra/hooks/write-env.sh')], {
        env: { ...process.env, PATH: `${join(root, 'bin')}:${process.env.PATH ?? ''}` },
      });
      expect(await readFile(join(root, '.env.azure'), 'utf8')).toBe(`${kept.join('\n')}\n`);
      expect(await readFile(join(root, '.env'), 'utf8')).toBe('NX_ISOLATE_PLUGINS=false\n');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
    const ignored = (path: string) =>
      run('git', ['check-ignore', '-q', path], { cwd: repoRoot }).then(
        () => true,
        () => false,
      );
    expect(await ignored('.env.azure')).toBe(true);
    expect(await ignored('.env')).toBe(false);
    const ps1 = readFileSync(join(repoRoot, 'infra/hooks/write-env.ps1'), 'utf8');
    expect(ps1).toContain("Join-Path $root '.env.azure'");
    expect(ps1).toContain("Where-Object { $_ -notmatch '^AZURE_CLIENT_ID=' }");
  });
});
