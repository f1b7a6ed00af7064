// Search works in headless Chromium, over http and from file://:
//   node tests/browser/search.mjs <site-dir>
// "Vermont" finds the Vermont Service Center page; "Form 7001" finds the CIS Ombudsman; the
// Spanish search page (es/search/) finds the Spanish pages.
// Pages load their stylesheet under the Content-Security-Policy, from http and file://.
// Short terms are highlighted as whole words only ("LIN", never the "lin" of "online");
// snippets of what only an unofficial source says keep the "Unverified:" label; the words
// typed on the search page stay in its address, so Back brings them and their results back.
// Without JavaScript, the page says search needs it and lists every page from A to Z.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS, startServer } from './gates.mjs';

const site = path.resolve(process.argv[2] || 'site');
const expectations = [
  { query: 'Vermont', first: 'offices/vermont-service-center/index.html' },
  { query: 'Form 7001', anywhere: 'offices/cis-ombudsman/index.html' },
  { query: 'EAC', anywhere: 'offices/vermont-service-center/index.html' },
  // The Spanish search page searches the Spanish pages.
  { query: 'Vermont', first: 'es/offices/vermont-service-center/index.html', page: 'es/search/index.html' },
  { query: 'Centro de Contacto', anywhere: 'es/offices/contact-center/index.html', page: 'es/search/index.html' },
];

const server = await startServer(site);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
let failures = 0;
let passes = 0;
const check = (ok, message) => {
  console.log(`${ok ? '✓' : '✗'} ${message}`);
  if (!ok) failures++;
  else passes++;
};
try {
  for (const base of [server.origin + '/', pathToFileURL(site).href + '/']) {
    const page = await browser.newPage();
    const violations = [];
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
    for (const e of expectations) {
      await page.goto(`${base}${e.page || 'search/index.html'}?q=${encodeURIComponent(e.query)}`);
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

  const page = await browser.newPage();
  const results = async (query) => {
    await page.goto(`${server.origin}/search/index.html?q=${encodeURIComponent(query)}`);
    await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => {});
    return page.$$eval('#search-results li', (lis) => lis.map((li) => ({
      href: li.querySelector('a').getAttribute('href'),
      marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
      snippet: li.querySelector('p').textContent,
      labels: [...li.querySelectorAll('strong.unverified')].map((l) => l.textContent),
    })));
  };
  // Whole words for short terms.
  let found = await results('LIN');
  const marks = found.flatMap((r) => r.marks);
  check(found.length > 0 && marks.length > 0 && marks.every((m) => m.toUpperCase() === 'LIN'), `"LIN" marks only the word LIN: ${[...new Set(marks)].join(', ')}`);
  check(found.every((r) => r.marks.length > 0 || !/\bLIN\b/i.test(r.snippet)), '"LIN": each snippet that shows the word marks it');
  found = await results('EAC');
  check(found.flatMap((r) => r.marks).every((m) => m.toUpperCase() === 'EAC'), '"EAC" marks only the word EAC');
  // The label of what only an unofficial source says stays in the snippet.
  found = await results('walk-ins');
  const walkIns = found.find((r) => /walk-ins/i.test(r.snippet));
  check(walkIns && walkIns.labels.includes('Unverified:') && walkIns.snippet.indexOf('Unverified:') < walkIns.snippet.search(/walk-ins/i), `"walk-ins": the snippet keeps "Unverified:" before the unofficial words: ${walkIns?.snippet.slice(0, 120)}`);
  found = await results('Video relay');
  check(found.some((r) => r.labels.includes('Unverified:') && /Unverified: Video relay/.test(r.snippet)), '"Video relay": the unofficial phone number is labelled in the snippet');
  found = await results('question-and-answer block');
  check(found.some((r) => r.href.includes('sources/') && r.labels.includes('Not an official source')), 'the unofficial source is labelled "Not an official source" in the results');
  found = await results('Vermont');
  check(found.every((r) => r.labels.length === 0 || /Unverified:/.test(r.snippet)), 'official snippets carry no label');
  // The words typed on the search page stay in its address: Back brings them back.
  await page.goto(`${server.origin}/search/index.html`);
  await page.fill('#search-query', 'Nebraska Service');
  await page.waitForSelector('#search-results li');
  check(new URL(page.url()).searchParams.get('q') === 'Nebraska Service', `typing keeps the words in the address: ${page.url()}`);
  await page.click('#search-results li a');
  await page.waitForLoadState('load');
  await page.goBack({ waitUntil: 'load' });
  await page.waitForSelector('#search-results li', { timeout: 5000 }).catch(() => {});
  const kept = await page.inputValue('#search-query');
  const listed = await page.$$eval('#search-results li', (lis) => lis.length);
  check(kept === 'Nebraska Service' && listed > 0, `after Back the words and results are still there: "${kept}", ${listed} results`);

  // Buttons show the same focus ring as links when reached with the keyboard.
  const ring = async (selector) => {
    await page.goto(`${server.origin}/search/index.html`);
    for (let i = 0; i < 80; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate((sel) => document.activeElement === document.querySelector(sel), selector)) break;
    }
    return page.evaluate((sel) => {
      const el = document.querySelector(sel);
      if (document.activeElement !== el) return 'not reached';
      const s = getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth} ${s.outlineColor} offset ${s.outlineOffset}`;
    }, selector);
  };
  const linkRing = await ring('.site-title a');
  const buttonRing = await ring('.search-page-form button');
  const fieldRing = await ring('#search-query');
  check(/^solid 3px/.test(linkRing) && buttonRing === linkRing && fieldRing === linkRing, `buttons and fields get the links' focus ring: link ${linkRing}; button ${buttonRing}; field ${fieldRing}`);
  await page.close();

  // Without JavaScript: say so, keep the page usable, and list every page from A to Z.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${server.origin}/search/index.html?q=LIN`);
  const note = await plain.textContent('noscript').catch(() => '');
  check(await plain.isVisible('.a-z'), 'without JavaScript the A–Z list shows');
  const az = await plain.$$eval('.a-z-pages a', (as) => as.map((a) => a.getAttribute('href')));
  const indexed = await (async () => {
    const text = (await import('node:fs')).readFileSync(path.join(site, 'search-index.js'), 'utf8');
    return JSON.parse(text.replace(/^window\.CASEPATH_SEARCH = /, '').replace(/;\s*$/, '')).map((d) => `../${d.u}`);
  })();
  check(az.length === indexed.length && indexed.every((u) => az.includes(u)), `the A–Z list has every searchable page: ${az.length} of ${indexed.length}`);
  const letters = await plain.$$eval('.a-z-letters a', (as) => as.map((a) => a.getAttribute('href')));
  const missing = [];
  for (const l of letters) if (!(await plain.$(l))) missing.push(l);
  check(letters.length > 5 && missing.length === 0, `each letter links to its heading (${letters.length} letters) ${missing.join(' ')}`);
  const titles = await plain.$$eval('.a-z-pages a', (as) => as.map((a) => a.textContent.replace(/^[^\p{L}\p{N}]+/u, '').toLowerCase()));
  check(titles.every((t, i) => i === 0 || titles[i - 1].localeCompare(t, 'en', { sensitivity: 'base' }) <= 0 || titles[i - 1] <= t), 'the A–Z list is in order');
  check(/needs JavaScript/.test(await plain.content()), 'without JavaScript the page says search needs it');
  await noScript.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(`search: ${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
