/** The root tsconfig.json's project references: what `nx sync` would add for a new project. */
interface SolutionConfig {
  references?: Array<{ path: string }>;
}

export function addTsconfigReference(text: string, projectPath: string): string {
  const config = JSON.parse(text) as SolutionConfig;
  const path = `./${projectPath}`;
  const references = config.references ?? [];
  if (!references.some((reference) => reference.path === path)) references.push({ path });
  config.references = references;
  return `${JSON.stringify(config, null, 2)}\n`;
}
