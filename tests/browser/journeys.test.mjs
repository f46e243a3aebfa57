// Browser journeys through the aims web application, in Debian's Chromium driven by Playwright.
// Starts `aims serve --demo` on a fresh data directory, walks what people do, and writes a
// screenshot of each page it checks to target/screenshots/ (AIMS_SCREENSHOTS overrides).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const aims = process.env.AIMS_BIN ?? join(root, 'target', 'debug', 'aims');
const shots = process.env.AIMS_SCREENSHOTS ?? join(root, 'target', 'screenshots');
const port = 18000 + Math.floor(Math.random() * 2000);
const base = `http://127.0.0.1:${port}`;
let server, browser, dataDir;

before(async () => {
  mkdirSync(shots, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'aims-browser-'));
  server = spawn(aims, ['--data-dir', dataDir, 'serve', '--demo', '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('aims serve did not start within 60 s')), 60_000);
    server.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('aims listening on')) { clearTimeout(timer); ok(); }
    });
    server.on('exit', (code) => fail(new Error(`aims serve exited with ${code}`)));
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGINT');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page, username) {
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/, 'signed-out visitors are sent to the login page');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-demo-pass`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

test('a governance lead adds a system, approves a new scope and signs out', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'grace');
  await assert.doesNotReject(page.getByRole('heading', { name: 'Dashboard' }).waitFor());
  assert.equal(await page.locator('svg[role="img"]').count(), 2, 'two charts on the dashboard');
  await shot(page, 'dashboard-governance-lead');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inventory', exact: true }).click();
  await shot(page, 'inventory');
  await page.getByRole('link', { name: 'Add a system' }).click();
  await page.getByRole('button', { name: 'Add the system' }).click();
  assert.equal(await page.locator('[aria-invalid="true"]').first().getAttribute('id'), 'f-name', 'an empty name is marked beside the field');
  await page.getByLabel('Name').fill('Claims triage assistant');
  await page.getByLabel('Purpose').fill('Routes insurance claims to the right handler.');
  await page.getByLabel('Owner').selectOption('grace');
  await page.getByLabel('Business unit').fill('Claims');
  await page.getByLabel('Lifecycle stage').selectOption('development');
  await page.getByRole('button', { name: 'Add the system' }).click();
  await page.waitForURL(/\/systems\/SYS-13$/);
  assert.match(await page.locator('h1').innerText(), /SYS-13/);
  await shot(page, 'system');

  await page.goto(`${base}/systems?stage=development`);
  const names = await page.locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.ok(names.includes('Claims triage assistant'), `filtered inventory lists the new system: ${names}`);
  assert.ok(names.length >= 2 && names.length < 12, 'the stage filter narrows the list');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scope', exact: true }).click();
  await page.getByRole('link', { name: 'Propose a new version' }).click();
  await page.getByLabel('Exclusions').fill('SYS-13 | Pilot with synthetic data only until the design review.');
  await page.getByRole('button', { name: 'Propose this version' }).click();
  await page.waitForURL(/\/scope\/SCP-3$/);
  assert.match(await page.locator('.badges').innerText(), /Draft/);
  await page.getByRole('button', { name: 'Approve version 3' }).click();
  await page.waitForURL(/\/scope\/SCP-3$/);
  assert.match(await page.locator('.badges').innerText(), /In force/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scope', exact: true }).click();
  await assert.doesNotReject(page.getByRole('heading', { name: /In force: SCP-3/ }).waitFor());
  await shot(page, 'scope');

  await page.goto(`${base}/scope/diff?from=2&to=3`);
  assert.match(await page.locator('body').innerText(), /Excluded: SYS-13/);
  await shot(page, 'scope-diff');

  await page.goto(`${base}/systems/SYS-13`);
  assert.match(await page.locator('body').innerText(), /Out of scope/i, 'the excluded system shows out of scope');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Ledger', exact: true }).click();
  await page.getByRole('button', { name: /Verify/ }).click();
  assert.match(await page.locator('body').innerText(), /intact/i);
  await shot(page, 'ledger');

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(/\/login/);
  await page.goto(`${base}/systems`);
  assert.match(page.url(), /\/login/, 'after signing out, pages need a new sign-in');
  await page.close();
});

test('each role sees its dashboard, and a viewer is offered no writes', async () => {
  for (const user of ['admin', 'rosa', 'alan', 'ida', 'vera']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signIn(page, user);
    await shot(page, `dashboard-${user}`);
    if (user === 'vera') {
      await page.goto(`${base}/systems`);
      assert.equal(await page.getByRole('link', { name: 'Add a system' }).count(), 0, 'viewers are not offered writes');
    }
    await page.close();
  }
});

test('controls and the Statement of Applicability show their links', async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await signIn(page, 'rosa');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Controls', exact: true }).click();
  const keys = await page.locator('tbody tr td:first-child').allInnerTexts();
  assert.ok(keys.includes('CTL-1'), `the demo controls are listed: ${keys}`);
  await shot(page, 'controls');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'SoA', exact: true }).click();
  const body = await page.locator('body').innerText();
  assert.match(body, /A\.10\.4/);
  const ids = (await page.locator('tbody tr td:first-child, tbody tr th:first-child').allInnerTexts())
    .filter((t) => /^A\.\d+\.\d+/.test(t.trim()));
  assert.equal(ids.length, 38, `one line per Annex A control: ${ids}`);
  await shot(page, 'soa');
  await page.close();
});

test('the inventory reads at phone width', async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await signIn(page, 'grace');
  await page.goto(`${base}/systems`);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the page does not scroll sideways (${overflow}px)`);
  await shot(page, 'inventory-phone');
  await page.close();
});
