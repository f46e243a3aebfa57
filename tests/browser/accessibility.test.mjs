// Accessibility: axe-core checks every main page of the demo organisation, signed in, at desktop
// and phone width, and fails on any serious or critical violation.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, signIn } from './support.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;

const pages = [
  '/', '/systems', '/systems/new', '/systems/SYS-1', '/systems/SYS-1/monitoring', '/context', '/parties',
  '/context/issues/new', '/controls', '/controls/new', '/scope', '/scope/edit', '/risks', '/risks/new',
  '/risks/RSK-1', '/methodology', '/impacts', '/monitoring', '/soa', '/incidents', '/incidents/new',
  '/incidents/INC-1', '/nonconformities', '/nonconformities/NC-1', '/roadmap', '/actions/new', '/journey',
  '/maturity', '/gaps', '/coverage', '/catalogs', '/catalogs/ISO42001', '/certification-bodies', '/ledger',
  '/account', '/users', '/users/new',
];

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** The serious and critical violations axe finds on the page, one line each. */
async function violations(page) {
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const result = await globalThis.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')})`);
  });
  return found;
}

async function checkAll(width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  await page.goto(`${server.base}/login`);
  assert.deepEqual(await violations(page), [], `login page at ${width} px`);
  await signIn(page, server.base, 'admin');
  const failures = [];
  for (const path of pages) {
    const res = await page.goto(`${server.base}${path}`);
    assert.equal(res.status(), 200, `${path} answers 200`);
    const found = await violations(page);
    if (found.length) failures.push(`${path}:\n  ${found.join('\n  ')}`);
  }
  await context.close();
  assert.deepEqual(failures, [], `serious or critical accessibility violations at ${width} px`);
}

test('the check finds a planted violation', async () => {
  const page = await browser.newPage();
  await page.goto(`${server.base}/login`);
  await page.evaluate(() => document.body.append(Object.assign(document.createElement('img'), { src: '/static/none.png' })));
  const found = await violations(page);
  assert.ok(found.some((v) => v.includes('image-alt')), `an image without alt text is reported: ${found}`);
  await page.close();
});

test('each role\'s dashboard has no serious or critical accessibility violation', async () => {
  for (const user of ['admin', 'grace', 'rosa', 'alan', 'ida', 'vera']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, server.base, user);
    assert.deepEqual(await violations(page), [], `the dashboard of ${user}`);
    await context.close();
  }
});

test('every main page has no serious or critical accessibility violation at 1280 px', async () => {
  await checkAll(1280, 900);
});

test('every main page has no serious or critical accessibility violation at phone width', async () => {
  await checkAll(390, 844);
});
