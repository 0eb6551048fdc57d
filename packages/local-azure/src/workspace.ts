import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root (this package lives in packages/local-azure). */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The git-ignored folder for the stack's certificate, data and join env file. */
export const localAzureDir = join(workspaceRoot, '.local-azure');

export const defaultEnvFile = join(localAzureDir, 'stack.env');
export const defaultAppsDir = join(workspaceRoot, 'apps');
