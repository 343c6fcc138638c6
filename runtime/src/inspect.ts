/** The key `util.inspect` looks up; `Symbol.for` needs no import of `node:util`. */
export const INSPECT: unique symbol = /* @__PURE__ */ Symbol.for('nodejs.util.inspect.custom') as never;

/** `util.inspect`'s own function, handed to custom inspectors. */
export type Inspect = (value: unknown, options?: unknown) => string;

/**
 * `Kind(name) <state>`, or `Kind <state>` when unnamed. With `inspect`, a ready value is shown too:
 * `Kind(name) <ready: 42>`. `toString()` never renders the value, which may be large or secret.
 */
export const show = (kind: string, name: string, state: { readonly k: string; readonly v: unknown }, inspect?: Inspect, options?: unknown): string =>
  `${kind}${name && `(${name})`} <${state.k}${inspect && state.k == 'ready' ? ': ' + inspect(state.v, options) : ''}>`;
