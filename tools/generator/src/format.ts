/**
 * Generated files go through Prettier with the repository's own configuration, so they read like
 * hand-written ones: the templates only have to be right, not pretty.
 */
import { format, getFileInfo, resolveConfig } from 'prettier';

export async function formatFile(absolutePath: string, content: string): Promise<string> {
  const info = await getFileInfo(absolutePath);
  if (!info.inferredParser) return content;
  const options = (await resolveConfig(absolutePath)) ?? {};
  return format(content, { ...options, filepath: absolutePath });
}
