import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, expect, it } from 'vitest';
import { describeInChromium } from '../../../test/lib/chromium.js';
import { BUILD_TIMEOUT, codemodsDir, ensureBuilt, runWithMarkerEngine, tempDir, writeTree } from './helpers.js';

beforeAll(() => {
  ensureBuilt();
}, BUILD_TIMEOUT);

/** Screenshots land here (ignored by git), for a person or a CI artifact upload to look at. */
const artifacts = path.join(codemodsDir, 'test-artifacts');

describeInChromium('the HTML report in headless Chromium', (page) => {
  it('renders the summary, the chart and every site, and filters the table', async () => {
    const cwd = tempDir();
    const files: Record<string, string> = {};
    for (let i = 0; i < 120; i++) files[`src/mod-${i}.ts`] = i % 3 === 0 ? `let skipped${i} = lazy('skip');\n` : `let slot${i} = lazy();\n`;
    files['src/broken.ts'] = 'x = 1; // @@parse-error\n';
    files['src/evil.ts'] = "let tag = lazy('skip');\n// </script><script>window.pwned = 1</script>\n";
    writeTree(cwd, files);
    const result = await runWithMarkerEngine(['--no-type-aware', '--json', '--report', 'report.html'], cwd);
    const report = JSON.parse(result.stdout) as { summary: { sitesFound: number; sitesRewritten: number; sitesSkipped: number } };
    const html = readFileSync(path.join(cwd, 'report.html'), 'utf8');
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);

    const p = page();
    const external: string[] = [];
    p.on('request', (request) => {
      if (!request.url().startsWith('file:')) external.push(request.url());
    });
    await p.goto(pathToFileURL(path.join(cwd, 'report.html')).href);
    expect(external).toEqual([]);
    expect(await p.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();

    // Every site plus the failed file is a row.
    const rows = p.locator('#sites tbody tr');
    expect(await rows.count()).toBe(report.summary.sitesFound + 1);
    expect(await p.locator('#count').textContent()).toBe(`${report.summary.sitesFound + 1} of ${report.summary.sitesFound + 1} sites`);
    // The chart has a visible bar per outcome, sized by count.
    const bar = async (label: string): Promise<number> => Number(await p.locator(`#chart g[data-label="${label}"] rect`).getAttribute('width'));
    expect(await bar('rewritten')).toBeGreaterThan(await bar('skipped: exported-live-binding'));
    expect(await bar('skipped: exported-live-binding')).toBeGreaterThan(0);
    expect(await p.locator('#chart rect').count()).toBe(3);
    const box = await p.locator('#chart').boundingBox();
    expect(box!.width).toBeGreaterThan(100);

    await p.selectOption('#outcome', 'skipped');
    expect(await rows.count()).toBe(report.summary.sitesSkipped);
    await p.selectOption('#outcome', '');
    await p.fill('#filter', 'mod-42.ts');
    expect(await rows.count()).toBe(1);
    await p.fill('#filter', '');
    await p.selectOption('#reason', 'parse-error');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator('td').first().textContent()).toBe('src/broken.ts');
    await p.selectOption('#reason', '');

    // A rewritten site's diff opens from its row.
    await p.fill('#filter', 'slot1 ');
    await p.fill('#filter', 'mod-1.ts');
    const first = rows.first();
    await first.locator('summary').click();
    expect(await first.locator('pre.diff').textContent()).toContain('+const slot1 = new OnceCell();');

    await p.fill('#filter', '');
    mkdirSync(artifacts, { recursive: true });
    const shot = await p.screenshot({ path: path.join(artifacts, 'html-report.png'), fullPage: false });
    expect(shot.length).toBeGreaterThan(1000);
  }, 60_000);
});
