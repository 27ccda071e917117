// End-to-end: workshops. A teacher builds one at #/teach (course lessons, their own
// lesson file, their tables as the class's playground) and copies its link; a learner in
// a fresh browser opens the link, previews it, joins it, completes a step of the
// teacher's own lesson (a failing check, a hint, the passing check), and finds the
// workshop and the progress kept across a reload. A workshop file opens from disk; a
// broken link says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profile, open, shot, request, go, URL } from './browser.mjs';

const example = JSON.parse(readFileSync('static/workshops/dynamodb-in-an-afternoon.json', 'utf8'));
const ownLesson = example.lessons.find((l) => typeof l === 'object');

test('workshops: a teacher builds one, a learner in a fresh browser joins it by link', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dynaplay-workshop-'));
  const lessonFile = join(dir, 'signups.json');
  writeFileSync(lessonFile, JSON.stringify(ownLesson));

  // The teacher.
  const teacher = await profile();
  const page = await open(teacher.context);
  const key = { AttributeDefinitions: [{ AttributeName: 'sku', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'sku', KeyType: 'HASH' }] };
  assert.equal((await request(page, 'CreateTable', { TableName: 'Products', BillingMode: 'PAY_PER_REQUEST', ...key })).status, 200);
  assert.equal((await request(page, 'PutItem', { TableName: 'Products', Item: { sku: { S: 'apple' } } })).status, 200);
  await go(page, '#/lessons');
  await page.click('[data-testid="teach-link"]');
  await page.waitForSelector('[data-testid="teach"]');
  await page.waitForSelector('[data-testid="teach-error"]:has-text("Choose at least one lesson.")');
  await page.fill('[data-testid="teach-title"]', 'Tuesday class');
  await page.fill('[data-testid="teach-notes"]', 'Work in **pairs**.');
  await page.check('[data-testid="teach-course"] input[data-slug="03-query-vs-scan"]');
  await page.check('[data-testid="teach-course"] input[data-slug="01-tables-and-keys"]');
  await page.setInputFiles('[data-testid="teach-own"]', lessonFile);
  await page.check('[data-testid="teach-workspace"]');
  const link = await page.inputValue('[data-testid="teach-link"]');
  assert.ok(link.startsWith(URL) && link.includes('#/workshop/1.'), link);
  await shot(page, 'teach-1280');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="teach-download"]')]);
  const file = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(file.format, 'dynaplay-workshop');
  assert.deepEqual(file.lessons.slice(0, 2), ['01-tables-and-keys', '03-query-vs-scan'], 'the course order');
  assert.equal(file.lessons[2].title, 'Our class: the sign-up sheet');
  assert.equal(file.workspace.tables[0].TableName, 'Products');
  await teacher.context.close();

  // A learner, in a fresh browser: the link previews, then joins.
  const learner = await profile();
  const lp = await learner.context.newPage();
  await lp.goto(link);
  await lp.waitForSelector('[data-testid="workshop-preview"] h1:has-text("Tuesday class")');
  assert.match(await lp.textContent('[data-testid="workshop-lessons"]'), /Tables and keys.*Query versus Scan.*Our class: the sign-up sheet · 3 steps · the teacher's own/s);
  assert.equal(await lp.textContent('[data-testid="workshop-workspace-summary"]'), '1 table (Products) and 1 item');
  await lp.setViewportSize({ width: 390, height: 844 });
  await shot(lp, 'workshop-preview-390');
  await lp.setViewportSize({ width: 1280, height: 900 });
  await lp.click('[data-testid="workshop-join"]');
  await lp.waitForSelector('[data-testid="joined-workshop"] h2:has-text("Tuesday class")');
  const cards = lp.locator('[data-testid="joined-workshop"] [data-testid="lesson-card"]');
  assert.equal(await cards.count(), 3);
  // The teacher's own lesson: a failing check, a hint, the passing check.
  await cards.nth(2).locator('[data-testid="lesson-start"]').click();
  await lp.waitForSelector('[data-testid="lesson-panel"] h2:has-text("A table for the sign-ups")');
  const signups = (range) => ({ TableName: 'Signups', BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'session', AttributeType: 'S' }, ...(range ? [{ AttributeName: 'student', AttributeType: 'S' }] : [])],
    KeySchema: [{ AttributeName: 'session', KeyType: 'HASH' }, ...(range ? [{ AttributeName: 'student', KeyType: 'RANGE' }] : [])] });
  assert.equal((await request(lp, 'CreateTable', signups(false))).status, 200);
  await lp.waitForSelector('[data-testid="lesson-check"]:has-text("Still missing: Signups should have the sort key student.")');
  await lp.click('[data-testid="lesson-hint"]');
  assert.match(await lp.textContent('[data-testid="lesson-hints"]'), /HASH and RANGE/);
  assert.equal((await request(lp, 'DeleteTable', { TableName: 'Signups' })).status, 200);
  assert.equal((await request(lp, 'CreateTable', signups(true))).status, 200);
  await lp.waitForSelector('[data-testid="lesson-check"]:has-text("✓ Done.")');
  await shot(lp, 'workshop-lesson-1280');
  await lp.click('[data-testid="lesson-leave"]');
  await lp.waitForSelector('[data-testid="lesson-panel"]', { state: 'detached' });

  // A reload: still in the workshop, with the step done.
  await lp.reload();
  await go(lp, '#/lessons');
  await lp.waitForSelector('[data-testid="joined-workshop"] [data-testid="lesson-card"] >> text=1 of 3 steps done');
  // Its workspace opens in a sandbox, apart from the learner's tables, on the home page
  // under the sandbox's banner: wait for that, or the page's own navigation home can land
  // after the test's next one.
  await lp.click('[data-testid="workshop-workspace"]');
  await lp.waitForSelector('[data-testid="sandbox-banner"]');
  await lp.waitForFunction(() => location.hash === '#/');
  await lp.waitForFunction(async () => (await window.dynaplay.request('ListTables', {})).body.TableNames?.includes('Products'));
  // The progress report names the workshop.
  await go(lp, '#/lessons');
  const [report] = await Promise.all([lp.waitForEvent('download'), lp.click('[data-testid="progress-report"]')]);
  const r = JSON.parse(readFileSync(await report.path(), 'utf8'));
  assert.equal(r.workshop, 'Tuesday class');
  assert.equal(r.lessons[2].title, 'Our class: the sign-up sheet');
  assert.equal(r.lessons[2].stepsDone, 1);
  await shot(lp, 'workshop-joined-1280');
  await lp.click('[data-testid="workshop-leave"]');
  await lp.waitForSelector('[data-testid="joined-workshop"]', { state: 'detached' });
  assert.deepEqual(learner.errors, []);
  await learner.context.close();
});

