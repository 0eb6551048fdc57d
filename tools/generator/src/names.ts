/**
 * What a service may be called. The name becomes the folder `apps/<name>`, the package
 * `@keyless/<name>`, the identity `id-<name>-<token>` and the Container App `ca-<name>-<token>`,
 * where `<token>` is the 13 characters of Bicep's `uniqueString()`. Container App names are
 * 2-32 lowercase letters, digits and hyphens (RFC 1123 labels, no `--`), so the service name keeps
 * 32 - `ca-`.length - `-<token>`.length = 15 characters.
 */
export const maxServiceNameLength = 32 - 'ca-'.length - '-'.length - 13;

/** Names that mean something else in this repository, or in Azure. */
export const reservedNames: ReadonlyMap<string, string> = new Map([
  // Workspace folders and well-known project folders: `apps/test` or `apps/src` would read as tooling.
  ['apps', 'a workspace folder'],
  ['packages', 'a workspace folder'],
  ['tools', 'a workspace folder'],
  ['templates', 'the generator templates folder'],
  ['infra', 'the infra project'],
  ['docs', 'the docs folder'],
  ['shared', 'a workspace folder'],
  ['node-modules', 'npm’s install folder'],
  ['src', 'a source folder name'],
  ['test', 'a test folder name'],
  ['tests', 'a test folder name'],
  ['bench', 'a benchmark folder name'],
  ['dist', 'the build output folder'],
  ['bin', 'a scripts folder name'],
  ['lib', 'a library folder name'],
  ['source', 'the root package (@keyless/source)'],
  // The local stack's own principal and the shared libraries' names, so `id-<name>` and
  // `@keyless/<name>` never collide with one of theirs, even before they exist as folders.
  ['developer', 'the local developer principal'],
  ['auth', 'the @keyless/auth package'],
  ['roles', 'the @keyless/roles package'],
  ['local-azure', 'the @keyless/local-azure package'],
  ['logging', 'the @keyless/logging package'],
  ['registry', 'the @keyless/registry package'],
  ['service-kit', 'the @keyless/service-kit package'],
  ['generator', 'this generator'],
  ['build', 'the @keyless/build tool'],
  ['repo-checks', 'the @keyless/repo-checks tool'],
  // Azure refuses these as resource names with a public endpoint (ReservedResourceName).
  ['azure', 'an Azure reserved word'],
  ['login', 'an Azure reserved word'],
]);

/** Azure refuses any resource name that contains these (ReservedResourceName). */
const reservedSubstrings = ['microsoft', 'windows'];

const accepted = `lowercase letters, digits and single hyphens, starting with a letter and ending with a letter or digit, 2-${maxServiceNameLength} characters (for example "billing" or "doc-search")`;

/**
 * Why `name` cannot be a new service, or undefined when it can. `taken` holds the names already in
 * use: folders in apps/, packages/ and tools/, and workspace package names without `@keyless/`.
 */
export function serviceNameProblem(name: string, taken: ReadonlySet<string>): string | undefined {
  if (name.length === 0) return `A service name is required: ${accepted}.`;
  if (name.length < 2 || name.length > maxServiceNameLength) {
    const length = `${name.length} character${name.length === 1 ? '' : 's'} long`;
    return `"${name}" is ${length}; use ${accepted}. The limit comes from the Container App name ca-<name>-<13-character token>, which Azure caps at 32.`;
  }
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(name)) {
    return `"${name}" ${nameShapeProblem(name)}; use ${accepted}.`;
  }
  if (name.includes('--')) {
    return `"${name}" has two hyphens in a row, which Azure Container Apps refuses; use ${accepted}.`;
  }
  const reserved = reservedNames.get(name);
  if (reserved) return `"${name}" is reserved (${reserved}); choose another name.`;
  const substring = reservedSubstrings.find((word) => name.includes(word));
  if (substring) {
    return `"${name}" contains "${substring}", which Azure refuses in resource names (ReservedResourceName); choose another name.`;
  }
  if (taken.has(name)) {
    return `"${name}" already exists in this workspace (apps/${name} or @keyless/${name}); choose another name, or edit the existing service.`;
  }
  return undefined;
}

/** What is wrong with a name that fails the accepted pattern, in words. */
function nameShapeProblem(name: string): string {
  if (/[A-Z]/.test(name)) return 'has uppercase letters';
  const other = /[^a-z0-9-]/.exec(name);
  if (other) return `has "${other[0]}" in it`;
  if (!/^[a-z]/.test(name)) return 'does not start with a letter';
  return 'ends with a hyphen';
}
