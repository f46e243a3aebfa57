// Single sign-on journeys: a real OpenID provider (oidc-provider, see oidc-provider.mjs) on one
// loopback port, `aims serve --demo` configured for it on another, and Chromium signing in
// through the provider's login and consent pages.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { accounts, startProvider } from './oidc-provider.mjs';

const root = resolve(import.meta.dirname, '..', '..');
const aims = process.env.AIMS_BIN ?? join(root, 'target', 'debug', 'aims');
const shots = process.env.AIMS_SCREENSHOTS ?? join(root, 'target', 'screenshots');
const port = 20000 + Math.floor(Math.random() * 2000);
const providerPort = port + 2000;
const base = `http://127.0.0.1:${port}`;
let server, browser, dataDir, provider;

before(async () => {
  mkdirSync(shots, { recursive: true });
  provider = await startProvider({ port: providerPort, redirectUri: `${base}/login/oidc/callback` });
  dataDir = mkdtempSync(join(tmpdir(), 'aims-sso-'));
  const env = {
    ...process.env,
    AIMS_OIDC_ISSUER: provider.issuer,
    AIMS_OIDC_CLIENT_ID: provider.client_id,
    AIMS_OIDC_CLIENT_SECRET: provider.client_secret,
    AIMS_OIDC_SCOPES: 'profile email groups',
    AIMS_OIDC_ROLE_CLAIM: 'groups',
    AIMS_OIDC_ROLE_MAP: 'aims-admins=admin,risk=risk_owner,readers=viewer',
    AIMS_OIDC_LABEL: 'Example ID',
  };
  server = spawn(aims, ['--data-dir', dataDir, 'serve', '--demo', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
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
  await provider?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser (no aims or provider cookies) on `path`, signed out. */
async function freshPage(path = '/') {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${base}${path}`);
  assert.match(page.url(), /\/login/, 'signed-out visitors are sent to the login page');
  return page;
}

/** Signs in through the provider's login and consent pages as `login`. */
async function signInThroughProvider(page, login) {
  await page.getByRole('link', { name: 'Sign in with Example ID' }).click();
  await page.waitForURL((u) => u.port === String(providerPort));
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password: the provider checks none');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL((u) => u.port === String(port));
}

async function userBar(page) {
  return (await page.locator('.who').innerText()).replace(/\s+/g, ' ');
}

test('an admin signs in through the provider, lands on the dashboard as admin and is provisioned', async () => {
  const page = await freshPage('/');
  assert.equal(await page.getByRole('link', { name: 'Sign in with Example ID' }).count(), 1, 'the login page offers single sign-on');
  await page.screenshot({ path: join(shots, 'sso-login.png'), fullPage: true });
  await signInThroughProvider(page, 'alice');
  assert.equal(page.url(), `${base}/`);
  await assert.doesNotReject(page.getByRole('heading', { name: 'Dashboard' }).waitFor());
  assert.match(await userBar(page), /Signed in as alice\.sso Administrator/);
  await page.screenshot({ path: join(shots, 'sso-dashboard-admin.png'), fullPage: true });

  await page.goto(`${base}/users`);
  const row = (await page.locator('tbody tr', { hasText: 'alice.sso' }).innerText()).replace(/\s+/g, ' ');
  assert.match(row, /alice\.sso Alice Admin \(SSO\) Administrator alice@example\.test Active/, `the users page lists the provisioned user: ${row}`);

  // The provisioning is in the ledger, and the chain still verifies.
  await page.goto(`${base}/ledger`);
  assert.match(await page.locator('body').innerText(), /alice\.sso/);
  await page.getByRole('button', { name: /Verify/ }).click();
  assert.match(await page.locator('body').innerText(), /intact/i);
  await page.context().close();
});

test('a risk owner is mapped from the groups claim, goes back where they started, and a changed claim changes the role at the next sign-in', async () => {
  const page = await freshPage('/risks');
  await signInThroughProvider(page, 'rita');
  assert.equal(new URL(page.url()).pathname, '/risks', 'after signing in, the page asked for first');
  assert.match(await userBar(page), /Signed in as rita\.sso Risk owner/);
  await page.context().close();

  accounts.rita.groups = ['staff', 'readers'];
  const again = await freshPage('/');
  await signInThroughProvider(again, 'rita');
  assert.match(await userBar(again), /Signed in as rita\.sso Viewer/, 'the role follows the claim');
  await again.context().close();

  const admin = await freshPage('/');
  await signInThroughProvider(admin, 'alice');
  await admin.goto(`${base}/users`);
  const rows = await admin.locator('tbody tr', { hasText: 'rita.sso' }).allInnerTexts();
  assert.equal(rows.length, 1, 'the second sign-in reused the linked user');
  assert.match(rows[0].replace(/\s+/g, ' '), /rita\.sso Rita Risk \(SSO\) Viewer rita@example\.test Active/);
  await admin.context().close();
});

test('an account whose groups map to no role is refused with the reason and gets no session', async () => {
  const page = await freshPage('/');
  await signInThroughProvider(page, 'mallory');
  const text = await page.locator('[role="alert"]').innerText();
  assert.match(text, /Your account has no role in aims/);
  assert.match(text, /'groups' values \(contractors\)/);
  await page.screenshot({ path: join(shots, 'sso-refused.png'), fullPage: true });
  await page.goto(`${base}/`);
  assert.match(page.url(), /\/login/, 'no session was opened');
  await page.context().close();
});

test('a forged or replayed callback is refused', async () => {
  const page = await freshPage('/');
  const answer = await page.goto(`${base}/login/oidc/callback?code=forged&state=forged`);
  assert.equal(answer.status(), 400);
  assert.match(await page.locator('[role="alert"]').innerText(), /could not be matched to one started in this browser/);
  await page.context().close();
});

test('local password sign-in still works, and single sign-on users have no password', async () => {
  const page = await freshPage('/');
  await page.getByLabel('Username').fill('grace');
  await page.getByLabel('Password').fill('grace-demo-pass');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL(`${base}/`);
  assert.match(await userBar(page), /Signed in as grace Governance lead/);
  await page.context().close();

  const sso = await freshPage('/');
  await sso.getByLabel('Username').fill('alice.sso');
  await sso.getByLabel('Password').fill('!sso');
  await sso.getByRole('button', { name: 'Sign in', exact: true }).click();
  assert.match(await sso.locator('[role="alert"]').innerText(), /Sign-in failed/);
  await sso.context().close();
});
