import type { Models, Service } from '@keyless/registry';
import { ensureApiApps, formatPairs, parsePairs } from './app-registration.ts';
import type { Command } from './command.ts';
import { checkModels, type Problem } from './models.ts';
import { principalType } from './principal-type.ts';
import { checkRoleAssignmentRight } from './role-right.ts';

export interface PreprovisionInput {
  /** The azd environment's values and the process environment (azd passes both to hooks). */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly services: readonly Service[];
  readonly models: Models;
  readonly az: Command;
  readonly azd: Command;
}

export interface PreprovisionResult {
  /** Empty when provisioning may go ahead. */
  readonly problems: readonly Problem[];
  /** What the hook did or decided, one line each. */
  readonly notes: readonly string[];
}

/** azd's SERVICE_<NAME>_IMAGE_NAME, as it names a service's deployed image. */
const imageVariable = (service: string) =>
  `SERVICE_${service.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_IMAGE_NAME`;

/**
 * The azd preprovision hook: checks before anything is created that the region offers each model
 * with enough quota and that the deployer may create role assignments; then settles what main.bicep
 * reads from the azd environment: AZURE_PRINCIPAL_TYPE (CI detected), AZURE_API_APP_IDS (each api's
 * Entra app registration) and AZURE_SERVICE_IMAGES (images already deployed, kept on re-provision).
 */
export function preprovision(input: PreprovisionInput): PreprovisionResult {
  const { env, az, azd } = input;
  const location = env['AZURE_LOCATION'] ?? '';
  const notes: string[] = [];
  const set = (name: string, value: string) => {
    if ((env[name] ?? '') === value) return;
    const run = azd(['env', 'set', name, value]);
    if (!run.ok) throw new Error(`azd env set ${name} failed: ${run.stderr.trim()}`);
    notes.push(`set ${name}=${value}`);
  };

  let subscription = env['AZURE_SUBSCRIPTION_ID'] ?? '';
  if (subscription === '')
    subscription = az(['account', 'show', '--query', 'id', '--output', 'tsv']).stdout.trim();
  const problems = [
    ...(location === ''
      ? [
          {
            code: 'AZ_FAILED' as const,
            message: 'AZURE_LOCATION is not set',
            fix: 'run `azd env set AZURE_LOCATION <region>`',
          },
        ]
      : checkModels(input.models, location, az, (env['AZURE_OPENAI_ENDPOINT'] ?? '') !== '')),
    ...checkRoleAssignmentRight(subscription, az),
  ];
  if (problems.length > 0) return { problems, notes };

  const principal = principalType(env);
  set('AZURE_PRINCIPAL_TYPE', principal.type);
  notes.push(`principal type ${principal.type}: ${principal.reason}`);

  const apps =
    (env['AZURE_API_AUTH'] ?? '').toLowerCase() === 'internal'
      ? {
          appIds: new Map<string, string>(),
          notes: ['AZURE_API_AUTH=internal: every api stays internal to the environment'],
        }
      : ensureApiApps(
          input.services,
          env['AZURE_ENV_NAME'] ?? 'env',
          az,
          parsePairs(env['AZURE_API_APP_IDS']),
        );
  notes.push(...apps.notes);
  set('AZURE_API_APP_IDS', formatPairs(apps.appIds));

  const images = new Map(
    input.services.flatMap((service) => {
      const image = env[imageVariable(service.name)];
      return image ? [[service.name, image] as [string, string]] : [];
    }),
  );
  set('AZURE_SERVICE_IMAGES', formatPairs(images));
  return { problems, notes };
}
