// Launches Debian's Chromium through playwright-core (no browser download): headless, no sandbox,
// and without the background services whose connections this machine's closed network refuses.
// Playwright gives every launch a fresh temporary profile (user-data-dir) of its own.
import {existsSync} from 'node:fs';
import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {chromium} from 'playwright-core';
import {WEB_ROOT} from '../../tools/build-static.mjs';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? path.join(WEB_ROOT, 'test-results', 'screenshots');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchChromium() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`No Chromium at ${CHROMIUM_PATH}: run scripts/install-chromium.sh (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({executablePath: CHROMIUM_PATH, headless: true, args: ARGS, timeout: 60_000});
}

/**
 * A page that fails the test on any console error, page error or CSP violation, accepts confirm()
 * dialogs, and records the API requests it made.
 */
export async function newPage(browser, {name}) {
  const context = await browser.newContext({viewport: {width: 1100, height: 900}, locale: 'en-GB', timezoneId: 'UTC'});
  const page = await context.newPage();
  page.problems = [];
  page.apiRequests = [];
  page.on('pageerror', (error) => page.problems.push(`[${name}] page error: ${error.message}`));
  page.on('console', (message) => {
    // Failed requests that the client handles (4xx answers it shows) are logged by Chromium as
    // "Failed to load resource"; they are expected. Anything else at error level is a problem.
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) {
      page.problems.push(`[${name}] console error: ${message.text()}`);
    }
  });
  page.on('dialog', (dialog) => dialog.accept());
  page.on('request', (request) => {
    if (request.resourceType() === 'fetch') page.apiRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
  });
  page.setDefaultTimeout(20_000);
  return page;
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOT_DIR, {recursive: true});
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({path: file, fullPage: true});
  return file;
}
