// End-to-end: the replicas view. A learner sets a replication lag, changes an item, and
// reads it eventually consistent until a follower answers with the old version (the view
// names the write it missed); a strongly consistent read gets the new one; the followers
// catch up; the setting survives a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

test('replicas: a stale read names the write it missed; a strong read is current; followers catch up', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  await go(page, '#/tables/Orders/replicas');
  // A new workspace's followers trail by a second.
  assert.equal(await page.locator('[data-testid="replica-lag"]').inputValue(), '1');
  await page.waitForSelector('[data-testid="replica-pending-none"]');
  assert.equal(await page.textContent('[data-testid="replica-pending-none"]'), 'Every copy has every write.');
  await page.fill('[data-testid="replica-lag"]', '3');
  await page.click('[data-testid="replica-lag-save"]');
  await page.waitForSelector('[data-testid="replica-lag-message"]');
  await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: 'o1' }, status: { S: 'new' } } });
  await page.waitForSelector('[data-testid="replica-pending"] li');
  // Three seconds on, the followers have the new item.
  await page.waitForSelector('[data-testid="replica-pending-none"]', { timeout: 6000 });

  await request(page, 'UpdateItem', { TableName: 'Orders', Key: { id: { S: 'o1' } }, UpdateExpression: 'SET #s = :p',
    ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':p': { S: 'paid' } } });
  await page.waitForSelector('[data-testid="replica-pending"] li');
  assert.match(await page.textContent('[data-testid="replica-pending"]'), /^#2 MODIFY \{id: o1\} at .*, applied at [^#]*$/);
  assert.equal(await page.locator('td.behind').count(), 2, 'both followers are one change behind');
  for (let i = 0; i < 8 && await page.locator('[data-testid="replica-read-result"][data-stale="true"]').count() === 0; i++) {
    await page.click('[data-testid="replica-read"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="replica-read-result"]').length === n, i + 1);
  }
  const stale = page.locator('[data-testid="replica-read-result"][data-stale="true"]').first();
  assert.match(await stale.textContent(), /^Eventually consistent read of \{id: o1\} — served by follower [23]: stale: missed #2 MODIFY at /);
  assert.match(await stale.textContent(), /"new"/);
  await page.check('[data-testid="replica-strong"]');
  await page.click('[data-testid="replica-read"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="replica-read-result"]').textContent.startsWith('Strongly'));
  assert.match(await page.textContent('[data-testid="replica-read-result"]'), /served by the leader: current.*"paid"/s);
  await shot(page, 'replicas');
  // Three seconds on, the followers have the change too.
  await page.waitForSelector('[data-testid="replica-pending-none"]', { timeout: 6000 });
  assert.equal(await page.textContent('[data-testid="replica-pending-none"]'), 'Every copy has every write.');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('[data-testid="replica-lag"]').inputValue(), '3');
  // This table's own lag overrides the workspace's: none here, so every copy is current
  // right after a write.
  await page.fill('[data-testid="replica-table-lag"]', '0');
  await page.click('[data-testid="replica-table-lag-save"]');
  assert.equal(await page.textContent('[data-testid="replica-table-lag-message"]'), 'Saved: the followers of Orders apply each write 0 s after it.');
  await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: 'o2' } } });
  await page.waitForSelector('[data-testid="replica-pending-none"]');
  assert.equal(await page.textContent('[data-testid="replica-pending-none"]'), 'No lag: every copy has every write.');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('[data-testid="replica-table-lag"]').inputValue(), '0');
  assert.deepEqual(errors, []);
  await context.close();
});

test('replicas: in a new workspace, the console says when an eventually consistent read was stale', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: 'a' }, v: { N: '1' } } });
  await go(page, '#/console');
  await page.selectOption('select[name="operation"]', 'GetItem');
  await page.fill('textarea[name="request"]', JSON.stringify({ TableName: 'Orders', Key: { id: { S: 'a' } } }));
  await page.waitForTimeout(1200);
  await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: 'a' }, v: { N: '2' } } });
  // Within the second after the write, a read that a follower serves misses it.
  const note = page.locator('[data-testid="response-replica"]');
  for (let i = 0; i < 8 && !/stale/.test(await note.textContent({ timeout: 50 }).catch(() => '')); i++) {
    await page.locator('textarea[name="request"]').press('Control+Enter');
    await page.waitForTimeout(40);
  }
  assert.match(await note.textContent(), /^Read from replica [23] of 3, which had applied the changes up to .*: stale \(the leader has a newer version\)$/);
  assert.match(await page.textContent('[data-testid="response-body"]'), /"N": "1"/);
  await shot(page, 'console-stale-read');
  assert.deepEqual(errors, []);
  await context.close();
});
