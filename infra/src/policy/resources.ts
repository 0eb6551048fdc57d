import type { PredictedResource } from '../cli/run.ts';

/** `Type name` as a finding names a resource. */
export function label(resource: PredictedResource): string {
  return `${resource.type} ${resource.name}`;
}

/** Reads a nested property (`a.b.c`) of a resource's properties; undefined when any step is missing. */
export function prop(resource: PredictedResource, path: string): unknown {
  let value: unknown = resource.properties;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

export function ofType(resources: readonly PredictedResource[], type: string): PredictedResource[] {
  return resources.filter((resource) => resource.type.toLowerCase() === type.toLowerCase());
}

/** The user-assigned identity a `reference('<…>/userAssignedIdentities/<name>', …)` expression names. */
export function identityNamed(expression: string): string | undefined {
  return /\/userAssignedIdentities\/([^'/)]+)'/i.exec(expression)?.[1];
}

export interface ContainerEnv {
  readonly name: string;
  readonly value?: unknown;
  readonly secretRef?: string;
}

export function containerEnv(app: PredictedResource): ContainerEnv[] {
  const containers = prop(app, 'template.containers');
  if (!Array.isArray(containers)) return [];
  return containers.flatMap((container) => (container as { env?: ContainerEnv[] }).env ?? []);
}

/** A property that should hold text; anything else reads as ''. */
export function text(resource: PredictedResource, path: string): string {
  const value = prop(resource, path);
  return typeof value === 'string' ? value : '';
}
