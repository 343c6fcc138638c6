/**
 * Writes the CommonJS entry, `dist/cjs/`, after `tsc` has built `dist/`.
 *
 * The package has one implementation, the ES module in `dist/`. `require('@lazy-init/runtime')` reaches
 * `dist/cjs/index.js`, which only requires that ES module (Node 20.19 and later load ES modules with `require`), so
 * however the package is loaded there is one copy of every class and of the module state behind reentrancy
 * detection: no dual-package hazard. TypeScript checks a CommonJS file's imports against declarations of CommonJS
 * format, so the declarations are copied next to the entry, under a `package.json` that says `commonjs`.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist');
const cjs = path.join(dist, 'cjs');

rmSync(cjs, { recursive: true, force: true });
mkdirSync(cjs);
for (const name of readdirSync(dist)) {
  if (!name.endsWith('.d.ts')) continue;
  // The declaration maps stay with the originals; a copy pointing at them would name a map that is not beside it.
  const text = readFileSync(path.join(dist, name), 'utf8').replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  writeFileSync(path.join(cjs, name), text);
}
writeFileSync(path.join(cjs, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
writeFileSync(path.join(cjs, 'index.js'), "'use strict';\n// The ES module is the implementation; this entry hands it out to require().\nmodule.exports = require('../index.js');\n");
