/**
 * The stable error codes of @keyless/auth: one table, each with a title and the generic fix.
 * Messages built in error-mapping.ts add the specifics (principal, deployment, variable); the
 * README's troubleshooting table mirrors this one.
 */
export const errorCodes = {
  KEYLESS_ERR_CONFIG: {
    title: 'Configuration is invalid',
    fix: 'Set the variables named in the message (see the configuration table in packages/auth/README.md).',
  },
  KEYLESS_ERR_KEY_PRESENT: {
    title: 'A key or secret is configured, but this template is keyless',
    fix: 'Remove the key or secret from the environment and grant the identity the data role named in the message instead.',
  },
  KEYLESS_ERR_NO_CREDENTIAL: {
    title: 'No credential could get a token',
    fix: 'On a developer machine run `az login` or `azd auth login`; in Azure check the managed identity is assigned to the app and AZURE_CLIENT_ID is its client id.',
  },
  KEYLESS_ERR_TOKEN_REJECTED: {
    title: 'The service rejected the access token (invalid, expired or wrong audience)',
    fix: 'Check AZURE_OPENAI_SCOPE (unset it to use the default for the endpoint) and that the token comes from the tenant of the resource (AZURE_TENANT_ID).',
  },
  KEYLESS_ERR_PERMISSION_DENIED: {
    title: 'The identity lacks the data role on the Azure OpenAI resource',
    fix: 'Assign "Cognitive Services OpenAI User" to the identity on the resource; new assignments take up to ~5-10 minutes to propagate.',
  },
  KEYLESS_ERR_KEY_AUTH_DISABLED: {
    title: 'A key was sent to a resource with key authentication disabled',
    fix: 'Remove the api-key (AZURE_OPENAI_API_KEY / OPENAI_API_KEY) and let @keyless/auth send an Entra ID token.',
  },
  KEYLESS_ERR_DEPLOYMENT_NOT_FOUND: {
    title: 'The deployment does not exist on the Azure OpenAI resource',
    fix: 'Set AZURE_OPENAI_CHAT_DEPLOYMENT / AZURE_OPENAI_EMBEDDING_DEPLOYMENT to a deployment name listed by `az cognitiveservices account deployment list`.',
  },
  KEYLESS_ERR_STORAGE_PERMISSION: {
    title: 'The identity lacks the storage data role',
    fix: 'Assign the storage data role named in the message to the identity on the queue or container; propagation takes up to ~5-10 minutes.',
  },
} as const satisfies Record<string, { title: string; fix: string }>;

export type KeylessErrorCode = keyof typeof errorCodes;

export interface KeylessErrorOptions {
  /** Overrides the table's generic fix with a specific one (a command to run, a variable to set). */
  fix?: string;
  cause?: unknown;
}

/** Every failure @keyless/auth explains: a stable code, what went wrong, and how to fix it. */
export class KeylessError extends Error {
  override name = 'KeylessError';
  readonly code: KeylessErrorCode;
  /** What went wrong, without the code or the fix (the message joins all three for logs). */
  readonly detail: string;
  readonly fix: string;

  constructor(code: KeylessErrorCode, detail: string, options: KeylessErrorOptions = {}) {
    const fix = options.fix ?? errorCodes[code].fix;
    super(`${code}: ${detail}\nFix: ${fix}`, { cause: options.cause });
    this.code = code;
    this.detail = detail;
    this.fix = fix;
  }
}

/** One configuration problem: the variable at fault and how to fix it. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Every configuration problem found at start-up, reported at once. */
export class KeylessConfigError extends KeylessError {
  override name = 'KeylessConfigError';
  readonly problems: readonly ConfigProblem[];

  constructor(
    code: 'KEYLESS_ERR_CONFIG' | 'KEYLESS_ERR_KEY_PRESENT',
    problems: ConfigProblem[],
    options: { fix?: string } = {},
  ) {
    const lines = problems.map((problem) => `  - ${problem.variable}: ${problem.message}`);
    super(code, `${errorCodes[code].title}:\n${lines.join('\n')}`, {
      fix: options.fix ?? errorCodes[code].fix,
    });
    this.problems = problems;
  }
}

export function isKeylessError(error: unknown): error is KeylessError {
  return error instanceof KeylessError;
}
