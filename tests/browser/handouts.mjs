#!/usr/bin/env node
// Prints every handout of a built casepath site with headless Chromium and checks the paper.
//
//   node tests/browser/handouts.mjs [SITE_DIR] [--out DIR]
//
// For each handouts/<path-id>/index.html, at US Letter and at A4:
//   - prints it to PDF with page.pdf() (the page's own @page margins), counts the pages with
//     `pdfinfo` and requires exactly 1;
//   - renders that page to PNG with `pdftoppm -png -r 60` into DIR (default
//     tests/browser/out/handouts) for a person to look at;
//   - lays it out at the paper's page area under print styles and requires a call log of at
//     least 8 rows, each at least 8 mm high.
// handouts/index.html ("print all handouts") must print one page per handout. The same holds
// for the handouts of each other language, under <lang>/handouts/ (es/handouts/…).
//
// With print styles applied (emulated print media) it also checks every HTML page of the site:
//   - no visible text smaller than 10 pt; no visible navigation, search or skip link;
//   - no lazy-loaded image; no script that opens the print dialog by itself.
//
// Needs Debian's /usr/bin/chromium (or CHROMIUM_PATH), playwright-core (npm ci in this folder)
// and poppler-utils (pdfinfo, pdftoppm). Exits 1 when a check fails, 2 on a setup error.
// Ends with the line `handouts: N passed, N failed`.

import { spawnSync } from 'node:child_process';
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { CHROMIUM_FLAGS, CHROMIUM_PATH, listHtmlFiles, startServer } from './gates.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
export const FORMATS = ['Letter', 'A4'];
const MIN_TEXT_PX = (10 * 96) / 72 - 0.01; // 10 pt in CSS pixels
const MM = 96 / 25.4; // CSS pixels per millimetre
// The page area of each paper size with print.css's margins (8 mm top and bottom, 9 mm at
// the sides), to measure the call log.
const PAGE_AREA_MM = { Letter: [215.9 - 18, 279.4 - 16], A4: [210 - 18, 297 - 16] };
// A call log has at least this many rows, each at least this high, at either paper size.
const MIN_ROWS = 8;
const MIN_ROW_MM = 8;

function parseArgs(argv) {
  const args = { site: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') args.out = argv[++i];
    else if (a.startsWith('--out=')) args.out = a.slice('--out='.length);
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!args.site) args.site = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  return args;
}

