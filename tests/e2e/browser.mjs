// Shared helpers for the end-to-end tests: Debian's Chromium through playwright-core,
// a fresh profile per test, console errors collected so tests can fail on them.
import { after } from 'node:test';
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const URL = process.env.DYNAPLAY_URL ?? 'http://127.0.0.1:8080/';
const SHOTS = process.env.DYNAPLAY_SCREENSHOTS ?? 'target/screenshots';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run', '--disable-quic'];

// Every browser a test file opens is closed when the file ends, even when a test failed
// before closing its own: an open browser would keep the test process, and CI, waiting.
// Its profile folder goes with it (each is several megabytes; hundreds filled a disk).
const opened = [];
const folders = [];
after(async () => {
  await Promise.all(opened.map((c) => c.close().catch(() => {})));
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A persistent browser profile (IndexedDB survives reloads within it). */
export async function profile() {
  const dir = mkdtempSync(join(tmpdir(), 'dynaplay-e2e-'));
  folders.push(dir);
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', headless: true, args: ARGS, viewport: { width: 1280, height: 860 },
  });
  opened.push(context);
  // A page's load waits for the wasm to be fetched and compiled. First loads of fresh-state
  // runs took over 30 s (df23a0d) and then 90 s; the cause was xtask's old file server
  // (see xtask/src/serve.rs), since replaced; the margin stays for a busy machine.
  context.setDefaultNavigationTimeout(90000);
  const errors = [];
  context.on('page', (page) => watch(page, errors));
  for (const p of context.pages()) watch(p, errors);
  return { context, errors };
}

function watch(page, errors) {
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
}

/**
 * `page.goto(url)`, saying on a timeout which of the page's requests had not finished and
 * for how long: a fresh-state run once timed out on its first load with no clue why.
 */
export async function navigate(page, url) {
  const started = Date.now();
  const pending = new Map();
  const seen = [];
  const onRequest = (r) => { pending.set(r, Date.now()); seen.push(r.url()); };
  const onDone = (r) => pending.delete(r);
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  page.on('requestfailed', onDone);
  try {
    await page.goto(url);
    const took = Date.now() - started;
    if (took > 10000) console.log(`slow load of ${url}: ${took} ms, ${seen.length} requests`);
  } catch (e) {
    const open = [...pending].map(([r, t]) => `${r.url()} (${Date.now() - t} ms)`);
    e.message += `\nrequests not finished: ${open.join(', ') || 'none'}`
      + `\nrequests made: ${seen.length} (${seen.slice(0, 8).join(', ')})`
      + `\nafter ${Date.now() - started} ms`;
    throw e;
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onDone);
    page.off('requestfailed', onDone);
  }
}

/** Takes `page` to `hash` and waits until the saved workspace has loaded. */
export async function go(page, hash) {
  await navigate(page, URL + hash);
  await page.waitForSelector('body[data-ready="true"]');
  await pageLoaded(page);
}

/** Waits until the page of the current hash is on screen, its code fetched (web/src/pages.rs). */
export async function pageLoaded(page) {
  await page.waitForFunction(() => document.body.dataset.route === location.hash
    && !document.querySelector('[data-testid="page-loading"]'));
}

/** Opens the app at `hash` and waits until the saved workspace has loaded. */
export async function open(context, hash = '#/') {
  const page = await context.newPage();
  watch(page, []);
  await navigate(page, URL + hash);
  await page.waitForSelector('body[data-ready="true"]');
  await pageLoaded(page);
  return page;
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  // A full-page shot of a scrolled page draws the sticky header part-way down.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Sends a request through window.dynaplay (the same handle the UI uses). */
export function request(page, op, body) {
  return page.evaluate(([o, b]) => window.dynaplay.request(o, b), [op, body]);
}
