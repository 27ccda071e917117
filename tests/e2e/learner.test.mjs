// End-to-end: fixes from a learner's walkthrough (issue: what a learner tripped over).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

const create = (name, extra = {}) => ({
  TableName: name, BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [{ AttributeName: 'customer', AttributeType: 'S' }, { AttributeName: 'year', AttributeType: 'N' }],
  KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }, { AttributeName: 'year', KeyType: 'RANGE' }],
  ...extra,
});

test('skip link focuses the content and leaves the route alone', async () => {
  const { context, errors } = await profile();
  const page = await open(context, '#/console');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  assert.match(page.url(), /#\/console$/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
  assert.equal(await page.locator('h1:has-text("Not found")').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new table turns ACTIVE on the clock, and provisioned capacity says whether it is enforced', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  const r = await request(page, 'CreateTable', create('Orders', {
    BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
  }));
  assert.equal(r.body.TableDescription.TableStatus, 'CREATING');
  await go(page, '#/tables/Orders');
  // No request is sent: the engine clock moves on its own.
  await page.waitForFunction(() => document.querySelector('[data-testid="table-status"]')?.textContent === 'ACTIVE',
    null, { timeout: 5000 });
  assert.equal(await page.locator('[data-testid="capacity-mode"]').innerText(), 'Provisioned: 1 RCU, 1 WCU');
  await go(page, '#/tables/Orders/throughput');
  await page.uncheck('[data-testid="enforce-capacity"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="capacity-mode"]')?.textContent ===
    'Provisioned: 1 RCU, 1 WCU (not enforced in this workspace: nothing is throttled)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the items grid shows every attribute, and a set does not look like a list', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Wide'));
  const item = { customer: { S: 'ada' }, year: { N: '2024' }, tags: { SS: ['a', 'b'] }, list: { L: [{ S: 'a' }, { S: 'b' }] } };
  for (let i = 0; i < 10; i++) item[`attr${String(i).padStart(2, '0')}`] = { N: String(i) };
  await request(page, 'PutItem', { TableName: 'Wide', Item: item });
  await go(page, '#/tables/Wide');
  await page.waitForSelector('table.items tbody tr');
  const headers = await page.locator('table.items thead th').allInnerTexts();
  assert.equal(headers.length, 14);
  assert.ok(headers.includes('attr09') && headers.includes('tags') && headers.includes('list'), headers.join());
  const cells = await page.locator('table.items tbody tr td').allInnerTexts();
  assert.ok(cells.includes('{a, b} (SS set)'), cells.join(' | '));
  assert.ok(cells.includes('[a, b]'), cells.join(' | '));
  await shot(page, 'items-wide');
  assert.deepEqual(errors, []);
  await context.close();
});

test('console templates use the table\'s own keys, and a typed request is not replaced without asking', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await go(page, '#/console');
  await page.selectOption('select[name="operation"]', 'Query');
  const query = JSON.parse(await page.inputValue('textarea[name="request"]'));
  assert.deepEqual(query.ExpressionAttributeNames, { '#pk': 'customer' });
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForSelector('[data-testid="response"] >> text=HTTP 200');
  await page.fill('textarea[name="request"]', '{"TableName": "Orders"}');
  let asked = '';
  page.once('dialog', (d) => { asked = d.message(); d.dismiss(); });
  await page.selectOption('select[name="operation"]', 'Scan');
  assert.match(asked, /Replace the request you typed/);
  assert.equal(await page.inputValue('textarea[name="request"]'), '{"TableName": "Orders"}');
  assert.deepEqual(errors, []);
  await context.close();
});

