/**
 * What can be said about a slot's value type from syntax alone: `T` from the annotations the author wrote, and
 * whether the initializer can produce a falsy value. Used without type information, and before it when there is.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { walk, type Node } from './ast.js';

const NULLISH_TYPES = new Set(['TSUndefinedKeyword', 'TSNullKeyword', 'TSVoidKeyword']);

/** Members of a union that need parentheses when they stand beside others in a new union. */
const NEEDS_PARENS_IN_UNION = new Set(['TSFunctionType', 'TSConstructorType', 'TSConditionalType', 'TSInferType']);

/** The annotation without `undefined`/`null`/`void` (`Db | undefined` gives `Db`), as source text. */
export const stripNullishType = (node: TSESTree.TypeNode | undefined, text: string): { text: string; node: TSESTree.TypeNode | undefined } | undefined => {
  if (node === undefined) return undefined;
  const members = node.type === 'TSUnionType' ? node.types : [node];
  const kept = members.filter((member) => !NULLISH_TYPES.has(member.type));
  if (kept.length === 0) return undefined;
  if (kept.length === members.length) return { text: slice(node, text), node };
  if (kept.length === 1) return { text: slice(kept[0]!, text), node: kept[0] };
  return {
    text: kept.map((member) => (NEEDS_PARENS_IN_UNION.has(member.type) ? `(${slice(member, text)})` : slice(member, text))).join(' | '),
    node: undefined,
  };
};

const slice = (node: { range: TSESTree.Range }, text: string): string => text.slice(node.range[0], node.range[1]);

/** `Promise<X>` / `PromiseLike<X>` gives `X`. */
export const unwrapPromiseType = (node: TSESTree.TypeNode | undefined, text: string): string | undefined => {
  if (node?.type !== 'TSTypeReference' || node.typeName.type !== 'Identifier') return undefined;
  if (node.typeName.name !== 'Promise' && node.typeName.name !== 'PromiseLike') return undefined;
  const args = node.typeArguments?.params;
  return args?.length === 1 ? slice(args[0]!, text) : undefined;
};

/** The type names a type node refers to (leftmost identifiers of references and `typeof` queries). */
export const referencedTypeNames = (node: TSESTree.TypeNode): string[] => {
  const names: string[] = [];
  walk(node, (child) => {
    if (child.type === 'TSTypeReference') {
      let name: TSESTree.EntityName = child.typeName;
      while (name.type === 'TSQualifiedName') name = name.left;
      if (name.type === 'Identifier') names.push(name.name);
    }
  });
  return names;
};

const FALSY_KEYWORDS = new Set([
  'TSStringKeyword',
  'TSNumberKeyword',
  'TSBooleanKeyword',
  'TSBigIntKeyword',
  'TSAnyKeyword',
  'TSUnknownKeyword',
  'TSNullKeyword',
  'TSUndefinedKeyword',
  'TSVoidKeyword',
  'TSTemplateLiteralType',
  'TSTypeQuery',
  'TSTypeOperator',
  'TSIndexedAccessType',
  'TSConditionalType',
  'TSMappedType',
  'TSInferType',
]);

/**
 * The annotated type may hold a falsy value, judged from syntax: primitives, falsy literals, and aliases or enums of
 * this file that lead to them. A reference to a type declared elsewhere is taken to be an object type, as classes and
 * interfaces are; a type parameter may be anything.
 */
export const typeNodeMayBeFalsy = (
  node: TSESTree.TypeNode,
  program: TSESTree.Program,
  typeParameters: ReadonlySet<string>,
  depth = 0,
): boolean => {
  if (depth > 8) return true;
  switch (node.type) {
    case 'TSUnionType':
    case 'TSIntersectionType':
      return node.types.some((member) => typeNodeMayBeFalsy(member, program, typeParameters, depth + 1));
    case 'TSLiteralType': {
      const literal = node.literal;
      if (literal.type === 'Literal') return !literal.value;
      if (literal.type === 'TemplateLiteral') return literal.quasis.every((quasi) => quasi.value.cooked === '');
      return true;
    }
    case 'TSTypeReference': {
      if (node.typeName.type !== 'Identifier') return false;
      const name = node.typeName.name;
      if (typeParameters.has(name)) return true;
      const declaration = findLocalType(program, name);
      if (declaration === undefined) return false;
      if (declaration.type === 'TSEnumDeclaration') return true;
      if (declaration.type === 'TSTypeAliasDeclaration') {
        if (declaration.typeParameters) return true;
        return typeNodeMayBeFalsy(declaration.typeAnnotation, program, typeParameters, depth + 1);
      }
      return false;
    }
    default:
      return FALSY_KEYWORDS.has(node.type);
  }
};

