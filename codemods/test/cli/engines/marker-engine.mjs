// A stand-in rewrite engine for the driver's tests. It recognises marker lines instead of real lazy sites, so that
// each driver behaviour can be provoked on purpose:
//   `let NAME = lazy();`            a site, rewritten to `const NAME = new OnceCell();` (line ending kept)
//   `let NAME = lazy('promise');`   a promise-cache site, rewritten to `OnceLock`, with a behaviour-change message
//   `let NAME = lazy('skip');`      a site skipped as `exported-live-binding`
//   `@@parse-error`              the file "does not parse"
//   `@@throw`                    the engine throws
//   `@@echo-options`             a skipped site whose message is the engine options as JSON
//   `@@import`                   a rewrite of the file also adds `import { OnceCell } from '@lazy-init/runtime';`
//   `@@touch`                    the file is modified on disk while it is transformed (an editor saving mid-run)
//   `@@exit-thread`              a worker thread dies while transforming (ignored on the main thread)
// TEST_ENGINE_DELAY_MS makes every transform take that long (busy wait: the real engine is synchronous too).
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const SITE = /^([ \t]*)let (\w+) = lazy\((?:'(skip|promise)')?\);(?=\r?\n|$)/gm;

export function createEngine(options) {
  const delay = Number(process.env.TEST_ENGINE_DELAY_MS ?? 0);
  return {
    transform(filePath, source) {
      if (delay > 0) {
        const until = Date.now() + delay;
        while (Date.now() < until);
      }
      if (source.includes('@@parse-error')) return { status: 'error', message: 'Unexpected token. (1:1)' };
      if (source.includes('@@throw')) throw new Error('The marker engine was asked to throw.');
      if (source.includes('@@exit-thread') && !isMainThread) process.exit(3);
      if (source.includes('@@touch')) appendFileSync(filePath, '\n// saved by an editor\n');
      const sites = [];
      if (source.includes('@@echo-options')) {
        sites.push({
          line: 1,
          column: 1,
          slot: 'options',
          transform: 'module-lazy-slot',
          outcome: 'skipped',
          reason: 'echo',
          message: JSON.stringify(options),
        });
      }
      const output = source.replace(SITE, (match, indent, name, kind, offset) => {
        const line = source.slice(0, offset).split('\n').length;
        const column = indent.length + 1;
        if (kind === 'skip') {
          sites.push({
            line,
            column,
            slot: name,
            transform: 'module-lazy-slot',
            outcome: 'skipped',
            reason: 'exported-live-binding',
            message: `\`${name}\` is exported as a live binding, so other modules could see the change.`,
          });
          return match;
        }
        const promise = kind === 'promise';
        sites.push({
          line,
          column,
          slot: name,
          transform: promise ? 'promise-cache' : 'module-lazy-slot',
          outcome: 'rewritten',
          message: promise
            ? options.preserveFailureCaching
              ? 'The first failure stays cached, as before.'
              : 'Rejections are no longer cached: the next call retries.'
            : '',
        });
        return `${indent}const ${name} = new ${promise ? 'OnceLock' : 'OnceCell'}();`;
      });
      const changed = output !== source;
      const imported = changed && source.includes('@@import') ? `import { OnceCell } from '@lazy-init/runtime';\n${output}` : output;
      return { status: 'ok', output: changed ? imported : undefined, sites };
    },
  };
}
