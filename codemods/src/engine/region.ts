/**
 * A guarded region that computes the value in more than one statement: the slot is stored, then configured
 * (`if (!x) { x = {}; fill(x); }`), stored in every branch (`if (a) x = f(); else x = g();`), or stored inside a
 * `try` whose `catch` stores a fallback or rethrows. The planner turns such a region into the body of the initializer:
 * the slot becomes a local of that body, every store a write of the local, every read a read of it, and the body
 * ends by returning the local.
 *
 * That is the same program only when the local always holds what the slot would have held, so a region is accepted
 * only when:
 * - every way out of it (other than a throw) has stored a value, and every read of the slot in it comes after a store;
 * - nothing in it leaves the guarded code early (`return`, `yield`, a `break` or `continue` to a loop outside it);
 * - it declares nothing that code outside it could see (`var`, function declarations);
 * - every write of the slot in it is a plain assignment of its own statement level, outside nested functions;
 * - it runs none of the file's functions that use the slot elsewhere (they would see the cell still empty).
 * A region that fails one of these gets the reason back as text, and its slot is skipped.
 */
import type { TSESTree } from '@typescript-eslint/typescript-estree';
import { contains, isFunctionNode, parentOf, walk, type Node } from './ast.js';

/** What running a statement does to the slot when it completes normally. */
type Outcome = 'stores' | 'throws' | 'maybe';

export interface RegionFacts {
  /** The slot's writes inside the region, in source order. */
  readonly writes: readonly TSESTree.AssignmentExpression[];
  /** The slot's reads inside the region. */
  readonly reads: readonly Node[];
  /** The region awaits outside nested functions. */
  readonly awaits: boolean;
  /** A read of the slot sits in a function written inside the region (a callback), which may run later. */
  readonly nestedReads: boolean;
  /** The store that is the region's first statement: it declares the local (`const` when it is the only write). */
  readonly leadingStore: TSESTree.AssignmentExpression | undefined;
}

const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** A function written inside the region lies between `node` and the region's statement that holds it. */
const insideFunction = (node: Node, statements: readonly Node[]): boolean => {
  for (let current: Node | undefined = node; current !== undefined && !statements.includes(current); current = parentOf(current)) {
    if (isFunctionNode(current)) return true;
  }
  return false;
};

