// What the browser tests share: an `aims serve --demo` on a fresh data directory, Debian's
// Chromium, signing in as a demo user and screenshots.

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
export const aims = process.env.AIMS_BIN ?? join(root, 'target', 'debug', 'aims');
export const shots = process.env.AIMS_SCREENSHOTS ?? join(root, 'target', 'screenshots');

/** Starts `aims serve --demo` (with `extraArgs`) on a random port; resolves to `{ base, stop }`. */
export async function startServer(extraArgs = [], env = {}) {
  const port = 20000 + Math.floor(Math.random() * 5000);
  const dataDir = mkdtempSync(join(tmpdir(), 'aims-browser-'));
  const server = spawn(aims, ['--data-dir', dataDir, 'serve', '--demo', '--listen', `127.0.0.1:${port}`, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('aims serve did not start within 60 s')), 60_000);
    server.stdout.on('data', (chunk) => {
      if (chunk.toString().includes('aims listening on')) { clearTimeout(timer); ok(); }
    });
    server.on('exit', (code) => fail(new Error(`aims serve exited with ${code}`)));
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop() {
      server.kill('SIGINT');
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. */
export function launchBrowser() {
  mkdirSync(shots, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Signs in as a demo user (whose password is `<name>-demo-pass`) and waits for the dashboard. */
export async function signIn(page, base, username) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(`${username}-demo-pass`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${base}/`);
}

export async function shot(page, name) {
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}
