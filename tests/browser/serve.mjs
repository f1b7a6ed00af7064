// `casepath serve` in headless Chromium, as a person editing the guide would use it:
// a phone number changed in content/data/offices.yaml shows up in the open page by itself;
// broken YAML shows the error, with its file:line:column, over the page; the fix clears it
// and the page shows the new number. Works on a copy of the shipped guide.
//
//   node tests/browser/serve.mjs [--binary target/release/casepath] [--screens-dir DIR]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS } from './gates.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const binary = path.resolve(repo, arg('--binary', 'target/release/casepath'));
const screens = path.resolve(repo, arg('--screens-dir', 'tests/browser/out/serve'));
fs.mkdirSync(screens, { recursive: true });

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'casepath-serve-'));
for (const folder of ['content', 'themes']) {
  fs.cpSync(path.join(repo, folder), path.join(root, folder), { recursive: true });
}
const offices = path.join(root, 'content/data/offices.yaml');
const original = fs.readFileSync(offices, 'utf8');
const PHONE = '1-800-375-5283';
const NEW_PHONE = '1-800-375-5299';

let passed = 0;
let failed = 0;
const check = (ok, message) => {
  console.log(`${ok ? '✓' : '✗'} ${message}`);
  ok ? passed++ : failed++;
};

const server = spawn(binary, ['serve', '--root', root, '--port', '0'], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, NO_COLOR: '1' },
});
let terminal = '';
server.stderr.on('data', (chunk) => { terminal += chunk; });
const origin = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (chunk) => {
    out += chunk;
    terminal += chunk;
    const match = out.match(/serving the site at (http:\/\/\S+?)\/? /);
    if (match) resolve(match[1]);
  });
  server.on('exit', (code) => reject(new Error(`casepath serve exited (${code}):\n${terminal}`)));
});
console.log(`casepath serve at ${origin}, on a copy of the guide in ${root}`);

const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  // Chromium asks every site for /favicon.ico; the guide has none, and that is fine.
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  const shot = (name) => page.screenshot({ path: path.join(screens, `${name}.png`) });
  const body = () => page.evaluate(() => document.body.innerText);
  const overlay = () => page.$('#casepath-error');

  const listening = page.waitForResponse((r) => r.url().includes('/__casepath/events'));
  await page.goto(`${origin}/offices/contact-center/`);
  check((await body()).includes(PHONE), `the office page shows ${PHONE}`);
  await listening;
  await shot('1-before');

  // Edit the phone number, as an editor saves: the page reloads by itself.
  let loaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(offices, original.replaceAll(`value: "${PHONE}"`, `value: "${NEW_PHONE}"`));
  await loaded;
  check((await body()).includes(NEW_PHONE), `after the edit the page shows ${NEW_PHONE} without a manual reload`);
  await shot('2-edited');

  // Break the YAML: the last good page stays, with the error over it.
  const broken = original.replace('  kind: contact-center', '  kind: [contact-center');
  fs.writeFileSync(offices, broken);
  await page.waitForSelector('#casepath-error', { timeout: 15000 });
  const shown = await page.textContent('#casepath-error pre');
  const where = shown.match(/content\/data\/offices\.yaml:\d+:\d+/);
  check(where !== null, `the overlay names the place: ${where && where[0]}`);
  check(terminal.includes(where && where[0]), 'the terminal prints the same place');
  check((await body()).includes('The site could not be rebuilt'), 'the overlay says the site could not be rebuilt');
  await shot('3-broken');

  // A page opened while the YAML is broken shows the error too.
  const second = await context.newPage();
  await second.goto(`${origin}/offices/`);
  await second.waitForSelector('#casepath-error', { timeout: 15000 });
  check(true, 'a page opened while broken shows the error');

  // Fix it: the overlay goes, every page reloads and shows the current number.
  loaded = page.waitForEvent('load', { timeout: 15000 });
  const secondLoaded = second.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(offices, original.replaceAll(`value: "${PHONE}"`, `value: "${NEW_PHONE}"`));
  await Promise.all([loaded, secondLoaded]);
  check((await overlay()) === null, 'after the fix the overlay is gone');
  check((await body()).includes(NEW_PHONE), `after the fix the page shows ${NEW_PHONE}`);
  await shot('4-fixed');

  // Once more, back to the first number: the page follows every save.
  loaded = page.waitForEvent('load', { timeout: 15000 });
  fs.writeFileSync(offices, original);
  await loaded;
  check((await body()).includes(PHONE) && !(await body()).includes(NEW_PHONE), `back to ${PHONE}`);
  // A tab in the background lets go of its connection, and catches up when shown again.
  const setHidden = (hidden) => page.evaluate((h) => {
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
  const LATER_PHONE = '1-800-375-5200';
  await setHidden(true);
  fs.writeFileSync(offices, original.replaceAll(`value: "${PHONE}"`, `value: "${LATER_PHONE}"`));
  await new Promise((resolve) => setTimeout(resolve, 1500));
  check(!(await body()).includes(LATER_PHONE), 'a tab in the background does not reload');
  loaded = page.waitForEvent('load', { timeout: 15000 });
  await setHidden(false);
  await loaded;
  check((await body()).includes(LATER_PHONE), `shown again, it catches up at once: ${LATER_PHONE}`);
  check(problems.length === 0, `no console errors (CSP, script): ${problems.join(' | ') || 'none'}`);
} catch (error) {
  check(false, `${error.message}\n${terminal}`);
} finally {
  await browser.close();
  server.kill();
  fs.rmSync(root, { recursive: true, force: true });
}
console.log(`screenshots: ${screens}`);
console.log(`serve: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
