// End-to-end: IAM in the page. A learner adds a principal from a template, turns IAM
// on, switches who they are in the header, is denied with AWS's message, sees the
// latest request explained condition by condition, replays it as the administrator,
// fixes the policy in place, asks the simulator, and finds everything again after a
// reload. Screenshots at desktop and phone width.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { profile, open, shot, request, go } from './browser.mjs';

const ANA = 'arn:aws:iam::000000000000:user/ana';
const ADMIN = 'arn:aws:iam::000000000000:user/admin';

async function notes(page) {
  const created = await request(page, 'CreateTable', {
    TableName: 'Notes', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
  });
  assert.equal(created.status, 200);
  for (const pk of ['ana', 'bo']) {
    assert.equal((await request(page, 'PutItem', { TableName: 'Notes', Item: { pk: { S: pk }, text: { S: `hi ${pk}` } } })).status, 200);
  }
}

test('iam: a principal, a denial explained, a replay, a fixed policy, the simulator, a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await notes(page);
  await go(page, '#/iam');
  await page.waitForSelector('[data-testid="principal"][data-name="admin"]');
  assert.match(await page.textContent('[data-testid="iam-state"]'), /Off: nothing is checked/);

  // A new user whose policy keeps them to their own rows.
  await page.click('[data-testid="new-principal"] summary');
  await page.fill('[data-testid="principal-name"]', 'ana');
  await page.fill('[data-testid="principal-table"]', 'Notes');
  await page.selectOption('[data-testid="principal-template"]', 'Own rows only (LeadingKeys)');
  await page.click('[data-testid="principal-create"]');
  await page.waitForSelector('[data-testid="principal"][data-name="ana"]');
  // A bad name is refused by the form.
  await page.fill('[data-testid="principal-name"]', 'a b');
  await page.click('[data-testid="principal-create"]');
  await page.waitForSelector('[data-testid="principal-error"]');

  // IAM on, acting as ana (the header's switcher).
  await page.check('[data-testid="iam-enforce"]');
  await page.waitForSelector('[data-testid="who-am-i"]');
  await page.selectOption('[data-testid="who-am-i"]', ANA);
  await page.waitForFunction(() => document.querySelector('[data-testid="iam-state"]').textContent.includes('On: requests are made as ana'));

  const own = await request(page, 'GetItem', { TableName: 'Notes', Key: { pk: { S: 'ana' } } });
  assert.equal(own.status, 200);
  const other = await request(page, 'GetItem', { TableName: 'Notes', Key: { pk: { S: 'bo' } } });
  assert.equal(other.status, 400);
  assert.equal(other.body.Message,
    `User: ${ANA} is not authorized to perform: dynamodb:GetItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/Notes because no identity-based policy allows the dynamodb:GetItem action`);

  // The latest request, explained: the LeadingKeys condition failed, with both sides' values.
  await page.waitForSelector('[data-testid="iam-latest"]:has-text("GetItem as arn:aws:iam::000000000000:user/ana")');
  const verdict = await page.textContent('[data-testid="evaluation"] [data-testid="verdict"]');
  assert.match(verdict, /Denied: no identity-based policy allows it/);
  const condition = await page.textContent('[data-testid="condition"]');
  assert.match(condition, /ForAllValues:StringEquals dynamodb:LeadingKeys: request \[bo\] vs policy \[ana\]/);
  await shot(page, 'iam-denied-1280');

  // In the console, the same request again as another principal, in one click.
  await go(page, '#/console');
  page.once('dialog', (d) => d.accept());
  await page.selectOption('select[name="operation"]', 'GetItem');
  await page.fill('textarea[name="request"]', JSON.stringify({ TableName: 'Notes', Key: { pk: { S: 'bo' } } }));
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForSelector('[data-testid="response"] >> text=HTTP 400');
  await page.click('[data-testid="replay-as-button"]:has-text("admin")');
  await page.waitForSelector('[data-testid="replay-as-result"]:has-text("As admin: allowed (HTTP 200).")');
  await shot(page, 'iam-console-replay');
  await go(page, '#/iam');
  await page.waitForSelector('[data-testid="iam-latest"]:has-text("as arn:aws:iam::000000000000:user/admin → allowed")');

  // Replayed as the administrator from #/iam: allowed.
  await page.selectOption('[data-testid="replay-as"]', ADMIN);
  await page.click('[data-testid="replay"]');
  await page.waitForSelector('[data-testid="iam-latest"]:has-text("as arn:aws:iam::000000000000:user/admin → allowed")');

  // A broken policy is refused with IAM's words; a fixed one lets ana read every row.
  const card = page.locator('[data-testid="principal"][data-name="ana"]');
  await card.locator('[data-testid="policy-text"]').fill('{"Statement": [{"Effect": "Allow", "Resource": "*"}]}');
  await card.locator('[data-testid="policy-save"]').click();
  await card.locator('[data-testid="policy-error"]:has-text("Policy statement must contain actions.")').waitFor();
  await card.locator('[data-testid="policy-text"]').fill('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]}');
  await card.locator('[data-testid="policy-save"]').click();
  await card.locator('[data-testid="policy-error"]').waitFor({ state: 'detached' });
  assert.equal((await request(page, 'GetItem', { TableName: 'Notes', Key: { pk: { S: 'bo' } } })).status, 200);

  // The simulator decides without running: a DeleteItem as ana is denied.
  await page.selectOption('[data-testid="sim-principal"]', ANA);
  await page.selectOption('[data-testid="sim-operation"]', 'DeleteItem');
  await page.fill('[data-testid="sim-request"]', JSON.stringify({ TableName: 'Notes', Key: { pk: { S: 'ana' } } }));
  await page.click('[data-testid="sim-run"]');
  await page.waitForSelector('[data-testid="sim-decision"]:has-text("Denied: User: arn:aws:iam::000000000000:user/ana is not authorized to perform: dynamodb:DeleteItem")');
  const still = await request(page, 'Scan', { TableName: 'Notes', Select: 'COUNT' }, );
  assert.equal(still.status, 400, 'ana may not Scan');

  await page.setViewportSize({ width: 390, height: 844 });
  await shot(page, 'iam-390');
  await page.setViewportSize({ width: 1280, height: 900 });

  // Everything is kept across a reload.
  await page.reload();
  await page.waitForSelector('[data-testid="principal"][data-name="ana"]');
  assert.equal(await page.isChecked('[data-testid="iam-enforce"]'), true);
  assert.equal(await page.inputValue('[data-testid="who-am-i"]'), ANA);
  const denied = await page.evaluate(() => window.dynaplay.request('DeleteItem', { TableName: 'Notes', Key: { pk: { S: 'ana' } } }));
  assert.equal(denied.status, 400);
  const asAdmin = await page.evaluate((a) => window.dynaplay.request('DeleteItem', { TableName: 'Notes', Key: { pk: { S: 'ana' } } }, { principal: a }), ADMIN);
  assert.equal(asAdmin.status, 200);
  await shot(page, 'iam-1280');
  assert.deepEqual(errors, []);
  await context.close();
});
