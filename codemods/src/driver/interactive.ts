import { isCancel, selectKey } from '@clack/prompts';
import { colorDiff, type Colors } from './format.js';
import type { ReviewAnswer, ReviewRequest } from './run.js';

export interface TerminalReviewerOptions {
  readonly input: NodeJS.ReadableStream & { isTTY?: boolean };
  readonly output: NodeJS.WritableStream;
  readonly colors: Colors;
  /** Aborting it (an interrupt) withdraws the question on screen; the file it was about stays untouched. */
  readonly signal?: AbortSignal;
  /**
   * Ctrl-C or Escape at a question. In raw mode the terminal sends Ctrl-C as a key, not as SIGINT, so the caller
   * turns it into the same interrupt.
   */
  readonly onCancel: () => void;
}

type Decision = 'y' | 'n' | 'a' | 'q';

/**
 * Asks in the terminal about each rewrite of a file: its place, its sites' messages and its diff, then one key.
 * `y` writes it, `n` leaves it, `a` writes it and every rewrite left in the file, `q` writes what was accepted in
 * this file and offers no further file. Cancelling (Ctrl-C, Escape) leaves the file untouched and ends the run.
 */
export function createTerminalReviewer(options: TerminalReviewerOptions): (request: ReviewRequest) => Promise<ReviewAnswer> {
  const { output, colors: c } = options;
  let offered = 0;
  return async (request) => {
    const accepted: number[] = [];
    for (const [index, rewrite] of request.rewrites.entries()) {
      offered++;
      const first = rewrite.sites[0];
      const lines = [''];
      for (const site of rewrite.sites) {
        lines.push(`${c.cyan(`${request.path}:${site.line}:${site.column}`)}  ${c.dim(site.transform)}  \`${site.slot}\``);
        if (site.message) lines.push(`    ${site.message}`);
      }
      lines.push(colorDiff(rewrite.diff, c));
      output.write(lines.join('\n') + '\n');
      const answer = await selectKey<Decision>({
        message: `Rewrite \`${first?.slot ?? 'this site'}\`? (${index + 1} of ${request.rewrites.length} in this file, ${offered} so far)`,
        options: [
          { value: 'y', label: 'yes, write this rewrite' },
          { value: 'n', label: 'no, leave it' },
          { value: 'a', label: 'all: this and the rest of the file' },
          { value: 'q', label: 'quit: write what was accepted, offer no more' },
        ],
        input: options.input as NodeJS.ReadStream,
        output: output as NodeJS.WriteStream,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (isCancel(answer)) {
        if (!options.signal?.aborted) options.onCancel();
        return { accepted: [], stop: true };
      }
      if (answer === 'y') accepted.push(index);
      if (answer === 'a') {
        for (let rest = index; rest < request.rewrites.length; rest++) accepted.push(rest);
        return { accepted, stop: false };
      }
      if (answer === 'q') return { accepted, stop: true };
    }
    return { accepted, stop: false };
  };
}
