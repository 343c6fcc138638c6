#!/usr/bin/env node
// Ctrl-C is caught from the first line: an interrupt while the command line loads still ends with a report.
const interrupted = new AbortController();
const early = (): void => interrupted.abort();
process.on('SIGINT', early);
const { main } = await import('./driver/main.js');
process.exitCode = await main(process.argv.slice(2), undefined, { interrupted: interrupted.signal });
// The listener stays until the process exits: the report is out, and a Ctrl-C while threads wind down and output
// drains must leave the exit code of the finished run rather than kill the process by the signal.
