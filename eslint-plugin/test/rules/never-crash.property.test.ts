/**
 * Every rule of every config, over programs generated from the shapes of lazy sites (slot forms x guard forms x
 * store forms x initializer kinds x wrappers, plus mutations): no rule throws, every fix and suggestion applies and
 * parses, and an autofixed file no longer gets the report that was fixed.
 */
import parser from '@typescript-eslint/parser';
import { parse } from '@typescript-eslint/typescript-estree';
import { Linter } from 'eslint';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index.js';
import { editsAreDisjoint } from '../../src/analysis/rule-support.js';

const slots = [
  { decl: 'let v: Value | undefined;', ref: 'v', wrap: (body: string) => body },
  { decl: '', ref: 'this.v', wrap: (body: string) => `class Holder {\n  v: Value | undefined;\n${body}\n}` },
  { decl: '', ref: 'this.#v', wrap: (body: string) => `class Holder {\n  #v: Value | undefined;\n${body}\n}` },
  { decl: '', ref: 'Holder.v', wrap: (body: string) => `class Holder {\n  static v: Value | undefined;\n${body.replace(/^  (\w)/m, '  static $1')}\n}` },
  { decl: '', ref: 'globalThis.v', wrap: (body: string) => body },
];
const inits = ['make()', 'load(reason)', 'await load(reason)', 'Promise.resolve(1)', 'new Map()', 'false', 'shutdown(reason).finally(() => { SLOT = undefined; })', '[]'];
const guards: ((slot: string, init: string) => string)[] = [
  (s, i) => `if (!${s}) { ${s} = ${i}; }\n    return ${s};`,
  (s, i) => `if (${s} === undefined) ${s} = ${i};\n    return ${s};`,
  (s, i) => `if (${s} == null) { ${s} = ${i}; } else if (ready) { throw new Error('x'); }\n    return ${s};`,
  (s, i) => `return (${s} ??= ${i});`,
  (s, i) => `return ${s} || (${s} = ${i});`,
  (s, i) => `if (${s}) return ${s};\n    ${s} = ${i};\n    return ${s};`,
  (s, i) => `${s} = ${s} ?? ${i};\n    return ${s};`,
  (s, i) => `if (typeof ${s} === 'undefined') { const r = ${i}; ${s} = r; }\n    return ${s};`,
];
const accessors = [
  (body: string, isAsync: boolean) => `  ${isAsync ? 'async ' : ''}get(reason: string) {\n    ${body}\n  }`,
  (body: string, isAsync: boolean) => `  ${isAsync ? 'async ' : ''}close(reason: string) {\n    ${body}\n  }`,
];
const extras = ['', 'reset() { SLOT = undefined; }', 'dispose() { try { run(); } finally { SLOT = undefined; } }', 'flush() { const x = SLOT; SLOT = undefined; return x; }'];

const program = fc
  .record({
    slot: fc.constantFrom(...slots),
    guard: fc.constantFrom(...guards),
    init: fc.constantFrom(...inits),
    accessor: fc.constantFrom(...accessors),
    extra: fc.constantFrom(...extras),
    inClosure: fc.boolean(),
    exported: fc.boolean(),
    mutation: fc.option(fc.tuple(fc.nat(), fc.constantFrom('', ';', '(', 'await ', '}', ' SLOT = null; ')), { nil: undefined }),
  })
  .map(({ slot, guard, init, accessor, extra, inClosure, exported, mutation }) => {
    const ref = slot.ref;
    const isAsync = init.includes('await');
    const withSlot = (text: string) => text.replaceAll('SLOT', ref);
    const body = guard(ref, withSlot(init));
    const member = accessor(body, isAsync);
    const extraMember = extra ? `  ${withSlot(extra)}` : '';
    let text: string;
    if (ref === 'v' || ref === 'globalThis.v') {
      const inner = `${slot.decl}\nasync function shutdown(reason: string) { console.log(reason); }\nconst api = {\n${member},\n${extraMember}\n};`;
      text = inClosure ? `${exported ? 'export ' : ''}function createServer() {\n${inner}\nreturn api;\n}\n` : `${inner}\n${exported ? 'export { api };' : ''}\n`;
    } else {
      text = `${exported ? 'export ' : ''}${slot.wrap(`${member}\n${extraMember}`)}\n`;
    }
    if (mutation) {
      const at = mutation[0] % (text.length + 1);
      text = text.slice(0, at) + mutation[1] + text.slice(at);
    }
    return text;
  });

