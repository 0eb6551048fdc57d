/**
 * The service's image parameter in infra/main.parameters.json: azd sets SERVICE_<NAME>_IMAGE_NAME
 * after the first deploy, and main.bicep's `<name>ImageName` parameter reads it from here.
 */
import { camelName, constantName } from '../names.ts';

interface ParametersFile {
  parameters: Record<string, unknown>;
}

export function addImageParameter(text: string, name: string): string {
  const file = JSON.parse(text) as ParametersFile;
  const parameter = `${camelName(name)}ImageName`;
  if (parameter in file.parameters) {
    throw new Error(
      `infra/main.parameters.json already has "${parameter}"; remove it or choose another name.`,
    );
  }
  file.parameters[parameter] = { value: `\${SERVICE_${constantName(name)}_IMAGE_NAME=}` };
  return `${JSON.stringify(file, null, 2)}\n`;
}
