/**
 * The cells implement `Symbol.dispose` / `Symbol.asyncDispose`. Projects whose `lib` predates `esnext.disposable`
 * (and that have no `@types/node`) would not know those symbols, and our declarations would not compile there, so the
 * two symbols are declared here too; the declarations merge with the standard library's where it has them.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

export {};
