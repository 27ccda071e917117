// End-to-end: the stream and TTL view. A learner turns the stream on, writes, and reads
// the records; turns Time to Live on and watches an expired item disappear while the tab
// sits idle (the page's clock runs the sweep), marked as the service's delete; the records
// and the setting survive a reload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { profile, open, shot, request, go, URL as APP } from './browser.mjs';

test('stream: records of each change, then a TTL delete while idle, kept across a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  const created = await request(page, 'CreateTable', {
    TableName: 'Carts', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  assert.equal(created.status, 200);
  await go(page, '#/tables/Carts/stream');
  assert.equal(await page.locator('[data-testid="stream-status"]').innerText(), 'This table has no stream.');
  await page.selectOption('[data-testid="stream-view-type"]', 'NEW_AND_OLD_IMAGES');
  await page.click('[data-testid="stream-enable"]');
  await page.waitForSelector('[data-testid="stream-arn"]');
  assert.equal(await page.locator('[data-testid="stream-status"]').innerText(), 'ENABLED');

  await request(page, 'PutItem', { TableName: 'Carts', Item: { id: { S: 'c1' }, n: { N: '1' } } });
  await request(page, 'UpdateItem', { TableName: 'Carts', Key: { id: { S: 'c1' } }, UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '2' } } });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stream-record"]').length === 2);
  const events = await page.locator('[data-testid="stream-record"]').evaluateAll((rows) => rows.map((r) => r.dataset.event));
  assert.deepEqual(events, ['MODIFY', 'INSERT'], 'newest first');

  // Time to Live on `exp`; an item that expires in a second goes without any request.
  await page.fill('[data-testid="ttl-attribute"]', 'exp');
  await page.click('[data-testid="ttl-toggle"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="ttl-status"]').textContent.startsWith('On: items whose exp'));
  // This workspace's sweep waits 2 s instead of the default 10.
  await page.fill('[data-testid="ttl-delay"]', '2');
  await page.click('[data-testid="ttl-delay-save"]');
  await page.waitForSelector('[data-testid="ttl-delay-message"]:has-text("Saved")');
  await page.waitForFunction(() => document.querySelector('[data-testid="ttl-status"]').textContent.includes('deleted 2 s after'));
  const exp = String(Math.floor(Date.now() / 1000) + 1);
  await request(page, 'PutItem', { TableName: 'Carts', Item: { id: { S: 'gone' }, exp: { N: exp } } });
  await page.waitForSelector('[data-testid="ttl-waiting"]', { timeout: 5000 });
  await shot(page, 'stream-ttl-waiting');
  await page.waitForSelector('[data-testid="stream-record"][data-service="true"]', { timeout: 10000 });
  const removed = page.locator('[data-testid="stream-record"][data-service="true"]');
  assert.equal(await removed.getAttribute('data-event'), 'REMOVE');
  assert.match(await removed.innerText(), /Time to Live \(the service\)/);
  const got = await request(page, 'GetItem', { TableName: 'Carts', Key: { id: { S: 'gone' } }, ConsistentRead: true });
  assert.deepEqual(got.body, {});
  await shot(page, 'stream');

  // A reload keeps the stream, its records and the TTL setting.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="stream-record"]');
  assert.equal(await page.locator('[data-testid="stream-record"]').count(), 4);
  assert.equal(await page.locator('[data-testid="ttl-delay"]').inputValue(), '2', 'the workspace setting was saved');
  const d = await request(page, 'DescribeTimeToLive', { TableName: 'Carts' });
  assert.equal(d.body.TimeToLiveDescription.TimeToLiveStatus, 'ENABLED');
  assert.deepEqual(errors, []);
  await context.close();
});

