import { BicepSyntaxError } from './errors.ts';
import { tokenize, type Token } from './lexer.ts';
import type {
  BicepFile,
  Decorator,
  Expression,
  ObjectExpression,
  ObjectProperty,
  ResourceDeclaration,
  Statement,
  TypeExpression,
} from './syntax.ts';

// Binding power of each binary operator (higher binds tighter), as in Bicep's grammar.
const binaryPrecedence: Record<string, number> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '=~': 4,
  '!~': 4,
  '<': 5,
  '>': 5,
  '<=': 5,
  '>=': 5,
  '+': 6,
  '-': 6,
  '*': 7,
  '/': 7,
  '%': 7,
};

const unsupportedStatements = new Set(['import', 'type', 'func', 'metadata', 'extension', 'using']);

class Parser {
  private position = 0;
  private readonly tokens: readonly Token[];
  private readonly file: string;

  constructor(tokens: readonly Token[], file: string) {
    this.tokens = tokens;
    this.file = file;
  }

  parseFile(): Statement[] {
    const statements: Statement[] = [];
    this.skipNewlines();
    while (this.peek().kind !== 'eof') {
      statements.push(this.parseStatement());
      if (this.peek().kind !== 'eof') this.expectNewline();
      this.skipNewlines();
    }
    return statements;
  }

  parseStandaloneExpression(): Expression {
    const expression = this.parseExpression();
    if (this.peek().kind !== 'eof') this.fail('unexpected token after an interpolated expression');
    return expression;
  }

  private parseStatement(): Statement {
    const decorators = this.parseDecorators();
    const keyword = this.expectIdentifier();
    const line = this.previous().line;
    switch (keyword) {
      case 'targetScope': {
        this.expectPunctuation('=');
        return { kind: 'targetScope', value: this.parseExpression(), line };
      }
      case 'param': {
        const name = this.expectIdentifier();
        const type = this.parseType();
        const defaultValue = this.acceptPunctuation('=') ? this.parseExpression() : undefined;
        return { kind: 'param', name, type, defaultValue, decorators, line };
      }
      case 'var': {
        const name = this.expectIdentifier();
        this.expectPunctuation('=');
        return { kind: 'var', name, value: this.parseExpression(), decorators, line };
      }
      case 'output': {
        const name = this.expectIdentifier();
        const type = this.parseType();
        this.expectPunctuation('=');
        return { kind: 'output', name, type, value: this.parseExpression(), decorators, line };
      }
      case 'resource':
        return this.parseResource(decorators, line, undefined);
      case 'module': {
        const symbol = this.expectIdentifier();
        const path = this.expectPlainString('module path');
        this.expectPunctuation('=');
        return { kind: 'module', symbol, path, value: this.parseExpression(), decorators, line };
      }
      default:
        return this.fail(
          unsupportedStatements.has(keyword)
            ? `'${keyword}' statements are not supported`
            : `unknown statement '${keyword}'`,
        );
    }
  }

  private parseResource(
    decorators: readonly Decorator[],
    line: number,
    parent: ResourceDeclaration | undefined,
  ): ResourceDeclaration {
    const symbol = this.expectIdentifier();
    const typeReference = this.expectPlainString('resource type');
    const [typeName = '', written] = typeReference.split('@');
    const type = parent === undefined ? typeName : `${parent.type}/${typeName}`;
    const apiVersion = written ?? parent?.apiVersion;
    const existing = this.peekIdentifier('existing');
    if (existing) this.advance();
    this.expectPunctuation('=');
    const value = this.parseExpression();
    return {
      kind: 'resource',
      symbol,
      type,
      apiVersion,
      existing,
      value,
      decorators,
      parent: parent?.symbol,
      line,
    };
  }

