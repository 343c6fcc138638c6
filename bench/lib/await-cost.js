/**
 * Child process of `bench/runtime.js`: the cost of one `await` of an already-resolved hand-rolled promise slot, in a
 * fresh process. With the argument `after-lock`, one `OnceLock` is initialized first. On Node versions where
 * `AsyncLocalStorage` is built on promise hooks, that first async initialization turns the hooks on for the whole
 * process, and every later `await`, in any code, pays for them. Prints `{ nsPerAwait }` as JSON.
 */
import { OnceLock } from '@lazy-init/runtime';

const N = 100_000;
let p;
const slot = () => {
  if (p === undefined) p = Promise.resolve(42);
  return p;
};

if (process.argv[2] === 'after-lock') await new OnceLock().getOrInit(async () => 1);

const samples = [];
let sink = 0;
for (let round = 0; round < 9; round++) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < N; i++) sink += await slot();
  samples.push(Number(process.hrtime.bigint() - start) / N);
}
if (sink !== 9 * N * 42) throw new Error('The loop did not run as written.');
samples.sort((a, b) => a - b);
process.stdout.write(JSON.stringify({ nsPerAwait: samples[4] }));
