// End-to-end: the relational mirror. The SQL engine is not fetched until a workspace
// uses it; a learner makes a SQL table in the console, a trigger from the form, writes
// orders and watches the trigger fill the mirror (batches, their Lambda event, the
// handler as code); a reload keeps the triggers and the SQL data, and the trigger goes on
// after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

const TOTALS = 'SELECT customer, SUM(amount) AS total FROM orders GROUP BY customer ORDER BY customer';

async function sql(page, text) {
  await page.fill('[data-testid="sql-input"]', text);
  await page.click('[data-testid="sql-run"]');
}

async function rows(page) {
  return page.locator('[data-testid="sql-rows"] tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)));
}

test('mirror: a trigger fills a SQL table, survives a reload and goes on', async () => {
  const { context, errors } = await profile();
  const fetched = [];
  context.on('request', (r) => fetched.push(r.url()));
  const page = await open(context);
  const created = await request(page, 'CreateTable', {
    TableName: 'Orders', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  });
  assert.equal(created.status, 200);
  assert.ok(!fetched.some((u) => u.includes('dynaplay_mirror')), 'the SQL engine is not loaded before it is used');

  await go(page, '#/mirror');
  await page.waitForSelector('[data-testid="sql-tables-none"]');
  await page.waitForSelector('[data-testid="mirror-loading"]', { state: 'detached' });
  assert.ok(fetched.some((u) => u.includes('dynaplay_mirror_bg.wasm')), 'opening the mirror loads it');
  await sql(page, 'CREATE TABLE orders (order_id TEXT PRIMARY KEY, customer TEXT NOT NULL, amount DECIMAL NOT NULL)');
  await page.waitForSelector('[data-testid="sql-done"]:has-text("CREATE TABLE: done")');
  await page.waitForSelector('[data-testid="sql-tables"] li[data-name="orders"]');

  await page.click('.new-trigger summary');
  const trigger = {
    TriggerName: 'orders-to-sql', TableName: 'Orders', StartingPosition: 'TRIM_HORIZON', BatchSize: 10, MaximumRetryAttempts: 1,
    Handler: {
      INSERT: 'INSERT INTO orders VALUES (:keys.orderId, :new.customer, :new.amount)',
      MODIFY: 'UPDATE orders SET amount = :new.amount WHERE order_id = :keys.orderId',
      REMOVE: 'DELETE FROM orders WHERE order_id = :keys.orderId',
    },
  };
  await page.fill('[data-testid="trigger-request"]', JSON.stringify(trigger, null, 2));
  await page.click('[data-testid="trigger-create"]');
  await page.waitForSelector('[data-testid="trigger"][data-name="orders-to-sql"]');

  for (const [id, customer, amount] of [['o-1', 'ana', '30'], ['o-2', 'ana', '12.5'], ['o-3', 'bo', '20']]) {
    const put = await request(page, 'PutItem', { TableName: 'Orders', Item: { orderId: { S: id }, customer: { S: customer }, amount: { N: amount } } });
    assert.equal(put.status, 200);
  }
  // An order without a customer: the SQL table refuses it, so its batch fails and is retried.
  await request(page, 'PutItem', { TableName: 'Orders', Item: { orderId: { S: 'o-4' }, amount: { N: '1' } } });
  await page.waitForSelector('[data-testid="batch"].failed', { timeout: 10000 });
  const failed = await page.locator('[data-testid="batch"].failed [data-testid="batch-result"]').first().innerText();
  assert.match(failed, /null/i, failed);
  await sql(page, TOTALS);
  await page.waitForSelector('[data-testid="sql-rows"]');
  assert.deepEqual(await rows(page), [['ana', '42.5'], ['bo', '20']]);

  // The batch's Lambda event, and the handler as code.
  await page.locator('[data-testid="batch-event"]').last().click();
  const event = JSON.parse(await page.locator('[data-testid="batch-event-json"]').innerText());
  assert.equal(event.Records[0].eventName, 'INSERT');
  assert.match(event.Records[0].eventSourceARN, /table\/Orders\/stream\//);
  await page.click('[data-testid="trigger-code"] summary');
  assert.match(await page.locator('[data-testid="trigger-code-text"]').innerText(), /def handler\(event, context\):/);
  await page.click('[data-testid="code-node"]');
  assert.match(await page.locator('[data-testid="trigger-code-text"]').innerText(), /export const handler = async \(event\) =>/);
  await shot(page, 'mirror');
  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'mirror-phone');
  await page.setViewportSize({ width: 1280, height: 860 });

  // A reload keeps the SQL data and the trigger, which goes on with new writes.
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('[data-testid="trigger"][data-name="orders-to-sql"]');
  await request(page, 'DeleteItem', { TableName: 'Orders', Key: { orderId: { S: 'o-4' } } });
  await request(page, 'UpdateItem', { TableName: 'Orders', Key: { orderId: { S: 'o-3' } }, UpdateExpression: 'SET amount = :a', ExpressionAttributeValues: { ':a': { N: '25' } } });
  await page.waitForFunction(() => document.querySelector('[data-testid="trigger-summary"]')?.textContent.includes('0 records waiting'), null, { timeout: 15000 });
  const r = await request(page, 'ExecuteSql', { Sql: TOTALS });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(r.body.Results[0].Rows, [['ana', 42.5], ['bo', 25]]);
  // The table's stream view lists the trigger reading it.
  await go(page, '#/tables/Orders/stream');
  await page.waitForSelector('[data-testid="stream-triggers"]');
  assert.match(await page.locator('[data-testid="stream-triggers"]').innerText(), /^orders-to-sql: \d+ batches \(2 failed\), 0 records waiting, 1 given up$/);
  assert.deepEqual(errors, []);
});
