import { KeylessConfigError, loadConfig } from '@keyless/auth';
import type { ConfigNeeds, ConfigProblem, KeylessConfig } from '@keyless/auth';
import { z } from 'zod';

/**
 * The one configuration convention of every service. A service's own settings are named for its
 * kind, never for the service (`API_BODY_LIMIT`, `WORKER_CONCURRENCY`), so a generated service and
 * the sample of its kind read the same variables; `HOST`, `PORT` and `LOG_LEVEL` are shared by all.
 * An empty variable means "use the default", as an unset one does.
 */
export type Env = Readonly<Record<string, string | undefined>>;

/** A whole number from min to max, with a default; the message names the range. */
export const integer = (min: number, max: number, fallback: number) =>
  z.coerce
    .number({ message: `must be a whole number from ${min} to ${max}` })
    .int({ message: `must be a whole number from ${min} to ${max}` })
    .min(min, { message: `must be at least ${min}` })
    .max(max, { message: `must be at most ${max}` })
    .default(fallback);

// Queue and container names share Azure's rule: 3-63 lowercase letters, digits and single hyphens.
export const storageName = z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
  message: 'must be 3-63 lowercase letters, digits or single hyphens',
});

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info');

/** Settings every service reads. Loopback unless HOST says otherwise; the Dockerfile sets 0.0.0.0. */
export const commonSettings = {
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevel,
};

const serviceSettingsFix =
  "Set the variables named in the message: a service's own settings (HOST, PORT, LOG_LEVEL, API_*, WORKER_*) are in the Configuration tables of packages/service-kit/README.md, the Azure ones (AZURE_*) in packages/auth/README.md.";

/**
 * Reads @keyless/auth's configuration and the service's own settings together, so every problem
 * (a missing endpoint, a bad number, a key that must go) is reported at once, each naming its
 * variable and, where `fixes` has one, the fix.
 */
export function loadServiceSettings<Shape extends z.ZodRawShape>(
  env: Env,
  shape: Shape,
  options: { keyless?: ConfigNeeds; fixes?: Readonly<Record<string, string>> } = {},
): { keyless: KeylessConfig; settings: z.infer<z.ZodObject<Shape>> } {
  const problems: ConfigProblem[] = [];
  let keyless: KeylessConfig | undefined;
  try {
    keyless = loadConfig(env, options.keyless);
  } catch (error) {
    // A key in the environment is refused outright, whatever else is wrong.
    if (!(error instanceof KeylessConfigError) || error.code !== 'KEYLESS_ERR_CONFIG') throw error;
    problems.push(...error.problems);
  }
  const schema = z.object(shape);
  const present = Object.fromEntries(
    Object.keys(shape).map((name) => [name, env[name] === '' ? undefined : env[name]]),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const variable = String(issue.path[0]);
      const fix = options.fixes?.[variable];
      problems.push({
        variable,
        message: `${JSON.stringify(env[variable])} ${issue.message}${fix ? `; ${fix}` : ''}`,
      });
    }
  }
  if (problems.length > 0 || !keyless || !parsed.success) {
    // The generic fix points at @keyless/auth's table, which has the Azure settings only.
    throw new KeylessConfigError(
      'KEYLESS_ERR_CONFIG',
      problems,
      parsed.success ? {} : { fix: serviceSettingsFix },
    );
  }
  return { keyless, settings: parsed.data };
}