test('stream: GetRecords through window.dynaplay reads what the view lists', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Feed', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' },
  });
  await request(page, 'PutItem', { TableName: 'Feed', Item: { id: { S: 'a' }, secret: { S: 's' } } });
  const arn = (await request(page, 'DescribeTable', { TableName: 'Feed' })).body.Table.LatestStreamArn;
  const shard = (await request(page, 'DescribeStream', { StreamArn: arn })).body.StreamDescription.Shards[0].ShardId;
  const it = (await request(page, 'GetShardIterator', { StreamArn: arn, ShardId: shard, ShardIteratorType: 'TRIM_HORIZON' })).body.ShardIterator;
  const records = (await request(page, 'GetRecords', { ShardIterator: it })).body.Records;
  assert.equal(records.length, 1);
  assert.deepEqual(records[0].dynamodb.Keys, { id: { S: 'a' } });
  assert.equal(records[0].dynamodb.NewImage, undefined, 'KEYS_ONLY keeps no image');
  await go(page, '#/tables/Feed/stream');
  await page.waitForSelector('[data-testid="stream-record"]');
  assert.equal(await page.locator('[data-testid="stream-arn"]').innerText(), arn);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Time to Live example replays in the sandbox as `dynaplay run` does: the sweep on scenario time', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await go(page, '#/gallery');
  await page.click('[data-testid="example-link"]:has-text("Time to Live")');
  await page.waitForSelector('[data-testid="scenario-title"]');
  await page.click('[data-testid="scenario-start"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]');
  await page.click('[data-testid="scenario-all"]');
  const steps = await page.locator('[data-testid="scenario-step"]').count();
  await page.waitForFunction((n) => document.querySelectorAll('.step-result').length === n, steps);
  const browser = await page.locator('.step-result').evaluateAll((rs) =>
    rs.map((r) => ({ status: Number(r.dataset.status), body: r.dataset.body, ok: r.dataset.ok })));
  assert.ok(browser.every((r) => r.ok === 'true'), JSON.stringify(browser));
  const cli = execFileSync(process.env.DYNAPLAY_BIN ?? 'target/debug/dynaplay', ['run', '--json', 'static/examples/time-to-live.json'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.step !== null);
  assert.deepEqual(browser.map((r) => [r.status, r.body]), cli.map((l) => [l.status, l.body]));
  // The sandbox's stream shows the service's delete.
  await go(page, '#/tables/Sessions/stream');
  await page.waitForSelector('[data-testid="stream-record"][data-service="true"]');
  await shot(page, 'stream-sandbox-ttl');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a workspace saved by the release before streams opens without loss, then keeps a stream across a reload', async () => {
  const { context, errors } = await profile();
  const page = await context.newPage();
  await page.goto(APP + 'static-page-for-the-origin');
  // The database exactly as release 1 wrote it: IndexedDB version 1, no `changes` store.
  const doc = JSON.parse(readFileSync('engine/tests/fixtures/workspace-v1.json', 'utf8'));
  const keyOf = (t, item) => {
    const names = [t.schema.hash[0], ...(t.schema.range ? [t.schema.range[0]] : [])].sort();
    return `${t.name}\u0000${JSON.stringify(Object.fromEntries(names.map((n) => [n, item[n]])))}`;
  };
  const tables = doc.tables.map(({ items, ...t }) => [t.name, JSON.stringify(t)]);
  const items = doc.tables.flatMap((t) => t.items.map((i) => [keyOf(t, i), JSON.stringify({ t: t.name, i })]));
  const meta = JSON.stringify({ format: 1, seq: 1, clock: doc.clockMs });
  const written = await page.evaluate(([tables, items, meta]) => new Promise((resolve) => {
    const req = indexedDB.open('dynaplay', 1);
    req.onupgradeneeded = () => { for (const s of ['meta', 'tables', 'items']) req.result.createObjectStore(s); };
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(['meta', 'tables', 'items'], 'readwrite');
      tx.objectStore('meta').put(meta, 'state');
      for (const [k, v] of tables) tx.objectStore('tables').put(v, k);
      for (const [k, v] of items) tx.objectStore('items').put(v, k);
      tx.oncomplete = () => { db.close(); resolve('ok'); };
      tx.onerror = () => resolve(`error: ${tx.error}`);
    };
    req.onerror = () => resolve(`error: ${req.error}`);
  }), [tables, items, meta]);
  assert.equal(written, 'ok');

  await go(page, '#/tables/snap');
  assert.equal(await page.locator('[data-testid="item-count"]').innerText(), String(doc.tables.find((t) => t.name === 'snap').items.length));
  const exported = JSON.parse(await page.evaluate(() => window.dynaplay.exportWorkspace()));
  // Settings release 1 did not have take the page's defaults (throttling on, followers
  // a second behind); the tables and items are as release 1 saved them.
  assert.deepEqual(exported.settings, { enforceCapacity: true, replicationLagMs: 1000 });
  delete exported.settings;
  assert.deepEqual(exported, doc, 'every table and item as release 1 saved them');
  // The upgraded database keeps a stream and its records.
  await request(page, 'UpdateTable', { TableName: 'snap', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } });
  await request(page, 'PutItem', { TableName: 'snap', Item: { pk: { S: 'new' }, sk: { N: '1' } } });
  await go(page, '#/tables/snap/stream');
  await page.waitForSelector('[data-testid="stream-record"]');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="stream-record"]');
  assert.equal(await page.locator('[data-testid="stream-record"]').count(), 1);
  assert.equal(await page.locator('.banner.error').count(), 0, 'no storage error');
  // The page opened only to reach the origin is a 404; nothing else may fail.
  assert.deepEqual(errors.filter((e) => !e.includes('status of 404')), []);
  await context.close();
});
