/**
 * The service's entry in azure.yaml, added with the `yaml` Document API so that comments, key
 * order and quoting stay as they were. Each service sits between `# ── service: <name> ──` and
 * `# ── end service: <name> ──` comments, which infra's checks and people reading the file rely on.
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
  const pair = doc.createPair(name, {
    project: `./apps/${name}`,
    language: 'ts',
    host: 'containerapp',
    docker: { path: './Dockerfile', context: '../..' },
  });
  // The previous service's end marker is the map's trailing comment; it now sits above the new key.
  const start = ` ── service: ${name} ──`;
  const key = pair.key as { commentBefore?: string | null };
  key.commentBefore = services.comment ? `${services.comment}\n${start}` : start;
  services.comment = ` ── end service: ${name} ──`;
  services.items.push(pair);
  return doc.toString();
}
