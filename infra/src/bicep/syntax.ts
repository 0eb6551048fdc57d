/**
 * The Bicep syntax this parser understands: the subset infra/ is written in (parameters, variables,
 * outputs, resources with nested children, modules, loops, conditions, expressions). Statements it
 * does not cover (`type`, `func`, `import`, ...) are reported as errors, never skipped silently.
 */

export interface Located {
  /** 1-based line of the node's first token. */
  readonly line: number;
}

export type Expression =
  | StringExpression
  | NumberExpression
  | BooleanExpression
  | NullExpression
  | IdentifierExpression
  | ObjectExpression
  | ArrayExpression
  | ForExpression
  | IfExpression
  | CallExpression
  | MemberExpression
  | IndexExpression
  | UnaryExpression
  | BinaryExpression
  | TernaryExpression
  | LambdaExpression;

/** A string; `value` is set when it has no interpolation, otherwise read `segments`/`expressions`. */
export interface StringExpression extends Located {
  readonly kind: 'string';
  readonly value: string | undefined;
  readonly segments: readonly string[];
  readonly expressions: readonly Expression[];
}
export interface NumberExpression extends Located {
  readonly kind: 'number';
  readonly value: number;
}
export interface BooleanExpression extends Located {
  readonly kind: 'boolean';
  readonly value: boolean;
}
export interface NullExpression extends Located {
  readonly kind: 'null';
}
export interface IdentifierExpression extends Located {
  readonly kind: 'identifier';
  readonly name: string;
}
export interface ObjectProperty extends Located {
  /** The key; an interpolated key keeps its source form (`${identityId}`) with `computed` set. */
  readonly key: string;
  readonly computed: boolean;
  readonly value: Expression;
}
export interface ObjectExpression extends Located {
  readonly kind: 'object';
  readonly properties: readonly ObjectProperty[];
  /** Child resources declared inside a resource body. */
  readonly resources: readonly ResourceDeclaration[];
}
export interface ArrayExpression extends Located {
  readonly kind: 'array';
  readonly items: readonly Expression[];
}
export interface ForExpression extends Located {
  readonly kind: 'for';
  readonly itemName: string;
  readonly indexName: string | undefined;
  readonly source: Expression;
  readonly body: Expression;
}
export interface IfExpression extends Located {
  readonly kind: 'if';
  readonly condition: Expression;
  readonly body: Expression;
}
export interface CallExpression extends Located {
  readonly kind: 'call';
  /** The function's name (`guid`, `loadJsonContent`, or a method such as `listKeys`). */
  readonly name: string;
  /** The receiver for `account.method()`-style calls, undefined for plain function calls. */
  readonly receiver: Expression | undefined;
  readonly args: readonly Expression[];
}
export interface MemberExpression extends Located {
  readonly kind: 'member';
  readonly object: Expression;
  readonly name: string;
  /** `.` property, `.?` safe property, `::` nested resource. */
  readonly operator: '.' | '.?' | '::';
}
export interface IndexExpression extends Located {
  readonly kind: 'index';
  readonly object: Expression;
  readonly index: Expression;
}
export interface UnaryExpression extends Located {
  readonly kind: 'unary';
  readonly operator: '!' | '-';
  readonly operand: Expression;
}
export interface BinaryExpression extends Located {
  readonly kind: 'binary';
  readonly operator: string;
  readonly left: Expression;
  readonly right: Expression;
}
export interface TernaryExpression extends Located {
  readonly kind: 'ternary';
  readonly condition: Expression;
  readonly whenTrue: Expression;
  readonly whenFalse: Expression;
}
export interface LambdaExpression extends Located {
  readonly kind: 'lambda';
  readonly parameters: readonly string[];
  readonly body: Expression;
}

/** A decorator such as `@description('...')` or `@allowed([...])`, kept as its call. */
export type Decorator = CallExpression;

/** A type as written: `string`, `int`, `bool`, `object`, `array`, or `<name>[]`. */
export interface TypeExpression extends Located {
  readonly name: string;
  readonly isArray: boolean;
}

export interface ParameterDeclaration extends Located {
  readonly kind: 'param';
  readonly name: string;
  readonly type: TypeExpression;
  readonly defaultValue: Expression | undefined;
  readonly decorators: readonly Decorator[];
}
export interface VariableDeclaration extends Located {
  readonly kind: 'var';
  readonly name: string;
  readonly value: Expression;
  readonly decorators: readonly Decorator[];
}
export interface OutputDeclaration extends Located {
  readonly kind: 'output';
  readonly name: string;
  readonly type: TypeExpression;
  readonly value: Expression;
  readonly decorators: readonly Decorator[];
}
export interface ResourceDeclaration extends Located {
  readonly kind: 'resource';
  readonly symbol: string;
  /** Full type, for example `Microsoft.Storage/storageAccounts/queueServices` for a nested child. */
  readonly type: string;
  readonly apiVersion: string | undefined;
  readonly existing: boolean;
  /** The body as written: an object, or an `if`/`for` wrapping one. */
  readonly value: Expression;
  readonly decorators: readonly Decorator[];
  /** The enclosing resource's symbol for a nested child. */
  readonly parent: string | undefined;
}
export interface ModuleDeclaration extends Located {
  readonly kind: 'module';
  readonly symbol: string;
  /** The module's path as written (relative to the declaring file). */
  readonly path: string;
  readonly value: Expression;
  readonly decorators: readonly Decorator[];
}
export interface TargetScopeDeclaration extends Located {
  readonly kind: 'targetScope';
  readonly value: Expression;
}

export type Statement =
  | ParameterDeclaration
  | VariableDeclaration
  | OutputDeclaration
  | ResourceDeclaration
  | ModuleDeclaration
  | TargetScopeDeclaration;

/** One parsed .bicep file, with its declarations indexed by kind. */
export interface BicepFile {
  /** Path relative to infra/, with forward slashes (`core/security/role.bicep`). */
  readonly path: string;
  readonly statements: readonly Statement[];
  readonly targetScope: string | undefined;
  readonly params: readonly ParameterDeclaration[];
  readonly variables: readonly VariableDeclaration[];
  readonly outputs: readonly OutputDeclaration[];
  /** Every resource, nested children included (flattened, with full types). */
  readonly resources: readonly ResourceDeclaration[];
  readonly modules: readonly ModuleDeclaration[];
}
