/** Bicep this parser cannot read: either a real syntax error or syntax outside the subset it covers. */
export class BicepSyntaxError extends Error {
  override readonly name = 'BicepSyntaxError';
  readonly file: string;
  readonly line: number;

  constructor(file: string, line: number, message: string) {
    super(
      `${file}:${line}: ${message}. The offline checks parse the Bicep subset described in infra/src/bicep/syntax.ts; fix the Bicep or extend infra/src/bicep/parser.ts.`,
    );
    this.file = file;
    this.line = line;
  }
}
