import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServiceKind } from '@keyless/roles';
import type { Finding } from './findings.ts';

const kinds: readonly ServiceKind[] = ['api', 'worker'];

/** A service: an apps/<name> whose package.json has `keyless: { kind, port }`. */
export interface Service {
  readonly name: string;
  readonly kind: ServiceKind;
  readonly port: number;
}

/** The services declared by apps/<name>/package.json `keyless` fields, sorted by name. */
export function discoverServices(repoRoot: string): Service[] {
  const appsDir = join(repoRoot, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir)
    .filter((name) => existsSync(join(appsDir, name, 'package.json')))
    .flatMap((name): Service[] => {
      const manifest = JSON.parse(readFileSync(join(appsDir, name, 'package.json'), 'utf8')) as {
        keyless?: { kind?: unknown; port?: unknown };
      };
      const { kind, port } = manifest.keyless ?? {};
      if (manifest.keyless === undefined) return [];
      if (!kinds.includes(kind as ServiceKind) || typeof port !== 'number') {
        throw new Error(
          `apps/${name}/package.json has keyless: ${JSON.stringify(manifest.keyless)}; expected { "kind": ${kinds.map((k) => `"${k}"`).join(' | ')}, "port": <number> }.`,
        );
      }
      return [{ name, kind: kind as ServiceKind, port }];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `worker` → `WORKER`, `image-resizer` → `IMAGE_RESIZER`: how azd spells a service in variables. */
export function serviceVariablePrefix(name: string): string {
  return `SERVICE_${name.toUpperCase().replace(/-/g, '_')}`;
}

/** `image-resizer` → `imageResizer`: the service's symbol and parameter prefix in main.bicep. */
export function serviceSymbol(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

interface AzureYamlService {
  project?: unknown;
  language?: unknown;
  host?: unknown;
  docker?: { path?: unknown };
}

/** azure.yaml lists exactly the services apps/ declares, each as a TypeScript Container App. */
export function checkAzureYaml(azureYaml: unknown, services: readonly Service[]): Finding[] {
  const findings: Finding[] = [];
  const report = (message: string) =>
    findings.push({ check: 'services', file: 'azure.yaml', message });
  const listed =
    (azureYaml as { services?: Record<string, AzureYamlService> } | null)?.services ?? {};
  for (const service of services) {
    const entry = listed[service.name];
    if (entry === undefined) {
      report(
        `service "${service.name}" (apps/${service.name}, kind ${service.kind}) is missing; add it under services: with project: ./apps/${service.name}, host: containerapp.`,
      );
      continue;
    }
    const expected = { project: `./apps/${service.name}`, language: 'ts', host: 'containerapp' };
    for (const [key, value] of Object.entries(expected)) {
      if (entry[key as keyof typeof expected] !== value) {
        report(
          `service "${service.name}" has ${key}: ${String(entry[key as keyof typeof expected])}; expected ${key}: ${value}.`,
        );
      }
    }
    if (typeof entry.docker?.path !== 'string') {
      report(`service "${service.name}" has no docker.path; azd needs it to build the image.`);
    }
  }
  for (const name of Object.keys(listed)) {
    if (!services.some((service) => service.name === name)) {
      report(
        `service "${name}" is listed but apps/${name}/package.json has no "keyless": { kind, port } field; add one or remove the service.`,
      );
    }
  }
  return findings;
}
