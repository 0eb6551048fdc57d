export { bundleService, BundleError, knownUnreachableLoads } from './bundle-service.ts';
export type { BundleOptions, BundleResult } from './bundle-service.ts';
export { bundleForTests } from './bundle-for-tests.ts';
export type { TestBundle } from './bundle-for-tests.ts';