test('PartiQL in the console: the template names the whole key, and each statement says what it ran as', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await request(page, 'PutItem', { TableName: 'Orders', Item: { customer: { S: 'example' }, year: { N: '1' }, total: { N: '5' } } });
  // A new workspace's followers trail by a second: past it, an eventually consistent read finds the item.
  await page.waitForTimeout(1200);
  await go(page, '#/console');
  await page.click('[data-testid="partiql-mode"]');
  assert.equal(await page.inputValue('select[name="operation"]'), 'ExecuteStatement');
  const get = JSON.parse(await page.inputValue('textarea[name="request"]'));
  assert.equal(get.Statement, 'SELECT * FROM "Orders" WHERE "customer" = ? AND "year" = ?');
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForSelector('[data-testid="response-plan"]');
  assert.match(await page.textContent('[data-testid="response-plan"]'),
    /^Ran as GetItem of the key \{customer: 'example', year: 1\} in Orders: 1 item read, 0\.5 RCU \(\d+ bytes → 1 × 4 KB block \(rounded up\) × 0\.5 \(eventually consistent\) = 0\.5 RCU\)$/);
  // The statement is edited as text; the request keeps its other members.
  await page.fill('[data-testid="partiql-statement"]', 'SELECT * FROM "Orders" WHERE total > 1');
  const edited = JSON.parse(await page.inputValue('textarea[name="request"]'));
  assert.equal(edited.ReturnConsumedCapacity, 'TOTAL');
  await page.locator('[data-testid="partiql-statement"]').press('Control+Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="response-plan"]')?.textContent.includes('Scan'));
  assert.match(await page.textContent('[data-testid="response-plan"]'), /^Ran as Scan of the whole of Orders: 1 item read, 0\.5 RCU \(\d+ bytes → /);
  await shot(page, 'console-partiql');
  // A syntax error is underlined in the statement, beside DynamoDB's words.
  await page.fill('[data-testid="partiql-statement"]', 'SELECT * FROM "Orders" WHERE total > > 1');
  await page.locator('[data-testid="partiql-statement"]').press('Control+Enter');
  await page.waitForSelector('[data-testid="error-location"] mark');
  assert.equal(await page.textContent('[data-testid="error-location"] mark'), '>');
  assert.match(await page.textContent('[data-testid="error"]'), /Statement wasn't well formed, can't be processed: expected a value or an attribute path, found '>' at 37/);
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the console fits a phone');
  await shot(page, 'console-partiql-phone');
  assert.deepEqual(errors, []);
  await context.close();
});

test('replica settings not built are refused with a message, not accepted and ignored', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  const r = await request(page, 'UpdateTable', {
    TableName: 'Orders', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2', KMSMasterKeyId: 'alias/mine' } }],
  });
  assert.equal(r.status, 400);
  assert.equal(r.body.message, 'Replica setting KMSMasterKeyId is not built in Dynaplay yet.');
  const d = await request(page, 'DescribeTable', { TableName: 'Orders' });
  assert.equal(d.body.Table.TableStatus, 'ACTIVE');
  assert.equal(d.body.Table.Replicas, undefined, 'no replica was made');
  assert.deepEqual(errors, []);
  await context.close();
});

