/**
 * Plans a new service entirely in memory: the files of `apps/<name>/` rendered from the templates
 * and formatted, the link npm would make for the workspace package, its entry in services.json,
 * azure.yaml and the README's services table; then the files tools derive (the lockfile through
 * npm, tsconfig references through `nx sync`). Nothing touches the disk until the changeset is
 * applied. Everything else (local identities and grants, infra) derives from services.json itself.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityName, parseRegistry, registryFile, storageNamesFor } from '@keyless/registry';
import type { Service } from '@keyless/registry';
import type { Change, Changeset } from './changeset.ts';
import { dependenciesByKind } from './dependencies.ts';
import { formatFile } from './format.ts';
import { serviceNameProblem } from './names.ts';
import { renderTemplates } from './templates.ts';
import type { Render } from './templates.ts';
import { addAzureYamlService } from './wiring/azure-yaml.ts';
import { renderReadmeServices, renderReferenceServices } from './wiring/services-tables.ts';
import { addRegistryService } from './wiring/services-json.ts';
import { readWorkspace } from './workspace.ts';
import type { ServiceKind } from './workspace.ts';

export interface ServiceAnswers {
  name: string;
  kind: ServiceKind;
  description: string;
}

export interface PlanOptions {
  root: string;
  templatesDir: string;
  render: Render;
  /** How to run npm (default `npm`); cli.ts passes the npm that runs `npm run gen`. */
  npm?: readonly string[];
}

export class InvalidServiceError extends Error {
  override name = 'InvalidServiceError';
}

const referenceFile = 'infra/REFERENCE.md';

export const serviceKinds: readonly ServiceKind[] = ['api', 'worker'];

export async function planService(
  answers: ServiceAnswers,
  options: PlanOptions,
): Promise<Changeset> {
  const { root, npm = ['npm'] } = options;
  const workspace = readWorkspace(root);
  const problem = serviceNameProblem(answers.name, workspace.takenNames);
  if (problem) throw new InvalidServiceError(problem);
  if (!serviceKinds.includes(answers.kind)) {
    throw new InvalidServiceError(
      `"${String(answers.kind)}" is not a kind of service; use one of: ${serviceKinds.join(', ')}.`,
    );
  }
  const { name, kind } = answers;
  const folder = `apps/${name}`;
  const description = answers.description.trim() || `A keyless ${kind} service.`;
  // Fields in the order services.json lists them.
  const port = workspace.nextPort;
  const service: Service =
    kind === 'worker'
      ? { name, kind, port, description, ...storageNamesFor(name) }
      : { name, kind, port, description };
  const packageName = `@keyless/${name}`;
  const { dependencies, devDependencies } = dependenciesByKind[kind];
  const data = {
    ...answers,
    ...service,
    folder,
    packageName,
    identityName: identityName(service),
    dependencies,
    devDependencies,
  };

  const changes: Change[] = [];
  for (const file of renderTemplates(options.templatesDir, kind, data, options.render)) {
    const path = `${folder}/${file.path}`;
    changes.push({
      type: 'create',
      path,
      content: await formatFile(join(root, path), file.content),
    });
  }
  changes.push({ type: 'link', path: `node_modules/${packageName}`, target: `../../${folder}` });

  const edit = async (path: string, transform: (text: string) => string | Promise<string>) => {
    const before = readShared(root, path);
    changes.push({
      type: 'modify',
      path,
      before,
      after: await formatFile(join(root, path), await transform(before)),
    });
  };
  const registryAfter = addRegistryService(readShared(root, registryFile), service);
  await edit(registryFile, () => registryAfter);
  const registry = parseRegistry(JSON.parse(registryAfter));
  await edit('azure.yaml', (text) => addAzureYamlService(text, name));
  // Only the table is rendered (and formatted); the rest of the README stays as its authors wrote it.
  const readmeBefore = readShared(root, 'README.md');
  changes.push({
    type: 'modify',
    path: 'README.md',
    before: readmeBefore,
    after: await renderReadmeServices(readmeBefore, registry),
  });
  // infra/REFERENCE.md lists every service too: its table is rewritten here with the rows infra's
  // `reference:sync` writes (from @keyless/registry), so no Bicep compile is needed to generate.
  if (existsSync(join(root, referenceFile))) {
    await edit(referenceFile, (text) => renderReferenceServices(text, registry));
  }

  // npm records the new workspace package as it would on `npm install`; every dependency is one
  // the workspace already has, so --offline holds and nothing is downloaded.
  changes.push({
    type: 'regenerate',
    files: [{ path: 'package-lock.json', before: readShared(root, 'package-lock.json') }],
    command: [
      ...npm,
      'install',
      '--package-lock-only',
      '--offline',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
    ],
    label: 'npm install --package-lock-only --offline',
  });
  // Nx's TypeScript sync generator writes the project references (the root's, the new project's).
  changes.push({
    type: 'regenerate',
    files: tsconfigFiles(root).map((path) => ({ path, before: readShared(root, path) })),
    command: [process.execPath, nxCli(root), 'sync'],
    // In-process plugins (NX_ISOLATE_PLUGINS=false, from the workspace's .env) keep this at 1.5 s.
    label: 'nx sync',
  });
  return { changes };
}

/** The workspace's own Nx CLI (as its package.json `bin` names it), run with this Node. */
function nxCli(root: string): string {
  const packageDir = join(root, 'node_modules/nx');
  const { bin } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  return join(packageDir, bin['nx'] ?? 'bin/nx.js');
}

/** Every tsconfig*.json `nx sync` may rewrite: the root's and each existing project's. */
function tsconfigFiles(root: string): string[] {
  const files = ['tsconfig.json'];
  for (const folder of ['apps', 'packages', 'tools', 'infra']) {
    const parent = join(root, folder);
    if (!existsSync(parent)) continue;
    const projects = folder === 'infra' ? [''] : readdirSync(parent);
    for (const project of projects) {
      const dir = join(parent, project);
      if (!existsSync(join(dir, 'package.json'))) continue;
      for (const file of readdirSync(dir).filter((entry) => /^tsconfig.*\.json$/.test(entry))) {
        files.push([folder, project, file].filter(Boolean).join('/'));
      }
    }
  }
  return files;
}

function readShared(root: string, path: string): string {
  try {
    return readFileSync(join(root, path), 'utf8');
  } catch (error) {
    throw new InvalidServiceError(
      `Cannot read ${path} (${(error as Error).message}); the generator wires every new service into it. Restore it (git checkout -- ${path}) and generate again.`,
      { cause: error },
    );
  }
}