/** A `return`, `yield`, or a `break`/`continue` whose target lies outside `statements`. */
const leavesEarly = (statements: readonly Node[]): boolean => {
  const labels = new Set<string>();
  let found = false;
  const visit = (node: Node, loops: number, switches: number): void => {
    if (found) return;
    if (isFunctionNode(node) || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
    if (node.type === 'ReturnStatement' || node.type === 'YieldExpression') {
      found = true;
      return;
    }
    if (node.type === 'BreakStatement' || node.type === 'ContinueStatement') {
      if (node.label !== null) found ||= !labels.has(node.label.name);
      else if (node.type === 'BreakStatement') found ||= loops + switches === 0;
      else found ||= loops === 0;
      return;
    }
    if (node.type === 'LabeledStatement') labels.add(node.label.name);
    const loop = LOOPS.has(node.type) ? 1 : 0;
    const isSwitch = node.type === 'SwitchStatement' ? 1 : 0;
    walkChildren(node, (child) => visit(child, loops + loop, switches + isSwitch));
  };
  for (const statement of statements) visit(statement, 0, 0);
  return found;
};

const walkChildren = (node: Node, each: (child: Node) => void): void => {
  let first = true;
  walk(node, (child) => {
    if (first) {
      first = false;
      return undefined;
    }
    each(child);
    return false;
  });
};

/** A `var` or a function declaration: both reach beyond the block they sit in, so they cannot move. */
const declaresOutward = (statements: readonly Node[]): boolean => {
  let found = false;
  for (const statement of statements) {
    walk(statement, (node) => {
      if (found || (node !== statement && isFunctionNode(node))) return false;
      if (node.type === 'FunctionDeclaration' || (node.type === 'VariableDeclaration' && node.kind === 'var')) found = true;
      return !found;
    });
  }
  return found;
};

const ownAwaits = (statements: readonly Node[]): boolean => {
  let found = false;
  for (const statement of statements) {
    walk(statement, (node) => {
      if (found || isFunctionNode(node)) return false;
      if (node.type === 'AwaitExpression' || (node.type === 'ForOfStatement' && node.await)) found = true;
      return !found;
    });
  }
  return found;
};

/**
 * What `statement` does to the slot on normal completion, given the plain stores of the slot (`writes`): stores
 * in every branch, always throws, or may complete with the slot still empty.
 */
const outcomeOf = (statement: Node, writes: ReadonlySet<Node>): Outcome => {
  switch (statement.type) {
    case 'ExpressionStatement':
      return writes.has(statement.expression) ? 'stores' : 'maybe';
    case 'ThrowStatement':
      return 'throws';
    case 'BlockStatement':
      return sequenceOutcome(statement.body, writes);
    case 'IfStatement': {
      if (statement.alternate === null) return 'maybe';
      return both(outcomeOf(statement.consequent, writes), outcomeOf(statement.alternate, writes));
    }
    case 'TryStatement': {
      if (statement.finalizer !== null && outcomeOf(statement.finalizer, writes) !== 'maybe') return outcomeOf(statement.finalizer, writes);
      const block = outcomeOf(statement.block, writes);
      if (statement.handler === null) return block;
      return both(block, outcomeOf(statement.handler.body, writes));
    }
    case 'SwitchStatement':
      return switchOutcome(statement, writes);
    default:
      return 'maybe';
  }
};

/**
 * A `switch` stores when it has a `default` and every case, falling through to the ones after it, stores or throws
 * before a `break` ends it.
 */
const switchOutcome = (statement: TSESTree.SwitchStatement, writes: ReadonlySet<Node>): Outcome => {
  if (!statement.cases.some((each) => each.test === null)) return 'maybe';
  const outcomes = statement.cases.map((_, index) => {
    for (const each of statement.cases.slice(index)) {
      for (const inner of each.consequent) {
        if (inner.type === 'BreakStatement' && inner.label === null) return 'maybe';
        const outcome = outcomeOf(inner, writes);
        if (outcome !== 'maybe') return outcome;
      }
    }
    return 'maybe';
  });
  return outcomes.reduce<Outcome>((all, outcome) => both(all, outcome), 'throws');
};

const both = (a: Outcome, b: Outcome): Outcome => {
  if (a === 'maybe' || b === 'maybe') return 'maybe';
  return a === 'throws' && b === 'throws' ? 'throws' : 'stores';
};

const sequenceOutcome = (statements: readonly Node[], writes: ReadonlySet<Node>): Outcome => {
  for (const statement of statements) {
    const outcome = outcomeOf(statement, writes);
    if (outcome !== 'maybe') return outcome;
  }
  return 'maybe';
};

/** The slot holds a value where `read` runs: some statement before it, on its way up to the region, has stored. */
const storedBefore = (read: Node, statements: readonly Node[], writes: ReadonlySet<Node>): boolean => {
  let child: Node = read;
  for (let parent = parentOf(child); parent !== undefined; child = parent, parent = parentOf(child)) {
    const list = statements.includes(child) ? statements : parent.type === 'BlockStatement' || parent.type === 'SwitchCase' ? parent.type === 'SwitchCase' ? parent.consequent : parent.body : undefined;
    if (list !== undefined) {
      const index = list.indexOf(child as never);
      if (list.slice(0, index).some((before) => outcomeOf(before, writes) === 'stores')) return true;
    }
    // A `catch` is not preceded by its `try` block (it runs after a failure anywhere in it): only the statements
    // before the whole `try` count, which the loop reaches next. Above the region there is nothing more to look at.
    if (statements.includes(child)) return false;
  }
  return false;
};

/**
 * Checks a region (`statements`, in order) against the conditions above. `writes` are every write of the slot
 * inside it, `reads` every read; the result is the facts the planner needs, or the reason it cannot be moved.
 */
export const regionFacts = (
  statements: readonly Node[],
  writes: readonly Node[],
  reads: readonly Node[],
): RegionFacts | string => {
  if (statements.length === 0) return 'the guard stores nothing';
  if (leavesEarly(statements)) return 'the guarded code returns or jumps out before it ends';
  if (declaresOutward(statements)) return 'the guarded code declares a `var` or a function that code outside it may use';
  const range = { range: [statements[0]!.range[0], statements.at(-1)!.range[1]] as TSESTree.Range };
  const inside = (node: Node): boolean => contains(range, node);
  const own = [...new Set(writes)].filter(inside);
  const assignments: TSESTree.AssignmentExpression[] = [];
  for (const write of own) {
    if (write.type !== 'AssignmentExpression' || insideFunction(write, statements)) return 'the slot is written inside a nested function';
    const parent = parentOf(write);
    if (parent?.type !== 'ExpressionStatement') return 'a store is used as a value';
    assignments.push(write);
  }
  const plain = new Set<Node>(assignments.filter((write) => write.operator === '='));
  if (sequenceOutcome(statements, plain) !== 'stores') return 'a path through the guarded code leaves the slot empty';
  // The target of `x += v` is a read and a write: it is rewritten once, as the write.
  const targets = new Set<Node>(assignments.map((write) => write.left));
  const ownReads = reads.filter((read) => inside(read) && !targets.has(read));
  const nestedReads = ownReads.some((read) => insideFunction(read, statements));
  for (const read of ownReads) {
    if (!storedBefore(read, statements, plain)) return 'the slot is read before it is stored';
  }
  for (const write of assignments) {
    if (write.operator !== '=' && !storedBefore(write, statements, plain)) return 'the slot is updated before it is stored';
  }
  const first = statements[0];
  const leadingStore =
    first?.type === 'ExpressionStatement' && first.expression.type === 'AssignmentExpression' && first.expression.operator === '=' && plain.has(first.expression)
      ? first.expression
      : undefined;
  return {
    writes: assignments.sort((a, b) => a.range[0] - b.range[0]),
    reads: ownReads,
    awaits: ownAwaits(statements),
    nestedReads,
    leadingStore,
  };
};

/**
 * A name for the value's local inside the initializer: the slot's own name without `_`, `#` or a `cached` prefix
 * when no identifier of the file uses it (private names cannot clash with a local), otherwise `value` (numbered when that is taken too).
 */
export const localName = (slotName: string, program: Node): string => {
  const used = new Set<string>();
  walk(program, (node) => {
    if (node.type === 'Identifier') used.add(node.name);
    return undefined;
  });
  const bare = slotName.replace(/^[#_$]+/, '').replace(/^cached(?=[A-Z])/, '');
  const candidate = bare.length > 0 ? bare[0]!.toLowerCase() + bare.slice(1) : '';
  if (/^[A-Za-z_$][\w$]*$/.test(candidate) && candidate !== slotName && !used.has(candidate) && !RESERVED.has(candidate)) return candidate;
  if (!used.has('value')) return 'value';
  for (let index = 2; ; index++) if (!used.has(`value${index}`)) return `value${index}`;
};

const RESERVED = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do',
  'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'undefined', 'var', 'void', 'while', 'with', 'yield',
]);
