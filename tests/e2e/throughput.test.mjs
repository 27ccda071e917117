// End-to-end: the throughput view. A learner opens a provisioned table at teaching scale,
// sends a burst of writes to one key with the load generator, and sees the throttles, the
// hot key and its partition, and the retries that got every write through; turns
// enforcement off, and the setting survives a reload; the view fits a phone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

test('throughput: a hot key is throttled at its partition ceiling, the SDK retries get it through', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Counters', ProvisionedThroughput: { ReadCapacityUnits: 25, WriteCapacityUnits: 25 },
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    DynaplayTeachingScale: 200,
  });
  await go(page, '#/tables/Counters/throughput');
  await page.waitForSelector('[data-testid="throughput-limits"]');
  assert.equal(await page.textContent('[data-testid="ceiling"]'), '15 read / 5 write units a second');
  assert.equal(await page.textContent('[data-testid="burst-write"]'), '7500 of 7500 units (100 %)');
  assert.equal(await page.locator('[data-testid="partition-load"]').count(), 7);
  assert.equal(await page.textContent('[data-testid="throttles-none"]'), 'None yet.');

  await page.fill('[data-testid="load-rate"]', '10');
  await page.fill('[data-testid="load-seconds"]', '2');
  await page.click('[data-testid="load-start"]');
  await page.waitForSelector('[data-testid="load-tally"][data-done="true"]', { timeout: 40000 });
  const n = async (id) => Number(await page.textContent(`[data-testid="${id}"]`));
  assert.ok(await n('load-throttles') > 0, 'the hot key was throttled');
  assert.equal(await n('load-first') + await n('load-after'), 20, 'every write got through');
  assert.ok(await n('load-after') > 0, 'some only after retries');
  assert.equal(await n('load-failed'), 0);
  await page.waitForSelector('[data-testid="hot-key"]');
  assert.match(await page.textContent('[data-testid="hot-key"]'), /^Hot key: load-0 was throttled \d+ times\. One partition key lives on one partition, which serves at most 5 write units a second/);
  assert.match(await page.textContent('[data-testid="throttles"] li'), /TableWriteKeyRangeThroughputExceeded/);
  assert.equal(await page.locator('tr.hot[data-testid="partition-load"]').count(), 1, 'one partition took the throttles');
  assert.ok(await page.locator('[data-testid="chart-write"] .throttle-mark').count() > 0);
  const counted = await request(page, 'GetItem', { TableName: 'Counters', Key: { id: { S: 'load-0' } }, ConsistentRead: true });
  assert.equal(counted.body.Item.loadHits.N, '20');
  await shot(page, 'throughput');

  await page.uncheck('[data-testid="enforce-capacity"]');
  await page.waitForSelector('[data-testid="enforce-capacity-message"]');
  await page.waitForSelector('[data-testid="throughput-off"]');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="throughput-off"]');
  assert.equal(await page.isChecked('[data-testid="enforce-capacity"]'), false);

  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'throughput-phone');
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the view fits a phone');
  assert.deepEqual(errors, []);
  await context.close();
});
