import type { AccessToken, TokenCredential } from '@azure/identity';
import { loadConfig, type Env, type KeylessConfig } from '../config.ts';
import {
  createCredential,
  developerCredentialList,
  explainCredential,
  type CredentialOptions,
} from '../credential.ts';
import { credentialFailure, toKeylessError } from '../error-mapping.ts';
import { KeylessError } from '../errors.ts';
import { createOpenAIClient } from '../openai-client.ts';
import { redact } from '../redaction.ts';
import { audienceOfScope } from '../scope.ts';
import { createBlobServiceClient, createQueueServiceClient } from '../storage-clients.ts';
import { decodeTokenClaims, type TokenClaims } from '../token-claims.ts';
import { printLine, type CheckLine, type Write } from './report.ts';

export interface DoctorOptions extends CredentialOptions {
  /** How long each network step may take (default 15 s). */
  timeoutMs?: number;
}

interface Answer {
  name: string;
  credential: TokenCredential;
  token: AccessToken;
}

function messageOf(error: unknown): string {
  return redact(error instanceof Error ? error.message : String(error));
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} timed out after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function configLine(config: KeylessConfig): CheckLine {
  return {
    ok: true,
    title: 'Configuration',
    details: [
      `endpoint ${config.openai.endpoint} (${config.openai.apiVersion ? `api-version ${config.openai.apiVersion}` : 'v1 API'})`,
      `chat deployment ${config.openai.chatDeployment}${config.openai.embeddingDeployment ? `, embedding deployment ${config.openai.embeddingDeployment}` : ''}`,
      `scope ${config.openai.scope} (${config.openai.scopeSource})`,
      `identity ${config.identity.clientId ? `user-assigned, AZURE_CLIENT_ID ${config.identity.clientId}` : 'system-assigned or developer'}`,
      ...(config.storage.queueEndpoint ? [`queues ${config.storage.queueEndpoint}`] : []),
      ...(config.storage.blobEndpoint ? [`blobs ${config.storage.blobEndpoint}`] : []),
      'no keys or secrets found',
    ],
  };
}

/** Asks each developer credential in turn, so the report says which answered and why the others did not. */
async function findDeveloperAnswer(
  config: KeylessConfig,
  timeoutMs: number,
): Promise<{ answer?: Answer; tried: string[] }> {
  const tried: string[] = [];
  for (const { name, credential } of developerCredentialList(config.identity)) {
    try {
      const token = await withTimeout(credential.getToken(config.openai.scope), timeoutMs, name);
      if (token) return { answer: { name, credential, token }, tried };
      tried.push(`${name}: returned no token`);
    } catch (error) {
      tried.push(messageOf(error).split('\n')[0] ?? name);
    }
  }
  return { tried };
}

async function credentialCheck(
  config: KeylessConfig,
  options: DoctorOptions,
  timeoutMs: number,
): Promise<{ line: CheckLine; answer?: Answer }> {
  const rule = explainCredential(config.identity, options);
  const why = `chosen because ${rule.when}: ${rule.builds}`;
  if (rule.source === 'developer') {
    const { answer, tried } = await findDeveloperAnswer(config, timeoutMs);
    const details = [why, ...tried.map((reason) => `not used: ${reason}`)];
    if (answer)
      return { line: { ok: true, title: `Credential: ${answer.name} answered`, details }, answer };
    const failure = credentialFailure(new Error(tried.join('\n')), config.openai.scope);
    return {
      line: {
        ok: false,
        title: 'Credential: no developer credential answered',
        details,
        fix: failure.fix,
      },
    };
  }
  const { credential, source } = createCredential(config.identity, options);
  try {
    const token = await withTimeout(
      credential.getToken(config.openai.scope),
      timeoutMs,
      'getting a token',
    );
    if (!token) throw new Error('the credential returned no token');
    const name = source === 'managed-identity' ? 'ManagedIdentityCredential' : source;
    return {
      line: {
        ok: true,
        title: `Credential: ${name} answered`,
        details: [why, 'other credentials are not tried in this environment'],
      },
      answer: { name, credential, token },
    };
  } catch (error) {
    const failure = credentialFailure(error, config.openai.scope);
    return {
      line: {
        ok: false,
        title: `Credential: ${source} could not get a token`,
        details: [why, ...failure.message.split('\n').slice(1)],
        fix: failure.fix,
      },
    };
  }
}

