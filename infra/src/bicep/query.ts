import { bodyObject } from './parser.ts';
import type { BicepFile, Decorator, Expression, ObjectExpression } from './syntax.ts';

export { bodyObject };

/** The value at a dotted path inside an object expression (`properties.disableLocalAuth`). */
export function property(
  object: ObjectExpression | undefined,
  path: string,
): Expression | undefined {
  let current: Expression | undefined = object;
  for (const key of path.split('.')) {
    if (current?.kind !== 'object') return undefined;
    current = current.properties.find((candidate) => candidate.key === key)?.value;
  }
  return current;
}

export type Literal = string | number | boolean | null | Literal[] | { [key: string]: Literal };

/** The JSON value of an expression made only of literals; undefined when any part is computed. */
export function literal(expression: Expression | undefined): Literal | undefined {
  if (expression === undefined) return undefined;
  switch (expression.kind) {
    case 'string':
      return expression.value;
    case 'number':
    case 'boolean':
      return expression.value;
    case 'null':
      return null;
    case 'unary':
      if (expression.operator === '-' && expression.operand.kind === 'number') {
        return -expression.operand.value;
      }
      return undefined;
    case 'array': {
      const items = expression.items.map(literal);
      return items.every((item) => item !== undefined) ? items : undefined;
    }
    case 'object': {
      const entries = expression.properties.map(
        (entry) => [entry.key, literal(entry.value)] as const,
      );
      return entries.every(([, value]) => value !== undefined)
        ? (Object.fromEntries(entries) as Record<string, Literal>)
        : undefined;
    }
    default:
      return undefined;
  }
}

/** `a.b.c` as ['a', 'b', 'c'] for a plain identifier/member chain; undefined for anything else. */
export function accessPath(expression: Expression | undefined): string[] | undefined {
  if (expression?.kind === 'identifier') return [expression.name];
  if (expression?.kind === 'member' && expression.operator === '.') {
    const head = accessPath(expression.object);
    return head === undefined ? undefined : [...head, expression.name];
  }
  return undefined;
}

/** Every sub-expression, depth first, the expression itself included. */
export function* descendants(expression: Expression): Generator<Expression> {
  yield expression;
  switch (expression.kind) {
    case 'string':
      for (const inner of expression.expressions) yield* descendants(inner);
      break;
    case 'object':
      for (const entry of expression.properties) yield* descendants(entry.value);
      for (const resource of expression.resources) yield* descendants(resource.value);
      break;
    case 'array':
      for (const item of expression.items) yield* descendants(item);
      break;
    case 'for':
      yield* descendants(expression.source);
      yield* descendants(expression.body);
      break;
    case 'if':
      yield* descendants(expression.condition);
      yield* descendants(expression.body);
      break;
    case 'call':
      if (expression.receiver) yield* descendants(expression.receiver);
      for (const arg of expression.args) yield* descendants(arg);
      break;
    case 'member':
      yield* descendants(expression.object);
      break;
    case 'index':
      yield* descendants(expression.object);
      yield* descendants(expression.index);
      break;
    case 'unary':
      yield* descendants(expression.operand);
      break;
    case 'binary':
      yield* descendants(expression.left);
      yield* descendants(expression.right);
      break;
    case 'ternary':
      yield* descendants(expression.condition);
      yield* descendants(expression.whenTrue);
      yield* descendants(expression.whenFalse);
      break;
    case 'lambda':
      yield* descendants(expression.body);
      break;
    default:
      break;
  }
}

/** Every expression in a file: declarations' values, defaults and decorator arguments. */
export function* allExpressions(file: BicepFile): Generator<Expression> {
  for (const statement of file.statements) {
    if ('decorators' in statement) {
      for (const decorator of statement.decorators) yield* descendants(decorator);
    }
    if (statement.kind === 'param') {
      if (statement.defaultValue) yield* descendants(statement.defaultValue);
    } else {
      yield* descendants(statement.value);
    }
  }
}

/** The first argument of a decorator such as `@description('...')`, when present. */
export function decoratorArgument(
  decorators: readonly Decorator[],
  name: string,
): Expression | undefined | null {
  const decorator = decorators.find((candidate) => candidate.name === name);
  if (decorator === undefined) return null;
  return decorator.args[0];
}

/** The variable a file declares with a given name. */
export function variable(file: BicepFile, name: string): Expression | undefined {
  return file.variables.find((declaration) => declaration.name === name)?.value;
}

/** Compact Bicep source for an expression, for comparing shapes (`guid(a.id, b)`) and for messages. */
export function render(expression: Expression | undefined): string {
  if (expression === undefined) return '<missing>';
  switch (expression.kind) {
    case 'string':
      return `'${expression.segments
        .map((segment, index) => {
          const inner = expression.expressions[index];
          return inner === undefined ? segment : `${segment}\${${render(inner)}}`;
        })
        .join('')}'`;
    case 'number':
    case 'boolean':
      return String(expression.value);
    case 'null':
      return 'null';
    case 'identifier':
      return expression.name;
    case 'object':
      return `{ ${expression.properties.map((entry) => `${entry.key}: ${render(entry.value)}`).join(', ')} }`;
    case 'array':
      return `[${expression.items.map(render).join(', ')}]`;
    case 'for':
      return `[for ${expression.indexName ? `(${expression.itemName}, ${expression.indexName})` : expression.itemName} in ${render(expression.source)}: ${render(expression.body)}]`;
    case 'if':
      return `if (${render(expression.condition)}) ${render(expression.body)}`;
    case 'call':
      return `${expression.receiver ? `${render(expression.receiver)}.` : ''}${expression.name}(${expression.args.map(render).join(', ')})`;
    case 'member':
      return `${render(expression.object)}${expression.operator}${expression.name}`;
    case 'index':
      return `${render(expression.object)}[${render(expression.index)}]`;
    case 'unary':
      return `${expression.operator}${render(expression.operand)}`;
    case 'binary':
      return `${render(expression.left)} ${expression.operator} ${render(expression.right)}`;
    case 'ternary':
      return `${render(expression.condition)} ? ${render(expression.whenTrue)} : ${render(expression.whenFalse)}`;
    case 'lambda':
      return `${expression.parameters.join(', ')} => ${render(expression.body)}`;
  }
}
