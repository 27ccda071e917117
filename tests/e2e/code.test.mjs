// End-to-end: the console's bridges to code. A pasted AWS CLI command fills the request;
// "Copy as code" gives an AWS CLI command, Python and JavaScript that the real AWS CLI,
// boto3 and the AWS SDK for JavaScript v3 run against `dynaplay serve`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { profile, open, shot, URL as APP } from './browser.mjs';

const BIN = process.env.DYNAPLAY_BIN ?? 'target/debug/dynaplay';
const PYTHON = resolve(process.env.DYNAPLAY_PYTHON ?? 'target/sdk-venv/bin/python');
const SCRATCH = resolve('target/e2e-code');

/** `dynaplay serve` on a free port; resolves to its URL and a stop function. */
function serve() {
  const proc = spawn(BIN, ['serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    proc.on('error', fail);
    createInterface({ input: proc.stdout }).once('line', (line) => {
      const url = line.match(/http:\/\/\S+/)?.[0];
      url ? ok({ url, stop: () => proc.kill() }) : fail(new Error(`dynaplay serve printed ${line}`));
    });
  });
}

/** Runs copied code the way its reader would, pointed at `endpoint` only through the environment. */
function runCode(language, code, endpoint) {
  const env = {
    ...process.env, AWS_ENDPOINT_URL_DYNAMODB: endpoint, AWS_ENDPOINT_URL: endpoint, AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'any', AWS_SECRET_ACCESS_KEY: 'any', AWS_DEFAULT_OUTPUT: 'json',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    PATH: `${dirname(PYTHON)}:${process.env.PATH}`,
  };
  mkdirSync(SCRATCH, { recursive: true });
  switch (language) {
    case 'cli':
      // The endpoint is the one thing added: `aws` v1 reads no endpoint from the environment.
      return execFileSync('sh', ['-c', `${code} --endpoint-url ${endpoint}`], { env, encoding: 'utf8' });
    case 'python':
      writeFileSync(join(SCRATCH, 'copied.py'), code);
      return execFileSync(PYTHON, [join(SCRATCH, 'copied.py')], { env, encoding: 'utf8' });
    case 'javascript':
      // Inside the repository, so `@aws-sdk/client-dynamodb` resolves from node_modules.
      writeFileSync(join(SCRATCH, 'copied.mjs'), code);
      return execFileSync('node', [join(SCRATCH, 'copied.mjs')], { env, encoding: 'utf8' });
  }
  throw new Error(language);
}

async function paste(page, line) {
  const panel = page.locator('details.code-panel:has-text("Paste an AWS CLI command")');
  if ((await panel.getAttribute('open')) === null) await page.click('summary:has-text("Paste an AWS CLI command")');
  await page.fill('textarea[name="cli"]', line);
  await page.click('button:has-text("Use this command")');
}

async function run(page) {
  const before = await page.locator('ol.history li').count();
  await page.locator('textarea[name="request"]').press('Control+Enter');
  await page.waitForFunction((n) => document.querySelectorAll('ol.history li').length > n, before);
  return page.locator('[data-testid="response"]');
}

/** The current request as code in `language` ('AWS CLI', 'Python', 'JavaScript'), copied with the Copy button. */
async function copyAs(page, language) {
  const panel = page.locator('details.code-panel:has-text("Copy as code")');
  if ((await panel.getAttribute('open')) === null) await page.click('summary:has-text("Copy as code")');
  await panel.locator(`label.choice:has-text("${language}") input`).check();
  await panel.locator('button:has-text("Copy")').click();
  await panel.locator('button:has-text("Copied")').waitFor();
  const shown = await panel.locator('[data-testid="code"]').innerText();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, shown);
  return copied;
}

const request = async (page) => JSON.parse(await page.inputValue('textarea[name="request"]'));

