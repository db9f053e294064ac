// Times the dashboard's overview in a headless Chromium (bench/dashboard.sh runs it): each load opens /ui in a new
// tab with the HTTP cache off and waits until the queue table holds --rows rows. Prints p50/p95/max of two figures:
// "rows" (navigation start to the last row in the DOM, seen by a MutationObserver) and "page mark" (the page's own
// window.conveyorOverviewRenderedMs, set when its first full render is done). The API key (BENCH_API_KEY) is put in
// sessionStorage before the page runs, as if typed in once for the session.
//
// node render.mjs --url http://127.0.0.1:8080/ui --rows 100 --loads 20 --chromium /usr/bin/chromium
import puppeteer from 'puppeteer-core';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) =>
  i % 2 === 0 ? [...pairs, [arg.replace(/^--/, ''), all[i + 1]]] : pairs, []));
const rows = Number(args.rows ?? 100);
const loads = Number(args.loads ?? 20);
const warmup = 3;
const storageKey = args['storage-key'] ?? 'conveyor.key';
const key = process.env.BENCH_API_KEY ?? '';

const browser = await puppeteer.launch({
  executablePath: args.chromium ?? 'chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--window-size=1280,900'],
});
try {
  const rowsMs = [];
  const markMs = [];
  const breakdown = {};
  let failed = 0;
  for (let i = 0; i < warmup + loads; i++) {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await page.setCacheEnabled(false);
    await page.evaluateOnNewDocument((storageKey, key, rows) => {
      if (key) sessionStorage.setItem(storageKey, key);
      new MutationObserver((changes, observer) => {
        if (document.querySelectorAll('[data-queue-row]').length >= rows) {
          window.benchRowsAtMs = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    }, storageKey, key, rows);
    await page.goto(args.url + '#/', { waitUntil: 'domcontentloaded' });
    try {
      await page.waitForFunction(
        'window.benchRowsAtMs !== undefined && window.conveyorOverviewRenderedMs !== undefined',
        { timeout: 10000, polling: 50 });
    } catch (e) {
      failed++;
      await page.close();
      continue;
    }
    const [atRows, mark, parts] = await page.evaluate(rows => {
      const nav = performance.getEntriesByType('navigation')[0];
      const call = path => performance.getEntriesByType('resource').find(r => new URL(r.name).pathname === path);
      const me = call('/me');
      const stats = call('/stats');
      return [window.benchRowsAtMs, window.conveyorOverviewRenderedMs, {
        'document loaded (DOMContentLoaded)': nav.domContentLoadedEventEnd,
        'GET /me, request to response end': me ? me.responseEnd - me.startTime : NaN,
        'GET /stats?minutes=60, request to response end': stats ? stats.responseEnd - stats.startTime : NaN,
        [`GET /stats response end to ${rows} rows`]: stats ? window.benchRowsAtMs - stats.responseEnd : NaN,
      }];
    }, rows);
    if (i >= warmup) {
      rowsMs.push(atRows);
      markMs.push(mark);
      for (const [label, ms] of Object.entries(parts)) (breakdown[label] ??= []).push(ms);
    }
    await page.close();
  }
  const line = (label, values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const pct = p => sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1))];
    return `${label.padEnd(52)} p50 ${pct(50).toFixed(1).padStart(7)} ms  p95 ${pct(95).toFixed(1).padStart(7)} ms`
      + `  max ${sorted[sorted.length - 1].toFixed(1).padStart(7)} ms`;
  };
  if (failed) console.log(`${failed} of ${warmup + loads} loads did not show ${rows} rows within 10 s`);
  if (rowsMs.length === 0) process.exit(0);
  console.log(line(`navigation start to ${rows} queue rows in the DOM`, rowsMs));
  console.log(line('page mark (window.conveyorOverviewRenderedMs)', markMs));
  for (const [label, values] of Object.entries(breakdown)) console.log(line(`  ${label}`, values));
} finally {
  await browser.close();
}
