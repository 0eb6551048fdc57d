/**
 * The new service's entry at the end of services.json, the one list every other file derives
 * from. The result is parsed back through @keyless/registry, so a plan never writes a list the
 * registry would refuse.
 */
import { parseRegistry, registryFile } from '@keyless/registry';
import type { Service } from '@keyless/registry';

export function addRegistryService(text: string, service: Service): string {
  const file = JSON.parse(text) as { services: unknown[] };
  const services = [...file.services, service];
  // Checked as the registry reads it, but written as it was: the registry's parse would reorder
  // the fields of every entry already there, a diff in lines the user never touched.
  parseRegistry({ ...file, services }, registryFile);
  return `${JSON.stringify({ ...file, services }, null, 2)}\n`;
}
