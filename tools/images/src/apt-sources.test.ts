import { describe, expect, it } from 'vitest';
import { mirrorFor, parseListFile, parseSourcesFile } from './apt-sources.ts';

const mirror = 'http://mirror.test/debian';

describe('the Debian mirror', () => {
  it('is read from a deb822 .sources file, skipping the security suite and disabled stanzas', () => {
    const sources = parseSourcesFile(
      [
        'Types: deb',
        'URIs: http://disabled.test/debian',
        'Suites: bookworm',
        'Components: main',
        'Enabled: no',
        '',
        'Types: deb',
        `URIs: ${mirror}`,
        'Suites: bookworm bookworm-updates',
        'Components: main',
        'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg',
        '',
        'Types: deb',
        'URIs: http://security.test/debian-security',
        'Suites: bookworm-security',
        'Components: main',
      ].join('\n'),
    );
    expect(mirrorFor(sources, 'bookworm')).toBe(mirror);
  });

  it('is read from a one-line .list file, options and comments included', () => {
    const sources = parseListFile(
      [
        '# deb http://old.test/debian bookworm main',
        'deb-src http://src.test/debian bookworm main',
        `deb [arch=amd64 signed-by=/k.gpg] ${mirror} bookworm main contrib # the mirror`,
      ].join('\n'),
    );
    expect(mirrorFor(sources, 'bookworm')).toBe(mirror);
  });

  it('is missing when no source carries the suite’s main component', () => {
    expect(mirrorFor(parseListFile(`deb ${mirror} bookworm contrib`), 'bookworm')).toBeUndefined();
    expect(mirrorFor(parseListFile(`deb ${mirror} trixie main`), 'bookworm')).toBeUndefined();
  });
});