function tool(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${cmd}: ${r.error.message} (apt-get install poppler-utils)`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** The number of pages of a PDF file, from pdfinfo. */
export function pdfPages(file) {
  const m = /^Pages:\s+(\d+)/m.exec(tool('pdfinfo', [file]));
  if (!m) throw new Error(`pdfinfo gave no page count for ${file}`);
  return Number(m[1]);
}

/** Renders page 1 of a PDF to `<base>.png` at 60 dpi. */
function firstPagePng(pdf, base) {
  tool('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, base]);
  return `${base}.png`;
}

/** Problems with a page under print styles: small text, visible navigation, lazy images. */
async function printProblems(page) {
  return page.evaluate((minPx) => {
    const problems = [];
    const visible = (el) => {
      const s = getComputedStyle(el);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    const small = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!el || !node.textContent.trim() || el.closest('svg')) continue;
      if (!visible(el)) continue;
      // Hidden by an ancestor: any element up the tree with display: none has no box.
      if (!el.getClientRects().length) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < minPx) {
        const key = `${el.tagName.toLowerCase()}${el.className ? `.${String(el.className).split(' ').join('.')}` : ''}`;
        if (!small.has(key)) small.set(key, { px, text: node.textContent.trim().slice(0, 40) });
      }
    }
    for (const [key, v] of small) problems.push(`text below 10 pt (${(v.px * 0.75).toFixed(1)} pt) in ${key}: "${v.text}"`);
    for (const el of document.querySelectorAll('nav, [role="search"], .skip, .site-header nav, input[type="search"]')) {
      if (visible(el)) problems.push(`${el.tagName.toLowerCase()}${el.className ? `.${el.className}` : ''} is visible in print`);
    }
    for (const img of document.querySelectorAll('img[loading="lazy"], iframe[loading="lazy"]')) {
      problems.push(`lazy-loaded ${img.tagName.toLowerCase()} ${img.getAttribute('src')}`);
    }
    return problems;
  }, MIN_TEXT_PX);
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`handouts: ${err.message}`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node tests/browser/handouts.mjs [SITE_DIR] [--out DIR]');
    return;
  }
  const siteDir = path.resolve(args.site || path.join(REPO, 'site'));
  const outDir = path.resolve(args.out || process.env.HANDOUTS_DIR || path.join(HERE, 'out', 'handouts'));
  const handoutsDir = path.join(siteDir, 'handouts');
  if (!existsSync(path.join(handoutsDir, 'index.html'))) {
    console.error(`handouts: ${handoutsDir}/index.html not found: build the site first`);
    process.exit(2);
  }
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`handouts: Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
    process.exit(2);
  }
  for (const bin of ['pdfinfo', 'pdftoppm']) {
    if (spawnSync(bin, ['-v']).error) {
      console.error(`handouts: ${bin} not found (apt-get install poppler-utils)`);
      process.exit(2);
    }
  }
  await fsp.mkdir(outDir, { recursive: true });
  // The handouts of the default language, then of each other language (a folder named by
  // a language code, such as es/, with a handouts/ folder).
  const languages = (await fsp.readdir(siteDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name) && existsSync(path.join(siteDir, e.name, 'handouts', 'index.html')))
    .map((e) => `${e.name}/`)
    .sort();
  const sets = [];
  for (const prefix of ['', ...languages]) {
    const dir = path.join(siteDir, prefix, 'handouts');
    const ids = (await fsp.readdir(dir, { withFileTypes: true }))
      .filter((e) => e.isDirectory() && existsSync(path.join(dir, e.name, 'index.html')))
      .map((e) => e.name)
      .sort();
    sets.push({ prefix, dir, ids });
  }

  const { chromium } = await import('playwright-core');
  const server = await startServer(siteDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  // Record any attempt to open the print dialog; nothing may do that by itself.
  await context.addInitScript(() => {
    window.__printCalls = 0;
    window.print = () => { window.__printCalls += 1; };
  });
  await context.route('**/*', (route) => (route.request().url().startsWith(server.origin) ? route.continue() : route.abort('blockedbyclient')));

  let passed = 0;
  let failed = 0;
  const check = (ok, label, detail = '') => {
    if (ok) passed += 1;
    else failed += 1;
    console.log(`${ok ? '  ok ' : '  ✗  '} ${label}${detail ? `: ${detail}` : ''}`);
  };
  const table = [];
  try {
    const page = await context.newPage();
    const measure = await context.newPage();
    await measure.emulateMedia({ media: 'print' });
    for (const { prefix, dir, ids } of sets) {
      console.log(`handouts: ${ids.length} in ${dir}; PDFs and PNGs to ${outDir}`);
      for (const handout of ids) {
        const id = `${prefix.replace('/', '-')}${handout}`;
        await page.goto(`${server.origin}/${prefix}handouts/${handout}/index.html`, { waitUntil: 'load' });
        const row = { id };
        for (const format of FORMATS) {
          // The call log's rows as laid out on this paper (for the table below).
          const [w, h] = PAGE_AREA_MM[format];
          await measure.setViewportSize({ width: Math.round(w * MM), height: Math.round(h * MM) });
          await measure.goto(`${server.origin}/${prefix}handouts/${handout}/index.html`, { waitUntil: 'load' });
          const rows = await measure.evaluate(() => [...document.querySelectorAll('.call-log tbody tr')].map((r) => r.getBoundingClientRect().height));
          row[`${format}-rows`] = rows.length ? `${rows.length} × ${(Math.min(...rows) / MM).toFixed(1)} mm` : 'none';
          const lowest = rows.length ? Math.min(...rows) / MM : 0;
          check(rows.length >= MIN_ROWS && lowest >= MIN_ROW_MM - 0.05, `${id} has a call log of at least ${MIN_ROWS} rows of ${MIN_ROW_MM} mm on ${format}`, `${row[`${format}-rows`]}`);
          const base = path.join(outDir, `${id}-${format.toLowerCase()}`);
          await page.pdf({ path: `${base}.pdf`, format });
          const pages = pdfPages(`${base}.pdf`);
          row[format] = pages;
          firstPagePng(`${base}.pdf`, base);
          check(pages === 1, `${id} prints on one ${format} page`, pages === 1 ? '' : `${pages} pages (${base}.pdf)`);
        }
        table.push(row);
      }
      await page.goto(`${server.origin}/${prefix}handouts/index.html`, { waitUntil: 'load' });
      for (const format of FORMATS) {
        const file = path.join(outDir, `${prefix.replace('/', '-')}all-${format.toLowerCase()}.pdf`);
        await page.pdf({ path: file, format });
        const pages = pdfPages(file);
        check(pages === ids.length, `"print all handouts" (${prefix || 'default language'}) gives one ${format} page per handout`, `${pages} pages for ${ids.length} handouts`);
      }
    }
    await measure.close();
    await page.close();

    // Print styles on every page of the site.
    const all = await listHtmlFiles(siteDir);
    const printPage = await context.newPage();
    await printPage.emulateMedia({ media: 'print' });
    const bad = [];
    const skipped = [];
    for (const rel of all) {
      await printPage.goto(`${server.origin}/${rel}`, { waitUntil: 'load' });
      // A page whose stylesheets do not load here (the 404 page of a site built with a base
      // URL links them under the base path) cannot be judged; it is checked without one.
      const styled = await printPage.evaluate(() => [...document.querySelectorAll('link[rel="stylesheet"]')].some((l) => l.sheet && l.sheet.cssRules.length > 0));
      if (!styled) {
        skipped.push(rel);
        continue;
      }
      const problems = await printProblems(printPage);
      const calls = await printPage.evaluate(() => window.__printCalls);
      if (calls) problems.push(`opened the print dialog ${calls} time(s) by itself`);
      for (const p of problems) bad.push(`${rel}: ${p}`);
    }
    await printPage.close();
    if (skipped.length) console.log(`  note: not judged, their stylesheets do not load from this server: ${skipped.join(', ')}`);
    check(bad.length === 0, `print styles on ${all.length - skipped.length} pages (text ≥ 10 pt, no navigation or search, no lazy images, no automatic print dialog)`, bad.length ? `\n       ${bad.slice(0, 40).join('\n       ')}` : '');
  } finally {
    await browser.close();
    await server.close();
  }

  console.log('');
  console.log('handout              pages: Letter  A4   call-log rows: Letter      A4');
  for (const r of table) console.log(`${r.id.padEnd(31)} ${String(r.Letter).padStart(6)}  ${String(r.A4).padStart(2)}   ${r['Letter-rows'].padStart(20)}  ${r['A4-rows'].padStart(12)}`);
  console.log(`PNGs: ${outDir}`);
  console.log(`handouts: ${passed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

await main();
