// End-to-end: global tables in the saved workspace. A learner adds a replica in another
// region from the console, writes in one region and reads the item in the other after the
// lag; the regions, the replica and the lag setting survive a reload and reach a second
// tab; the header's picker shows the other region's tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

const inRegion = (page, op, body, region) =>
  page.evaluate(([o, b, r]) => window.dynaplay.request(o, b, { region: r }), [op, body, region]);

test('global tables: a replica in the workspace, replication after the lag, kept across reloads and tabs', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await go(page, '#/global');
  await page.waitForSelector('[data-testid="global-none"]');
  assert.match(await page.textContent('[data-testid="global-none"]'), /ReplicaUpdates/);
  await request(page, 'CreateTable', {
    TableName: 'Carts', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  const add = await request(page, 'UpdateTable', { TableName: 'Carts', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  assert.deepEqual(add.body.TableDescription.Replicas, [{ RegionName: 'us-west-2', ReplicaStatus: 'CREATING' }]);
  // The replica is filled on the clock (5 s), then ACTIVE.
  await page.waitForSelector('[data-testid="global-region"][data-region="us-west-2"] .badge:has-text("ACTIVE")', { timeout: 9000 });

  await request(page, 'PutItem', { TableName: 'Carts', Item: { id: { S: 'c1' }, by: { S: 'east' } } });
  const key = { TableName: 'Carts', Key: { id: { S: 'c1' } }, ConsistentRead: true };
  const early = await inRegion(page, 'GetItem', key, 'us-west-2');
  assert.deepEqual(early.body, {}, 'not in us-west-2 before the lag');
  await page.waitForSelector('[data-testid="in-flight-none"]', { timeout: 4000 });
  const late = await inRegion(page, 'GetItem', key, 'us-west-2');
  assert.deepEqual(late.body.Item.by, { S: 'east' }, 'replicated after the lag');

  // A lag of its own for one pair, saved with the workspace.
  await page.selectOption('[data-testid="lag-pair"]', 'us-west-2>us-east-1');
  await page.fill('[data-testid="lag-ms"]', '2500');
  await page.click('[data-testid="lag-form"] button');
  await page.waitForSelector('[data-testid="pair-lags"]');
  assert.equal(await page.textContent('[data-testid="pair-lags"]'), 'us-west-2 → us-east-1: 2500 ms');

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="global-region"][data-region="us-west-2"]');
  assert.equal(await page.textContent('[data-testid="pair-lags"]'), 'us-west-2 → us-east-1: 2500 ms', 'the lag is kept');
  assert.equal(await page.locator('[data-testid="global-item"].differs').count(), 0, 'converged, and kept');
  const picker = await page.locator('[data-testid="region-picker"] optgroup[label="In use"] option').allTextContents();
  assert.deepEqual(picker, ['us-east-1', 'us-west-2']);

  // A write in us-west-2 reaches us-east-1 after that pair's lag; a second tab sees it all.
  const west = await inRegion(page, 'PutItem', { TableName: 'Carts', Item: { id: { S: 'c2' }, by: { S: 'west' } } }, 'us-west-2');
  assert.equal(west.status, 200);
  await page.waitForSelector('[data-testid="in-flight"]');
  // The look-ahead shows us-east-1 once the write in flight has landed, before it has.
  const slide = (to) => page.$eval('[data-testid="look-ahead"]', (el, v) => {
    el.value = v === 'max' ? el.max : v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, to);
  await slide('max');
  await page.waitForSelector('[data-testid="in-flight-none"]');
  assert.match(await page.textContent('[data-testid="look-ahead-label"]'), /^In \d\.\d s \(\d\d:\d\d:\d\d\.\d{3}\), if nothing else is written:$/);
  assert.equal(await page.locator('[data-testid="global-region"][data-region="us-east-1"] [data-testid="global-item"]').count(), 2);
  await shot(page, 'global-look-ahead');
  await slide('0');
  assert.equal(await page.textContent('[data-testid="look-ahead-label"]'), 'Now: the regions as they are.');
  await page.waitForSelector('[data-testid="in-flight-none"]', { timeout: 5000 });
  const other = await open(context, '#/global/Carts');
  await other.waitForSelector('[data-testid="global-region"][data-region="us-west-2"]');
  const east = await inRegion(other, 'GetItem', { ...key, Key: { id: { S: 'c2' } } }, 'us-east-1');
  assert.deepEqual(east.body.Item.by, { S: 'west' }, 'the second tab reads the replicated write');
  await shot(page, 'global-workspace');

  // The picker shows us-west-2's tables, and remembers it across a reload.
  await page.selectOption('[data-testid="region-picker"]', 'us-west-2');
  await go(page, '#/');
  await page.waitForSelector('nav a[href^="#/tables/Carts"], aside a[href^="#/tables/Carts"]');
  assert.equal(await page.locator('[data-testid="region-picker"]').inputValue(), 'us-west-2');
  const plain = await request(page, 'Scan', { TableName: 'Carts', Select: 'COUNT', ConsistentRead: true });
  assert.equal(plain.body.Count, 2, 'a request without a region goes to the region on screen');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('[data-testid="region-picker"]').inputValue(), 'us-west-2');
  await page.setViewportSize({ width: 390, height: 844 });
  await go(page, '#/global/Carts');
  await page.waitForSelector('[data-testid="global-region"]');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the global view fits a phone');
  await shot(page, 'global-workspace-phone');

  // The export carries every region.
  const doc = JSON.parse(await page.evaluate(() => window.dynaplay.exportWorkspace()));
  assert.deepEqual(Object.keys(doc.regions), ['us-west-2']);
  assert.equal(doc.regions['us-west-2'].tables[0].items.length, 2);
  assert.deepEqual(errors, []);
  await context.close();
});
