/**
 * The image's source map, with mappings for the workspace's own code only. `node
 * --enable-source-maps` parses the whole map at every start, and almost all of a service's
 * mappings are third-party code: for the api, 1,720 of 1,778 sources, 4.4 MB that cost 0.7 s of
 * CPU per start. Frames in the service's and the workspace packages' code still map to their
 * TypeScript; a frame inside a package shows its line in main.mjs. The `sources` list stays whole:
 * it is the record of what went into the bundle (the image checks read it).
 */
import { decode, encode } from '@jridgewell/sourcemap-codec';
import type { SourceMapSegment } from '@jridgewell/sourcemap-codec';

interface SourceMapJson {
  sources: string[];
  mappings: string;
  [field: string]: unknown;
}

const isThirdParty = (source: string) => /(^|\/)node_modules\//.test(source);

/** The map (JSON text) without its mappings into `node_modules` sources. */
export function ownMappingsOnly(mapJson: string): string {
  const map = JSON.parse(mapJson) as SourceMapJson;
  const thirdParty = map.sources.map(isThirdParty);
  // One column with no source ends the mapping before it, so the third-party code after it is not
  // attributed to our source. Lookups fall back to the nearest earlier mapping, across lines too,
  // so one such column at the start of each run of third-party code is enough.
  let ended = true;
  const lines = decode(map.mappings).map((segments) => {
    const kept: SourceMapSegment[] = [];
    for (const segment of segments) {
      if (segment.length !== 1 && !thirdParty[segment[1]]) {
        kept.push(segment);
        ended = false;
      } else if (!ended) {
        kept.push([segment[0]]);
        ended = true;
      }
    }
    return kept;
  });
  return JSON.stringify({ ...map, mappings: encode(lines) });
}
