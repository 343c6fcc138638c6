// Runs the built command line as `nobody` (uid and gid 65534): `node run-cli-as-nobody.mjs <engine module URL> [args...]`.
// Must be started as root. A first run as root, over a scratch file and with its output discarded, loads everything a
// run loads (Node resolves each import again for every module that asks, so loading the modules from here would not
// be enough); the checkout therefore need not be readable by `nobody` (a clone inside a private temporary directory is
// not), and only the files the real run is pointed at are read with `nobody`'s permissions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../../dist/driver/main.js';

const [engineModule, ...argv] = process.argv.slice(2);
const overrides = { engine: { module: engineModule } };

const scratch = mkdtempSync(path.join(tmpdir(), 'lazy-init-warm-up-'));
writeFileSync(path.join(scratch, 'warm-up.ts'), 'let value = lazy();\n');
const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
await main(['--json', '--dry-run', '--no-type-aware', '--cpus', '1', scratch], { stdout: discard(), stderr: discard(), cwd: scratch, process }, overrides);
rmSync(scratch, { recursive: true, force: true });

process.setgid(65534);
process.setuid(65534);
process.exitCode = await main(argv, undefined, overrides);
