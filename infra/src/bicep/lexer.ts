import { BicepSyntaxError } from './errors.ts';

export type Token =
  | { readonly kind: 'identifier'; readonly text: string; readonly line: number }
  | { readonly kind: 'number'; readonly value: number; readonly line: number }
  | { readonly kind: 'punctuation'; readonly text: string; readonly line: number }
  | { readonly kind: 'newline'; readonly line: number }
  | { readonly kind: 'eof'; readonly line: number }
  | {
      readonly kind: 'string';
      /** Literal text between interpolations (one more segment than expressions). */
      readonly segments: readonly string[];
      /** The tokens of each `${...}` interpolation. */
      readonly interpolations: readonly (readonly Token[])[];
      readonly line: number;
    };

// Longest first, so that `==` wins over `=` and `.?` over `.`.
const punctuation = [
  '&&',
  '||',
  '==',
  '!=',
  '=~',
  '!~',
  '<=',
  '>=',
  '??',
  '=>',
  '::',
  '.?',
  '{',
  '}',
  '[',
  ']',
  '(',
  ')',
  ':',
  ',',
  '.',
  '?',
  '!',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '@',
];

const escapes: Record<string, string> = { "'": "'", '\\': '\\', n: '\n', r: '\r', t: '\t', $: '$' };

/** Splits Bicep source into tokens, with newlines kept (they separate statements and members). */
export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  let line = 1;

  const fail = (message: string): never => {
    throw new BicepSyntaxError(file, line, message);
  };

  // Reads a '...' string whose opening quote is at `position`; handles escapes and ${...}.
  const readString = (): Token => {
    const startLine = line;
    position += 1;
    const segments: string[] = [];
    const interpolations: Token[][] = [];
    let current = '';
    for (;;) {
      const char = source[position];
      if (char === undefined || char === '\n') fail('unterminated string');
      if (char === "'") {
        position += 1;
        break;
      }
      if (char === '\\') {
        const next = source[position + 1] ?? '';
        const escaped = escapes[next];
        if (escaped === undefined) fail(`unknown escape \\${next} in a string`);
        current += escaped;
        position += 2;
        continue;
      }
      if (char === '$' && source[position + 1] === '{') {
        const start = position + 2;
        let depth = 1;
        let end = start;
        while (depth > 0) {
          const inner = source[end];
          if (inner === undefined) fail('unterminated ${...} in a string');
          if (inner === '{') depth += 1;
          if (inner === '}') depth -= 1;
          if (inner === "'") {
            // Skip a nested string so that a brace inside it does not end the interpolation.
            end += 1;
            while (source[end] !== "'" && source[end] !== undefined)
              end += source[end] === '\\' ? 2 : 1;
          }
          end += 1;
        }
        segments.push(current);
        current = '';
        const inner = tokenize(source.slice(start, end - 1), file).filter(
          (token) => token.kind !== 'newline' && token.kind !== 'eof',
        );
        interpolations.push(inner.map((token) => ({ ...token, line: startLine })));
        position = end;
        continue;
      }
      current += char;
      position += 1;
    }
    segments.push(current);
    return { kind: 'string', segments, interpolations, line: startLine };
  };

  while (position < source.length) {
    const char = source[position] ?? '';
    const rest = source.slice(position);
    if (char === '\n') {
      tokens.push({ kind: 'newline', line });
      line += 1;
      position += 1;
    } else if (char === ' ' || char === '\t' || char === '\r') {
      position += 1;
    } else if (rest.startsWith('//')) {
      const end = source.indexOf('\n', position);
      position = end === -1 ? source.length : end;
    } else if (rest.startsWith('/*')) {
      const end = source.indexOf('*/', position + 2);
      if (end === -1) fail('unterminated /* comment');
      line += (source.slice(position, end).match(/\n/g) ?? []).length;
      position = end + 2;
    } else if (rest.startsWith("'''")) {
      const end = source.indexOf("'''", position + 3);
      if (end === -1) fail("unterminated ''' string");
      const text = source.slice(position + 3, end).replace(/^\r?\n/, '');
      tokens.push({ kind: 'string', segments: [text], interpolations: [], line });
      line += (source.slice(position, end).match(/\n/g) ?? []).length;
      position = end + 3;
    } else if (char === "'") {
      tokens.push(readString());
    } else if (/[A-Za-z_]/.test(char)) {
      const text = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest)?.[0] ?? char;
      tokens.push({ kind: 'identifier', text, line });
      position += text.length;
    } else if (/[0-9]/.test(char)) {
      const text = /^[0-9]+/.exec(rest)?.[0] ?? char;
      tokens.push({ kind: 'number', value: Number(text), line });
      position += text.length;
    } else {
      const text = punctuation.find((candidate) => rest.startsWith(candidate));
      if (text === undefined) fail(`unexpected character '${char}'`);
      tokens.push({ kind: 'punctuation', text: text ?? char, line });
      position += (text ?? char).length;
    }
  }
  tokens.push({ kind: 'eof', line });
  return tokens;
}
