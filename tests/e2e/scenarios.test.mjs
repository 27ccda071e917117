// End-to-end: scenarios. The gallery opens examples in a sandbox that leaves the user's
// tables alone; the browser's replay is byte-identical to `dynaplay run`; a workspace
// shared as a link opens in a fresh browser profile; a scenario file opens from disk;
// hostile links and broken files fail cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { profile, open, shot, request, go } from './browser.mjs';

const BIN = process.env.DYNAPLAY_BIN ?? 'target/debug/dynaplay';

const tableNames = async (page) =>
  (await request(page, 'ListTables', {})).body.TableNames;

/** A link payload made here, independently of the app (raw DEFLATE, base64url). */
const linkOf = (doc) => '1.' + deflateRawSync(Buffer.from(JSON.stringify(doc))).toString('base64url');

test('a gallery example replays in a sandbox exactly as `dynaplay run` does, and leaves my tables alone', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Mine', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
  });
  await go(page, '#/gallery');
  // The examples are fetched with the gallery (all of them before any card is drawn).
  await page.waitForSelector('[data-testid="example-link"]');
  const files = readdirSync('static/examples').filter((f) => f.endsWith('.json'));
  assert.equal(await page.locator('[data-testid="example-link"]').count(), files.length, 'every file in static/examples is in the gallery');
  await page.click('[data-testid="example-link"]:has-text("Put-if-absent")');
  await page.waitForSelector('[data-testid="scenario-title"]');
  assert.equal(await page.locator('[data-testid="scenario-step"]').count(), 4);
  // Notes are Markdown: `code` spans become code.
  assert.equal(await page.locator('.markdown code', { hasText: 'attribute_not_exists(id)' }).count(), 1);
  await page.click('[data-testid="scenario-start"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]');
  assert.deepEqual(await tableNames(page), ['Docs']);
  await page.click('[data-testid="scenario-next"]');
  await page.waitForSelector('.step-result');
  await page.click('[data-testid="scenario-all"]');
  await page.waitForFunction(() => document.querySelectorAll('.step-result').length === 4);
  const browser = await page.locator('.step-result').evaluateAll((rs) =>
    rs.map((r) => ({ status: Number(r.dataset.status), body: r.dataset.body, ok: r.dataset.ok })));
  assert.ok(browser.every((r) => r.ok === 'true'), JSON.stringify(browser));
  const cli = execFileSync(BIN, ['run', '--json', 'static/examples/conditional-writes.json'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.step !== null);
  assert.deepEqual(browser.map((r) => [r.status, r.body]), cli.map((l) => [l.status, l.body]));
  assert.match(await page.locator('[data-testid="sandbox-banner"]').innerText(), /step 4 of 4/);
  await shot(page, 'scenario-sandbox');

  await page.click('[data-testid="sandbox-leave"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]', { state: 'detached' });
  assert.deepEqual(await tableNames(page), ['Mine']);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await tableNames(page), ['Mine']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a sandbox kept becomes my workspace, and survives a reload', async () => {
  const { context, errors } = await profile();
  const page = await open(context);
  await request(page, 'CreateTable', {
    TableName: 'Mine', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }],
  });
  await go(page, '#/gallery/conditional-writes');
  await page.click('[data-testid="scenario-start"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]');
  await page.click('[data-testid="scenario-all"]');
  await page.waitForFunction(() => document.querySelectorAll('.step-result').length === 4);
  const replayed = (await request(page, 'Scan', { TableName: 'Docs' })).body.Items;
  assert.ok(replayed.length > 0, 'the replay wrote items');
  // Keeping asks first.
  let asked = null;
  page.once('dialog', (d) => { asked = d.message(); d.accept(); });
  await page.click('[data-testid="sandbox-keep"]');
  await page.waitForSelector('[data-testid="sandbox-banner"]', { state: 'detached' });
  assert.equal(asked, "Replace your saved tables with the scenario's tables? Your current tables will be gone.");
  assert.deepEqual(await tableNames(page), ['Docs']);
  await page.reload();
  await page.waitForSelector('body[data-ready="true"]');
  assert.deepEqual(await tableNames(page), ['Docs']);
  assert.deepEqual((await request(page, 'Scan', { TableName: 'Docs' })).body.Items, replayed);
  assert.deepEqual(errors, []);
  await context.close();
});

