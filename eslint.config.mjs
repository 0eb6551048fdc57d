import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Where configuration may be read from the environment. Everywhere else takes it as an argument.
const envReaders = [
  '**/src/config.ts',
  '**/src/main.ts',
  '**/src/cli.ts',
  '**/src/bin/*.ts',
  '**/test/**',
  '**/bench/**',
  '**/*.test.ts',
  'tools/**',
];

// Tests and benchmarks: what never ships in an image.
const testsAndBenches = ['**/*.test.ts', '**/test/**', '**/bench/**'];

const tags = ['type:app', 'type:lib', 'type:tool', 'type:infra'];

/**
 * Every project depends on libraries; the projects tagged `mayUseTools` may also depend on
 * development tools (`type:tool`, such as the local stack). Each README restates its own rule.
 */
function boundaries(mayUseTools) {
  return {
    enforceBuildableLibDependency: true,
    allow: ['^.*/eslint(\\.base)?\\.config\\.[cm]?[jt]s$'],
    depConstraints: tags.map((sourceTag) => ({
      sourceTag,
      onlyDependOnLibsWithTags: mayUseTools.includes(sourceTag)
        ? ['type:lib', 'type:tool']
        : ['type:lib'],
    })),
  };
}

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  {
    ignores: [
      '**/dist',
      '**/out-tsc',
      '**/node_modules',
      '**/vitest.config.*.timestamp*',
      'templates/**',
    ],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      ...tseslint.configs.recommendedTypeCheckedOnly
        .map((config) => config.rules ?? {})
        .reduce((all, rules) => ({ ...all, ...rules }), {}),
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message:
            'Read configuration once, in src/config.ts (or the entry point), and pass it in as an argument.',
        },
      ],
    },
  },
  {
    files: envReaders,
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/test/**/*.ts', '**/bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(['type:tool'])],
    },
  },
  {
    // Tests and benches of every project may drive the development tools (the local stack);
    // shipped code may not, so no app's src/ can depend on @keyless/local-azure.
    files: testsAndBenches,
    rules: {
      '@nx/enforce-module-boundaries': ['error', boundaries(tags)],
    },
  },
];
