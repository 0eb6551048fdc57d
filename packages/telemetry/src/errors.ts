/** Error codes of @keyless/telemetry, each with what went wrong and the fix as separate fields. */
export const telemetryErrorCodes = {
  KEYLESS_ERR_TELEMETRY_CONFIG: 'A telemetry setting has a value that cannot be used.',
  KEYLESS_ERR_TELEMETRY_NO_CREDENTIAL:
    'Application Insights is configured, but no credential was given to authenticate ingestion.',
} as const;

export type TelemetryErrorCode = keyof typeof telemetryErrorCodes;

export interface TelemetryConfigProblem {
  /** The environment variable at fault. */
  variable: string;
  /** What is wrong with its value. */
  problem: string;
  /** What to set instead. */
  fix: string;
}

/** A setting that cannot be used; `problems` lists every one at once, `fix` says what to do. */
export class TelemetryConfigError extends Error {
  override readonly name = 'TelemetryConfigError';
  readonly code: TelemetryErrorCode;
  readonly problems: readonly TelemetryConfigProblem[];
  readonly fix: string;

  constructor(code: TelemetryErrorCode, problems: readonly TelemetryConfigProblem[]) {
    super(
      `${telemetryErrorCodes[code]} ${problems.map((p) => `${p.variable}: ${p.problem} ${p.fix}`).join(' ')}`,
    );
    this.code = code;
    this.problems = problems;
    this.fix = problems.map((p) => p.fix).join(' ');
  }
}
