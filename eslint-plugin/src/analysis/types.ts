/**
 * The lazy-site model shared by the lint rules and the codemod.
 *
 * Stability contract: fields are only ever ADDED to these interfaces and new members only ever added to the
 * string unions, so a consumer that switches over a union must keep a default branch.
 *
 * All nodes are nodes of the `TSESTree.Program` handed to `analyzeProgram`; ranges are offsets into its source text.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { ScopeManager, Variable } from '@typescript-eslint/scope-manager';
import type * as ts from 'typescript';

// ---------------------------------------------------------------------------------------------------------------
// Slot: where the lazily created value lives.
// ---------------------------------------------------------------------------------------------------------------

/**
 * What owns the slot, which decides how long it lives.
 * - `module`: a top-level `let`/`var` of the file (ES module or CommonJS/script top level).
 * - `closure`: a `let`/`var` declared in a function and read by a function nested in it (factory closures).
 * - `instance`: `this.x` / `this.#x` in instance methods, getters, setters and field initializers of a class.
 * - `static`: `Foo.x`, `this.x` inside a static method/getter/block, `static #x`.
 * - `object`: a property of an object literal (through `this.x` in its methods/getters, or `obj.x` where `obj` is a
 *   binding that outlives the call and holds that literal).
 * - `global`: `globalThis.x`, `global.x`, `window.x`, `self.x`.
 */
export type SlotKind = 'module' | 'closure' | 'instance' | 'static' | 'object' | 'global';

/**
 * The kind of scope the slot is declared in (or, for a member slot, the kind of scope its owner is declared in).
 * Mirrors ESLint's scope types, collapsed: `module` (ES module scope, or the top level of a script/CommonJS file),
 * `function` (any function or its CommonJS wrapper inside a function), `class` (class body), `block` (a block inside
 * the top level or a function), `global` (no declaration: `globalThis.x`).
 */
export type SlotScopeKind = 'module' | 'function' | 'class' | 'block' | 'global';