test('share a workspace as a link and open it in a fresh browser profile', async () => {
  const a = await profile();
  const page = await open(a.context);
  await request(page, 'CreateTable', {
    TableName: 'Notes', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  });
  for (let i = 1; i <= 5; i++) {
    await request(page, 'PutItem', { TableName: 'Notes', Item: { id: { N: String(i) }, text: { S: `note ${i}` } } });
  }
  await go(page, '#/share');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert.match(link, /#\/scenario\/1\.[A-Za-z0-9_-]+$/);
  await shot(page, 'share');
  await a.context.close();

  const b = await profile();
  const other = await b.context.newPage();
  await other.goto(link);
  await other.waitForSelector('[data-testid="scenario-title"]');
  assert.equal(await other.locator('[data-testid="scenario-title"]').innerText(), 'My workspace');
  await other.click('[data-testid="scenario-start"]');
  await other.waitForSelector('[data-testid="sandbox-banner"]');
  const scan = await request(other, 'Scan', { TableName: 'Notes', Select: 'COUNT', ConsistentRead: true });
  assert.equal(scan.body.Count, 5);
  assert.deepEqual(b.errors, []);
  await b.context.close();
});

test('hostile and broken links give a clear error and never break the page', async () => {
  const { context, errors } = await profile();
  const page = await context.newPage();
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs += 1; await d.dismiss(); });
  const cases = [
    ['1.%%%not-base64', /damaged or cut short/],
    ['2.abc', /different version of Dynaplay/],
    [linkOf({ format: 'dynaplay-scenario', version: 7 }), /format version 7; this Dynaplay reads version 1/],
    [linkOf({ format: 'dynaplay-scenario', version: 1, steps: 'nope' }), /"steps" must be an array/],
  ];
  for (const [payload, message] of cases) {
    await go(page, `#/scenario/${payload}`);
    const panel = page.locator('[data-testid="scenario-error"]');
    await panel.waitFor();
    assert.match(await panel.innerText(), message);
  }
  // Markup in a scenario is shown as text, never run.
  const evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>';
  const notes = `${evil}\n\nInline <img src=x onerror="alert(3)"> and [a link](javascript:alert(4)) and ![img](x)`;
  await go(page, `#/scenario/${linkOf({ format: 'dynaplay-scenario', version: 1, title: evil, notes })}`);
  await page.waitForSelector('[data-testid="scenario-title"]');
  assert.equal(await page.locator('[data-testid="scenario-title"]').innerText(), evil);
  assert.equal(await page.locator('img[src="x"]').count(), 0);
  assert.equal(await page.locator('a[href^="javascript"]').count(), 0);
  assert.match(await page.locator('.markdown').innerText(), /<script>alert\(2\)<\/script>/);
  assert.equal(dialogs, 0);
  await shot(page, 'scenario-hostile');
  assert.deepEqual(errors, []);
  await context.close();
});

