import { fileURLToPath } from 'node:url';

/** The repository root, whichever test asks. */
export const workspaceRoot = fileURLToPath(new URL('../../../', import.meta.url));
