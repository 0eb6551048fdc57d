/**
 * Plans a new service entirely in memory: the files of `apps/<name>/` rendered from the templates
 * and formatted, the link npm would make for the workspace package, and every edit to shared
 * files (local stack config, azure.yaml, infra, README, tsconfig references, lockfile). Nothing
 * touches the disk until the changeset is applied.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change, Changeset } from './changeset.ts';
import { dependenciesByKind } from './dependencies.ts';
import { formatFile } from './format.ts';
import { serviceNameProblem } from './names.ts';
import { renderTemplates } from './templates.ts';
import type { Render } from './templates.ts';
import { addAzureYamlService } from './wiring/azure-yaml.ts';
import { addLocalIdentity } from './wiring/local-identities.ts';
import { addBicepService } from './wiring/main-bicep.ts';
import { addImageParameter } from './wiring/main-parameters.ts';
import { addLockfileWorkspace } from './wiring/package-lock.ts';
import { addReadmeService } from './wiring/readme-services.ts';
import { addLocalRoleAssignments } from './wiring/role-assignments.ts';
import { addTsconfigReference } from './wiring/tsconfig-references.ts';
import { readWorkspace } from './workspace.ts';
import type { ServiceKind } from './workspace.ts';

export interface ServiceAnswers {
  name: string;
  kind: ServiceKind;
  description: string;
  embeddings: boolean;
}

export interface PlanOptions {
  root: string;
  templatesDir: string;
  render: Render;
}

export class InvalidServiceError extends Error {
  override name = 'InvalidServiceError';
}

export const serviceKinds: readonly ServiceKind[] = ['api', 'worker'];

export async function planService(
  answers: ServiceAnswers,
  options: PlanOptions,
): Promise<Changeset> {
  const { root } = options;
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
  const port = workspace.nextPort;
  const description = answers.description.trim() || `A keyless ${kind} service.`;
  const identityName = `id-${name}`;
  const packageName = `@keyless/${name}`;
  const { dependencies, devDependencies } = dependenciesByKind[kind];
  const data = {
    ...answers,
    description,
    port,
    folder,
    packageName,
    identityName,
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
    const edited = await transform(before);
    changes.push({
      type: 'modify',
      path,
      before,
      after: await formatFile(join(root, path), edited),
    });
  };
  await edit('tsconfig.json', (text) => addTsconfigReference(text, folder));
  await edit('packages/local-azure/config/identities.json', (text) =>
    addLocalIdentity(text, identityName),
  );
  await edit('packages/local-azure/config/role-assignments.json', (text) =>
    addLocalRoleAssignments(text, identityName, kind),
  );
  await edit('azure.yaml', (text) => addAzureYamlService(text, name));
  await edit('infra/main.bicep', (text) => addBicepService(text, { name, kind, port }));
  await edit('infra/main.parameters.json', (text) => addImageParameter(text, name));
  // Only the table is formatted; the rest of the README stays as its authors wrote it.
  const readmeBefore = readShared(root, 'README.md');
  changes.push({
    type: 'modify',
    path: 'README.md',
    before: readmeBefore,
    after: await addReadmeService(readmeBefore, { name, kind, port, description }),
  });
  const lockBefore = readShared(root, 'package-lock.json');
  changes.push({
    type: 'modify',
    path: 'package-lock.json',
    before: lockBefore,
    after: addLockfileWorkspace(lockBefore, folder, {
      name: packageName,
      version: '0.0.0',
      dependencies,
      devDependencies,
    }),
  });
  // infra documents every service's parameters and outputs; its own script rewrites the reference.
  const referenceScript = 'infra/src/bin/write-reference.ts';
  if (existsSync(join(root, referenceScript)) && existsSync(join(root, 'infra/REFERENCE.md'))) {
    changes.push({
      type: 'regenerate',
      path: 'infra/REFERENCE.md',
      before: readShared(root, 'infra/REFERENCE.md'),
      command: [process.execPath, referenceScript],
      label: 'npm run reference:sync -w @keyless/infra',
    });
  }
  return { changes };
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
