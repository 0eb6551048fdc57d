import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allExpressions, literal, property, render, bodyObject } from '../bicep/query.ts';
import type { Finding } from '../findings.ts';
import type { Infra } from '../infra-files.ts';

// ARM list* functions return keys, connection strings or SAS tokens (listKeys, listAccountSas, ...).
const listFunction = /^list[A-Z]|^list$/;
const keyNamedProperty = /(keys?|secrets?|password|connectionstrings?|sas(token)?)$/i;
const keyNamedOutput = /(KEYS?|SECRETS?|PASSWORD|CONNECTION_STRINGS?|SAS)(_|$)/;
const keyLikeText = [
  'AccountKey=',
  'SharedAccessSignature=',
  'SharedAccessKey=',
  'DefaultEndpointsProtocol=',
];

// Files around the Bicep that reach Azure; scanned as text for the same markers plus CLI key commands.
const scriptFiles = ['main.parameters.json', 'hooks/write-env.sh', 'hooks/write-env.ps1'];
const scriptMarkers = [
  ...keyLikeText,
  'listKeys',
  'keys list',
  'connection-string',
  'api-key',
  'API_KEY',
];

/** Fails on anything that reads, passes or outputs a key, a secret or a connection string. */
export function checkKeyLike(infra: Infra): Finding[] {
  const findings: Finding[] = [];
  for (const file of infra.files.values()) {
    const report = (line: number, message: string) =>
      findings.push({ check: 'key-like', file: file.path, line, message });
    for (const expression of allExpressions(file)) {
      if (expression.kind === 'call' && listFunction.test(expression.name)) {
        report(
          expression.line,
          `${render(expression)} reads keys or tokens; use the resource's managed identity and an RBAC role instead.`,
        );
      }
      if (expression.kind === 'member' && keyNamedProperty.test(expression.name)) {
        report(
          expression.line,
          `${render(expression)} reads a key or secret; nothing in this template may hold one.`,
        );
      }
      if (expression.kind === 'string') {
        const text = expression.segments.join('');
        for (const marker of keyLikeText.filter((candidate) => text.includes(candidate))) {
          report(
            expression.line,
            `a string contains '${marker}' (a key-based connection string); pass endpoints and use Entra ID tokens.`,
          );
        }
      }
      if (expression.kind === 'object') {
        for (const entry of expression.properties) {
          if (keyNamedProperty.test(entry.key)) {
            report(
              entry.line,
              `property '${entry.key}' carries a key or secret; this template passes none (Container Apps get identities, not secrets).`,
            );
          }
        }
      }
    }
    for (const resource of file.resources) {
      if (literal(property(bodyObject(resource.value), 'properties.adminUserEnabled')) === true) {
        report(
          resource.line,
          `'${resource.symbol}' has adminUserEnabled: true (a registry password); set it to false and pull with AcrPull.`,
        );
      }
    }
    for (const declaration of [...file.params, ...file.outputs]) {
      if (declaration.decorators.some((decorator) => decorator.name === 'secure')) {
        report(
          declaration.line,
          `${declaration.kind} '${declaration.name}' is @secure(): this template passes no secrets; use an identity and a role.`,
        );
      }
    }
    for (const output of file.outputs) {
      if (keyNamedOutput.test(output.name)) {
        report(
          output.line,
          `output '${output.name}' looks like it carries a key or connection string; outputs are endpoints and names only.`,
        );
      }
    }
  }
  for (const path of scriptFiles) {
    const lines = readFileSync(join(infra.location.infraDir, path), 'utf8').split('\n');
    lines.forEach((text, index) => {
      for (const marker of scriptMarkers.filter((candidate) => text.includes(candidate))) {
        findings.push({
          check: 'key-like',
          file: path,
          line: index + 1,
          message: `contains '${marker}' (text scan); the template handles no keys, connection strings or api-key headers.`,
        });
      }
    });
  }
  return findings;
}
