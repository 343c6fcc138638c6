// A short tour of @lazy-init/runtime. Run it with `npm run tour` (which builds first) or `node runtime/examples/tour.js`.
// Each step asserts what it prints, so the tour fails loudly rather than tell a story the runtime no longer follows.
import assert from 'node:assert/strict';
import { LazyCell, LazyInit, LazyLock, OnceLock, ReentrantInitError, enableAsyncReentrancyDetection } from '@lazy-init/runtime';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const step = (title) => console.log(`\n${title}`);
const say = (line) => console.log(`  ${line}`);

step('1. LazyCell: the initializer runs on first access, once.');
let parses = 0;
const settings = new LazyCell(function settings() {
  parses++;
  return { retries: 0, verbose: false };
});
say(`before first access: ${settings}  get() -> ${settings.get()}`);
say(`settings.value.retries -> ${settings.value.retries}  (0 is a value, not "not yet")`);
say(`settings.value.verbose -> ${settings.value.verbose}`);
say(`after: ${settings}  initializer ran ${parses} time(s)`);
assert.equal(parses, 1);

step('2. OnceLock: five concurrent callers share one initialization.');
let connects = 0;
const db = new OnceLock({ name: 'db' });
async function connect() {
  connects++;
  await sleep(20);
  return { id: connects, query: (sql) => `rows of ${sql}` };
}
const pending = Array.from({ length: 5 }, () => db.getOrInit(connect));
say(`while connecting: ${db}`);
const clients = await Promise.all(pending);
say(`all five got the same client: ${clients.every((client) => client === clients[0])}`);
say(`connect() ran ${connects} time(s); ${db}`);
assert.equal(connects, 1);

step('3. A failed initialization is not cached: the next call retries.');
let attempts = 0;
const remote = new LazyLock(async function remoteConfig() {
  attempts++;
  await sleep(5);
  if (attempts === 1) throw new Error('ECONNREFUSED');
  return { theme: 'dark' };
});
const first = await Promise.allSettled([remote.force(), remote.force()]);
say(`attempt 1, two callers: ${first.map((outcome) => `${outcome.status} (${outcome.reason?.message ?? ''})`).join(', ')}`);
say(`after the failure: ${remote}`);
const config = await remote.force();
say(`attempt ${attempts}: theme = ${config.theme}; ${remote}`);
assert.deepEqual(
  first.map((outcome) => outcome.status),
  ['rejected', 'rejected'],
);
assert.equal(attempts, 2);

step('4. LazyInit: callers take turns; a failure is a result, and the next caller runs its own initializer.');
const device = new LazyInit({ name: 'device' });
const results = await Promise.all([
  device.init(async () => {
    throw new Error('probe failed');
  }),
  device.init(async () => 'device #2'),
  device.init(async () => 'device #3'),
]);
assert.deepEqual(
  results.map((result) => result.status),
  ['failed', 'initialized', 'already-initialized'],
);
for (const [i, result] of results.entries()) {
  say(`caller ${i + 1}: ${result.status}${'value' in result ? ` ${result.value}` : ` (${result.error.message})`}`);
}

step('5. Reentrant initialization is an error, not a stack overflow or a hang.');
const a = new LazyCell(() => b.value + 1, { name: 'a' });
const b = new LazyCell(() => a.value + 1, { name: 'b' });
let caught = 0;
try {
  void a.value;
} catch (error) {
  caught++;
  if (!(error instanceof ReentrantInitError)) throw error;
  say(`${error.name}: ${error.message}`);
  say(`cycle: ${error.cycle.join(' -> ')}`);
}
// Across an await, detection is free on Node 24; on Node 20 and 22 it costs every await in the process, so it is
// an opt-in there, meant for tests and development.
enableAsyncReentrancyDetection();
const looping = new LazyLock(
  async () => {
    await sleep(1);
    return looping.force();
  },
  { name: 'looping' },
);
try {
  await looping.force();
} catch (error) {
  caught++;
  if (!(error instanceof ReentrantInitError)) throw error;
  say(`async, across an await: ${error.name}: ${error.message}`);
}
say(`the cells are still empty: ${a}, ${looping}`);
assert.equal(caught, 2);
assert.equal(a.state, 'empty');
console.log('\nDone. See runtime/README.md for recipes.');
