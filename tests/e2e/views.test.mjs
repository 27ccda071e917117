// End-to-end: the four views that show what DynamoDB hides. Each is opened by its URL,
// driven as a person would, and checked against what the engine itself reports (through
// window.dynaplay) or against an independent computation here (MD5 placement).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { profile, open, shot, request, go } from './browser.mjs';

async function createScores(page) {
  const r = await request(page, 'CreateTable', {
    TableName: 'Scores', BillingMode: 'PAY_PER_REQUEST', DynaplayTeachingScale: 1000000,
    AttributeDefinitions: [{ AttributeName: 'player', AttributeType: 'S' }, { AttributeName: 'score', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'player', KeyType: 'HASH' }, { AttributeName: 'score', KeyType: 'RANGE' }],
  });
  assert.equal(r.status, 200);
  // At this scale a partition serves one write unit a second: these views are about
  // partitions and reads, so turn throttling off as the partition-split example does.
  await go(page, '#/tables/Scores/throughput');
  await page.uncheck('[data-testid="enforce-capacity"]');
  await page.waitForSelector('[data-testid="enforce-capacity-message"]');
  // 60 items of ~220 bytes: past the 10.7 KB partition limit at this teaching scale.
  const writes = [];
  for (let i = 0; i < 60; i++) {
    writes.push({ PutRequest: { Item: { player: { S: `p${i % 8}` }, score: { N: String(i) }, pad: { S: 'x'.repeat(200) } } } });
  }
  for (let i = 0; i < writes.length; i += 25) {
    const b = await request(page, 'BatchWriteItem', { RequestItems: { Scores: writes.slice(i, i + 25) } });
    assert.equal(b.status, 200);
  }
  // Let the followers apply the writes (a new workspace's lag is a second) before the
  // views read eventually consistent.
  await page.waitForTimeout(1100);
}

/** Our hash, recomputed independently: the first 8 bytes of MD5(type tag + key bytes). */
const hashOf = (tag, text) => BigInt('0x' + createHash('md5').update(tag + text).digest('hex').slice(0, 16));

/** The partition starts of `table` from the workspace export (read as exact integers). */
async function partitionStarts(page, table) {
  const text = await page.evaluate(() => window.dynaplay.exportWorkspace());
  const from = text.indexOf(`"name":"${table}"`);
  const parts = text.slice(from).match(/"parts":\[(.*?\])\]/)[1];
  return [...parts.matchAll(/\[(\d+),\d+\]/g)].map((m) => BigInt(m[1]));
}

test('partitions: counts follow the hashes, the split shows before and after, a hot key stands out', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await createScores(page);
  await go(page, '#/tables/Scores/partitions');
  await page.waitForSelector('[data-testid="partition-table"]');

  // The partition count and each partition's items, against an independent computation.
  const starts = await partitionStarts(page, 'Scores');
  assert.ok(starts.length > 1, 'the table split');
  assert.equal(await page.locator('[data-testid="viz-partition-count"]').innerText(), `${starts.length} partitions`);
  const expected = starts.map(() => 0);
  for (let i = 0; i < 60; i++) {
    const h = hashOf('S', `p${i % 8}`);
    expected[starts.findLastIndex((s) => s <= h)] += 1;
  }
  const shown = (await page.locator('[data-testid="partition-items"]').allInnerTexts()).map(Number);
  assert.deepEqual(shown, expected);

  // The split that happened during the batch writes, before and after.
  const split = page.locator('[data-testid="split-view"]');
  await split.waitFor();
  assert.match(await split.innerText(), /During BatchWriteItem: P0 split at 0x[0-9a-f]{16} because it held more than its size limit/);
  assert.match(await split.innerText(), /Before: 1 partition/);
  assert.match(await split.innerText(), /After: 2 partitions/);

  // Why a key lands where it does: the steps, and the partition whose collections list it.
  await page.fill('[data-testid="placement-input"]', 'p3');
  const steps = await page.locator('[data-testid="placement"]').innerText();
  const h = hashOf('S', 'p3');
  assert.match(steps, new RegExp(`MD5 of that: ${createHash('md5').update('Sp3').digest('hex')}`));
  assert.match(steps, new RegExp(`the hash: 0x${h.toString(16).padStart(16, '0')}`));
  const p = starts.findLastIndex((s) => s <= h);
  assert.match(steps, new RegExp(`lands in P${p}\\.`));
  await page.locator('[data-testid="partition-table"] tbody tr').nth(p).click();
  const detail = page.locator('[data-testid="partition-detail"]');
  await detail.waitFor();
  assert.match(await detail.innerText(), /\bp3\b/);

  // Hammer one key: it leads the busiest keys, marked hot, and its partition heats up.
  for (let i = 0; i < 20; i++) {
    await request(page, 'UpdateItem', {
      TableName: 'Scores', Key: { player: { S: 'p5' }, score: { N: '5' } },
      UpdateExpression: 'ADD hits :one', ExpressionAttributeValues: { ':one': { N: '1' } },
    });
  }
  const first = page.locator('[data-testid="hot-keys"] li').first();
  await page.waitForFunction(() => document.querySelector('[data-testid="hot-keys"] li')?.textContent.includes('p5'));
  assert.match(await first.innerText(), /^p5 \(hot\) in P\d+: 0 RCU, 2\d WCU/);
  assert.equal(await page.locator('svg.hash-space circle.dot.hot').count(), 1);
  // Live updates redraw the picture but keep what the learner typed and chose.
  assert.equal(await page.inputValue('[data-testid="placement-input"]'), 'p3');
  assert.match(await page.locator('[data-testid="partition-detail"]').innerText(), /\bp3\b/);
  await shot(page, 'view-partitions');

  // After a reload the map is drawn from what IndexedDB kept.
  await page.reload();
  await page.waitForSelector('[data-testid="partition-table"]');
  assert.deepEqual((await page.locator('[data-testid="partition-items"]').allInnerTexts()).map(Number), expected);
  await page.click('button:has-text("Dark theme")');
  await page.setViewportSize({ width: 900, height: 900 });
  await shot(page, 'view-partitions-dark-narrow');
  assert.deepEqual(errors, []);
  await context.close();
});

