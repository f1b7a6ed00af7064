// Search works in headless Chromium, over http and from file://:
//   node tests/browser/search.mjs <site-dir>
// "Vermont" finds the Vermont Service Center page; "Form 7001" finds the CIS Ombudsman.
// Pages load their stylesheet under the Content-Security-Policy, from http and file://.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS, startServer } from './gates.mjs';

const site = path.resolve(process.argv[2] || 'site');
const expectations = [
  { query: 'Vermont', first: 'offices/vermont-service-center/index.html' },
  { query: 'Form 7001', anywhere: 'offices/cis-ombudsman/index.html' },
  { query: 'EAC', anywhere: 'offices/vermont-service-center/index.html' },
];

const server = await startServer(site);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
let failures = 0;
const check = (ok, message) => {
  console.log(`${ok ? '✓' : '✗'} ${message}`);
  if (!ok) failures++;
};
try {
  for (const base of [server.origin + '/', pathToFileURL(site).href + '/']) {
    const page = await browser.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    for (const e of expectations) {
      await page.goto(`${base}search/index.html?q=${encodeURIComponent(e.query)}`);
      await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => {});
      const hrefs = await page.$$eval('#search-results li > a', (as) => as.map((a) => a.href));
      const rel = hrefs.map((h) => h.slice(base.length));
      const status = await page.textContent('#search-status');
      if (e.first) check(rel[0] === e.first, `${base.slice(0, 7)} "${e.query}": first result ${rel[0]} (${status.trim()})`);
      if (e.anywhere) check(rel.includes(e.anywhere), `${base.slice(0, 7)} "${e.query}": finds ${e.anywhere} (${status.trim()})`);
    }
    // Keyboard: type in the header box on the home page, press Enter, land on results.
    await page.goto(`${base}index.html`);
    await page.focus('#site-search');
    await page.keyboard.type('Nebraska');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => {});
    const first = await page.$eval('#search-results li > a', (a) => a.textContent).catch(() => '');
    check(first === 'Nebraska Service Center', `${base.slice(0, 7)} keyboard search "Nebraska" → ${first}`);
    const styled = await page.$eval('body', (b) => getComputedStyle(b).fontFamily);
    check(/system-ui/.test(styled), `${base.slice(0, 7)} stylesheet loads under the CSP (font: ${styled.slice(0, 30)})`);
    check(violations.length === 0, `${base.slice(0, 7)} no CSP violations ${violations.join(' | ')}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`search: ${expectations.length * 2 + 6 - failures} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
