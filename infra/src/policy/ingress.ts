import type { PredictedResource } from '../cli/run.ts';
import type { Finding } from './finding.ts';
import { label, ofType, prop } from './resources.ts';

const fix =
  'give the app Entra ID authentication (core/host/container-app.bicep does it when entraAppId is set: authConfigs with the Entra provider, Return401, no secret) or keep its ingress internal (external: false)';

/**
 * No Container App accepts anonymous internet traffic: external ingress only together with built-in
 * Entra ID authentication that validates bearer tokens, answers 401 to anonymous calls, has an
 * audience and no client secret.
 */
export function checkIngress(resources: readonly PredictedResource[]): Finding[] {
  const authConfigs = ofType(resources, 'Microsoft.App/containerApps/authConfigs');
  return ofType(resources, 'Microsoft.App/containerApps')
    .filter((app) => prop(app, 'configuration.ingress.external') === true)
    .flatMap((app): Finding[] => {
      const auth = authConfigs.find((config) => config.name === `${app.name}/current`);
      const finding = (problem: string): Finding => ({
        check: 'ingress',
        resource: label(app),
        problem,
        fix,
      });
      if (auth === undefined) {
        return [
          finding(
            'has external ingress and no Entra ID authentication (authConfigs), so anyone on the internet can call it',
          ),
        ];
      }
      const problems: Finding[] = [];
      if (prop(auth, 'platform.enabled') !== true) {
        problems.push(finding('has external ingress and its authConfigs is not enabled'));
      }
      if (prop(auth, 'globalValidation.unauthenticatedClientAction') !== 'Return401') {
        problems.push(
          finding(
            'lets unauthenticated requests through (unauthenticatedClientAction is not Return401)',
          ),
        );
      }
      if (prop(auth, 'identityProviders.azureActiveDirectory.enabled') !== true) {
        problems.push(finding('has no enabled Entra ID (azureActiveDirectory) provider'));
      }
      const audiences = prop(
        auth,
        'identityProviders.azureActiveDirectory.validation.allowedAudiences',
      );
      if (!Array.isArray(audiences) || audiences.length === 0) {
        problems.push(finding('accepts tokens for any audience (no allowedAudiences)'));
      }
      if (
        prop(
          auth,
          'identityProviders.azureActiveDirectory.registration.clientSecretSettingName',
        ) !== undefined
      ) {
        problems.push(finding('configures a client secret; bearer-token validation needs none'));
      }
      return problems;
    });
}