test('every page is usable at phone width: nothing runs off screen, diagram text stays readable', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await page.setViewportSize({ width: 390, height: 844 });
  await request(page, 'CreateTable', create('Orders'));
  for (let i = 0; i < 6; i++) {
    await request(page, 'PutItem', { TableName: 'Orders', Item: { customer: { S: `c${i % 2}` }, year: { N: String(2020 + i) } } });
  }
  const pages = [['home', '#/'], ['table', '#/tables/Orders'], ['partitions', '#/tables/Orders/partitions'],
    ['sort-order', '#/tables/Orders/sort-order'], ['capacity', '#/tables/Orders/capacity'], ['stream', '#/tables/Orders/stream'], ['backups', '#/tables/Orders/backups'], ['replicas', '#/tables/Orders/replicas'], ['throughput', '#/tables/Orders/throughput'], ['deleted-table-backups', '#/backups'], ['s3', '#/s3'], ['console', '#/console'],
    ['gallery', '#/gallery'], ['share', '#/share'], ['lab', '#/lab/contention']];
  for (const [name, hash] of pages) {
    await go(page, hash);
    await page.waitForTimeout(300);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), `${name} is wider than the phone`);
    for (const link of await page.locator('header nav a, header button, header .button').all()) {
      const box = await link.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= 390, `${name}: a header control is off screen`);
    }
    const smallest = await page.evaluate(() => Math.min(99, ...[...document.querySelectorAll('main svg:not(.logo)')].flatMap((svg) => {
      const scale = svg.getBoundingClientRect().width / (svg.viewBox.baseVal?.width || svg.getBoundingClientRect().width);
      return [...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale);
    })));
    assert.ok(smallest >= 9, `${name}: diagram text drawn at ${smallest.toFixed(1)} px`);
    await shot(page, `phone-${name}`);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('scan capacity: a reserved word is written with #names, and a failed read draws nothing', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  for (let i = 0; i < 5; i++) {
    await request(page, 'PutItem', { TableName: 'Orders', Item: { customer: { S: `c${i}` }, year: { N: '2024' }, total: { N: String(i * 10) } } });
  }
  await go(page, '#/tables/Orders/capacity');
  await page.fill('[data-testid="cap-filter"]', 'total > :p');
  await page.fill('[data-testid="cap-values"]', '{":p": 15}');
  await page.click('[data-testid="cap-all"]');
  await page.waitForSelector('[data-testid="cap-error"]');
  assert.match(await page.locator('[data-testid="cap-error"]').innerText(), /Attribute name is a reserved keyword; reserved keyword: total/);
  assert.equal(await page.locator('[data-testid="cap-page"]').count(), 0);
  const label = await page.locator('[data-testid="segments"] .segment text').textContent();
  assert.ok(!label.includes('✓') && label.startsWith('S0: 0 pages'), label);
  await page.click('[data-testid="cap-compare"]');
  await page.waitForSelector('[data-testid="cap-compare-table"] tr[data-error="true"]');
  assert.equal(await page.locator('[data-testid="cap-compare-table"] tr[data-error="true"]').count(), 1, 'only the filtered read failed');

  await page.fill('[data-testid="cap-filter"]', '#t > :p');
  await page.fill('[data-testid="cap-names"]', '{"#t": "total"}');
  await page.click('[data-testid="cap-all"]');
  await page.waitForSelector('[data-testid="cap-page"]');
  assert.equal(await page.locator('[data-testid="cap-returned"]').innerText(), '3');
  assert.equal(await page.locator('[data-testid="cap-error"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the item editor names the attribute a type error is about, beside AWS\'s message', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await go(page, '#/tables/Orders');
  await page.click('button:has-text("New item")');
  await page.fill('textarea[aria-label="Item JSON"]', JSON.stringify({ customer: { S: 'ada' }, year: { N: '2024' }, total: { N: 12 } }));
  await page.click('button:has-text("Save (PutItem)")');
  const alert = page.locator('section.editor [role="alert"]');
  await alert.waitFor();
  assert.equal(await alert.innerText(), 'SerializationException: NUMBER_VALUE cannot be converted to String (at Item.total.N)');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the home page gives a first step: the first lesson, the course, the examples, and what the keys are for', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  assert.equal(await page.textContent('[data-testid="start-lesson"]'), 'Start the first lesson: Tables and keys');
  assert.match(await page.textContent('[data-testid="start-course"]'), /^the course \(\d+ lessons\)$/);
  assert.match(await page.textContent('[data-testid="start-examples"]'), /^the examples \(\d+\)$/);
  assert.match(await page.locator('form[aria-label="Create table"]').innerText(), /hashes it to choose the partition/);
  await shot(page, 'home-start');
  await page.click('[data-testid="start-lesson"]');
  await page.waitForSelector('[data-testid="lesson-panel"] h2:has-text("Make a table with a composite key")');
  await page.click('[data-testid="start-examples"]');
  await page.waitForURL(/#\/gallery$/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an expression error is underlined where it is, with a hint beside AWS\'s message', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await go(page, '#/console');
  await page.selectOption('select[name="operation"]', 'Scan');
  await page.fill('textarea[name="request"]', JSON.stringify({
    TableName: 'Orders', FilterExpression: 'year > :y AND status = :s',
    ExpressionAttributeValues: { ':y': { N: '2000' }, ':s': { S: 'open' } },
  }));
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForSelector('[data-testid="error-location"]');
  assert.equal(await page.locator('[data-testid="error"]').innerText(),
    'ValidationException: Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: year');
  assert.equal(await page.locator('[data-testid="error-location"] mark').innerText(), 'year');
  assert.match(await page.locator('[data-testid="error-hint"]').innerText(), /write #year in the expression/);
  await shot(page, 'console-error-hint');
  assert.deepEqual(errors, []);
  await context.close();
});

test('leaving the page while in a sandbox asks first, and the banner says why', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  const wouldAsk = () => page.evaluate(() => {
    const e = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(e);
    return e.defaultPrevented;
  });
  assert.equal(await wouldAsk(), false);
  await go(page, '#/gallery/conditional-writes');
  await page.click('[data-testid="scenario-start"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]');
  assert.match(await page.locator('[data-testid="sandbox-banner"]').innerText(), /reloading or closing the page ends it/);
  assert.equal(await wouldAsk(), true);
  await page.click('[data-testid="sandbox-leave"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]', { state: 'detached' });
  assert.equal(await wouldAsk(), false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('partition blocks are reachable and chosen by keyboard', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await request(page, 'PutItem', { TableName: 'Orders', Item: { customer: { S: 'ada' }, year: { N: '2024' } } });
  await go(page, '#/tables/Orders/partitions');
  const band = page.locator('svg.hash-space g.band').first();
  await band.focus();
  assert.equal(await band.getAttribute('aria-pressed'), 'false');
  await page.keyboard.press('Enter');
  assert.equal(await band.getAttribute('aria-pressed'), 'true');
  assert.ok((await band.getAttribute('aria-label')).startsWith('Partition 0: hashes'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('the console keeps the request being typed and the history across a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await go(page, '#/console');
  await page.selectOption('select[name="operation"]', 'Scan');
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForSelector('ol.history li');
  await page.selectOption('select[name="operation"]', 'GetItem');
  const typed = '{"TableName": "Orders", "Key": {"customer": {"S": "kept"}, "year": {"N": "1"}}}';
  await page.fill('textarea[name="request"]', typed);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.inputValue('textarea[name="request"]'), typed);
  assert.equal(await page.inputValue('select[name="operation"]'), 'GetItem');
  const ops = await page.locator('ol.history li .op').allInnerTexts();
  assert.ok(ops.includes('Scan') && ops.includes('CreateTable'), ops.join());
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link can carry requests picked from the console history as steps', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', create('Orders'));
  await request(page, 'PutItem', { TableName: 'Orders', Item: { customer: { S: 'ada' }, year: { N: '2024' } } });
  await request(page, 'GetItem', { TableName: 'Orders', Key: { customer: { S: 'ada' } } });
  await go(page, '#/share');
  await page.click('[data-testid="share-history"] summary');
  const boxes = page.locator('[data-testid="share-history"] input[type="checkbox"]');
  assert.equal(await boxes.count(), 3);
  await boxes.nth(1).check();
  await boxes.nth(2).check();
  await page.click('[data-testid="share-add-steps"]');
  const scenario = JSON.parse(await page.inputValue('[data-testid="share-json"]'));
  assert.deepEqual(scenario.steps.map((s) => [s.operation, s.expect]),
    [['PutItem', { status: 200 }], ['GetItem', { status: 400, error: 'ValidationException' }]]);
  await page.waitForSelector('[data-testid="share-link"]');
  assert.deepEqual(errors, []);
  await context.close();
});
