// End-to-end: the contention lab. A learner runs the four ways of incrementing a shared
// counter side by side: read-modify-write loses updates, the atomic counter does not,
// optimistic locking and transactions conflict and retry; each client's requests are drawn
// on a timeline; the workspace's tables are untouched; a bad setting says why; the page
// fits a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot } from './browser.mjs';

test('contention lab: lost updates vs atomic counter vs optimistic locking vs transactions', async () => {
  const { context, errors } = await profile();
  const page = await open(context, '#/lab/contention');
  await page.waitForSelector('[data-testid="lab"]');
  await page.fill('[data-testid="lab-clients"]', '30');
  await page.click('[data-testid="lab-run"]');
  assert.equal(await page.textContent('[data-testid="lab-error"]'), 'Clients must be from 1 to 20.');
  await page.fill('[data-testid="lab-clients"]', '4');
  await page.click('[data-testid="lab-run"]');
  await page.waitForSelector('[data-testid="lab-results"]');
  const cells = await page.locator('[data-testid="lab-results"] tbody tr').evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.querySelector('th').textContent, [...r.querySelectorAll('td')].map((td) => td.textContent)])));
  const heads = await page.locator('[data-testid="lab-results"] thead th').allTextContents();
  assert.deepEqual(heads.slice(1), ['Read, modify, write', 'Atomic counter (ADD)', 'Optimistic locking', 'Transaction']);
  const [rmw, atomic, optimistic, tx] = [0, 1, 2, 3];
  assert.ok(Number(cells['Lost updates'][rmw]) > 0, 'read-modify-write loses updates');
  assert.equal(cells['Final value / expected'][atomic], '20 / 20');
  assert.equal(cells['Conflicts'][atomic], '0');
  assert.equal(cells['Lost updates'][optimistic], '0');
  assert.ok(Number(cells['Conflicts'][optimistic]) > 0);
  assert.equal(cells['Lost updates'][tx], '0');
  assert.ok(Number(cells['Retries'][tx]) > 0);
  assert.equal(await page.locator('[data-testid="lab-results"] td.bad').count(), 1);
  assert.ok(await page.locator('[data-testid="lab-lanes-readmodifywrite"] rect.lost').count() > 0);
  assert.ok(await page.locator('[data-testid="lab-lanes-optimisticlocking"] rect.conflict').count() > 0);
  await shot(page, 'lab');
  assert.equal(await page.locator('.table-list li').count(), 0, 'the lab made no table in the workspace');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'lab-phone');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the lab fits a phone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('contention lab: its transactions are cold code; offline it says so, then runs once the code comes', async () => {
  const { context, errors } = await profile();
  let offline = true;
  await context.route(/split_cold_operations\.wasm$/, (r) => (offline ? r.abort() : r.continue()));
  const page = await open(context, '#/lab/contention');
  await page.waitForSelector('[data-testid="lab"]');
  await page.click('[data-testid="lab-run"]');
  await page.waitForSelector('[data-testid="lab-error"]');
  assert.equal(await page.textContent('[data-testid="lab-error"]'),
    'The code that runs TransactWriteItems could not be fetched (are you offline?). Nothing was changed; try again.');
  assert.equal(await page.locator('[data-testid="lab-results"]').count(), 0, 'nothing ran');
  offline = false;
  await page.click('[data-testid="lab-run"]');
  await page.waitForSelector('[data-testid="lab-results"]');
  assert.equal(await page.locator('[data-testid="lab-error"]').count(), 0);
  const heads = await page.locator('[data-testid="lab-results"] thead th').allTextContents();
  assert.equal(heads.at(-1), 'Transaction');
  assert.ok(errors.every((e) => /split_cold_operations|Failed to load resource|net::ERR_FAILED|TypeError: Failed to fetch/.test(e)), errors.join('\n'));
  await context.close();
});