export interface Slot {
  readonly kind: SlotKind;
  /**
   * The slot as written in source: `instance`, `this._client`, `this.#client`, `Config.current`, `globalThis.__cache`,
   * `state.loader`. For a `static` slot read through `this` in a static method, the class name is used when the class has
   * one (`Config.current`), otherwise `this.current`.
   */
  readonly name: string;
  /** The bare property or variable name, without owner and without `#`: `client` for `this.#client`. */
  readonly property: string;
  /** `this.#x` / `static #x`: an ES private name, not reachable from outside the class. */
  readonly private: boolean;
  /**
   * A stable identity: equal for every access to the same slot in the file and distinct between slots.
   * Bindings: `var:<name>@<declaration offset>`; members: `<kind>:<owner offset>.<#?property>`; globals:
   * `global:<property>`. Only equality is meaningful; do not parse it.
   */
  readonly key: string;
  /**
   * Where the slot is declared: the `VariableDeclarator` of a binding, the `PropertyDefinition` of a class field
   * (instance or static, `#x` included), the `Property` of an object literal. `undefined` when the slot is never
   * declared (a `this.x` only ever assigned, `globalThis.x`, `Foo.x` assigned from outside the class).
   */
  readonly declaration: TSESTree.Node | undefined;
  /** The type annotation written on the declaration (`let db: Db | undefined`, `#x?: Client`), when there is one. */
  readonly typeAnnotation: TSESTree.TypeNode | undefined;
  /** The scope kind of the declaration; see `SlotScopeKind`. */
  readonly scopeKind: SlotScopeKind;
  /** The variable of a `module`/`closure` slot (and of the owner binding of an `object` slot), from the scope manager. */
  readonly variable: Variable | undefined;
  /**
   * The class (`instance`/`static`) or object literal (`object`) that owns a member slot; the function whose scope
   * declares a `closure` slot; `undefined` for `module` and `global` slots.
   */
  readonly owner: TSESTree.Node | undefined;
  /** The class or owner variable's name when it has one (`Config`, `state`). */
  readonly ownerName: string | undefined;
  /**
   * The slot (or, for an `object` slot, the binding holding its object, or for `static`/`instance` slots the class)
   * is exported: `export let x`, `export { x }`, `export default class`, `module.exports = { x }`, `exports.x = ...`.
   * An exported binding is a live binding other modules may read or write.
   */
  readonly exported: boolean;
  /**
   * Type information, when a checker was given: the slot's value type with `undefined`/`null` removed, printed
   * (`Db` for `let db: Db | undefined`), so a rewrite can name `T` in `OnceCell<T>`.
   */
  readonly valueTypeText: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Guard: how emptiness is tested.
// ---------------------------------------------------------------------------------------------------------------

/**
 * - `not`: `if (!x) x = init()`.
 * - `strict-undefined`: `if (x === undefined)` (also `undefined === x`, `x === void 0`).
 * - `loose-null`: `if (x == null)` / `if (x == undefined)`.
 * - `strict-null`: `if (x === null)` (a slot initialized to `null`).
 * - `typeof-undefined`: `if (typeof x === 'undefined')` (also `==`).
 * - `nullish-assign`: `x ??= init()`.
 * - `or-assign`: `x ||= init()`.
 * - `logical-or`: `x || (x = init())`.
 * - `logical-nullish`: `x ?? (x = init())`.
 * - `assign-nullish`: `x = x ?? init()` (also `return (x = x ?? init())`).
 * - `assign-or`: `x = x || init()`.
 * - `early-return`: `if (x) return x;` (or `if (x !== undefined) return x;` ...) followed by the store; see
 *   `Guard.earlyReturnTest` for the shape of its test.
 * - `conditional`: `x ? x : (x = init())` / `x !== undefined ? x : (x = init())`.
 * - `sentinel`: `if (x === UNSET) x = init()`, where `UNSET` is a module-level `const` that marks "not yet" (a
 *   `Symbol()`, a fresh object, or a name that says so).
 */
export type GuardKind =
  | 'not'
  | 'strict-undefined'
  | 'loose-null'
  | 'strict-null'
  | 'typeof-undefined'
  | 'nullish-assign'
  | 'or-assign'
  | 'logical-or'
  | 'logical-nullish'
  | 'assign-nullish'
  | 'assign-or'
  | 'early-return'
  | 'conditional'
  | 'sentinel';

/** Which values of the slot the guard treats as "empty, create now"; `sentinel`: one module-level marker value. */
export type EmptyValues = 'undefined' | 'null' | 'nullish' | 'falsy' | 'sentinel';

export interface Guard {
  readonly kind: GuardKind;
  /**
   * Where rules report: the `IfStatement` for `if` guards (including the early return's `if`), the
   * `AssignmentExpression` for `??=` / `||=` / `x = x ?? ...`, the `LogicalExpression` for `x || (x = ...)` /
   * `x ?? (x = ...)`, the `ConditionalExpression` for `conditional`.
   */
  readonly node: TSESTree.Node;
  /** The expression that tests the slot: `!x`, `x === undefined`, the `x` of `x ??=`, the left of `x || ...`. */
  readonly test: TSESTree.Node;
  /** The read of the slot inside `test`. */
  readonly read: TSESTree.Node;
  /** Which slot values count as empty. `falsy` for `!x`, `||=`, `x || ...` and a truthy early return. */
  readonly empty: EmptyValues;
  /** Shorthand for `empty === 'falsy'`: a falsy value produced by the initializer re-runs it on the next access. */
  readonly treatsFalsyAsEmpty: boolean;
  /** For `early-return`: the empty-values of its test (a truthy test `if (x)` is `falsy`). */
  readonly earlyReturnTest?: EmptyValues;
  /** The function (or program) whose body holds the guard. */
  readonly container: TSESTree.Node;
}

// ---------------------------------------------------------------------------------------------------------------
// Initializer: what is stored.
// ---------------------------------------------------------------------------------------------------------------

/**
 * - `sync`: the stored value is computed synchronously and is not a promise as far as the analysis can tell.
 * - `promise`: a promise is stored as is (a promise cache): `p ??= load()`, `if (!p) p = fetch(url).then(...)`.
 * - `awaited`: an `await` runs between the guard and the store, or inside the stored expression
 *   (`if (!x) x = await connect()`, `x ??= prefix + (await read())`).
 */
export type InitializerKind = 'sync' | 'promise' | 'awaited';

/** Why an initializer was classed `promise`; several may hold. */
export type PromiseEvidence =
  | 'async-call' // a call of an `async` function (or method) declared in this file
  | 'async-iife' // `(async () => { ... })()`
  | 'promise-constructor' // `new Promise(...)`
  | 'promise-static' // `Promise.resolve/all/allSettled/any/race/reject/try/withResolvers`
  | 'then-chain' // `.then(...)`, `.catch(...)`, `.finally(...)`
  | 'dynamic-import' // `import(...)`
  | 'promise-name' // the slot or the callee is named like a promise (`*Promise`, `*Loading`, `fetch`)
  | 'type' // the type checker says the value is thenable
  | 'annotation'; // the slot is declared as `Promise<T>` / `PromiseLike<T>`

export interface Initializer {
  readonly kind: InitializerKind;
  /**
   * The stored expression: the right-hand side of the store (`init()` of `x = init()`, of `x ??= init()`,
   * `x ?? init()`'s right operand for `x = x ?? init()`, a `ClassExpression` for lazily defined classes).
   * For `awaited` it still is the whole stored expression (`await connect()`, `prefix + (await read())`).
   */
  readonly node: TSESTree.Expression;
  /**
   * Every `AwaitExpression` (and `for await`) that runs after the guard and before the store completes, in source
   * order: those in statements between them and those nested in `node`. Empty unless `kind === 'awaited'`.
   */
  readonly awaits: readonly TSESTree.Node[];
  /** For `promise`: why the analysis believes the stored value is a promise. Empty otherwise. */
  readonly promiseEvidence: readonly PromiseEvidence[];
  /** The stored expression is a `ClassExpression` (a lazily defined class). */
  readonly isClass: boolean;
  /**
   * The initializer refers to something declared in the function that holds the guard (its parameters, locals,
   * `this` of an arrow-less method, `arguments`), so it cannot be moved out into a `LazyCell` field or module
   * constant as is. For accessors that only close over outer scopes this is `false`.
   */
  readonly usesContainerScope: boolean;
  /**
   * Type information, when a checker was given: the stored type includes a falsy value that is not nullish
   * (`false`, `0`, `''`, `0n`, or their wide types `boolean`, `number`, `string`, `bigint`). `undefined` without a
   * checker and for `any`/`unknown`.
   */
  readonly mayBeFalsy: boolean | undefined;
  /** Type information, when a checker was given: the stored type includes `null` or `undefined`. */
  readonly mayBeNullish: boolean | undefined;
  /** Type information, when a checker was given: the type of the stored value, printed (`Promise<Db>`, `Db`). */
  readonly typeText: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Accessor: the function that hands the slot out.
// ---------------------------------------------------------------------------------------------------------------

/**
 * - `function`: a function declaration or a function/arrow bound to a variable (`function getDb()`, `const getDb = () =>`).
 * - `method`: an instance method. `getter`: an instance getter.
 * - `static-method` / `static-getter`: static class members (singletons: `static getInstance()`).
 * - `object-method` / `object-getter`: members of an object literal (`get client() { ... }` in a factory's return).
 */
export type AccessorKind =
  | 'function'
  | 'method'
  | 'getter'
  | 'static-method'
  | 'static-getter'
  | 'object-method'
  | 'object-getter';

/**
 * The named function that holds the guard. `returnsSlot` says whether it hands the slot out (a getter, `getX()`,
 * `static getInstance()`), as opposed to a method that only makes sure the slot is filled before using it.
 */
export interface Accessor {
  readonly kind: AccessorKind;
  /** The function node (`FunctionDeclaration`, `FunctionExpression`, `ArrowFunctionExpression`). */
  readonly node: TSESTree.FunctionLike;
  /**
   * The node that names it: `FunctionDeclaration`, the `VariableDeclarator`, the `MethodDefinition`, the `Property`.
   * Equal to `node` for a function declaration.
   */
  readonly definition: TSESTree.Node;
  /** Its name (`getDb`, `getInstance`, `client`, `#load`) when it has a static one. */
  readonly name: string | undefined;
  /** The accessor ends by returning the slot (or its local alias) on every path after the guard. */
  readonly returnsSlot: boolean;
  /** The accessor is `async`. */
  readonly async: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Other writers and reads.
// ---------------------------------------------------------------------------------------------------------------

/**
 * - `reset`: the slot is set back to empty: `x = undefined`, `x = null`, `x = void 0`.
 * - `assign`: any other plain assignment (pre-seeding, replacing, swapping a promise for its value).
 * - `guarded-store`: the store of another lazy site on the same slot (a second accessor).
 * - `delete`: `delete this.x`.
 * - `setter`: an assignment inside a `set x(v)` accessor or a method named like `setX`.
 * - `initial`: the declaration's own initializer, when it is not empty (`let x = createDefault()`).
 * - `compound`: `x += ...`, `x++`, `x ||= ...`/`x &&= ...` outside the guard.
 * - `destructure`: the slot is a target of a destructuring assignment or `for (x of ...)`.
 * - `escape`: the slot (a binding) is handed out writable: `export let`, `exports.x = `, passed by reference
 *   via `Object.defineProperty` etc. Recorded so consumers can refuse to rewrite.
 */
export type WriterKind =
  | 'reset'
  | 'assign'
  | 'guarded-store'
  | 'delete'
  | 'setter'
  | 'initial'
  | 'compound'
  | 'destructure'
  | 'escape';

export interface Writer {
  readonly kind: WriterKind;
  /** The `AssignmentExpression`, `UnaryExpression` (`delete`), `UpdateExpression`, declarator or pattern. */
  readonly node: TSESTree.Node;
  /** For `reset`: `undefined` or `null` (what the slot is set back to). */
  readonly value?: 'undefined' | 'null';
  /** The writer runs inside a `.catch`/`.then(_, onRejected)` callback or a `catch` clause (clears a rejection). */
  readonly onRejection: boolean;
  /** The writer runs inside a `finally` block or a `.finally` callback (clears on settle, success or not). */
  readonly onSettle: boolean;
  /** The function (or program) that holds the write. */
  readonly container: TSESTree.Node;
  /** The write is a whole expression statement (`this.x = undefined;`), so its value is not used. */
  readonly isStatement: boolean;
}

/**
 * - `guard`: the read inside the guard's test.
 * - `return`: `return x` / arrow body `x` in the accessor after the guard.
 * - `alias`: `const a = this._a = init()` or `const a = this._a`: the slot's value taken into a local.
 * - `other`: any other read (`x.query()`, `if (x) x.close()`, passing it on).
 */
export type ReadRole = 'guard' | 'return' | 'alias' | 'other';

export interface SlotRead {
  readonly role: ReadRole;
  /** The `Identifier` of a binding slot, the `MemberExpression` of a member slot (`this.#x`, `Foo.x`). */
  readonly node: TSESTree.Node;
  /** The function (or program) that holds the read. */
  readonly container: TSESTree.Node;
  /** The read belongs to this site (its guard, return or alias), as opposed to elsewhere in the file. */
  readonly inSite: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Flags.
// ---------------------------------------------------------------------------------------------------------------

export interface SiteFlags {
  /**
   * The slot is tested again after the last `await` and before the store (`if (!x) { const v = await load(); if (!x) x = v; }`,
   * or a second `??=`), so concurrent callers cannot both store. Only meaningful for `awaited` initializers.
   */
  readonly recheckAfterAwait: boolean;
  /**
   * A promise slot is cleared or replaced when its promise rejects: a `.catch`/`onRejected` or a `catch` clause that
   * resets the slot, or a `finally`/settle handler that resets it. Only meaningful for `promise` initializers.
   */
  readonly clearedOnRejection: boolean;
  /** The slot is reset in a `finally` or on settle: a single-flight promise, not a cache. Such slots yield no site. */
  readonly clearedOnSettle: boolean;
  /**
   * `null` means "disabled, never create" beside `undefined` meaning "not yet": the slot is set to `null` somewhere
   * while the guard treats only `undefined` as empty (or the guard tests `=== undefined` and a writer stores `null`).
   */
  readonly triStateNull: boolean;
  /**
   * Key of the partner slot when a value slot is paired with a promise slot (`#value` + `#loading`): the promise
   * slot's store resolves into the value slot, or the value slot's guard falls back to the promise slot.
   */
  readonly pairedSlotKey: string | undefined;
  /** A promise slot that is overwritten by its own resolved value (`p = load().then((v) => (p = v))`). */
  readonly replacesPromiseWithValue: boolean;
  /** The stored value is also taken into a local alias that later code reads (`const a = this._a = init()`). */
  readonly aliasReads: boolean;
  /** The store is inside the guard's expression: `return (this._x = this._x ?? new X())`, `x || (x = ...)`, `??=`. */
  readonly storeInExpression: boolean;
  /** The slot's declaration stores `null` as the empty value (`let x: X | null = null`). */
  readonly emptyIsNull: boolean;
  /** There is exactly one lazy site on this slot in the file. */
  readonly singleSite: boolean;
  /**
   * More statements run after the store before the guarded path ends (`if (!x) { x = []; for (...) x.push(v) }`, or
   * after an early return's store and before its `return`): the stored expression alone is not the final value.
   */
  readonly workAfterStore: boolean;
}

// ---------------------------------------------------------------------------------------------------------------
// Shape: the site's forms, decided once by the analysis and read by every consumer.
// ---------------------------------------------------------------------------------------------------------------

/**
 * How the slot is reached:
 * - `direct`: a binding, or a member of `this`, of a class, of an object literal binding or of a global object;
 * - `nested`: a member of such a member (`this.state.client`, `cache.parsers.babel`);
 * - `global-alias`: a member of a local name for the global object (`const g = globalThis as any; g.__x`);
 * - `parameter`: a private-looking member of a parameter (`ctx._cache`), filled by a call or `new`.
 * Every path but `direct` reaches an object that other code holds too: the slot is shared.
 */
export type SlotPath = 'direct' | 'nested' | 'global-alias' | 'parameter';

/**
 * How the guarded path fills the slot:
 * - `direct`: one store, on every path through the guard (possibly after statements that compute the value);
 * - `branches`: several stores, one in each completing branch of an `if`/`else` chain or a `switch` (a branch may
 *   `throw` instead);
 * - `conditional`: the store sits under a condition unrelated to the slot, so some calls leave the slot empty;
 * - `once-flag`: the slot is a flag set to `true` beside one-time work (`if (!registered) { registered = true; install(); }`).
 */
export type StoreForm = 'direct' | 'branches' | 'conditional' | 'once-flag';

/**
 * When the guard runs:
 * - `on-demand`: in a function, method or getter that callers run when they need the value;
 * - `first-construction`: in a constructor, filling a slot that outlives the instance (module, closure or static);
 * - `top-level-global`: at the top level of a module, filling a property of the global object (a singleton shared by
 *   every bundle or copy of the module that runs in the process).
 */
export type SiteContext = 'on-demand' | 'first-construction' | 'top-level-global';

/**
 * An exclusion the analysis weighed and found not to apply, kept so consumers can say why a site is still a site:
 * - `teardown-reset`: a teardown (`close()`, `dispose()`, `finally` in another function) clears the slot; that is a
 *   reset, not a single-flight promise cleared when it settles;
 * - `close-memo`: the accessor is a close or dispose operation whose promise is cached (idempotent shutdown).
 */
export type WeighedSignal = 'teardown-reset' | 'close-memo';

export interface SiteShape {
  readonly slotPath: SlotPath;
  readonly store: StoreForm;
  readonly context: SiteContext;
  readonly signals: readonly WeighedSignal[];
}

// ---------------------------------------------------------------------------------------------------------------
// The site.
// ---------------------------------------------------------------------------------------------------------------

export interface LazySite {
  /** `<slot.key>@<guard offset>`: unique per site in the file. */
  readonly id: string;
  readonly slot: Slot;
  readonly guard: Guard;
  readonly initializer: Initializer;
  /**
   * The guarded store(s): the `AssignmentExpression`s (`=`, `??=`, `||=`) that put the initializer's value into the
   * slot. For `a = this._a = init()` this is the inner `this._a = init()`. One, except for `branches` stores (one per
   * branch, in source order; `initializer` describes the first).
   */
  readonly stores: readonly TSESTree.AssignmentExpression[];
  /** The named function, method or getter that holds the guard; `undefined` inside anonymous callbacks. */
  readonly accessor: Accessor | undefined;
  /** Every write to the slot in the file other than `stores`. */
  readonly otherWriters: readonly Writer[];
  /** Every read of the slot in the file, the site's own guard and return included. */
  readonly reads: readonly SlotRead[];
  /** Local aliases that hold the slot's value (`const a = this._a = init()` gives the `a` variable). */
  readonly aliases: readonly Variable[];
  readonly flags: SiteFlags;
  /**
   * The forms of the site that the rest of the model does not spell out: how the slot is reached, how the guarded
   * path stores, when the guard runs. A consumer that rewrites sites handles `direct` paths, `direct` stores and
   * `on-demand` contexts, and skips the others with their reason.
   */
  readonly shape: SiteShape;
}

// ---------------------------------------------------------------------------------------------------------------
// Entry points' inputs.
// ---------------------------------------------------------------------------------------------------------------

/** Type information; the same pair typescript-eslint's parser services give. */
export interface TypeInfo {
  readonly checker: ts.TypeChecker;
  readonly esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node | undefined };
}

export interface AnalysisContext {
  /** From `context.sourceCode.scopeManager` in a rule, or `analyze(program, ...)` of `@typescript-eslint/scope-manager`. */
  readonly scopeManager: ScopeManager;
  /** The source text the program was parsed from; used for slot names and string-literal checks. */
  readonly sourceCode?: { readonly text: string };
  /** Sharpens falsiness and promise detection and fills the `typeText` fields. */
  readonly typeInfo?: TypeInfo;
}
