#!/usr/bin/env node
// Ctrl-C is caught from the first line: an interrupt while the command line loads still ends with a report.
const interrupted = new AbortController();
const early = (): void => interrupted.abort();
process.on('SIGINT', early);
const { main } = await import('./driver/main.js');
process.exitCode = await main(process.argv.slice(2), undefined, { interrupted: interrupted.signal });
process.off('SIGINT', early);
