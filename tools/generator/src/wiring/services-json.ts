/**
 * The new service's entry at the end of services.json, the one list every other file derives
 * from. The result is parsed back through @keyless/registry, so a plan never writes a list the
 * registry would refuse.
 */
import { parseRegistry, registryFile } from '@keyless/registry';
import type { Service } from '@keyless/registry';

export function addRegistryService(text: string, service: Service): string {
  const file = JSON.parse(text) as { services: unknown[] };
  const registry = parseRegistry({ ...file, services: [...file.services, service] }, registryFile);
  return `${JSON.stringify({ ...file, services: registry.services }, null, 2)}\n`;
}
