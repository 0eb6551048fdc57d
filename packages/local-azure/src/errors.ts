import type { z } from 'zod';

/** A configuration file of the local stack is missing or wrong. */
export class LocalAzureConfigError extends Error {
  override readonly name = 'LocalAzureConfigError';
  readonly code = 'LOCAL_AZURE_ERR_CONFIG';

  static fromZod(path: string | URL, error: z.ZodError): LocalAzureConfigError {
    const where = path instanceof URL ? decodeURIComponent(path.pathname) : path;
    const problems = error.issues.map(
      (issue) => `  - ${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`,
    );
    return new LocalAzureConfigError(
      `${where} is not valid:\n${problems.join('\n')}\nFix these fields; docs/ARCHITECTURE.md ("Local identities and grants") describes the file.`,
    );
  }
}

/** Something already listens on a port the stack wants. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'LOCAL_AZURE_ERR_PORT_IN_USE';
  readonly port: number;
  readonly service: string;

  constructor(port: number, service: string, envVar: string | undefined, options?: ErrorOptions) {
    const override = envVar ? `, or give the ${service} another port with ${envVar}=<port>` : '';
    super(
      `Port ${port} is already in use, so the ${service} cannot listen on it. ` +
        `Another \`npm start\` may still be running: stop it, or find the process with \`lsof -i :${port}\` (or \`ss -ltnp 'sport = :${port}'\`) and end it${override}.`,
      options,
    );
    this.port = port;
    this.service = service;
  }
}
