import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { LocalAzureConfigError } from './errors.ts';
import { readJsonFile } from './identities.ts';

const keylessFieldSchema = z.object({
  kind: z.enum(['api', 'worker']),
  port: z.number().int().min(1).max(65535),
});

/** An `apps/<name>` whose package.json has a `keyless` field. */
export interface ServiceDefinition {
  readonly name: string;
  readonly kind: 'api' | 'worker';
  readonly port: number;
  readonly directory: string;
  /** `src/main.ts`, or undefined when the app has none yet. */
  readonly main: string | undefined;
  /** The Azure identity the service runs as: `id-<name>`. */
  readonly identityName: string;
}

/** Finds the services under `appsDir` (sorted by name), validating each `keyless` field. */
export function discoverServices(appsDir: string): ServiceDefinition[] {
  if (!existsSync(appsDir)) return [];
  const services: ServiceDefinition[] = [];
  for (const entry of readdirSync(appsDir, { withFileTypes: true })) {
    const packagePath = join(appsDir, entry.name, 'package.json');
    if (!entry.isDirectory() || !existsSync(packagePath)) continue;
    const manifest = readJsonFile(packagePath) as { keyless?: unknown };
    if (manifest.keyless === undefined) continue;
    const parsed = keylessFieldSchema.safeParse(manifest.keyless);
    if (!parsed.success) {
      throw LocalAzureConfigError.fromZod(packagePath, parsed.error);
    }
    const directory = join(appsDir, entry.name);
    const main = join(directory, 'src', 'main.ts');
    services.push({
      name: entry.name,
      ...parsed.data,
      directory,
      main: existsSync(main) ? main : undefined,
      identityName: `id-${entry.name}`,
    });
  }
  return services.sort((a, b) => a.name.localeCompare(b.name));
}
