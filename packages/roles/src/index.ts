export { roles, allRoles } from './catalogue.ts';
export type { RoleDefinition, RoleKey, RoleScopeKind } from './catalogue.ts';
export { openAiDataActions, grantsDataAction, findRole, roleGranting } from './data-actions.ts';
export { grantsByKind, developerGrants, queues, containers } from './service-kinds.ts';
export type { Grant, ServiceKind } from './service-kinds.ts';
