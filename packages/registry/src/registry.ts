import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** The file at the workspace root that lists every service. */
export const registryFile = 'services.json';

// A Container App is named ca-<name>-<13-char token>, and Azure caps that at 32 characters.
const serviceName = z.string().regex(/^[a-z](?!.*--)[a-z0-9-]{0,13}[a-z0-9]$/, {
  message: 'must be 2-15 lowercase letters, digits and single hyphens, starting with a letter',
});

// Queue and container names share Azure's rule: 3-63 lowercase letters, digits and single hyphens.
const storageName = z.string().regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, {
  message: 'must be 3-63 lowercase letters, digits or single hyphens',
});

const common = {
  name: serviceName,
  port: z.number().int().min(1).max(65535),
  description: z.string().min(1),
};

const apiService = z.strictObject({ ...common, kind: z.literal('api') });
const workerService = z.strictObject({
  ...common,
  kind: z.literal('worker'),
  queue: storageName,
  poisonQueue: storageName,
  resultsContainer: storageName,
});

const registrySchema = z
  .strictObject({ services: z.array(z.discriminatedUnion('kind', [apiService, workerService])) })
  .superRefine(({ services }, ctx) => {
    const seen = new Map<string, string>();
    services.forEach((service, index) => {
      for (const [what, value] of [
        ['name', service.name],
        ['port', String(service.port)],
      ] as const) {
        const key = `${what}:${value}`;
        const owner = seen.get(key);
        if (owner !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['services', index, what],
            message: `${what} ${value} is already used by service "${owner}"`,
          });
        }
        seen.set(key, service.name);
      }
    });
  });

export type ApiService = z.infer<typeof apiService>;
export type WorkerService = z.infer<typeof workerService>;
export type Service = ApiService | WorkerService;
export type ServiceKind = Service['kind'];
export interface Registry {
  readonly services: readonly Service[];
}

/** services.json is missing or wrong: `problems` name each field, `fix` says what to do. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly problems: readonly string[];
  readonly fix: string;
  constructor(file: string, problems: readonly string[], options?: ErrorOptions) {
    super(`${file} is not a valid list of services: ${problems.join('; ')}`, options);
    this.problems = problems;
    this.fix = `correct ${file} by hand, or add services with \`npm run gen\` instead of editing it`;
  }
}

/** Validates parsed JSON of `file` against a schema, or throws a RegistryError naming every problem. */
export function validateFile<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new RegistryError(
      file,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Validates a parsed services.json; every problem is reported at once. */
export function parseRegistry(value: unknown, file = registryFile): Registry {
  return validateFile(registrySchema, value, file);
}

/** Reads and validates `<workspaceRoot>/services.json`. */
export function readRegistry(workspaceRoot: string): Registry {
  const file = join(workspaceRoot, registryFile);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new RegistryError(file, ['the file cannot be read'], { cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new RegistryError(file, [`not JSON (${(cause as Error).message})`], { cause });
  }
  return parseRegistry(json, file);
}
