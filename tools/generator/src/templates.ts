/**
 * Renders a kind's templates: `templates/shared/**` then `templates/<kind>/**` (a kind's file
 * wins over a shared one with the same path), `.hbs` stripped from the names. A template that
 * renders to nothing but whitespace (an optional extra that was not chosen) produces no file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface RenderedFile {
  /** Relative to the service folder, with `/` separators. */
  path: string;
  content: string;
}

export type Render = (template: string, data: object) => string;

export function renderTemplates(
  templatesDir: string,
  kind: string,
  data: object,
  render: Render,
): RenderedFile[] {
  const sources = new Map<string, string>();
  for (const folder of ['shared', kind]) {
    const base = join(templatesDir, folder);
    for (const file of listFiles(base)) {
      sources.set(
        relative(base, file)
          .split('\\')
          .join('/')
          .replace(/\.hbs$/, ''),
        file,
      );
    }
  }
  const files: RenderedFile[] = [];
  for (const [path, source] of [...sources].sort(([a], [b]) => a.localeCompare(b))) {
    let content: string;
    try {
      content = render(readFileSync(source, 'utf8'), data);
    } catch (error) {
      throw new Error(
        `The template ${relative(templatesDir, source)} failed to render: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    if (content.trim() !== '') files.push({ path, content });
  }
  return files;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
