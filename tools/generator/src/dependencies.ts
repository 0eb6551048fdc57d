/**
 * What each kind of service depends on: the same packages and ranges as the sample services,
 * all already installed in the workspace (so generating never needs the network).
 */
import type { ServiceKind } from './workspace.ts';

export interface ServiceDependencies {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

export const dependenciesByKind: Record<ServiceKind, ServiceDependencies> = {
  api: {
    dependencies: {
      '@keyless/auth': '*',
      '@keyless/logging': '*',
      express: '^5.3.0',
      helmet: '^8.3.0',
      openai: '^7.57.0',
      'pino-http': '^11.0.0',
      zod: '^4.6.7',
    },
    devDependencies: { '@keyless/local-azure': '*', '@types/express': '^5.0.6' },
  },
  worker: {
    dependencies: {
      '@azure/storage-blob': '^12.34.0',
      '@azure/storage-queue': '^12.32.0',
      '@keyless/auth': '*',
      '@keyless/logging': '*',
      openai: '^7.57.0',
      zod: '^4.6.7',
    },
    devDependencies: { '@keyless/local-azure': '*' },
  },
};