  private parseDecorators(): Decorator[] {
    const decorators: Decorator[] = [];
    while (this.acceptPunctuation('@')) {
      const expression = this.parsePostfix(this.parsePrimary());
      if (expression.kind !== 'call') this.fail('a decorator must be a function call');
      decorators.push(expression);
      this.expectNewline();
      this.skipNewlines();
    }
    return decorators;
  }

  private parseType(): TypeExpression {
    const line = this.peek().line;
    const name = this.expectIdentifier();
    let isArray = false;
    if (this.peekPunctuation('[') && this.peekPunctuation(']', 1)) {
      this.advance();
      this.advance();
      isArray = true;
    }
    return { name, isArray, line };
  }

  private parseExpression(): Expression {
    const condition = this.parseBinary(1);
    if (!this.acceptPunctuation('?')) return condition;
    this.skipNewlines();
    const whenTrue = this.parseExpression();
    this.skipNewlines();
    this.expectPunctuation(':');
    this.skipNewlines();
    const whenFalse = this.parseExpression();
    return { kind: 'ternary', condition, whenTrue, whenFalse, line: condition.line };
  }

  private parseBinary(minimum: number): Expression {
    let left = this.parseUnary();
    for (;;) {
      const token = this.peek();
      const precedence = token.kind === 'punctuation' ? binaryPrecedence[token.text] : undefined;
      if (precedence === undefined || precedence < minimum || token.kind !== 'punctuation') {
        return left;
      }
      this.advance();
      this.skipNewlines();
      const right = this.parseBinary(precedence + 1);
      left = { kind: 'binary', operator: token.text, left, right, line: left.line };
    }
  }

