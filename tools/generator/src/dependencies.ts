/**
 * What each kind of service depends on: the service kit (as the samples' runtime does) and the
 * local stack for its tests, all already installed (so generating never needs the network).
 */
import type { ServiceKind } from './workspace.ts';

export interface ServiceDependencies {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

// Every kind is the service kit, plus for its conformance tests the local stack and the bundler
// (the tests run the service bundled, as its image does): what the samples depend on, and all
// already installed in the workspace.
const kit: ServiceDependencies = {
  dependencies: { '@keyless/service-kit': '*' },
  devDependencies: { '@keyless/build': '*', '@keyless/local-azure': '*' },
};

export const dependenciesByKind: Record<ServiceKind, ServiceDependencies> = {
  api: kit,
  worker: kit,
};
