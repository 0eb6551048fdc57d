export {
  startIdentityEndpoint,
  defaultTenantId,
  tokenPath,
  jwksPath,
} from './identity/endpoint.ts';
export type {
  IdentityEndpoint,
  IdentityEndpointOptions,
  TokenRequestRecord,
} from './identity/endpoint.ts';
export { identityApiVersion, identityNotFoundMessage } from './identity/token-request.ts';
export { issuerFor } from './identity/access-token.ts';
export {
  loadLocalIdentities,
  localIdentitiesFor,
  localIdentity,
  identityResourceId,
  developerName,
} from './identities.ts';
export type { LocalIdentity, LocalIdentities } from './identities.ts';
export { loadRoleAssignments, localRoleAssignmentsFor } from './role-assignments.ts';
export type { RoleAssignment } from './role-assignments.ts';
export { LocalAzureConfigError, PortInUseError } from './errors.ts';
export { startAzurite, azuriteAccount } from './azurite/azurite.ts';
export type { AzuriteHandle, AzuriteOptions, AzuriteService } from './azurite/azurite.ts';
export { trustCertificate } from './azurite/trust.ts';
export { createCertificate } from './azurite/certificate.ts';
export type { Certificate } from './azurite/certificate.ts';
export { startLocalAzure, defaultCertDir } from './stack.ts';
export type { LocalAzure, LocalAzureOptions } from './stack.ts';
export { defaultPorts, portEnvVars } from './ports.ts';
export type { StackPorts } from './ports.ts';
export { discoverServices, servicePortVariable } from './services.ts';
export { deploymentsFor } from './deployments.ts';
export type { ServiceDefinition } from './services.ts';
export type { RunningService } from './service-process.ts';
