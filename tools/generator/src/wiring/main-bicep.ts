/**
 * The service in infra/main.bicep. main.bicep keeps one delimited block per service in three places
 * (`// ── service parameters: <name> ──`, `// ── service: <name> (kind <kind>) ──` and
 * `// ── service outputs: <name> ──`, each closed by `// ── end … ──`). The new service's blocks
 * are copies of an existing service of the same kind with the names swapped, so they keep up with
 * whatever the infra passes to its `app/<kind>.bicep` module today; they go after the last block
 * of each section.
 */
import { camelName, constantName } from '../names.ts';

export interface BicepService {
  name: string;
  kind: 'api' | 'worker';
  port: number;
}

interface Block {
  name: string;
  kind?: string;
  start: number;
  end: number;
  text: string;
}

const sections = ['service parameters', 'service', 'service outputs'] as const;

export function addBicepService(text: string, service: BicepService): string {
  const modules = findBlocks(text, 'service');
  const model = modules.find((block) => block.kind === service.kind);
  if (!model) {
    throw new Error(
      `infra/main.bicep has no "// ── service: <name> (kind ${service.kind}) ──" block to model the new service on; restore one (git checkout -- infra/main.bicep) and generate again.`,
    );
  }
  if (sections.some((section) => findBlocks(text, section).some((b) => b.name === service.name))) {
    throw new Error(
      `infra/main.bicep already has blocks for "${service.name}"; remove them or choose another name.`,
    );
  }
  let result = text;
  // Last section first, so the offsets of the earlier sections stay valid.
  for (const section of [...sections].reverse()) {
    const blocks = findBlocks(result, section);
    const source = blocks.find((block) => block.name === model.name);
    const last = blocks.at(-1);
    if (!source || !last) {
      throw new Error(
        `infra/main.bicep has no "// ── ${section}: ${model.name} ──" block to copy; restore it (git checkout -- infra/main.bicep) and generate again.`,
      );
    }
    const copy = renameBlock(source.text, model.name, service);
    result = `${result.slice(0, last.end)}\n\n${copy}${result.slice(last.end)}`;
  }
  return result;
}

function findBlocks(text: string, section: string): Block[] {
  const pattern = new RegExp(
    `^// ── ${section}: ([a-z0-9-]+)(?: \\(kind (\\w+)\\))? ──$[\\s\\S]*?^// ── end ${section}: \\1 ──$`,
    'gm',
  );
  return [...text.matchAll(pattern)].map((match) => ({
    name: match[1] ?? '',
    ...(match[2] === undefined ? {} : { kind: match[2] }),
    start: match.index,
    end: match.index + match[0].length,
    text: match[0],
  }));
}

function renameBlock(text: string, from: string, to: BicepService): string {
  const fromCamel = camelName(from);
  const toCamel = camelName(to.name);
  return text
    .replace(
      new RegExp(`^(// ── (?:end )?service(?: parameters| outputs)?: )${from}\\b`, 'gm'),
      `$1${to.name}`,
    )
    .replace(new RegExp(`^module ${fromCamel} '`, 'm'), `module ${toCamel} '`)
    .replace(`'service-${from}'`, `'service-${to.name}'`)
    .replace(`serviceName: '${from}'`, `serviceName: '${to.name}'`)
    .replace(/^(\s+port: )\d+$/m, `$1${to.port}`)
    .replace(new RegExp(`\\b${fromCamel}ImageName\\b`, 'g'), `${toCamel}ImageName`)
    .replace(
      new RegExp(`\\bSERVICE_${constantName(from)}_`, 'g'),
      `SERVICE_${constantName(to.name)}_`,
    )
    .replace(new RegExp(`\\b${fromCamel}\\.outputs\\.`, 'g'), `${toCamel}.outputs.`)
    .replace(`Image of the ${from} service`, `Image of the ${to.name} service`);
}
