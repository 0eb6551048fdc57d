import { buildContract } from './contract.ts';
import { checkContract } from './checks/contract.ts';
import { checkKeyAuth } from './checks/key-auth.ts';
import { checkKeyLike } from './checks/key-like.ts';
import { checkLocalMirror } from './checks/local-mirror.ts';
import { checkRoleAssignments } from './checks/role-assignments.ts';
import { checkServiceVariables } from './checks/service-variables.ts';
import { checkServices } from './checks/services.ts';
import type { Finding } from './findings.ts';
import { loadInfra, type InfraLocation } from './infra-files.ts';
import { discoverServices } from './services.ts';

/** Runs every offline check over infra/ and the repository around it; an empty list means all pass. */
export function checkInfra(location: InfraLocation): Finding[] {
  const infra = loadInfra(location);
  const services = discoverServices(location.repoRoot);
  const types = buildContract(services).types;
  return [
    ...checkKeyAuth(infra),
    ...checkKeyLike(infra),
    ...checkRoleAssignments(infra),
    ...checkServices(infra, services, types),
    ...checkContract(infra, types),
    ...checkServiceVariables(location.repoRoot, types),
    ...checkLocalMirror(location.repoRoot, services),
  ];
}
