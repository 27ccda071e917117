// End-to-end: the playground as a person uses it, in Debian's headless Chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { profile, open, shot, request, URL as APP } from './browser.mjs';

async function runInConsole(page, op, body) {
  await page.goto(page.url().split('#')[0] + '#/console');
  await page.selectOption('select[name="operation"]', op);
  await page.fill('textarea[name="request"]', JSON.stringify(body, null, 2));
  const before = await page.locator('ol.history li').count();
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForFunction((n) => document.querySelectorAll('ol.history li').length > n, before);
  return page.locator('[data-testid="response"]');
}

test('create a table in the UI, put items from the console, reload: still there', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await page.fill('input[name="table-name"]', 'Music');
  await page.fill('input[name="pk"]', 'Artist');
  await page.fill('input[name="sk"]', 'Song');
  await page.click('button[type="submit"]');
  await page.waitForURL(/#\/tables\/Music$/);
  await page.waitForSelector('h1:has-text("Music")');

  for (const [artist, song, plays] of [['Arturus', 'Gloria', '3'], ['Arturus', 'Benevolent', '7'], ['Bo', 'Calm', '1']]) {
    const response = await runInConsole(page, 'PutItem', {
      TableName: 'Music', Item: { Artist: { S: artist }, Song: { S: song }, Plays: { N: plays } }, ReturnConsumedCapacity: 'TOTAL',
    });
    await assert.doesNotReject(response.locator('text=HTTP 200').waitFor());
    assert.match(await response.locator('[data-testid="capacity"]').innerText(), /Music: 1(\.0)? units/);
  }
  // AWS's error text, exactly.
  const bad = await runInConsole(page, 'GetItem', { TableName: 'Music', Key: { Artist: { S: 'Arturus' } } });
  assert.equal(await bad.locator('[data-testid="error"]').innerText(), 'ValidationException: The provided key element does not match the schema');
  await shot(page, 'console');

  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.goto(page.url().split('#')[0] + '#/tables/Music');
  await page.waitForSelector('[data-testid="item-count"]');
  assert.equal(await page.locator('[data-testid="item-count"]').innerText(), '3');
  assert.equal(await page.locator('table.items tbody tr').count(), 3);
  // Within a collection, rows follow sort-key order.
  const songs = await page.locator('table.items tbody tr td:nth-child(2)').allInnerTexts();
  const arturus = songs.filter((s) => s === 'Benevolent' || s === 'Gloria');
  assert.deepEqual(arturus, ['Benevolent', 'Gloria']);
  await shot(page, 'table');
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs writing at once lose nothing', async () => {
  const { context, errors } = await profile();
  const a = await open(context);
  const b = await open(context);
  const create = await request(a, 'CreateTable', {
    TableName: 'Counters', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  assert.equal(create.status, 200);
  const bump = { TableName: 'Counters', Key: { id: { S: 'c' } }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } };
  const writes = [];
  for (let i = 0; i < 20; i++) {
    writes.push(request(a, 'UpdateItem', bump));
    writes.push(request(b, 'UpdateItem', bump));
  }
  const results = await Promise.all(writes);
  assert.ok(results.every((r) => r.status === 200));
  const fresh = await open(context, '#/tables/Counters');
  const got = await request(fresh, 'GetItem', { TableName: 'Counters', Key: { id: { S: 'c' } }, ConsistentRead: true });
  assert.deepEqual(got.body.Item.n, { N: '40' });
  // The other tab's view catches up without a reload.
  await b.goto(b.url().split('#')[0] + '#/tables/Counters');
  await b.waitForSelector('[data-testid="item-count"]');
  assert.equal(await b.locator('[data-testid="item-count"]').innerText(), '1');
  assert.deepEqual(errors, []);
  await context.close();
});

test('window.dynaplay answers exactly like DynamoDB, and unknown routes say so', async () => {
  const { context, errors } = await profile();
  const page = await open(context, '#/nowhere');
  await page.waitForSelector('h1:has-text("Not found")');
  const r = await request(page, 'DescribeTable', '{"TableName":"missing"}');
  assert.deepEqual(r, { status: 400, body: {
    __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
    message: 'Requested resource not found: Table: missing not found',
  } });
  const ops = await page.evaluate(() => window.dynaplay.operations);
  assert.ok(ops.includes('TransactWriteItems'));
  // The page's wasm memory, in whole 64 KiB pages, as measure.mjs reports it.
  const memory = await page.evaluate(() => window.dynaplay.memoryBytes());
  assert.ok(memory > 0 && memory % 65536 === 0, `memoryBytes() = ${memory}`);
  // The heap's live bytes fit under its peak, and the peak in the memory.
  const heap = await page.evaluate(() => window.dynaplay.heapBytes());
  assert.ok(heap.live > 0 && heap.live <= heap.peak && heap.peak < memory, JSON.stringify(heap));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the item editor saves through PutItem and shows plain JSON', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'People', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  await request(page, 'PutItem', { TableName: 'People', Item: { pk: { S: 'p1' }, Name: { S: 'Ann' }, Age: { N: '41' } } });
  await page.goto(page.url().split('#')[0] + '#/tables/People');
  await page.click('table.items tbody tr');
  await page.click('button:has-text("Plain JSON")');
  const plain = JSON.parse(await page.inputValue('textarea[aria-label="Item JSON"]'));
  assert.deepEqual(plain, { Age: 41, Name: 'Ann', pk: 'p1' });
  await page.click('button:has-text("DynamoDB JSON")');
  await page.fill('textarea[aria-label="Item JSON"]', JSON.stringify({ pk: { S: 'p1' }, Country: { S: 'NO' } }));
  await shot(page, 'editor');
  await page.click('button:has-text("Save (PutItem)")');
  await page.waitForSelector('section.editor', { state: 'detached' });
  assert.equal(await page.locator('[data-testid="item-saved"]').innerText(), 'Saved with PutItem: 1 write unit.');
  const got = await request(page, 'GetItem', { TableName: 'People', Key: { pk: { S: 'p1' } }, ConsistentRead: true });
  assert.deepEqual(got.body.Item, { pk: { S: 'p1' }, Country: { S: 'NO' } }, 'PutItem replaced the whole item');
  await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
  await shot(page, 'table-dark');
  assert.deepEqual(errors, []);
  await context.close();
});

test('export then import restores the workspace', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Saved', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  await request(page, 'PutItem', { TableName: 'Saved', Item: { pk: { S: 'x' } } });
  // The top bar's Export downloads what the script API gives (its writer is fetched with
  // the code that runs requests).
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('header.topbar button:has-text("Export")')]);
  assert.equal(download.suggestedFilename(), 'dynaplay-workspace.json');
  const exported = readFileSync(await download.path(), 'utf8');
  assert.deepEqual(JSON.parse(exported), JSON.parse(await page.evaluate(() => window.dynaplay.exportWorkspace())));
  await request(page, 'DeleteTable', { TableName: 'Saved' });
  await page.setInputFiles('input[type="file"]', { name: 'ws.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await page.waitForSelector('text=Workspace imported.');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  const got = await request(page, 'GetItem', { TableName: 'Saved', Key: { pk: { S: 'x' } }, ConsistentRead: true });
  assert.deepEqual(got.body.Item, { pk: { S: 'x' } });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a quota failure is shown and the write is not acknowledged', async () => {
  const { context } = await profile();
  // Chromium caches an origin's quota once its IndexedDB is open, so lower the quota before the
  // app first opens its database: room for small writes, not for a 300 KB item.
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  const origin = new URL(APP).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 128 * 1024 });
  await page.goto(APP);
  await page.waitForSelector('body[data-ready="true"]');
  const created = await request(page, 'CreateTable', {
    TableName: 'Full', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  assert.equal(created.status, 200);
  // Random text: Chromium compresses IndexedDB values, so repeated characters would fit.
  const outcome = await page.evaluate(() => {
    const bytes = new Uint8Array(150 * 1024);
    for (let at = 0; at < bytes.length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
    const big = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    return window.dynaplay.request('PutItem', { TableName: 'Full', Item: { pk: { S: 'big' }, b: { S: big } } })
      .then((r) => `acknowledged: ${r.status}`, (e) => `rejected: ${e}`);
  });
  assert.match(outcome, /^rejected: The browser refused to save the last change, most often because this site's storage quota is full/);
  const banner = page.locator('.banner.error[role="alert"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /not saved/);
  await shot(page, 'quota');
  // What is shown is what is saved: the rejected item is not in memory either, and a small
  // write still goes through.
  const got = await request(page, 'GetItem', { TableName: 'Full', Key: { pk: { S: 'big' } }, ConsistentRead: true });
  assert.deepEqual(got.body, {});
  const small = await request(page, 'PutItem', { TableName: 'Full', Item: { pk: { S: 'small' } } });
  assert.equal(small.status, 200);
  // A burst: requests queued behind a commit are saved together in the next one; when it
  // fails, each goes again alone, so only the one too big to save is refused.
  const burst = await page.evaluate(async () => {
    const bytes = new Uint8Array(150 * 1024);
    for (let at = 0; at < bytes.length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
    const big = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const put = (pk, extra = {}) => window.dynaplay.request('PutItem', { TableName: 'Full', Item: { pk: { S: pk }, ...extra } });
    const settled = await Promise.allSettled([put('s1'), put('s2'), put('big2', { b: { S: big } }), put('s3')]);
    return settled.map((r) => (r.status === 'fulfilled' ? r.value.status : 'rejected'));
  });
  assert.deepEqual(burst, [200, 200, 'rejected', 200]);
  const count = await request(page, 'Scan', { TableName: 'Full', Select: 'COUNT', ConsistentRead: true });
  assert.equal(count.body.Count, 4, 'small, s1, s2 and s3 are saved');
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  const after = await request(page, 'Scan', { TableName: 'Full', Select: 'COUNT', ConsistentRead: true });
  assert.equal(after.body.Count, 4, 'and still there after a reload');
  await context.close();
});

test('a newer release in another tab takes over storage: this tab steps aside and says so', async () => {
  const { context } = await profile();
  const page = await open(context);
  const created = await request(page, 'CreateTable', {
    TableName: 'Kept', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  assert.equal(created.status, 200);
  // Another tab on the same origin upgrades the database, as a later release would.
  const other = await context.newPage();
  await other.goto(APP + 'static-page-for-the-origin');
  const upgraded = await other.evaluate(async () => {
    // One version past whatever this release uses.
    const current = (await indexedDB.databases()).find((d) => d.name === 'dynaplay').version;
    return new Promise((resolve) => {
      const req = indexedDB.open('dynaplay', current + 1);
      req.onblocked = () => resolve('blocked');
      req.onsuccess = () => { const stores = [...req.result.objectStoreNames]; req.result.close(); resolve(stores.join(',')); };
      req.onerror = () => resolve(`error: ${req.error}`);
    });
  });
  for (const store of ['items', 'meta', 'tables']) {
    assert.ok(upgraded.split(',').includes(store), `the newer release keeps ${store}: ${upgraded}`);
  }
  const banner = page.locator('.banner.error[role="alert"]');
  await banner.waitFor();
  assert.equal(await banner.locator('span').innerText(),
    'A newer Dynaplay opened in another tab and upgraded the saved workspace. Reload this tab to keep working; changes made here from now on are not saved.');
  await shot(page, 'superseded');
  // A write from this tab is refused, not acknowledged.
  const outcome = await page.evaluate(() => window.dynaplay.request('PutItem', { TableName: 'Kept', Item: { pk: { S: 'late' } } })
    .then((r) => `acknowledged: ${r.status}`, (e) => `rejected: ${e}`));
  assert.match(outcome, /^rejected: A newer Dynaplay opened in another tab/);
  await context.close();
});

test("a write redraws the sidebar's item count in place; the row is not rebuilt", async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Counted', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  const row = page.locator('.table-list li', { hasText: 'Counted' });
  await row.locator('text=0 items').waitFor();
  await row.evaluate((li) => { li.dataset.mark = 'first'; });
  await request(page, 'PutItem', { TableName: 'Counted', Item: { pk: { S: 'a' } } });
  await row.locator('text=1 item').waitFor();
  assert.equal(await row.getAttribute('data-mark'), 'first', 'the same element, its count redrawn');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload of a large workspace shows how many records it has read, and every item is back', async () => {
  const { context, errors } = await profile();
  // Notes each progress bar the loading panel draws (the load is over before Playwright could look).
  await context.addInitScript(() => {
    window.__progress = [];
    new MutationObserver(() => {
      for (const p of document.querySelectorAll('.loading progress')) {
        const number = (name) => (p.hasAttribute(name) ? Number(p.getAttribute(name)) : null);
        window.__progress.push([number('value'), number('max'), p.parentElement.querySelector('.hint')?.textContent ?? '']);
      }
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Large', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 40000, WriteCapacityUnits: 40000 },
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  const ITEMS = 30000;
  await page.evaluate(async (n) => {
    const sent = [];
    for (let i = 0; i < n; i += 25) {
      const writes = Array.from({ length: 25 }, (_, j) => ({ PutRequest: { Item: { pk: { S: `item-${i + j}` }, name: { S: 'a reasonably sized attribute' } } } }));
      sent.push((async () => {
        let left = { Large: writes };
        while (Object.keys(left).length) left = (await window.dynaplay.request('BatchWriteItem', { RequestItems: left })).body.UnprocessedItems ?? {};
      })());
    }
    await Promise.all(sent);
  }, ITEMS);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120000 });
  const seen = await page.evaluate(() => window.__progress);
  assert.ok(seen.length > 0, 'the loading panel showed its progress');
  // Part of the way: while records still come from IndexedDB (their number not yet
  // known) a bar with no end and the records read so far, then a bar of the whole,
  // counting every stored record: the items and their change records.
  const part = ([read, total, text]) => (read === null ? /^[1-9][\d,]* records read$/.test(text) : read > 0 && read < total);
  assert.ok(seen.some(part), JSON.stringify(seen.slice(0, 5)));
  assert.ok(seen.every(([read, total, text]) => (read === null ? total === null : total > ITEMS && text.endsWith(`of ${total.toLocaleString('en-US')} records read`))), JSON.stringify(seen.slice(0, 5)));
  const { body } = await request(page, 'DescribeTable', { TableName: 'Large' });
  assert.equal(body.Table.ItemCount, ITEMS);
  assert.deepEqual(errors, []);
  await context.close();
});
