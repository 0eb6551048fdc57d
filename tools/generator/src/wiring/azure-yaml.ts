/**
 * The service's entry in azure.yaml's `services:`, added with the `yaml` Document API so that
 * comments, key order and quoting stay as they were. azd reads only this file, so it cannot derive
 * the list from services.json itself.
 */
import { isMap, parseDocument } from 'yaml';

export function addAzureYamlService(text: string, name: string): string {
  const doc = parseDocument(text);
  const services = doc.get('services');
  if (!isMap(services)) {
    throw new Error(
      'azure.yaml has no `services:` map; restore it from git (git checkout -- azure.yaml) and generate again.',
    );
  }
  if (services.has(name)) {
    throw new Error(
      `azure.yaml already lists a service "${name}"; remove it or choose another name.`,
    );
  }
  services.add(
    doc.createPair(name, {
      project: `./apps/${name}`,
      language: 'ts',
      host: 'containerapp',
      docker: { path: './Dockerfile', context: '../..' },
    }),
  );
  return doc.toString();
}
