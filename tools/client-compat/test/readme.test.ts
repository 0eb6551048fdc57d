import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const snippetsDir = new URL('../src/snippets/', import.meta.url);
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const worksWith = readme.slice(readme.indexOf('## Works with'));

describe('the root README\'s "Works with" section', () => {
  const snippets = readdirSync(snippetsDir).filter((name) => name.endsWith('.ts'));

  it('has a snippet for every client this suite drives', () => {
    expect(snippets.sort()).toEqual(['ai-sdk.ts', 'langchain.ts', 'openai-v4.ts', 'openai.ts']);
    expect(worksWith.startsWith('## Works with')).toBe(true);
  });

  it.each(snippets)('shows %s exactly as the suite runs it', (name) => {
    const code = readFileSync(new URL(name, snippetsDir), 'utf8').trim();
    expect(worksWith).toContain(`\`\`\`ts\n${code}\n\`\`\``);
  });
});
