import { join } from 'node:path';
import { readRegistry, type Service } from '@keyless/registry';
import { build, lint, snapshot, type Diagnostic, type Snapshot } from './cli/run.ts';
import { checkPolicy, type Deployer, type Finding } from './policy/index.ts';

/** Placeholder ids for the snapshot: nothing is contacted, they only make ids well formed. */
export const placeholderTarget = {
  subscriptionId: '00000000-0000-0000-0000-00000000000a',
  tenantId: '00000000-0000-0000-0000-00000000000b',
  location: 'eastus2',
} as const;

export const placeholderDeployer: Deployer = {
  principalId: '00000000-0000-0000-0000-00000000000c',
  principalType: 'User',
};

/** A made-up Entra app id per api, so the snapshot shows the internet-facing (authenticated) form. */
export function placeholderAppIds(services: readonly Service[]): string {
  return services
    .filter((service) => service.kind === 'api')
    .map(
      (service, index) =>
        `${service.name}=00000000-0000-0000-0001-${String(index).padStart(12, '0')}`,
    )
    .join(',');
}

export interface Verification {
  readonly buildDiagnostics: readonly Diagnostic[];
  readonly lintDiagnostics: readonly Diagnostic[];
  readonly template: unknown;
  readonly snapshot: Snapshot;
  readonly findings: readonly Finding[];
  readonly services: readonly Service[];
}

export interface VerifyOptions {
  /** The infra folder (main.bicep, bicepconfig.json); its parent holds services.json. */
  readonly infraDir: string;
  /** Entra app ids to evaluate with (`name=appId,…`); default: a placeholder for every api. */
  readonly apiAppIds?: string;
  /** Also run `bicep lint` (default true); `bicep build` already reports compiler and analyzer diagnostics. */
  readonly lint?: boolean;
}

/**
 * Compiles and lints main.bicep (and through it every module) with the real Bicep CLI, evaluates
 * the compiled template with `bicep snapshot`, and runs the keyless policy over the result.
 */
export async function verifyInfra(cli: string, options: VerifyOptions): Promise<Verification> {
  const main = join(options.infraDir, 'main.bicep');
  const services = readRegistry(join(options.infraDir, '..')).services;
  const [built, linted, evaluated] = await Promise.all([
    build(cli, main),
    options.lint === false ? { diagnostics: [] } : lint(cli, main),
    snapshot(cli, main, {
      ...placeholderTarget,
      params: {
        environmentName: 'check',
        location: placeholderTarget.location,
        principalId: placeholderDeployer.principalId,
        principalType: placeholderDeployer.principalType,
        apiAppIds: options.apiAppIds ?? placeholderAppIds(services),
      },
    }),
  ]);
  if (!built.ok) throw new Error(`bicep build of ${main} failed:\n${built.stderr}`);
  return {
    buildDiagnostics: built.diagnostics,
    lintDiagnostics: linted.diagnostics,
    template: built.template,
    snapshot: evaluated,
    services,
    findings: checkPolicy({
      template: built.template,
      snapshot: evaluated,
      services,
      deployer: placeholderDeployer,
    }),
  };
}