const findLocalType = (
  program: TSESTree.Program,
  name: string,
): TSESTree.TSTypeAliasDeclaration | TSESTree.TSEnumDeclaration | TSESTree.TSInterfaceDeclaration | TSESTree.ClassDeclaration | undefined => {
  for (const statement of program.body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (
      (declaration?.type === 'TSTypeAliasDeclaration' ||
        declaration?.type === 'TSEnumDeclaration' ||
        declaration?.type === 'TSInterfaceDeclaration' ||
        declaration?.type === 'ClassDeclaration') &&
      declaration.id?.name === name
    ) {
      return declaration;
    }
  }
  return undefined;
};

/**
 * The expression always produces a truthy value, judged from syntax: objects, arrays, functions, classes, `new`,
 * non-empty strings and non-zero numbers, and calls of functions of this file whose every `return` is such a value.
 */
export const expressionIsTruthy = (node: Node, program: TSESTree.Program, depth = 0): boolean => {
  switch (node.type) {
    case 'NewExpression':
    case 'ObjectExpression':
    case 'ArrayExpression':
    case 'ClassExpression':
    case 'FunctionExpression':
    case 'ArrowFunctionExpression':
      return true;
    case 'Literal':
      return Boolean(node.value) || ('regex' in node && node.regex !== undefined);
    case 'TemplateLiteral':
      return node.quasis.some((quasi) => quasi.value.cooked !== '');
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSNonNullExpression':
    case 'TSTypeAssertion':
      return expressionIsTruthy(node.expression, program, depth);
    case 'SequenceExpression':
      return expressionIsTruthy(node.expressions.at(-1)!, program, depth);
    case 'ConditionalExpression':
      return expressionIsTruthy(node.consequent, program, depth) && expressionIsTruthy(node.alternate, program, depth);
    case 'LogicalExpression':
      // `a || b` is truthy when `b` is; `a ?? b` when both are.
      if (node.operator === '||') return expressionIsTruthy(node.right, program, depth);
      if (node.operator === '??') return expressionIsTruthy(node.left, program, depth) && expressionIsTruthy(node.right, program, depth);
      return false;
    case 'CallExpression': {
      if (depth > 3 || node.callee.type !== 'Identifier') return false;
      const callee = findLocalFunction(program, node.callee.name);
      if (callee === undefined) return false;
      if (callee.async) return true;
      if (callee.expression) return expressionIsTruthy(callee.body as Node, program, depth + 1);
      const returns: (TSESTree.Expression | null)[] = [];
      walk(callee.body as Node, (child) => {
        if (child !== callee.body && (child.type === 'FunctionDeclaration' || child.type === 'FunctionExpression' || child.type === 'ArrowFunctionExpression')) {
          return false;
        }
        if (child.type === 'ReturnStatement') returns.push(child.argument);
        return undefined;
      });
      return returns.length > 0 && returns.every((argument) => argument !== null && expressionIsTruthy(argument, program, depth + 1));
    }
    default:
      return false;
  }
};

const findLocalFunction = (program: TSESTree.Program, name: string): TSESTree.FunctionLike | undefined => {
  for (const statement of program.body) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
    if (declaration?.type === 'FunctionDeclaration' && declaration.id?.name === name) return declaration;
    if (declaration?.type === 'VariableDeclaration' && declaration.kind === 'const') {
      for (const declarator of declaration.declarations) {
        if (
          declarator.id.type === 'Identifier' &&
          declarator.id.name === name &&
          (declarator.init?.type === 'ArrowFunctionExpression' || declarator.init?.type === 'FunctionExpression')
        ) {
          return declarator.init;
        }
      }
    }
  }
  return undefined;
};
