import type { Service } from '@keyless/registry';
import type { Snapshot } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { checkIngress } from './ingress.ts';
import { checkKeyAuth } from './key-auth.ts';
import { checkNoSecrets } from './no-secrets.ts';
import { checkRoleAssignments, type Deployer } from './role-assignments.ts';
import { checkServices } from './services.ts';

export type { Finding } from './finding.ts';
export { formatFinding, formatFindings } from './finding.ts';
export type { Deployer } from './role-assignments.ts';

export interface PolicyInput {
  /** `bicep build` output: the compiled ARM template with every module nested in it. */
  readonly template: unknown;
  /** `bicep snapshot` output: the same template evaluated by the ARM engine. */
  readonly snapshot: Snapshot;
  readonly services: readonly Service[];
  readonly deployer: Deployer;
}

/** Every keyless rule over the compiled template; an empty list means the infra may ship. */
export function checkPolicy(input: PolicyInput): Finding[] {
  const resources = input.snapshot.predictedResources;
  return [
    ...checkKeyAuth(resources),
    ...checkNoSecrets(input.template, resources),
    ...checkIngress(resources),
    ...checkServices(resources, input.services),
    ...checkRoleAssignments(resources, input.services, input.deployer),
  ];
}