test('sort-key order: the rule is shown, and the highlighted range is exactly what the Query returns', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Words', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  });
  for (const sk of ['9', '10', '100', 'a', 'B', 'b1', 'b2']) {
    await request(page, 'PutItem', { TableName: 'Words', Item: { pk: { S: 'p' }, sk: { S: sk } } });
  }
  // The followers apply the writes a second later (a new workspace's lag): wait, so the
  // eventually consistent Queries below see them all.
  await page.waitForTimeout(1100);
  await go(page, '#/tables/Words/sort-order');
  const ladder = page.locator('[data-testid="ladder"]');
  await ladder.waitFor();
  const order = await ladder.locator('g.rung').evaluateAll((gs) => gs.map((g) => g.dataset.sk));
  const all = await request(page, 'Query', {
    TableName: 'Words', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } },
  });
  assert.deepEqual(order, all.body.Items.map((i) => i.sk.S));
  assert.deepEqual(order, ['10', '100', '9', 'B', 'a', 'b1', 'b2']);
  assert.match(await ladder.textContent(), /"100" < "9": byte 1 decides, '1' \(0x31\) < '9' \(0x39\)/);
  assert.match(await page.locator('.explain').innerText(), /Strings sort by their UTF-8 bytes/);

  // sk >= "9", backwards, at most 3: the highlighted rungs are the Query's items, in its order.
  await page.selectOption('[data-testid="order-op"]', '>=');
  await page.fill('[data-testid="order-v1"]', '9');
  await page.fill('[data-testid="order-limit"]', '3');
  await page.locator('label.check', { hasText: 'ScanIndexForward' }).locator('input').uncheck();
  await page.click('[data-testid="order-run"]');
  await page.waitForSelector('[data-testid="order-summary"]');
  const direct = (await request(page, 'Query', {
    TableName: 'Words', KeyConditionExpression: 'pk = :p AND sk >= :a', ScanIndexForward: false, Limit: 3,
    ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { S: '9' } }, ReturnConsumedCapacity: 'TOTAL',
  })).body;
  const lit = await ladder.locator('g.rung.in-range').evaluateAll((gs) =>
    gs.map((g) => [g.dataset.sk, Number(g.dataset.read)]).sort((a, b) => a[1] - b[1]).map((x) => x[0]));
  assert.deepEqual(lit, direct.Items.map((i) => i.sk.S));
  assert.deepEqual(lit, ['b2', 'b1', 'a']);
  assert.equal(await page.locator('[data-testid="order-read"]').innerText(), '3');
  assert.equal(await page.locator('[data-testid="order-returned"]').innerText(), String(direct.Count));
  assert.equal(Number(await page.locator('[data-testid="order-consumed"]').innerText()), direct.ConsumedCapacity.CapacityUnits);
  await shot(page, 'view-sort-order');

  // Numbers: 9 before 10.
  await request(page, 'CreateTable', {
    TableName: 'Numbers', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'n', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'n', KeyType: 'RANGE' }],
  });
  for (const n of ['100', '9', '10', '-5', '1.5']) {
    await request(page, 'PutItem', { TableName: 'Numbers', Item: { pk: { S: 'p' }, n: { N: n } } });
  }
  await go(page, '#/tables/Numbers/sort-order');
  await page.waitForSelector('[data-testid="ladder"] g.rung');
  const numbers = await page.locator('[data-testid="ladder"] g.rung').evaluateAll((gs) => gs.map((g) => g.dataset.sk));
  assert.deepEqual(numbers, ['-5', '1.5', '9', '10', '100']);
  assert.match(await page.locator('[data-testid="ladder"]').textContent(), /9 < 10: numbers compare by value/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('PutItem vs UpdateItem: the classic example, attribute by attribute, with the units charged', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'People', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  await go(page, '#/tables/People/put-vs-update');
  // It asks before writing into my table; declining writes nothing.
  page.once('dialog', (d) => d.dismiss());
  await page.click('[data-testid="pvu-classic"]');
  assert.equal((await request(page, 'Scan', { TableName: 'People', ConsistentRead: true })).body.Count, 0);
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await page.click('[data-testid="pvu-classic"]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="pvu-card"]').length === 2);
  assert.match(asked, /into your table People/);
  const cards = page.locator('[data-testid="pvu-card"]');
  const changes = (card) => card.locator('tr[data-attr]').evaluateAll((rows) =>
    Object.fromEntries(rows.map((r) => [r.dataset.attr, r.dataset.change])));
  assert.deepEqual(await changes(cards.nth(0)),
    { id: 'unchanged', Country: 'added', Gender: 'removed', Name: 'removed' });
  assert.deepEqual(await changes(cards.nth(1)),
    { id: 'unchanged', Country: 'added', Gender: 'unchanged', Name: 'unchanged' });
  // PutItem's ALL_OLD gives back the replaced item; UpdateItem's ALL_NEW the merged one.
  assert.match(await cards.nth(0).locator('pre').first().innerText(), /"Gender"/);
  assert.match(await cards.nth(1).locator('pre').first().innerText(), /"Country"[\s\S]*"Gender"[\s\S]*"Name"/);
  for (const i of [0, 1]) {
    const receipt = cards.nth(i).locator('[data-testid="pvu-receipt"]');
    assert.equal(Number(await receipt.getAttribute('data-units')), Number(await cards.nth(i).locator('[data-testid="pvu-consumed"]').innerText()));
    assert.match(await receipt.innerText(), /charged on the larger/);
  }
  const item = (await request(page, 'GetItem', { TableName: 'People', Key: { id: { S: 'example' } }, ConsistentRead: true })).body.Item;
  assert.deepEqual(Object.keys(item).sort(), ['Country', 'Gender', 'Name', 'id']);
  await shot(page, 'view-put-vs-update');

  // A big old item makes even a tiny put expensive: the larger of old and new is charged.
  await request(page, 'PutItem', { TableName: 'People', Item: { id: { S: 'example' }, Bio: { S: 'x'.repeat(3000) } } });
  await page.click('text=Run PutItem');
  await page.waitForFunction(() => document.querySelector('[data-testid="pvu-consumed"]')?.textContent === '3');
  assert.match(await page.locator('[data-testid="pvu-receipt"]').innerText(), /old item 3,0\d\d bytes, new item \d+ bytes: charged on the larger/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('scan capacity: receipts equal ConsumedCapacity, a filter costs the same, segments tile the table', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await createScores(page);
  await go(page, '#/tables/Scores/capacity');
  await page.fill('[data-testid="cap-limit"]', '25');
  await page.click('[data-testid="cap-next"]');
  await page.waitForSelector('[data-testid="cap-page"]');
  await page.click('[data-testid="cap-all"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="cap-all"]').disabled
    && document.querySelectorAll('[data-testid="cap-page"]').length >= 3);
  // The same pages, read directly.
  let start; const direct = [];
  do {
    const r = (await request(page, 'Scan', { TableName: 'Scores', Limit: 25, ReturnConsumedCapacity: 'TOTAL', ExclusiveStartKey: start })).body;
    direct.push(r.ConsumedCapacity.CapacityUnits);
    start = r.LastEvaluatedKey;
  } while (start);
  const pages = await page.locator('[data-testid="cap-page"]').evaluateAll((rows) =>
    rows.map((r) => [Number(r.dataset.receipt), Number(r.dataset.consumed)]));
  assert.deepEqual(pages.map((p) => p[1]), direct);
  for (const [receipt, consumed] of pages) assert.equal(receipt, consumed);
  assert.equal(await page.locator('[data-testid="cap-evaluated"]').innerText(), '60');
  assert.match(await page.locator('[data-testid="cap-page"] .receipt').first().innerText(), /bytes → 2 × 4 KB blocks \(rounded up\) × 0\.5 \(eventually consistent\) = 1 RCU/);

  // With and without a filter, and strongly consistent.
  await page.fill('[data-testid="cap-filter"]', 'score > :s');
  await page.fill('[data-testid="cap-values"]', '{":s": 50}');
  await page.click('[data-testid="cap-compare"]');
  const rows = page.locator('[data-testid="cap-compare-table"] tbody tr');
  await rows.nth(2).waitFor();
  const units = await rows.evaluateAll((rs) => rs.map((r) => Number(r.dataset.units)));
  assert.equal(units[0], units[1], 'a filter does not reduce the charge');
  assert.equal(units[2], units[0] * 2, 'strongly consistent costs double');
  assert.match(await rows.nth(1).innerText(), /\t60\t9\t/);

  // A parallel scan in 4 segments: each finishes, and together they read every item once.
  await page.fill('[data-testid="cap-filter"]', '');
  await page.fill('[data-testid="cap-segments"]', '4');
  await page.click('[data-testid="cap-all"]');
  await page.waitForFunction(() => [...document.querySelectorAll('g.segment')].length === 4
    && [...document.querySelectorAll('g.segment')].every((g) => g.dataset.done === 'true'));
  assert.equal(await page.locator('[data-testid="cap-evaluated"]').innerText(), '60');
  await shot(page, 'view-capacity');
  assert.deepEqual(errors, []);
  await context.close();
});
