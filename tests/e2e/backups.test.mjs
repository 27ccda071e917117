// End-to-end: the backups view. A learner backs a table up, deletes items by mistake,
// restores the backup into a new table (which opens with the items back and no stream),
// and finds the backup still there after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

const ORDERS = {
  TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
};

test('backups: back up, lose items, restore into a new table, kept across a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', { ...ORDERS, StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } });
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

test('point-in-time recovery: turn it on, delete by mistake, restore to just before the delete', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', ORDERS);
  await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: 'o0' } } });
  await go(page, '#/tables/Orders/backups');
  assert.equal(await page.textContent('[data-testid="pitr-status"]'), 'Off.');
  // AWS's five minutes would make a learner wait: this workspace restores at once.
  assert.equal(await page.locator('[data-testid="pitr-lag"]').inputValue(), '300');
  await page.fill('[data-testid="pitr-lag"]', '0');
  await page.click('[data-testid="pitr-lag-save"]');
  await page.waitForSelector('[data-testid="pitr-lag-message"]');
  await page.click('[data-testid="pitr-enable"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="pitr-status"]')?.textContent === 'On, 35 days');
  assert.match(await page.textContent('[data-testid="pitr-base"]'), /^a base of 1 item at .*, and 0 changes after it$/);

  // A few milliseconds apart, so each change has a moment of its own.
  for (let i = 1; i < 4; i++) {
    await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: `o${i}` } } });
    await page.waitForTimeout(5);
  }
  await page.waitForTimeout(20);
  // The mistake.
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { id: { S: 'o0' } } });
  await page.waitForTimeout(5);
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { id: { S: 'o2' } } });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pitr-change"]').length === 5);
  assert.match(await page.textContent('[data-testid="pitr-base"]'), /and 5 changes after it$/);
  // The clock moves on each second; the second delete is restorable once it has.
  const firstDelete = page.locator('[data-testid="pitr-change"]').nth(1);
  assert.match(await firstDelete.textContent(), /REMOVE \(DeleteItem\)\{id: o0\}/);
  await page.waitForFunction(() => !document.querySelectorAll('[data-testid="pitr-restore-before"]')[1]?.disabled);
  // Preview first: just before the first delete, o0 and o2 were there and are gone now.
  await firstDelete.locator('[data-testid="pitr-preview-before"]').click();
  await page.waitForSelector('[data-testid="pitr-preview"]');
  assert.match(await page.textContent('[data-testid="pitr-preview"] strong'), /, 2 items differed from now\.$/);
  const rows = await page.locator('[data-testid="pitr-diff"]').allTextContents();
  assert.deepEqual(rows.sort(), ['{id: o0}{id: o0}(absent)', '{id: o2}{id: o2}(absent)']);
  await shot(page, 'pitr-preview');

  // Any moment, typed: a bad one says how to write it; one outside the window says so.
  await page.fill('[data-testid="pitr-moment"]', 'yesterday');
  await page.click('[data-testid="pitr-preview-moment"]');
  assert.match(await page.textContent('[data-testid="pitr-error"]'), /^Write the moment as \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3} \(UTC\)\.$/);
  await page.fill('[data-testid="pitr-moment"]', '2000-01-01T00:00:00.000');
  await page.click('[data-testid="pitr-preview-moment"]');
  assert.equal(await page.textContent('[data-testid="pitr-error"]'), '2000-01-01T00:00:00.000 is outside the restorable window.');
  // The moment o1 went in: o0 and o1 were there; o3 was not yet.
  const firstInsert = await page.locator('[data-testid="pitr-change"]').nth(4).locator('td').first().textContent();
  await page.fill('[data-testid="pitr-moment"]', firstInsert);
  await page.click('[data-testid="pitr-preview-moment"]');
  await page.waitForSelector('[data-testid="pitr-preview"]');
  assert.equal(await page.locator('[data-testid="pitr-error"]').count(), 0);
  const atInsert = await page.locator('[data-testid="pitr-diff"]').allTextContents();
  assert.deepEqual(atInsert.sort(), ['{id: o0}{id: o0}(absent)', '{id: o3}(absent){id: o3}']);
  await page.fill('[data-testid="pitr-target"]', 'OrdersBefore');
  await firstDelete.locator('[data-testid="pitr-restore-before"]').click();
  await page.waitForFunction(() => location.hash === '#/tables/OrdersBefore');
  await page.waitForFunction(() => document.querySelector('[data-testid="item-count"]')?.textContent === '4');
  const d = await request(page, 'DescribeTable', { TableName: 'OrdersBefore' });
  assert.ok(d.body.Table.RestoreSummary.RestoreDateTime > 0);
  assert.equal(d.body.Table.RestoreSummary.SourceBackupArn, undefined);

  // The setting and PITR itself survive a reload.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await go(page, '#/tables/Orders/backups');
  await page.waitForFunction(() => document.querySelector('[data-testid="pitr-status"]')?.textContent === 'On, 35 days');
  assert.equal(await page.locator('[data-testid="pitr-lag"]').inputValue(), '0');
  assert.match(await page.textContent('[data-testid="pitr-latest"]'), /\(0 s behind the clock\)$/);
  await shot(page, 'pitr');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(200);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the panel fits a phone');
  await shot(page, 'phone-pitr');
  await page.click('[data-testid="pitr-disable"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="pitr-status"]')?.textContent === 'Off.');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deleted table: its backups, and the system backup PITR leaves, are listed and restore', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', ORDERS);
  for (let i = 0; i < 3; i++) {
    await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: `o${i}` } } });
  }
  await request(page, 'UpdateContinuousBackups', {
    TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  });
  assert.equal(await page.locator('[data-testid="deleted-backups-link"]').count(), 0, 'no link while there are none');
  await request(page, 'DeleteTable', { TableName: 'Orders' });
  await page.click('[data-testid="deleted-backups-link"]');
  await page.waitForFunction(() => location.hash === '#/backups');
  const row = page.locator('[data-testid="backup-row"]');
  await page.waitForSelector('[data-testid="backup-row"][data-status="AVAILABLE"]');
  assert.match(await row.textContent(), /^Orders\$DeletedTableBackupOrdersSYSTEM/);
  assert.equal(await page.locator('[data-testid="backup-target"]').inputValue(), 'Orders-restored');
  await shot(page, 'deleted-table-backups');
  await page.click('[data-testid="backup-restore"]');
  await page.waitForFunction(() => location.hash === '#/tables/Orders-restored');
  await page.waitForFunction(() => document.querySelector('[data-testid="item-count"]')?.textContent === '3');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('[data-testid="deleted-backups-link"]'), /\(1\)$/, 'kept across a reload');
  assert.deepEqual(errors, []);
  await context.close();
});