test('paste an AWS CLI command; copy any request as AWS CLI, Python and JavaScript that real SDKs run', async () => {
  const server = await serve();
  const { context, errors } = await profile();
  try {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new globalThis.URL(APP).origin });
    const page = await open(context, '#/console');

    // A multi-line command from a tutorial, global options and all.
    await paste(page, `aws dynamodb create-table \\
    --table-name Music \\
    --attribute-definitions '[{"AttributeName": "Artist", "AttributeType": "S"}, {"AttributeName": "Song", "AttributeType": "S"}]' \\
    --key-schema '[{"AttributeName": "Artist", "KeyType": "HASH"}, {"AttributeName": "Song", "KeyType": "RANGE"}]' \\
    --billing-mode PAY_PER_REQUEST \\
    --endpoint-url http://localhost:8000 --region eu-west-1`);
    assert.equal(await page.inputValue('select[name="operation"]'), 'CreateTable');
    const create = {
      TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'Song', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'Song', KeyType: 'RANGE' }],
    };
    assert.deepEqual(await request(page), create);
    await (await run(page)).locator('text=HTTP 200').waitFor();

    // The same request, copied as an AWS CLI command, creates the same table in `dynaplay serve`.
    const cli = await copyAs(page, 'AWS CLI');
    assert.ok(cli.startsWith("aws dynamodb create-table --cli-input-json '{"), cli);
    const created = JSON.parse(runCode('cli', cli, server.url));
    assert.equal(created.TableDescription.TableName, 'Music');
    assert.deepEqual(created.TableDescription.KeySchema, create.KeySchema);

    // A put with quotes in it, run in the browser, then copied as JavaScript and run by the SDK.
    await paste(page, `aws dynamodb put-item --table-name Music --item '{"Artist": {"S": "Arturus \\"Art\\" O'\\''Neil"}, "Song": {"S": "Gloria"}, "Plays": {"N": "3"}}' --return-consumed-capacity TOTAL`);
    const item = { Artist: { S: 'Arturus "Art" O\'Neil' }, Song: { S: 'Gloria' }, Plays: { N: '3' } };
    assert.deepEqual(await request(page), { TableName: 'Music', Item: item, ReturnConsumedCapacity: 'TOTAL' });
    const put = await run(page);
    assert.match(await put.locator('[data-testid="capacity"]').innerText(), /Music: 1(\.0)? units/);
    const js = await copyAs(page, 'JavaScript');
    assert.match(runCode('javascript', js, server.url), /httpStatusCode: 200/);

    // A read copied as Python finds, in `dynaplay serve`, the item the JavaScript wrote.
    await paste(page, `aws dynamodb get-item --table-name Music --key '{"Artist": {"S": "Arturus \\"Art\\" O'\\''Neil"}, "Song": {"S": "Gloria"}}' --consistent-read`);
    assert.deepEqual(await request(page), {
      TableName: 'Music', Key: { Artist: item.Artist, Song: item.Song }, ConsistentRead: true,
    });
    const got = await run(page);
    assert.deepEqual(JSON.parse(await got.locator('[data-testid="response-body"]').innerText()), { Item: item });
    const python = await copyAs(page, 'Python');
    const printed = runCode('python', python, server.url);
    assert.match(printed, /'Item': \{/);
    assert.match(printed, /'Plays': \{'N': '3'\}/);
    assert.match(printed, /'S': 'Arturus "Art" O\\'Neil'/);
    await shot(page, 'console-code');

    // Any request in the history copies as a CLI command in one click: here, the put.
    await page.locator('ol.history li:has-text("PutItem") button:has-text("Copy as CLI")').click();
    await page.locator('ol.history li:has-text("PutItem") button:has-text("Copied")').waitFor();
    const fromHistory = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(fromHistory,
      `aws dynamodb put-item --cli-input-json '${JSON.stringify({ // keys in sorted order, as the app writes them
        Item: { Artist: item.Artist, Plays: item.Plays, Song: item.Song }, ReturnConsumedCapacity: 'TOTAL', TableName: 'Music' })
        .replaceAll("'", "'\\''")}'`);

    // What cannot be pasted says why, and leaves the request alone.
    await paste(page, 'aws dynamodb get-item --table-name Music --key file://key.json');
    assert.equal(await page.locator('[data-testid="cli-error"]').innerText(),
      '`--key file://key.json`: files cannot be read in the browser; paste the JSON itself.');
    await page.fill('textarea[name="cli"]', 'aws dynamodb get-item --table-name Music --key Artist={S=Arturus}');
    await page.click('button:has-text("Use this command")');
    assert.equal(await page.locator('[data-testid="cli-error"]').innerText(),
      "`--key` needs JSON here, such as '{\"Artist\": {\"S\": \"Arturus\"}}'; the CLI's shorthand syntax is not supported.");
    assert.equal(await page.inputValue('select[name="operation"]'), 'GetItem');
    assert.equal((await request(page)).ConsistentRead, true);
    await shot(page, 'console-paste-error');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    server.stop();
  }
});
