import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { identityName } from '@keyless/registry';
import type { Registry, Service } from '@keyless/registry';

/** A service of services.json and where its code is: `apps/<name>`. */
export interface ServiceDefinition {
  readonly name: string;
  readonly kind: Service['kind'];
  /** Its local port in services.json (`LOCAL_AZURE_<NAME>_PORT` moves it). */
  readonly port: number;
  /** Its entry in services.json (a worker's queues and container are there). */
  readonly service: Service;
  readonly directory: string;
  /** `src/main.ts`, or undefined when the app has none yet. */
  readonly main: string | undefined;
  /** The Azure identity the service runs as: `id-<name>`. */
  readonly identityName: string;
}

/** The services listed in services.json, sorted by name, each found under `appsDir`. */
export function discoverServices(registry: Registry, appsDir: string): ServiceDefinition[] {
  return registry.services
    .map((service) => {
      const directory = join(appsDir, service.name);
      const main = join(directory, 'src', 'main.ts');
      return {
        name: service.name,
        kind: service.kind,
        port: service.port,
        service,
        directory,
        main: existsSync(main) ? main : undefined,
        identityName: identityName(service),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** `doc-search` → `LOCAL_AZURE_DOC_SEARCH_PORT`: the variable that moves a service's port. */
export function servicePortVariable(name: string): string {
  return `LOCAL_AZURE_${name.toUpperCase().replaceAll('-', '_')}_PORT`;
}