test('timeline: click the moment between the inserts and the mistaken delete, preview it, restore it', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', ORDERS);
  await go(page, '#/tables/Orders/backups');
  await page.fill('[data-testid="pitr-lag"]', '0');
  await page.click('[data-testid="pitr-lag-save"]');
  await page.waitForSelector('[data-testid="pitr-lag-message"]');
  await request(page, 'UpdateContinuousBackups', { TableName: 'Orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  for (let i = 0; i < 3; i++) await request(page, 'PutItem', { TableName: 'Orders', Item: { id: { S: `o${i}` } } });
  await request(page, 'CreateBackup', { TableName: 'Orders', BackupName: 'nightly' });
  await page.waitForTimeout(1500);
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { id: { S: 'o1' } } });
  await page.waitForTimeout(1100);
  await page.waitForSelector('.timeline .tl-remove');
  assert.equal(await page.locator('.timeline .tl-backup').count(), 1, 'the backup is marked');
  // Halfway between the inserts' bar and the delete's bar.
  const insert = await page.locator('.timeline .tl-insert').last().boundingBox();
  const remove = await page.locator('.timeline .tl-remove').boundingBox();
  const axis = await page.locator('[data-testid="timeline-axis"]').boundingBox();
  await page.mouse.click((insert.x + insert.width + remove.x) / 2, axis.y + axis.height / 2);
  await page.waitForSelector('[data-testid="timeline-picked"]', { state: 'attached' });
  await page.waitForSelector('[data-testid="pitr-preview"]');
  assert.deepEqual(await page.locator('[data-testid="pitr-diff"]').allTextContents(), ['{id: o1}{id: o1}(absent)']);
  assert.match(await page.locator('[data-testid="pitr-moment"]').inputValue(), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$/);
  await shot(page, 'timeline');
  await page.fill('[data-testid="pitr-target"]', 'OrdersBack');
  await page.click('[data-testid="pitr-restore-moment"]');
  await page.waitForFunction(() => location.hash === '#/tables/OrdersBack');
  await page.waitForFunction(() => document.querySelector('[data-testid="item-count"]')?.textContent === '3');
  assert.deepEqual(errors, []);
  await context.close();
});
