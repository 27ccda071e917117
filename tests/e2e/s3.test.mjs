// End-to-end: export to S3, download, import. A learner makes a bucket, exports a table
// (point-in-time recovery on), downloads the export as a zip, imports its data files into
// a new table, uploads a CSV with a bad row and reads the import's error log; everything is
// still there after a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profile, open, shot, request, go } from './browser.mjs';

const BOOKS = {
  TableName: 'Books', BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
};

async function importInto(page, { prefix, format, compression, table }) {
  await page.selectOption('[data-testid="import-bucket"]', 'exports');
  await page.fill('[data-testid="import-prefix"]', prefix);
  await page.selectOption('[data-testid="import-format"]', format);
  await page.selectOption('[data-testid="import-compression"]', compression);
  await page.fill('[data-testid="import-table"]', table);
  await page.fill('[data-testid="import-pk"]', 'id');
  await page.click('[data-testid="import-start"]');
}

test('s3: make a bucket, export, download the zip, import it into a new table', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', BOOKS);
  await request(page, 'UpdateContinuousBackups', { TableName: 'Books', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  for (let i = 0; i < 5; i++) {
    await request(page, 'PutItem', { TableName: 'Books', Item: { id: { S: `b${i}` }, title: { S: `Book ${i}` } } });
  }
  await go(page, '#/tables/Books/backups');
  await page.waitForSelector('[data-testid="export-no-bucket"]');
  await page.click('[data-testid="s3-link"]');
  await page.waitForSelector('[data-testid="s3-none"]');
  await page.click('[data-testid="bucket-create"]');
  await page.waitForSelector('[data-testid="bucket"][data-name="exports"]');

  await go(page, '#/tables/Books/backups');
  await page.click('[data-testid="export-start"]');
  await page.waitForSelector('[data-testid="export-row"][data-status="COMPLETED"]', { timeout: 10_000 });
  const files = await page.textContent('[data-testid="export-files"]');
  assert.match(files, /manifest-summary\.json/);
  assert.match(files, /data\/[a-z2-7]{26}\.json\.gz/);
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-download"]')]);
  assert.match(download.suggestedFilename(), /^Books-export-\d{14}-[0-9a-f]{8}\.zip$/);
  const zip = readFileSync(await download.path());
  assert.equal(zip.subarray(0, 2).toString(), 'PK', 'a zip file');
  assert.ok(zip.includes(Buffer.from('manifest-files.json')), 'the zip holds the manifests');
  await shot(page, 'export');

  const id = (await page.getAttribute('[data-testid="export-row"] td', 'title')).split('/').pop();
  await go(page, '#/s3');
  await importInto(page, { prefix: `AWSDynamoDB/${id}/data/`, format: 'DYNAMODB_JSON', compression: 'GZIP', table: 'BooksCopy' });
  await page.waitForSelector('[data-testid="import-row"][data-status="COMPLETED"]', { timeout: 10_000 });
  const scan = await request(page, 'Scan', { TableName: 'BooksCopy', Select: 'COUNT', ConsistentRead: true });
  assert.equal(scan.body.Count, 5);

  // A CSV uploaded from disk, one row without its key.
  await page.locator('[data-testid="bucket"][data-name="exports"] [data-testid="upload-prefix"]').fill('people/');
  await page.locator('[data-testid="bucket"][data-name="exports"] [data-testid="upload-files"]').setInputFiles({
    name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from('id,name\np1,Ann\n,Nobody\np2,Bob\n'),
  });
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="object-row"] td')].some((td) => td.textContent === 'people/people.csv'));
  await importInto(page, { prefix: 'people/', format: 'CSV', compression: 'NONE', table: 'People' });
  await page.waitForSelector('[data-testid="import-row"][data-status="FAILED"]', { timeout: 10_000 });
  assert.match(await page.textContent('[data-testid="import-row"][data-status="FAILED"]'), /ItemValidationError/);
  assert.match(await page.textContent('[data-testid="import-log"]'), /^people\/people\.csv #1: One or more parameter values are not valid/);
  assert.equal((await request(page, 'Scan', { TableName: 'People', Select: 'COUNT', ConsistentRead: true })).body.Count, 2);
  await shot(page, 's3');

  // A folder from disk (an AWS export as downloaded): its files keep their paths.
  const folder = join(mkdtempSync(join(tmpdir(), 'dynaplay-upload-')), 'myexport');
  mkdirSync(join(folder, 'data'), { recursive: true });
  writeFileSync(join(folder, 'data', 'part.json'), '{"Item":{"id":{"S":"f1"}}}\n');
  await page.locator('[data-testid="bucket"][data-name="exports"] [data-testid="upload-prefix"]').fill('');
  await page.locator('[data-testid="bucket"][data-name="exports"] [data-testid="upload-folder"]').setInputFiles(folder);
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="object-row"] td')].some((td) => td.textContent === 'myexport/data/part.json'));

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="bucket"][data-name="exports"]');
  assert.equal(await page.locator('[data-testid="import-row"]').count(), 2, 'imports are kept');
  assert.equal(await page.locator('[data-testid="export-row"][data-status="COMPLETED"]').count(), 1, 'the export is kept');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the S3 page fits a phone');
  await shot(page, 'phone-s3');
  assert.deepEqual(errors, []);
  await context.close();
});
