export { roles, allRoles } from './catalogue.ts';
export type { RoleDefinition, RoleKey, RoleScopeKind } from './catalogue.ts';
export { openAiDataActions, grantsDataAction, findRole, roleGranting } from './data-actions.ts';
export { grantsByKind, developerGrants } from './service-kinds.ts';
export type { Grant, ServiceKind, StorageSlot } from './service-kinds.ts';
