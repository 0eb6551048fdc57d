export { createLogger } from './logger.ts';
export type { LoggerOptions } from './logger.ts';
export { stdoutDestination } from './destination.ts';
export { redactedPaths } from './redaction.ts';
export type { DestinationStream, Logger } from 'pino';