test('workshops: a file opens from disk; a broken link says why', async () => {
  const { context, errors } = await profile();
  const page = await open(context, '#/lessons');
  await page.setInputFiles('[data-testid="open-lesson-file"]', 'static/workshops/dynamodb-in-an-afternoon.json');
  await page.waitForSelector('[data-testid="workshop-preview"] h1:has-text("DynamoDB in an afternoon")');
  await page.click('[data-testid="workshop-join"]');
  await page.waitForSelector('[data-testid="joined-workshop"] h2:has-text("DynamoDB in an afternoon")');
  // A lesson file that is not one.
  const dir = mkdtempSync(join(tmpdir(), 'dynaplay-workshop-'));
  writeFileSync(join(dir, 'bad.json'), '{"format": "dynaplay-lesson", "version": 1, "title": "x", "steps": []}');
  await page.setInputFiles('[data-testid="open-lesson-file"]', join(dir, 'bad.json'));
  assert.equal(await page.textContent('[data-testid="open-lesson-error"]'), 'bad.json: "steps" must be an array of 1 to 30 steps');
  await go(page, '#/workshop/1.damaged');
  await page.waitForSelector('[data-testid="workshop-error"]:has-text("This link does not hold a readable workshop")');
  assert.deepEqual(errors, []);
  await context.close();
});