// Type-aware rules need a TypeScript program, which generated text does not have: every other rule of each config runs.
const untyped = (rules: Record<string, unknown> = {}) =>
  Object.fromEntries(Object.entries(rules).filter(([id]) => !(plugin.rules as Record<string, { meta: { docs?: { requiresTypeChecking?: boolean } } }>)[id.slice(id.indexOf('/') + 1)]?.meta.docs?.requiresTypeChecking));
const configs = Object.entries(plugin.configs).map(([name, config]) => [name, { ...config, rules: untyped(config.rules) }] as const);
const linter = new Linter({ configType: 'flat' });
// As ESLint parses it: a module, where a bare top-level `await` is a syntax error rather than an identifier.
const parses = (text: string) => {
  try {
    parse(text, { range: true, sourceType: 'module' });
    return true;
  } catch {
    return false;
  }
};
const apply = (text: string, fix: { range: readonly [number, number]; text: string }) => text.slice(0, fix.range[0]) + fix.text + text.slice(fix.range[1]);

describe('every rule over generated programs', () => {
  // Over every config's runs together: one config's 150 programs can, rarely, all miss the fixable shapes.
  let reported = 0;
  let fixed = 0;
  it.each(configs)('%s never throws and offers only fixes that apply and parse', (_name, config) => {
    const flat = [{ files: ['**/*.ts'], languageOptions: { parser }, ...config }];
    fc.assert(
      fc.property(program, (text) => {
        const original = parses(text);
        const messages = linter.verify(text, flat as Linter.Config[], 'input.ts');
        for (const message of messages) {
          if (message.ruleId) reported++;
          if (message.fix || message.suggestions?.length) fixed++;
          expect(message.fatal && original ? message.message : undefined).toBeUndefined();
          for (const fix of [message.fix, ...(message.suggestions ?? []).map((s) => s.fix)]) {
            if (!fix) continue;
            const fixed = apply(text, fix);
            expect(parses(fixed), fixed).toBe(true);
          }
          if (message.fix && message.ruleId) {
            const again = linter.verify(apply(text, message.fix), flat as Linter.Config[], 'input.ts');
            expect(again.some((m) => m.ruleId === message.ruleId && m.line === message.line && m.message === message.message)).toBe(false);
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('reaches the rules: a generator that produced no sites would pass vacuously', () => {
    expect(reported).toBeGreaterThan(0);
    expect(fixed).toBeGreaterThan(0);
  });

  it('lints a closure promise slot cleared by its own initializer without crashing', () => {
    const text = `export function createServer() {
  let closing: Promise<void> | undefined;
  async function shutdown(reason: string) { console.log(reason); }
  return { close(reason: string) { if (!closing) { closing = shutdown(reason).finally(() => { closing = undefined; }); } return closing; }, get(reason: string) { if (!closing) { closing = shutdown(reason); } return closing; } };
}
`;
    for (const [, config] of configs) {
      expect(() => linter.verify(text, [{ files: ['**/*.ts'], languageOptions: { parser }, ...config }] as Linter.Config[], 'input.ts')).not.toThrow();
    }
  });
});

describe('editsAreDisjoint', () => {
  it('accepts edits that touch and refuses edits that overlap', () => {
    expect(editsAreDisjoint([{ range: [0, 0], text: 'a' }, { range: [0, 3], text: 'b' }, { range: [3, 5], text: 'c' }])).toBe(true);
    expect(editsAreDisjoint([{ range: [0, 4], text: 'a' }, { range: [3, 5], text: 'b' }])).toBe(false);
    expect(editsAreDisjoint([{ range: [0, 10], text: 'a' }, { range: [2, 3], text: 'b' }])).toBe(false);
  });
});
