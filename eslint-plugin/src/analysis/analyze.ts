/**
 * The lazy-site analysis: from a parsed program and its scopes to the `LazySite`s of DESIGN.md section 3.
 *
 * Invariants a site satisfies:
 * - its slot outlives the call that holds the guard (a module or outer-function binding, a field of `this`, of a class,
 *   of a long-lived object literal, or of the global object), never a parameter or a local of that call;
 * - the guard and its store sit in the same function, and that function runs on demand (not a constructor, a field
 *   initializer, a static block or the module top level);
 * - the store puts a created value into the slot (not `true`, not `undefined`, not an empty container that is mutated
 *   right away), and nothing resets the slot on settle (single-flight promises) or on a timer (TTL caches).
 *
 * The analysis is a chain of layers, one module each, in the order its passes run: slot resolution (`slots.ts`), the
 * candidate search (`candidates.ts`), the exclusion signals (`signals.ts`), type facts (`type-facts.ts`) and site
 * building (`site.ts`). `Analyzer` ends the chain; this module walks the program once and caches the result.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '@typescript-eslint/types';
import type { Reference } from '@typescript-eslint/scope-manager';
import { walk, type Node } from './ast.js';
import type { AnalysisContext, LazySite } from './types.js';
import { SiteBuilder } from './site.js';
import type { ProgramIndex } from './slots.js';

const plainCache = new WeakMap<TSESTree.Program, readonly LazySite[]>();
const typedCache = new WeakMap<TSESTree.Program, readonly LazySite[]>();

/**
 * Finds the lazy sites of a program. The result is cached per program (separately with and without type
 * information), so several rules of one lint run analyse a file once.
 */
export function analyzeProgram(program: TSESTree.Program, context: AnalysisContext): readonly LazySite[] {
  const cache = context.typeInfo ? typedCache : plainCache;
  const cached = cache.get(program);
  if (cached) return cached;
  const sites = Object.freeze(new Analyzer(context, indexProgram(program, context)).run());
  cache.set(program, sites);
  return sites;
}

/**
 * One walk of the tree: every node's parent, and the nodes the candidate search and `accessesOf` start from; then
 * every identifier's reference, from the scopes.
 */
function indexProgram(program: TSESTree.Program, context: AnalysisContext): ProgramIndex {
  const ifs: TSESTree.IfStatement[] = [];
  const assignments: TSESTree.AssignmentExpression[] = [];
  const logicals: TSESTree.LogicalExpression[] = [];
  const conditionals: TSESTree.ConditionalExpression[] = [];
  const members: TSESTree.MemberExpression[] = [];
  const parents = walk(program, (node) => {
    switch (node.type) {
      case AST_NODE_TYPES.IfStatement:
        ifs.push(node);
        break;
      case AST_NODE_TYPES.AssignmentExpression:
        assignments.push(node);
        break;
      case AST_NODE_TYPES.LogicalExpression:
        logicals.push(node);
        break;
      case AST_NODE_TYPES.ConditionalExpression:
        conditionals.push(node);
        break;
      case AST_NODE_TYPES.MemberExpression:
        members.push(node);
        break;
      default:
        break;
    }
  });
  const references = new Map<Node, Reference>();
  for (const scope of context.scopeManager.scopes) {
    for (const reference of scope.references) references.set(reference.identifier, reference);
  }
  return { parents, references, ifs, assignments, logicals, conditionals, members };
}

/** The last layer: runs the passes over the candidates (see the layers' modules for each pass). */
class Analyzer extends SiteBuilder {
  run(): LazySite[] {
    const candidates = this.findCandidates();
    for (const candidate of candidates) {
      this.candidateStores.add(candidate.store);
      for (const store of candidate.branchStores) this.candidateStores.add(store);
    }
    const accepted = candidates.filter((candidate) => this.accept(candidate));
    const perSlot = new Map<string, number>();
    for (const candidate of accepted) perSlot.set(candidate.slot.key, (perSlot.get(candidate.slot.key) ?? 0) + 1);
    const storesBySlot = new Map<string, Set<Node>>();
    for (const candidate of accepted) {
      let set = storesBySlot.get(candidate.slot.key);
      if (!set) storesBySlot.set(candidate.slot.key, (set = new Set()));
      set.add(candidate.store);
      for (const store of candidate.branchStores) set.add(store);
    }
    const sites: LazySite[] = [];
    for (const candidate of accepted) {
      const site = this.buildSite(candidate, perSlot.get(candidate.slot.key) === 1, storesBySlot.get(candidate.slot.key)!);
      if (site) sites.push(site);
    }
    return sites.sort((a, b) => a.guard.node.range[0] - b.guard.node.range[0]);
  }
}