test('open a scenario file from disk: preview, sandbox replay, still there after a reload; a broken file says why', async () => {
  const { context, errors } = await profile();
  const page = await open(context, '#/gallery');
  const doc = JSON.parse(readFileSync('static/examples/atomic-counter.json', 'utf8'));
  doc.title = 'My counter, from a file';
  const input = page.locator('input[aria-label="Open a scenario file"]');

  // A file that is not a scenario is reported next to the button, and nothing opens.
  await input.setInputFiles({ name: 'workspace.json', mimeType: 'application/json', buffer: Buffer.from('{"tables": []}') });
  assert.match(await page.locator('[data-testid="open-error"]').innerText(), /^workspace\.json: /);
  await shot(page, 'gallery-open-error');
  assert.equal(new globalThis.URL(page.url()).hash, '#/gallery');

  await input.setInputFiles({ name: 'counter.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await page.waitForURL(/#\/open$/);
  assert.equal(await page.locator('[data-testid="scenario-title"]').innerText(), 'My counter, from a file');
  await page.reload();
  await page.waitForSelector('[data-testid="scenario-title"]');
  assert.equal(await page.locator('[data-testid="scenario-title"]').innerText(), 'My counter, from a file');

  await page.click('[data-testid="scenario-start"]');
  await page.click('[data-testid="scenario-all"]');
  const steps = doc.steps.length;
  await page.waitForFunction((n) => document.querySelectorAll('.step-result').length === n, steps);
  const browser = await page.locator('.step-result').evaluateAll((rs) => rs.map((r) => [Number(r.dataset.status), r.dataset.body]));
  const cli = execFileSync(BIN, ['run', '--json', 'static/examples/atomic-counter.json'], { encoding: 'utf8' })
    .trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.step !== null);
  assert.deepEqual(browser, cli.map((l) => [l.status, l.body]));
  await shot(page, 'scenario-file');
  await page.click('[data-testid="sandbox-leave"]');

  // A new tab has no file open, and says where to choose one.
  const other = await open(context, '#/open');
  assert.match(await other.locator('[data-testid="scenario-error"]').innerText(), /No scenario file is open in this tab/);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [slug, steps] of [['stale-read', 4], ['transaction-conflict', 8], ['lost-update', 13], ['hot-partition-throttles', 10], ['hybrid-sql-mirror', 9],
  ['global-replication-lag', 9], ['global-last-writer-wins', 8], ['global-transaction-not-atomic-elsewhere', 11], ['partiql-key-vs-scan', 6],
  ['iam-put-only-in-transactions', 7], ['iam-per-user-rows', 11], ['iam-cross-account-export', 14]]) {
  test(`the ${slug} example replays in the page exactly as in the CLI`, async () => {
    const { context, errors } = await profile();
    const page = await open(context, `#/gallery/${slug}`);
    await page.waitForSelector('[data-testid="scenario-title"]');
    await page.click('[data-testid="scenario-start"]');
    await page.waitForSelector('[data-testid="sandbox-banner"]');
    await page.click('[data-testid="scenario-all"]');
    await page.waitForFunction((n) => document.querySelectorAll('.step-result').length === n, steps);
    const results = await page.locator('.step-result').evaluateAll((rs) => rs.map((r) => [r.dataset.ok, r.dataset.body]));
    assert.ok(results.every(([ok]) => ok === 'true'), JSON.stringify(results));
    const cli = execFileSync(BIN, ['run', '--json', `static/examples/${slug}.json`], { encoding: 'utf8' })
      .trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.step !== null);
    assert.deepEqual(results.map(([, body]) => body), cli.map((l) => l.body), 'the same seed and times, the same answers');
    if (slug === 'stale-read') {
      const notes = await page.locator('[data-testid="step-replica"]').allTextContents();
      assert.ok(notes.some((n) => /^read from replica [23] of 3, which had applied the changes up to .*: stale/.test(n)), JSON.stringify(notes));
    }
    await shot(page, slug);
    if (slug === 'iam-per-user-rows') {
      // The sandbox's IAM view explains the last step: Bo reading his own note, allowed.
      await page.click('[data-testid="iam-link"]');
      await page.waitForSelector('[data-testid="iam-latest"]:has-text("GetItem as arn:aws:iam::000000000000:user/bo → allowed")');
      assert.match(await page.textContent('[data-testid="condition"]'), /dynamodb:LeadingKeys: request \[bo\] vs policy \[bo\]/);
      await shot(page, 'iam-sandbox');
    }
    if (slug === 'hot-partition-throttles') {
      // The sandbox's throughput view names the hot key and its partition.
      await page.evaluate(() => { location.hash = '#/tables/Readings/throughput'; });
      await page.waitForSelector('[data-testid="hot-key"]');
      assert.match(await page.textContent('[data-testid="hot-key"]'), /^Hot key: sensor-hot was throttled 3 times\. .* at most 5 write units a second/);
      assert.equal(await page.locator('tr.hot[data-testid="partition-load"]').count(), 1);
      await shot(page, 'hot-partition-throughput');
    }
    if (slug === 'global-last-writer-wins') {
      // The regions side by side: the same item everywhere, and the write that was dropped.
      await page.click('[data-testid="global-link"]');
      await page.waitForSelector('[data-testid="global-region"]');
      const regions = await page.locator('[data-testid="global-region"]').evaluateAll((rs) => rs.map((r) => r.dataset.region));
      assert.deepEqual(regions, ['eu-west-1', 'us-east-1']);
      assert.equal(await page.locator('[data-testid="global-item"].differs').count(), 0, 'converged');
      assert.match(await page.locator('[data-testid="conflicts"]').innerText(),
        /^In eu-west-1, us-east-1's write of \{"userId":\{"S":"u-1"\}\} made 22:13:30\.000 was dropped: eu-west-1's write made 22:13:32\.500 is later\.$/);
      // An outage: eu-west-1 goes offline, us-east-1 keeps writing, then it comes back and catches up.
      const west = page.locator('[data-testid="global-region"][data-region="eu-west-1"]');
      await west.locator('[data-testid="region-outage"]').click();
      await page.waitForSelector('[data-testid="global-region"][data-region="eu-west-1"] .badge:has-text("OFFLINE")');
      const during = { TableName: 'Profiles', Item: { userId: { S: 'u-2' }, city: { S: 'Lima' } } };
      assert.equal((await page.evaluate((b) => window.dynaplay.request('PutItem', b, { region: 'us-east-1' }), during)).status, 200);
      const refused = await page.evaluate(() => window.dynaplay.request('ListTables', {}, { region: 'eu-west-1' }));
      assert.equal(refused.status, 500);
      await page.waitForSelector('[data-testid="in-flight"]');
      assert.match(await page.locator('[data-testid="in-flight"]').innerText(), /^INSERT \{"userId":\{"S":"u-2"\}\} → eu-west-1: us-east-1 written/);
      await shot(page, 'global-outage');
      await west.locator('[data-testid="region-outage"]').click();
      await page.waitForSelector('[data-testid="global-region"][data-region="eu-west-1"] .badge:has-text("ACTIVE")');
      await page.waitForTimeout(3100);
      const caught = await page.evaluate(() => window.dynaplay.request('GetItem', { TableName: 'Profiles', Key: { userId: { S: 'u-2' } }, ConsistentRead: true }, { region: 'eu-west-1' }));
      assert.deepEqual(caught.body.Item.city, { S: 'Lima' }, 'caught up once back');
      await page.waitForSelector('[data-testid="in-flight-none"]');
      await shot(page, 'global-view');
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, 'global-view-phone');
      await page.setViewportSize({ width: 1280, height: 860 });
      // The picker shows the other region's tables.
      await page.selectOption('[data-testid="region-picker"]', 'eu-west-1');
      await page.evaluate(() => { location.hash = '#/tables/Profiles'; });
      await page.waitForSelector('[data-testid="region-picker"]');
      const got = await request(page, 'GetItem', { TableName: 'Profiles', Key: { userId: { S: 'u-1' } }, ConsistentRead: true });
      assert.deepEqual(got.body.Item.city, { S: 'Dublin' });
      // A script can name the region without moving the picker.
      const key = { TableName: 'Profiles', Key: { userId: { S: 'u-1' } }, ConsistentRead: true };
      const east = await page.evaluate((b) => window.dynaplay.request('DescribeTable', { TableName: b.TableName }, { region: 'us-east-1' }), key);
      assert.deepEqual(east.body.Table.Replicas, [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }]);
      assert.equal(await page.locator('[data-testid="region-picker"]').inputValue(), 'eu-west-1');
      // Out of the sandbox, the saved workspace is back, on its home region; another
      // region is made (empty) on first use.
      await page.click('[data-testid="sandbox-leave"]');
      await page.waitForSelector('[data-testid="sandbox-banner"]', { state: 'detached' });
      assert.equal(await page.locator('[data-testid="region-picker"]').inputValue(), 'us-east-1');
      const none = await page.evaluate(() => window.dynaplay.request('ListTables', {}, { region: 'eu-west-1' }));
      assert.deepEqual([none.status, none.body.TableNames], [200, []]);
    }
    if (slug === 'partiql-key-vs-scan') {
      // Each statement says what it ran as: the same data read three ways, three costs.
      const plans = await page.locator('[data-testid="step-plan"]').allTextContents();
      assert.deepEqual(plans.slice(0, 3), [
        "Ran as GetItem of the key {customer: 'ana', orderDate: '2024-03-15'} in Orders: 1 item read, 0.5 RCU (951 bytes → 1 × 4 KB block (rounded up) × 0.5 (eventually consistent) = 0.5 RCU)",
        "Ran as Query of one partition of Orders (customer = 'ana'): 5 items read, 1 RCU (4,756 bytes → 2 × 4 KB blocks (rounded up) × 0.5 (eventually consistent) = 1 RCU)",
        'Ran as Scan of the whole of Orders: 15 items read, 2 RCU (14,268 bytes → 4 × 4 KB blocks (rounded up) × 0.5 (eventually consistent) = 2 RCU)',
      ]);
    }
    if (slug === 'hybrid-sql-mirror') {
      // The sandbox's mirror: the batch that failed before its SQL table existed, then the retry.
      await page.evaluate(() => { location.hash = '#/mirror'; });
      await page.waitForSelector('[data-testid="batch"]');
      const tries = await page.locator('[data-testid="batch"]').evaluateAll((rows) => rows.map((r) => r.className.includes('failed')));
      assert.ok(tries.includes(true) && !tries[0], JSON.stringify(tries));
      await page.waitForSelector('[data-testid="sql-tables"] li[data-name="orders"]');
      await shot(page, 'hybrid-mirror');
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}


test('the gallery fetches its examples; offline, the gallery and an example say so, and a later visit loads them', async () => {
  const { context, errors } = await profile();
  let offline = true;
  await context.route(/\/examples\/[a-z0-9-]+\.json$/, (r) => (offline ? r.abort() : r.continue()));
  const page = await open(context);
  await go(page, '#/gallery');
  const error = page.locator('[data-testid="example-error"]');
  await error.waitFor();
  assert.equal(await error.textContent(), 'The example "put-vs-update" could not be fetched (are you offline?). Reload to try again.');
  await go(page, '#/gallery/conditional-writes');
  await page.waitForSelector('[data-testid="scenario-error"]');
  assert.match(await page.locator('[data-testid="scenario-error"]').innerText(), /The example "conditional-writes" could not be fetched/);
  offline = false;
  await go(page, '#/gallery');
  await page.waitForSelector('[data-testid="example-link"]');
  assert.equal(await page.locator('[data-testid="example-link"]').count(), readdirSync('static/examples').filter((f) => f.endsWith('.json')).length);
  await go(page, '#/gallery/conditional-writes');
  await page.waitForSelector('[data-testid="scenario-title"]');
  await go(page, '#/gallery/no-such-example');
  assert.match(await page.locator('[data-testid="scenario-error"]').innerText(), /There is no example named "no-such-example"\./);
  assert.ok(errors.every((e) => /Failed to load resource|net::ERR_FAILED|Failed to fetch/.test(e)), errors.join('\n'));
});
