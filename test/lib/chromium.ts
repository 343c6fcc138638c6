/**
 * Headless Chromium for tests: Debian's `chromium` (or the executable named by `CHROMIUM_PATH`), driven by
 * `playwright-core`, which downloads no browser of its own. Where Chromium is missing a suite is skipped with a loud
 * warning saying why, except under `CI=true`, where a missing Chromium fails the suite: CI always runs it.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe } from 'vitest';

export type ChromiumLookup = { found: true; executablePath: string } | { found: false; reason: string };

/** Where Chromium is: `CHROMIUM_PATH` when set (it must be executable), else `chromium` or `chromium-browser` on `PATH`. */
export function locateChromium(): ChromiumLookup {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv) {
    try {
      accessSync(fromEnv, constants.X_OK);
      return { found: true, executablePath: fromEnv };
    } catch {
      return { found: false, reason: `CHROMIUM_PATH=${fromEnv} is not an executable file` };
    }
  }
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      const found = execFileSync('which', [name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (found) return { found: true, executablePath: found };
    } catch {
      // Not on PATH under this name; try the next.
    }
  }
  return {
    found: false,
    reason: 'no `chromium` on PATH and no CHROMIUM_PATH (Debian: `apt-get install -y chromium`)',
  };
}

/** Launches headless Chromium, or throws saying why it cannot. */
export async function launchChromium(lookup: ChromiumLookup = locateChromium()): Promise<Browser> {
  if (!lookup.found) throw new Error(`Chromium is required: ${lookup.reason}`);
  // playwright-core turns the sandbox off by default, which running as root (CI) needs.
  return chromium.launch({ executablePath: lookup.executablePath, headless: true });
}

const inCi = (): boolean => /^(1|true)$/i.test(process.env['CI'] ?? '');

/**
 * A `describe` whose tests get a fresh page of one shared headless Chromium. Without Chromium the suite is skipped
 * (its name and a warning on stderr say why), or fails under `CI=true`.
 */
export function describeInChromium(name: string, body: (page: () => Page) => void): void {
  const lookup = locateChromium();
  const skip = !lookup.found && !inCi();
  if (!lookup.found) {
    const message = `Chromium not found: ${lookup.reason}.`;
    console.warn(
      `\n${'!'.repeat(100)}\n!! ${message}\n!! ${skip ? `SKIPPING "${name}": the browser tests did not run.` : 'CI=true: failing.'}\n${'!'.repeat(100)}\n`,
    );
  }
  describe.skipIf(skip)(skip ? `${name} (SKIPPED: ${lookup.found ? '' : lookup.reason})` : name, () => {
    let browser: Browser | undefined;
    let page: Page | undefined;
    beforeAll(async () => {
      browser = await launchChromium(lookup);
      page = await browser.newPage();
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
    });
    body(() => {
      if (!page) throw new Error('Chromium did not start');
      return page;
    });
  });
}
