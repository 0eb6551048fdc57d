export { parseRegistry, readRegistry, registryFile, RegistryError } from './registry.ts';
export type { ApiService, Registry, Service, ServiceKind, WorkerService } from './registry.ts';
export { identityName, storageNamesFor } from './names.ts';
export { findWorkspaceRoot } from './workspace-root.ts';
export { readModels, modelsFile } from './models.ts';
export type { ModelDeployment, Models } from './models.ts';
export {
  MissingServicesTableError,
  readmeServicesTable,
  referenceServicesTable,
  replaceServicesTable,
  servicesTableSection,
} from './tables.ts';
