/**
 * The Debian mirror this machine already uses, read from its apt sources (one-line `.list` and
 * deb822 `.sources` files), so nothing names a mirror host in the repository.
 */
export interface AptSource {
  readonly uri: string;
  readonly suites: readonly string[];
  readonly components: readonly string[];
}

/** `deb [options] uri suite component...` lines. */
export function parseListFile(text: string): AptSource[] {
  return text.split('\n').flatMap((raw) => {
    const line = raw.replace(/#.*/, '').trim();
    const [, uri, suite, components = ''] =
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line) ?? [];
    if (uri === undefined || suite === undefined) return [];
    return [{ uri, suites: [suite], components: components.split(/\s+/).filter(Boolean) }];
  });
}

/** deb822 stanzas (`Types: deb`, `URIs:`, `Suites:`, `Components:`), separated by blank lines. */
export function parseSourcesFile(text: string): AptSource[] {
  return text.split(/\n\s*\n/).flatMap((stanza) => {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      if (line.startsWith('#')) continue;
      const [, name, value] = /^([A-Za-z-]+):\s*(.*)$/.exec(line) ?? [];
      if (name !== undefined && value !== undefined) fields.set(name.toLowerCase(), value.trim());
    }
    if (!(fields.get('types') ?? '').split(/\s+/).includes('deb')) return [];
    if ((fields.get('enabled') ?? 'yes').toLowerCase() === 'no') return [];
    const words = (name: string) => (fields.get(name) ?? '').split(/\s+/).filter(Boolean);
    return words('uris').map((uri) => ({
      uri,
      suites: words('suites'),
      components: words('components'),
    }));
  });
}

/** The first source that carries `suite`'s main component: a mirror debootstrap can use. */
export function mirrorFor(sources: readonly AptSource[], suite: string): string | undefined {
  return sources.find(
    (source) => source.suites.includes(suite) && source.components.includes('main'),
  )?.uri;
}
