import { fileURLToPath } from 'node:url';

/** The repository root, whichever project's tests ask. */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
