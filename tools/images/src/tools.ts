/**
 * buildah and debootstrap: installed from Debian's packages when this runs as root (CI), else
 * one line that says how to get them.
 */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const requiredTools = ['buildah', 'debootstrap'] as const;

export const installCommand = `apt-get install -y ${requiredTools.join(' ')}`;

async function onPath(tool: string, path: string): Promise<boolean> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    // debootstrap lives in /usr/sbin, which a user's PATH may lack.
    if (
      await access(join(dir, tool)).then(
        () => true,
        () => false,
      )
    )
      return true;
  }
  return false;
}

export async function missingTools(path: string): Promise<string[]> {
  const searched = `${path}${delimiter}/usr/sbin${delimiter}/sbin`;
  const missing: string[] = [];
  for (const tool of requiredTools) if (!(await onPath(tool, searched))) missing.push(tool);
  return missing;
}

/** The one line printed when the tools are missing and cannot be installed here. */
export function missingToolsLine(missing: readonly string[]): string {
  return `Images not built: ${missing.join(' and ')} ${missing.length === 1 ? 'is' : 'are'} not installed; get ${missing.length === 1 ? 'it' : 'them'} with \`sudo ${installCommand}\` (Debian/Ubuntu), then run \`npx nx run @keyless/images:build-all\`.`;
}

export type ToolsState = { ok: true; installed: string[] } | { ok: false; line: string };

/** Installs the missing tools with apt-get when running as root; otherwise explains. */
export async function ensureTools(options: { isRoot: boolean; path: string }): Promise<ToolsState> {
  const missing = await missingTools(options.path);
  if (missing.length === 0) return { ok: true, installed: [] };
  if (!options.isRoot) return { ok: false, line: missingToolsLine(missing) };
  const install = () => execFileAsync('apt-get', ['install', '-y', '--quiet', ...missing]);
  try {
    await install().catch(async () => {
      await execFileAsync('apt-get', ['update']);
      await install();
    });
  } catch (error) {
    return {
      ok: false,
      line: `${missingToolsLine(missing)} (\`${installCommand}\` failed: ${String(error).split('\n')[0]})`,
    };
  }
  return { ok: true, installed: missing };
}
