/**
 * What the image build context (the repository root) must leave out, so no local state or
 * credentials reach even the build stages. What the built images hold is checked on the images
 * themselves by @keyless/images (`npx nx run @keyless/images:build-all`).
 */
export const dockerignoreRequired = [
  '**/node_modules',
  '.local-azure',
  '**/.env',
  '**/.env.*',
  '.azure',
  '.nx',
];

export function dockerignoreProblems(dockerignore: string): string[] {
  const ignored = dockerignore.split('\n').map((line) => line.trim());
  return dockerignoreRequired
    .filter((entry) => !ignored.includes(entry))
    .map((entry) => `.dockerignore does not list ${entry}`);
}
