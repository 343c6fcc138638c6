import { Bench } from 'tinybench';

/**
 * Times `tasks` in `rounds` rounds. Each round is a fresh tinybench run of every task, in an order rotated by one
 * per round, so that no task always runs first (cold) or last (after the others warmed the machine up). Each task
 * function performs `ops` operations per call, so the timer's own cost (tens of nanoseconds) is spread over them
 * and per-operation figures of about a nanosecond mean something.
 *
 * A task may name a `baseline` task of the same list; its ratio is computed inside each round (both were measured
 * minutes apart at most, on the same warm process), and the reported ratio is the median of the per-round ratios.
 *
 * @param {{ name: string, fn: () => unknown, ops: number, baseline?: string }[]} tasks
 * @param {{ rounds: number, time: number, log: (message: string) => void }} options
 * @returns {Promise<Map<string, { nsPerOp: number, ratio: number | undefined }>>}
 */
export async function measure(tasks, { rounds, time, log }) {
  const perRound = new Map(tasks.map((task) => [task.name, []]));
  for (let round = 0; round < rounds; round++) {
    const bench = new Bench({ time, warmupTime: Math.min(time, 100), throws: true });
    const shift = round % tasks.length;
    const ordered = [...tasks.slice(shift), ...tasks.slice(0, shift)];
    for (const task of ordered) {
      bench.add(task.name, task.fn, { async: task.fn.constructor.name === 'AsyncFunction' });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const { result } = task;
      if (result.state !== 'completed') throw new Error(`Task \`${task.name}\` ended as \`${result.state}\`.`);
      const ops = tasks.find((t) => t.name === task.name).ops;
      // The median sample resists the odd garbage collection or descheduling that inflates the mean.
      perRound.get(task.name).push((result.latency.p50 * 1e6) / ops);
    }
    log(`round ${round + 1}/${rounds} done`);
  }
  const results = new Map();
  for (const task of tasks) {
    const samples = perRound.get(task.name);
    let ratio;
    if (task.baseline !== undefined) {
      const base = perRound.get(task.baseline);
      if (base === undefined) throw new TypeError(`Unknown baseline \`${task.baseline}\` for \`${task.name}\`.`);
      ratio = median(samples.map((value, i) => value / base[i]));
    }
    results.set(task.name, { nsPerOp: median(samples), ratio });
  }
  return results;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Heap bytes retained per object, measured as the growth of the used heap after a full collection when `count` of
 * them are kept alive in an array (allocated before the first reading, so its slots do not count). `make(keep)`
 * builds one object and hands it to `keep`; it may be async, for objects that must be awaited into shape (handing
 * the object over instead of returning it keeps a thenable from being unwrapped by `await`).
 * Needs `--expose-gc`; `bench/run.js` starts every area with it.
 *
 * @param {(keep: (object: unknown) => void) => void | Promise<void>} make
 * @param {number} count
 */
export async function retainedBytes(make, count) {
  const gc = globalThis.gc;
  if (typeof gc !== 'function') throw new Error('Heap measurements need `node --expose-gc`.');
  const kept = new Array(count).fill(undefined);
  let next = 0;
  const keep = (object) => {
    kept[next++] = object;
  };
  collect(gc);
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < count; i++) await make(keep);
  collect(gc);
  const after = process.memoryUsage().heapUsed;
  if (next !== count || kept[count - 1] === undefined) throw new Error('`make` must hand exactly one object to `keep`.');
  return (after - before) / count;
}

function collect(gc) {
  // Several passes: finalization of weak structures and promise reactions can free more on the second pass.
  for (let i = 0; i < 4; i++) gc();
}
