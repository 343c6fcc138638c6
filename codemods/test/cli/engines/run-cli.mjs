// Runs the built command line with another engine: `node run-cli.mjs <engine module URL> [codemod args...]`.
import { main } from '../../../dist/driver/main.js';

const [engineModule, ...argv] = process.argv.slice(2);
process.exitCode = await main(argv, undefined, { engine: { module: engineModule } });