function tokenLine(config: KeylessConfig, claims: TokenClaims | undefined): CheckLine {
  if (!claims)
    return {
      ok: false,
      title: 'Token: not a JWT, cannot show its claims',
      fix: 'Check that the credential returns an Entra ID access token.',
    };
  const expected = audienceOfScope(config.openai.scope);
  const minutes = claims.expiresOn
    ? Math.round((claims.expiresOn.getTime() - Date.now()) / 60_000)
    : undefined;
  const audienceOk = claims.audience === expected || claims.audience === `${expected}/`;
  return {
    ok: audienceOk,
    title: 'Token (decoded claims; the token itself is never printed)',
    details: [
      `audience ${claims.audience ?? '?'}${audienceOk ? '' : ` (expected ${expected})`}`,
      `tenant ${claims.tenantId ?? '?'}`,
      `object id ${claims.objectId ?? '?'} (${claims.identityType === 'user' ? 'User' : 'ServicePrincipal'})`,
      `expires ${claims.expiresOn?.toISOString() ?? '?'}${minutes === undefined ? '' : ` (in ${minutes} min)`}`,
    ],
    fix: `Unset AZURE_OPENAI_SCOPE or set it to ${expected}/.default.`,
  };
}

async function reachableLine(config: KeylessConfig, timeoutMs: number): Promise<CheckLine> {
  try {
    const response = await fetch(config.openai.endpoint, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    return {
      ok: true,
      title: `Endpoint reachable: ${config.openai.endpoint} answered HTTP ${response.status}`,
    };
  } catch (error) {
    return {
      ok: false,
      title: `Endpoint unreachable: ${config.openai.endpoint}`,
      details: [messageOf(error)],
      fix: 'Check AZURE_OPENAI_ENDPOINT, DNS and network access (a private endpoint needs the app in its virtual network); locally, check that `npm start` is running.',
    };
  }
}

async function modelCallLine(
  config: KeylessConfig,
  answer: Answer,
  claims: TokenClaims | undefined,
  timeoutMs: number,
): Promise<CheckLine> {
  const openai = createOpenAIClient(config, answer.credential, { maxRetries: 0, timeoutMs });
  try {
    const completion = await openai.chat.completions.create({
      model: config.openai.chatDeployment,
      messages: [{ role: 'user', content: 'ping' }],
      max_completion_tokens: 1,
    });
    return {
      ok: true,
      title: `Authorised call: 1-token chat completion on ${config.openai.chatDeployment} (${completion.model})`,
    };
  } catch (error) {
    const keyless = toKeylessError(error, {
      config,
      operation: 'chat',
      ...(claims?.objectId && { principalId: claims.objectId }),
      ...(claims?.identityType && { identityType: claims.identityType }),
    });
    return {
      ok: false,
      title: `Authorised call failed: ${keyless?.code ?? 'unexpected error'}`,
      details: [
        keyless ? (keyless.message.split('\nFix:')[0] ?? keyless.message) : messageOf(error),
      ],
      fix: keyless?.fix ?? 'See the error above; a 429 or 5xx is transient, run doctor again.',
    };
  }
}

/** A worker's own queue and container, when the environment names them (as infra and `npm start` do). */
export interface StorageNames {
  queue?: string;
  resultsContainer?: string;
}

function storageNamesOf(env: Env): StorageNames {
  return {
    ...(env['WORKER_QUEUE'] && { queue: env['WORKER_QUEUE'] }),
    ...(env['WORKER_RESULTS_CONTAINER'] && { resultsContainer: env['WORKER_RESULTS_CONTAINER'] }),
  };
}

/**
 * Storage with no queue or container to look at (an api, or the developer, who holds roles on
 * every worker's): only whether the endpoint answers. Any HTTP status counts, even the 4xx an
 * anonymous request gets; a token says nothing here, since roles are granted per queue.
 */
async function storageReachableLine(
  what: string,
  endpoint: string,
  variable: string,
  timeoutMs: number,
): Promise<CheckLine> {
  try {
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return {
      ok: true,
      title: `${what} reachable: ${endpoint} answered HTTP ${response.status}`,
      details: [
        `no ${variable} set, so no ${what === 'Storage queues' ? 'queue' : 'container'} is checked for access`,
      ],
    };
  } catch (error) {
    return {
      ok: false,
      title: `${what} unreachable: ${endpoint}`,
      details: [messageOf(error)],
      fix: /certificate/i.test(messageOf(error))
        ? "The storage endpoint's certificate is not trusted. Locally, run `npm run doctor -- --env-file .local-azure/stack.env`, which trusts the stack's certificate (NODE_EXTRA_CA_CERTS)."
        : 'Check AZURE_STORAGE_QUEUE_ENDPOINT / AZURE_STORAGE_BLOB_ENDPOINT and network access; locally, check that `npm start` is running.',
    };
  }
}

async function storageLines(
  config: KeylessConfig,
  names: StorageNames,
  answer: Answer,
  claims: TokenClaims | undefined,
  timeoutMs: number,
): Promise<CheckLine[]> {
  const context = {
    config,
    ...(claims?.objectId && { principalId: claims.objectId }),
    ...(claims?.identityType && { identityType: claims.identityType }),
  };
  const checks: Array<{ title: string; run: () => Promise<boolean> }> = [];
  const reachability: Array<Promise<CheckLine>> = [];
  const { queueEndpoint, blobEndpoint } = config.storage;
  if (queueEndpoint && names.queue) {
    const queue = createQueueServiceClient(config, answer.credential).getQueueClient(names.queue);
    checks.push({
      title: `Storage queue "${names.queue}" (WORKER_QUEUE)`,
      run: () => queue.exists(),
    });
  } else if (queueEndpoint) {
    reachability.push(
      storageReachableLine('Storage queues', queueEndpoint, 'WORKER_QUEUE', timeoutMs),
    );
  }
  if (blobEndpoint && names.resultsContainer) {
    const container = createBlobServiceClient(config, answer.credential).getContainerClient(
      names.resultsContainer,
    );
    checks.push({
      title: `Storage container "${names.resultsContainer}" (WORKER_RESULTS_CONTAINER)`,
      run: () => container.exists(),
    });
  } else if (blobEndpoint) {
    reachability.push(
      storageReachableLine('Storage blobs', blobEndpoint, 'WORKER_RESULTS_CONTAINER', timeoutMs),
    );
  }
  const authorised = checks.map(async ({ title, run }): Promise<CheckLine> => {
    try {
      const exists = await run();
      return {
        ok: true,
        title: `${title}: authorised${exists ? '' : ' (it does not exist yet; the service creates it or `azd provision` does)'}`,
      };
    } catch (error) {
      const keyless = toKeylessError(error, context);
      return {
        ok: false,
        title: `${title}: ${keyless?.code ?? 'failed'}`,
        details: [keyless?.message.split('\nFix:')[0] ?? messageOf(error)],
        fix:
          keyless?.fix ??
          (/certificate/i.test(messageOf(error))
            ? "The storage endpoint's certificate is not trusted. Locally, run `npm run doctor -- --env-file .local-azure/stack.env`, which trusts the stack's certificate (NODE_EXTRA_CA_CERTS)."
            : 'Check AZURE_STORAGE_QUEUE_ENDPOINT / AZURE_STORAGE_BLOB_ENDPOINT and network access.'),
      };
    }
  });
  return Promise.all([...authorised, ...reachability]);
}

/**
 * The doctor's checklist: configuration, credential, token claims, endpoint, one authorised call,
 * storage. Prints each line (with its fix when it fails) and resolves true when all passed.
 */
export async function runDoctor(
  env: Env,
  write: Write,
  options: DoctorOptions = {},
): Promise<boolean> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  let config: KeylessConfig;
  try {
    config = loadConfig(env);
  } catch (error) {
    const keyless = error instanceof KeylessError ? error : undefined;
    printLine(write, {
      ok: false,
      title: `Configuration: ${keyless?.code ?? 'invalid'}`,
      details: (keyless?.message ?? messageOf(error))
        .split('\n')
        .slice(1)
        .filter((line) => !line.startsWith('Fix:'))
        .map((line) => line.trim()),
      fix: keyless?.fix ?? 'Fix the configuration.',
    });
    return false;
  }
  const lines: CheckLine[] = [];
  const report = (line: CheckLine): CheckLine => {
    lines.push(line);
    printLine(write, line);
    return line;
  };
  report(configLine(config));

  const { line, answer } = await credentialCheck(config, options, timeoutMs);
  report(line);
  const claims = answer ? decodeTokenClaims(answer.token.token) : undefined;
  if (answer) report(tokenLine(config, claims));
  const reachable = report(await reachableLine(config, timeoutMs));
  if (answer && reachable.ok) {
    report(await modelCallLine(config, answer, claims, timeoutMs));
    for (const storage of await storageLines(
      config,
      storageNamesOf(env),
      answer,
      claims,
      timeoutMs,
    ))
      report(storage);
  }
  const failed = lines.filter((entry) => !entry.ok).length;
  write(
    failed === 0 ? '\nAll checks passed.' : `\n${failed} check(s) failed; see the Fix lines above.`,
  );
  return failed === 0;
}