  private parseUnary(): Expression {
    const token = this.peek();
    if (token.kind === 'punctuation' && (token.text === '!' || token.text === '-')) {
      this.advance();
      return { kind: 'unary', operator: token.text, operand: this.parseUnary(), line: token.line };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  private parsePostfix(start: Expression): Expression {
    let expression = start;
    for (;;) {
      if (this.peekPunctuation('.') || this.peekPunctuation('.?') || this.peekPunctuation('::')) {
        const token = this.advance();
        const operator =
          token.kind === 'punctuation' && (token.text === '.?' || token.text === '::')
            ? token.text
            : '.';
        const name = this.expectIdentifier();
        if (this.peekPunctuation('(')) {
          expression = {
            kind: 'call',
            name,
            receiver: expression,
            args: this.parseArguments(),
            line: expression.line,
          };
        } else {
          expression = {
            kind: 'member',
            object: expression,
            name,
            operator,
            line: expression.line,
          };
        }
      } else if (this.peekPunctuation('[')) {
        // `?[` (safe index) is not supported: without whitespace tracking it reads like `cond ? [...]`.
        this.advance();
        this.skipNewlines();
        const index = this.parseExpression();
        this.skipNewlines();
        this.expectPunctuation(']');
        expression = { kind: 'index', object: expression, index, line: expression.line };
      } else {
        return expression;
      }
    }
  }

  private parseArguments(): Expression[] {
    this.expectPunctuation('(');
    const args: Expression[] = [];
    this.skipNewlines();
    while (!this.acceptPunctuation(')')) {
      args.push(this.parseExpression());
      this.skipNewlines();
      if (this.acceptPunctuation(',')) this.skipNewlines();
      else if (!this.peekPunctuation(')')) this.fail("expected ',' or ')' in an argument list");
    }
    return args;
  }

  private parsePrimary(): Expression {
    const token = this.advance();
    const line = token.line;
    switch (token.kind) {
      case 'number':
        return { kind: 'number', value: token.value, line };
      case 'string':
        return this.stringExpression(token);
      case 'identifier': {
        if (token.text === 'true' || token.text === 'false') {
          return { kind: 'boolean', value: token.text === 'true', line };
        }
        if (token.text === 'null') return { kind: 'null', line };
        if (token.text === 'if' && this.peekPunctuation('(')) {
          this.advance();
          const condition = this.parseExpression();
          this.expectPunctuation(')');
          return { kind: 'if', condition, body: this.parseExpression(), line };
        }
        if (this.peekPunctuation('=>')) {
          this.advance();
          return { kind: 'lambda', parameters: [token.text], body: this.parseExpression(), line };
        }
        if (this.peekPunctuation('(')) {
          return {
            kind: 'call',
            name: token.text,
            receiver: undefined,
            args: this.parseArguments(),
            line,
          };
        }
        return { kind: 'identifier', name: token.text, line };
      }
      case 'punctuation': {
        if (token.text === '{') return this.parseObject(line);
        if (token.text === '[') return this.parseArray(line);
        if (token.text === '(') {
          this.skipNewlines();
          const inner = this.parseExpression();
          this.skipNewlines();
          this.expectPunctuation(')');
          return inner;
        }
        return this.fail(`unexpected '${token.text}'`);
      }
      default:
        return this.fail('unexpected end of line');
    }
  }

  private stringExpression(token: Extract<Token, { kind: 'string' }>): Expression {
    const expressions = token.interpolations.map((tokens) =>
      new Parser(
        [...tokens, { kind: 'eof', line: token.line }],
        this.file,
      ).parseStandaloneExpression(),
    );
    const value = expressions.length === 0 ? token.segments.join('') : undefined;
    return { kind: 'string', value, segments: token.segments, expressions, line: token.line };
  }

  private parseObject(line: number): ObjectExpression {
    const properties: ObjectProperty[] = [];
    const resources: ResourceDeclaration[] = [];
    this.skipNewlines();
    while (!this.acceptPunctuation('}')) {
      const decorators = this.parseDecorators();
      const keyToken = this.advance();
      if (
        keyToken.kind === 'identifier' &&
        keyToken.text === 'resource' &&
        this.peek().kind === 'identifier'
      ) {
        // A nested child resource; its type is relative to the enclosing resource, resolved later.
        resources.push(this.parseResource(decorators, keyToken.line, placeholderParent));
      } else {
        let key: string;
        let computed = false;
        if (keyToken.kind === 'identifier') key = keyToken.text;
        else if (keyToken.kind === 'string') {
          key = keyToken.segments.join('${}');
          computed = keyToken.interpolations.length > 0;
        } else return this.fail('expected a property name');
        this.expectPunctuation(':');
        this.skipNewlines();
        properties.push({ key, computed, value: this.parseExpression(), line: keyToken.line });
      }
      if (!this.acceptPunctuation(',') && !this.peekPunctuation('}')) this.expectNewline();
      this.skipNewlines();
    }
    return { kind: 'object', properties, resources, line };
  }

  private parseArray(line: number): Expression {
    this.skipNewlines();
    if (this.peekIdentifier('for')) {
      this.advance();
      let itemName: string;
      let indexName: string | undefined;
      if (this.acceptPunctuation('(')) {
        itemName = this.expectIdentifier();
        this.expectPunctuation(',');
        indexName = this.expectIdentifier();
        this.expectPunctuation(')');
      } else {
        itemName = this.expectIdentifier();
      }
      if (this.expectIdentifier() !== 'in') this.fail("expected 'in' in a for expression");
      const source = this.parseExpression();
      this.expectPunctuation(':');
      this.skipNewlines();
      const body = this.parseExpression();
      this.skipNewlines();
      this.expectPunctuation(']');
      return { kind: 'for', itemName, indexName, source, body, line };
    }
    const items: Expression[] = [];
    while (!this.acceptPunctuation(']')) {
      items.push(this.parseExpression());
      if (!this.acceptPunctuation(',')) this.expectNewlineOrNothing();
      this.skipNewlines();
    }
    return { kind: 'array', items, line };
  }

  // Token helpers.
  private peek(offset = 0): Token {
    return (
      this.tokens[this.position + offset] ?? { kind: 'eof', line: this.tokens.at(-1)?.line ?? 1 }
    );
  }
  private previous(): Token {
    return this.tokens[this.position - 1] ?? this.peek();
  }
  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.position += 1;
    return token;
  }
  private peekPunctuation(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'punctuation' && token.text === text;
  }
  private peekIdentifier(text: string): boolean {
    const token = this.peek();
    return token.kind === 'identifier' && token.text === text;
  }
  private acceptPunctuation(text: string): boolean {
    if (!this.peekPunctuation(text)) return false;
    this.advance();
    return true;
  }
  private expectPunctuation(text: string): void {
    if (!this.acceptPunctuation(text)) this.fail(`expected '${text}'`);
  }
  private expectIdentifier(): string {
    const token = this.advance();
    if (token.kind !== 'identifier') return this.fail('expected a name');
    return token.text;
  }
  private expectPlainString(what: string): string {
    const token = this.advance();
    if (token.kind !== 'string' || token.interpolations.length > 0) {
      return this.fail(`expected a plain string for the ${what}`);
    }
    return token.segments.join('');
  }
  private expectNewline(): void {
    if (this.peek().kind !== 'newline') this.fail('expected the end of the line');
  }
  // Single-line arrays ([a, b]) end without a newline before `]`.
  private expectNewlineOrNothing(): void {
    if (this.peek().kind !== 'newline' && !this.peekPunctuation(']')) {
      this.fail("expected ',' or a new line between array items");
    }
  }
  private skipNewlines(): void {
    while (this.peek().kind === 'newline') this.advance();
  }
  private fail(message: string): never {
    throw new BicepSyntaxError(this.file, this.peek().line, message);
  }
}

// Nested resources are parsed before their parent declaration is complete; this marker is replaced
// by the real parent when the file's resources are flattened.
const placeholderParent: ResourceDeclaration = {
  kind: 'resource',
  symbol: '',
  type: '',
  apiVersion: undefined,
  existing: false,
  value: { kind: 'null', line: 0 },
  decorators: [],
  parent: undefined,
  line: 0,
};

/** The object a resource or module body resolves to, through any `if (...)` or `for` around it. */
export function bodyObject(value: Expression): ObjectExpression | undefined {
  if (value.kind === 'object') return value;
  if (value.kind === 'if' || value.kind === 'for') return bodyObject(value.body);
  return undefined;
}

function flattenResources(
  resource: ResourceDeclaration,
  parent: ResourceDeclaration | undefined,
): ResourceDeclaration[] {
  const [typeName = '', written] = resource.type.replace(/^\//, '').split('@');
  const resolved: ResourceDeclaration =
    resource.parent === ''
      ? {
          ...resource,
          type: `${parent?.type ?? ''}/${typeName}`,
          apiVersion: written ?? resource.apiVersion ?? parent?.apiVersion,
          parent: parent?.symbol,
        }
      : resource;
  const children = bodyObject(resolved.value)?.resources ?? [];
  return [resolved, ...children.flatMap((child) => flattenResources(child, resolved))];
}

/** Parses one .bicep file; throws BicepSyntaxError naming the file and line for anything it cannot read. */
export function parseBicep(source: string, path: string): BicepFile {
  const statements = new Parser(tokenize(source, path), path).parseFile();
  const resources = statements
    .filter((statement) => statement.kind === 'resource')
    .flatMap((resource) => flattenResources(resource, undefined));
  const targetScope = statements.find((statement) => statement.kind === 'targetScope');
  return {
    path,
    statements,
    targetScope:
      targetScope?.value.kind === 'string' ? targetScope.value.value : targetScope ? '' : undefined,
    params: statements.filter((statement) => statement.kind === 'param'),
    variables: statements.filter((statement) => statement.kind === 'var'),
    outputs: statements.filter((statement) => statement.kind === 'output'),
    resources,
    modules: statements.filter((statement) => statement.kind === 'module'),
  };
}
