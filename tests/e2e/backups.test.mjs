// End-to-end: the backups view. A learner backs a table up, deletes items by mistake,
// restores the backup into a new table (which opens with the items back and no stream),
// and finds the backup still there after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

test('backups: back up, lose items, restore into a new table, kept across a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
  });
  for (let i = 0; i < 4; i++) {
    await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: `o${i}` } } });
  }
  await go(page, '#/tables/Orders/backups');
  await page.waitForSelector('[data-testid="backup-none"]');
  assert.equal(await page.locator('[data-testid="backup-name"]').inputValue(), 'Orders-backup-1');
  await page.click('[data-testid="backup-create"]');
  await page.waitForSelector('[data-testid="backup-row"][data-status="AVAILABLE"]');
  assert.equal(await page.locator('[data-testid="backup-name"]').inputValue(), 'Orders-backup-2', 'the next default name');

  // The mistake: two orders deleted.
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { id: { S: 'o0' } } });
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { id: { S: 'o1' } } });
  await page.fill('[data-testid="backup-target"]', 'OrdersBack');
  await page.click('[data-testid="backup-restore"]');
  await page.waitForFunction(() => location.hash === '#/tables/OrdersBack');
  await page.waitForFunction(() => document.querySelector('[data-testid="item-count"]')?.textContent === '4');
  const d = await request(page, 'DescribeTable', { TableName: 'OrdersBack' });
  assert.equal(d.body.Table.StreamSpecification, undefined, 'a restore does not carry the stream');
  assert.ok(d.body.Table.RestoreSummary.SourceBackupArn.includes('/backup/'));

  await go(page, '#/tables/Orders/backups');
  await page.waitForSelector('[data-testid="backup-row"]');
  await shot(page, 'backups');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="backup-row"]');
  assert.equal(await page.locator('[data-testid="backup-row"]').count(), 1);
  await page.click('[data-testid="backup-delete"]');
  await page.waitForSelector('[data-testid="backup-none"]');
  assert.deepEqual(errors, []);
  await context.close();
});
