/**
 * The dated `api-version`s the emulator answers: the GA versions and the previews that Azure's
 * docs and the openai SDK samples use. Azure answers any other value (or none) with 404
 * `Resource not found`, so a typo shows up locally the way it would in Azure.
 */
export const supportedApiVersions: ReadonlySet<string> = new Set([
  '2023-05-15',
  '2024-02-01',
  '2024-06-01',
  '2024-10-21',
  '2024-02-15-preview',
  '2024-05-01-preview',
  '2024-07-01-preview',
  '2024-08-01-preview',
  '2024-09-01-preview',
  '2024-10-01-preview',
  '2024-12-01-preview',
  '2025-01-01-preview',
  '2025-02-01-preview',
  '2025-03-01-preview',
  '2025-04-01-preview',
]);

export function isSupportedApiVersion(version: string | null): boolean {
  return version !== null && supportedApiVersions.has(version);
}

/** The previews that serve the Responses API on `/openai/responses` (it arrived in 2025-03-01-preview). */
export const responsesApiVersions: ReadonlySet<string> = new Set([
  '2025-03-01-preview',
  '2025-04-01-preview',
]);
