#!/usr/bin/env node
// Quality gates for a built casepath site (a folder of static HTML).
//
//   node tests/browser/gates.mjs [SITE_DIR] [--only GATE[,GATE...]] [--screens-dir DIR] [--report FILE]
//
// Gates:
//   axe       axe-core (WCAG 2.0/2.1 A and AA tags) on every HTML page, in headless Chromium,
//             at 1280x800 and 390x844 (and, on a sample, in dark mode when the CSS has a dark scheme).
//   requests  no page may request anything from a host other than the local test server,
//             and no request to the local server may fail (4xx/5xx or network error).
//             Checked on every page the browser loads (axe and screens passes).
//   vnu       the Nu Html Checker (npm vnu-jar, machine's Java) over every HTML file: zero errors.
//   links     hyperlink --check-anchors (offline, Rust) over the folder: zero broken links/anchors.
//   screens   full-page screenshots of the key pages at 390x844 and 1280x800.
//   narrow    no page scrolls sideways at 320 px: neither the page nor a box in it (a table in a
//             scrolling frame, a clipped address). See reader.mjs.
//   reader    the service-center path at 390x844: at most 30 keyboard stops to the Nebraska (LIN)
//             follow-up email, and at most 40% of the links in <main> point at source pages.
//
// Exits 1 if any selected gate fails, 2 on a usage or setup error.

import { spawn } from 'node:child_process';
import { createReadStream, existsSync, promises as fsp, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { ACTION_PAGES, describeReading, firstContactBottom, markerOpensItsNote, measureReading, READER_MARKER, READER_PAGE, READER_TARGET, readerFindings, sidewaysScroll } from './reader.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '..', '..');
const require = createRequire(import.meta.url);

export const ALL_GATES = ['axe', 'requests', 'vnu', 'links', 'screens', 'narrow', 'reader'];

export const AXE_TAGS = (process.env.AXE_TAGS || 'wcag2a,wcag2aa,wcag21a,wcag21aa')
  .split(',').map((s) => s.trim()).filter(Boolean);

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--hide-scrollbars', '--font-render-hinting=none',
];

export const VIEWPORTS = {
  mobile: { width: 390, height: 844 },
  desktop: { width: 1280, height: 800 },
};
/** The narrowest phone screen the guide is made for: nothing may scroll sideways at it. */
export const NARROW = { width: 320, height: 640 };
/** Boxes that may scroll sideways inside their own frame at 320 px: the flowchart drawing,
 *  whose step-by-step outline beside it is the narrow-screen version of the same chart. */
export const SCROLLS_IN_OWN_FRAME = '.flowchart-scroll';

// Pages to photograph. `required: false` pages are skipped with a note when absent.
export const SCREEN_PAGES = [
  { name: 'home', path: 'index.html', required: true },
  { name: 'office-vermont-service-center', path: 'offices/vermont-service-center/index.html', required: true },
  { name: 'path-service-center-case', path: 'paths/service-center-case/index.html', required: true },
  { name: 'channel-contact-center-phone', path: 'channels/contact-center-phone/index.html', required: false },
  { name: 'flowchart', path: 'flowchart/index.html', required: false },
  // The Spanish edition, where the guide has one.
  { name: 'es-home', path: 'es/index.html', required: false },
  { name: 'es-path-service-center-case', path: 'es/paths/service-center-case/index.html', required: false },
  { name: 'es-office-contact-center', path: 'es/offices/contact-center/index.html', required: false },
  { name: 'es-flowchart', path: 'es/flowchart/index.html', required: false },
];

const AXE_PRINT_PER_RULE = 25;
const CONCURRENCY = Math.max(1, Number(process.env.GATES_CONCURRENCY) || 2);

// ---------------------------------------------------------------------------------------------
// small helpers

const now = () => performance.now();
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const toPosix = (p) => p.split(path.sep).join('/');

function log(...args) { console.log(...args); }

/** Every *.html file under `dir`, as sorted posix paths relative to it. */
export async function listHtmlFiles(dir) {
  const out = [];
  async function walk(rel) {
    const entries = await fsp.readdir(path.join(dir, rel), { withFileTypes: true });
    for (const e of entries) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (e.isFile() && /\.html?$/i.test(e.name)) out.push(r);
    }
  }
  await walk('');
  return out.sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)));
}

async function listFiles(dir, re) {
  const out = [];
  async function walk(rel) {
    for (const e of await fsp.readdir(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) await walk(r);
      else if (re.test(e.name)) out.push(r);
    }
  }
  await walk('');
  return out;
}

function run(cmd, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', (err) => resolve({ code: -1, stdout, stderr: `${stderr}${err.message}`, error: err }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function pool(items, n, fn) {
  let i = 0;
  const workers = Array.from({ length: Math.min(n, items.length) }, async (_, w) => {
    while (i < items.length) {
      const idx = i++;
      await fn(items[idx], idx, w);
    }
  });
  await Promise.all(workers);
}

// ---------------------------------------------------------------------------------------------
// static server: 127.0.0.1, random port; folder URLs serve index.html; missing paths 404.html

const MIME = {
  '.html': 'text/html; charset=utf-8', '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg',
  '.gif': 'image/gif', '.webp': 'image/webp', '.avif': 'image/avif', '.ico': 'image/x-icon',
  '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.otf': 'font/otf',
  '.txt': 'text/plain; charset=utf-8', '.xml': 'application/xml', '.pdf': 'application/pdf',
  '.webmanifest': 'application/manifest+json', '.map': 'application/json',
};

export function startServer(root) {
  root = path.resolve(root);
  const notFoundPage = path.join(root, '404.html');
  const server = http.createServer((req, res) => {
    const send = (status, file, headers = {}) => {
      const type = MIME[path.extname(file).toLowerCase()] || 'application/octet-stream';
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      if (req.method === 'HEAD') return res.end();
      createReadStream(file).pipe(res);
    };
    const notFound = () => {
      if (existsSync(notFoundPage)) return send(404, notFoundPage);
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('404 not found\n');
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      return res.end();
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    } catch {
      res.writeHead(400);
      return res.end();
    }
    const file = path.join(root, path.normalize(pathname));
    if (file !== root && !file.startsWith(root + path.sep)) return notFound();
    let st;
    try { st = statSync(file); } catch { return notFound(); }
    if (st.isDirectory()) {
      if (!pathname.endsWith('/')) {
        res.writeHead(301, { location: `${pathname}/` });
        return res.end();
      }
      const index = path.join(file, 'index.html');
      return existsSync(index) ? send(200, index) : notFound();
    }
    return send(200, file);
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((r) => { server.closeAllConnections?.(); server.close(() => r()); }),
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// browser gates: axe, requests, screens (one Chromium for all of them)

async function launchBrowser() {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)`);
  }
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS, headless: true });
}

/**
 * A browser context whose every request is watched: requests to another origin are aborted
 * and recorded; failed local requests are recorded too. `current` maps a Page to the site path
 * it is showing, so findings name the page that caused them.
 */
async function watchedContext(browser, server, options, requestFindings, notes) {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const pageOf = new WeakMap();
  const httpErrors = new Set();
  const who = (request) => {
    try {
      const pg = request.frame().page();
      return (pg && pageOf.get(pg)) || '(unknown page)';
    } catch {
      return '(unknown page)';
    }
  };
  await context.route('**/*', (route) => {
    const request = route.request();
    const url = request.url();
    let origin = null;
    try { origin = new URL(url).origin; } catch { /* data: etc. */ }
    if (origin === server.origin) return route.continue();
    if (/^(data|blob|about):/.test(url)) return route.continue();
    requestFindings.push({ page: who(request), kind: 'outside request', url, resourceType: request.resourceType() });
    return route.abort('blockedbyclient');
  });
  context.on('response', (response) => {
    const url = response.url();
    if (!url.startsWith(`${server.origin}/`)) return;
    if (response.status() >= 400) {
      httpErrors.add(url);
      requestFindings.push({ page: who(response.request()), kind: `HTTP ${response.status()}`, url: url.slice(server.origin.length), resourceType: response.request().resourceType() });
    }
  });
  context.on('requestfailed', (request) => {
    const url = request.url();
    if (!url.startsWith(`${server.origin}/`)) return; // outside ones were recorded by the route
    if (httpErrors.has(url)) return; // already recorded with its HTTP status
    requestFindings.push({ page: who(request), kind: `failed: ${request.failure()?.errorText}`, url: url.slice(server.origin.length), resourceType: request.resourceType() });
  });
  // Opens `sitePath` in a new page, or in `reuse` (a page this context opened before: navigating
  // one page keeps its renderer, so injecting axe is much cheaper than in a fresh page).
  const open = async (sitePath, reuse = null) => {
    let page = reuse;
    if (!page) {
      page = await context.newPage();
      page.on('pageerror', (err) => notes.push(`${pageOf.get(page)}: uncaught script error: ${err.message}`));
      page.on('console', (msg) => {
        if (msg.type() === 'error') notes.push(`${pageOf.get(page)}: console error: ${msg.text()}`);
      });
    }
    pageOf.set(page, sitePath);
    const response = await page.goto(`${server.origin}/${sitePath}`, { waitUntil: 'load' });
    if (!response || response.status() >= 400) {
      requestFindings.push({ page: sitePath, kind: `page HTTP ${response?.status()}`, url: `/${sitePath}`, resourceType: 'document' });
    }
    await page.evaluate(() => document.fonts && document.fonts.ready.then(() => true));
    return page;
  };
  return { context, open };
}

/**
 * A missing path is answered with the site's 404.html (status 404). Outside requests from it fail
 * the requests gate; broken local resources there are only noted, since whether the 404 page can
 * be shown at any depth depends on how the site is hosted.
 */
async function notFoundCheck(browser, server, siteDir, requestFindings, notes) {
  if (!existsSync(path.join(siteDir, '404.html'))) {
    notes.push('no 404.html in the site');
    return;
  }
  for (const missing of ['casepath-gates-no-such-page.html', 'casepath-gates/no/such/page/index.html']) {
    const local = [];
    const { context, open } = await watchedContext(browser, server, { viewport: VIEWPORTS.desktop }, local, []);
    try {
      const page = await open(missing);
      await page.close();
    } finally {
      await context.close();
    }
    for (const f of local) {
      if (f.kind === 'outside request') requestFindings.push({ ...f, page: `404.html (served at /${missing})` });
      else if (f.url !== `/${missing}` || f.resourceType !== 'document' || !/HTTP 404$/.test(f.kind)) {
        notes.push(`404.html served at /${missing}: ${f.kind} ${f.resourceType} ${f.url}`);
      }
    }
  }
}

async function siteHasDarkScheme(siteDir) {
  const files = await listFiles(siteDir, /\.(css|html?)$/i);
  for (const f of files) {
    if (/prefers-color-scheme\s*:\s*dark/i.test(await fsp.readFile(path.join(siteDir, f), 'utf8'))) return true;
  }
  return false;
}

/** Runs axe on every page in one or more passes (viewport / colour scheme). */
// The pages photographed, the longest handout, and two pages of each kind: pages whose paths differ only in their ids share a kind
// (`offices/a/index.html` and `offices/b/index.html`; `versions/x/paths/y/index.html`).
export function samplePages(pages) {
  const seen = new Map();
  const kinds = ['offices', 'channels', 'paths', 'sources', 'versions', 'flowchart', 'handouts', 'compare'];
  const always = new Set([...SCREEN_PAGES.map((s) => s.path), 'handouts/service-center-case/index.html']);
  return pages.filter((p) => {
    if (always.has(p)) return true;
    const parts = p.split('/');
    const key = parts.map((part, i) => (i === parts.length - 1 || kinds.includes(part) ? part : '*')).join('/');
    seen.set(key, (seen.get(key) || 0) + 1);
    return seen.get(key) <= 2;
  });
}

async function axeGate(browser, server, siteDir, pages, requestFindings, notes) {
  const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const passes = [
    { label: 'desktop 1280x800', options: { viewport: VIEWPORTS.desktop, colorScheme: 'light' } },
    // Pages made by the same template differ in data, not in layout: at phone width, axe
    // checks two pages of each kind (every page with AXE_ALL_MOBILE=1), which keeps CI short.
    { label: 'mobile 390x844', options: { viewport: VIEWPORTS.mobile, colorScheme: 'light', isMobile: true, hasTouch: true }, checkOverflow: true, sample: !process.env.AXE_ALL_MOBILE },
  ];
  if (await siteHasDarkScheme(siteDir)) {
    // Dark mode: one pass over the same sample (two pages of each kind), at phone width.
    passes.push({ label: 'mobile 390x844 dark', options: { viewport: VIEWPORTS.mobile, colorScheme: 'dark', isMobile: true, hasTouch: true }, sample: true });
  }
  const findings = [];
  const incomplete = new Map();
  for (const pass of passes) {
    const t0 = now();
    const { context, open } = await watchedContext(browser, server, pass.options, requestFindings, notes);
    const workerPages = [];
    const passPages = pass.sample ? samplePages(pages) : pages;
    await pool(passPages, CONCURRENCY, async (sitePath, _i, worker) => {
      let page;
      try {
        page = await open(sitePath, workerPages[worker]);
        workerPages[worker] = page;
        if (pass.checkOverflow) {
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (overflow > 0) notes.push(`${sitePath} at ${pass.label}: page is ${overflow}px wider than the viewport (horizontal scrolling)`);
        }
        // A string is evaluated through the DevTools protocol, so a page's CSP does not block it.
        await page.evaluate(axeSource);
        const result = await page.evaluate(async (tags) => {
          // eslint-disable-next-line no-undef
          const r = await axe.run(document, {
            runOnly: { type: 'tag', values: tags },
            resultTypes: ['violations'],
          });
          const slim = (list) => list.map((v) => ({
            id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
            nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
          }));
          return { violations: slim(r.violations), incomplete: slim(r.incomplete) };
        }, AXE_TAGS);
        for (const v of result.violations) {
          for (const n of v.nodes) {
            findings.push({ page: sitePath, pass: pass.label, rule: v.id, impact: v.impact, target: n.target, html: n.html, help: v.help, helpUrl: v.helpUrl, summary: n.summary });
          }
        }
        for (const v of result.incomplete) {
          for (const n of v.nodes) {
            const key = `${v.id}\u0000${sitePath}\u0000${n.target}`;
            if (!incomplete.has(key)) incomplete.set(key, { rule: v.id, page: sitePath, target: n.target, passes: [] });
            incomplete.get(key).passes.push(pass.label);
          }
        }
      } catch (err) {
        findings.push({ page: sitePath, pass: pass.label, rule: 'gate-error', target: '', help: String(err.message || err).split('\n')[0] });
        if (page) workerPages[worker] = null;
        await page?.close().catch(() => {});
      }
    });
    await context.close();
    log(`   axe pass "${pass.label}": ${passPages.length} pages in ${secs(now() - t0)}`);
  }
  return { findings, incomplete: [...incomplete.values()], passes: passes.map((p) => p.label) };
}

async function screensGate(browser, server, siteDir, outDir, requestFindings, notes) {
  await fsp.mkdir(outDir, { recursive: true });
  const findings = [];
  const written = [];
  const skipped = [];
  for (const [vpName, viewport] of Object.entries({ ...VIEWPORTS, narrow: NARROW })) {
    const opts = vpName === 'desktop' ? { viewport } : { viewport, isMobile: true, hasTouch: true };
    const { context, open } = await watchedContext(browser, server, { ...opts, colorScheme: 'light', deviceScaleFactor: 1 }, requestFindings, notes);
    for (const sp of SCREEN_PAGES) {
      if (!existsSync(path.join(siteDir, sp.path))) {
        if (vpName !== 'mobile') continue; // report once
        if (sp.required) findings.push({ page: sp.path, message: 'page to photograph does not exist' });
        else skipped.push(sp.path);
        continue;
      }
      let page;
      try {
        page = await open(sp.path);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        if (overflow > 0) notes.push(`${sp.path} at ${viewport.width}x${viewport.height}: page is ${overflow}px wider than the viewport (horizontal scrolling)`);
        const file = path.join(outDir, `${sp.name}-${viewport.width}x${viewport.height}.png`);
        await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
        written.push(file);
      } catch (err) {
        findings.push({ page: sp.path, message: `screenshot failed: ${String(err.message || err).split('\n')[0]}` });
      } finally {
        await page?.close();
      }
    }
    await context.close();
  }
  return { findings, written, skipped };
}

// ---------------------------------------------------------------------------------------------
// narrow and reader: how pages read on a phone (reader.mjs)

/** Every page at 320 px: the page must not be wider than the screen, and no box in it may
 *  scroll or clip sideways (except SCROLLS_IN_OWN_FRAME). */
async function narrowGate(browser, server, pages, requestFindings, notes) {
  const findings = [];
  const { context, open } = await watchedContext(browser, server, { viewport: NARROW, colorScheme: 'light' }, requestFindings, notes);
  const workerPages = [];
  await pool(pages, CONCURRENCY, async (sitePath, _i, worker) => {
    try {
      const page = await open(sitePath, workerPages[worker]);
      workerPages[worker] = page;
      for (const problem of await sidewaysScroll(page, SCROLLS_IN_OWN_FRAME)) findings.push({ page: sitePath, message: problem });
    } catch (err) {
      workerPages[worker] = null;
      findings.push({ page: sitePath, message: `could not check: ${String(err.message || err).split('\n')[0]}` });
    }
  });
  await context.close();
  return { findings, checked: pages.length };
}

/** At 390x844: every office, channel and path page shows its first number or address within
 *  the first screen; and on the service-center path, the keyboard stops to the LIN email and
 *  the share of links in <main> that point at source pages meet the targets of reader.mjs. */
async function readerGate(browser, server, siteDir, pages, requestFindings, notes) {
  const findings = [];
  const viewport = VIEWPORTS.mobile;
  const { context, open } = await watchedContext(browser, server, { viewport, isMobile: true, hasTouch: true, colorScheme: 'light' }, requestFindings, notes);
  try {
    const actionPages = pages.filter((p) => ACTION_PAGES.test(p));
    const workerPages = [];
    await pool(actionPages, CONCURRENCY, async (sitePath, _i, worker) => {
      const page = await open(sitePath, workerPages[worker]);
      workerPages[worker] = page;
      const bottom = await firstContactBottom(page);
      if (bottom !== null && bottom > viewport.height) {
        findings.push({ page: sitePath, message: `the first number or address ends ${Math.round(bottom)}px down, below the first ${viewport.width}x${viewport.height} screen` });
      }
    });
    if (!existsSync(path.join(siteDir, READER_PAGE))) {
      findings.push({ page: READER_PAGE, message: 'page to measure does not exist' });
      return { findings, checked: actionPages.length };
    }
    const page = await open(READER_PAGE);
    const figures = await measureReading(page, READER_TARGET.selector);
    findings.push(...readerFindings(READER_PAGE, figures));
    // The marker of the LIN email, tapped with JavaScript off, shows its note.
    const noScript = await watchedContext(browser, server, { viewport, isMobile: true, hasTouch: true, javaScriptEnabled: false }, requestFindings, notes);
    try {
      const bare = await noScript.open(READER_PAGE);
      for (const problem of await markerOpensItsNote(bare, READER_MARKER)) findings.push({ page: READER_PAGE, message: `without JavaScript, tapping the LIN email's source marker: ${problem}` });
    } finally {
      await noScript.context.close();
    }
    return { findings, figures, checked: actionPages.length, summary: `${READER_PAGE} at 390x844: ${describeReading(figures)}; its LIN email's source marker opens its note without JavaScript` };
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------------------------------
// vnu: Nu Html Checker

export function vnuJarPath() {
  return String(require('vnu-jar'));
}

async function vnuGate(siteDir) {
  const jar = vnuJarPath();
  const java = process.env.JAVA || 'java';
  const r = await run(java, ['-Xss8m', '-jar', jar, '--errors-only', '--skip-non-html', '--format', 'json', '--stdout', siteDir]);
  if (r.code === -1) throw new Error(`cannot run ${java}: ${r.stderr}`);
  let messages;
  try {
    messages = JSON.parse(r.stdout).messages;
  } catch {
    throw new Error(`vnu gave no JSON (exit ${r.code}): ${r.stdout}${r.stderr}`.slice(0, 2000));
  }
  const root = path.resolve(siteDir);
  const findings = messages
    .filter((m) => m.type === 'error' || m.type === 'non-document-error')
    .map((m) => {
      let file = m.url || '';
      try { file = toPosix(path.relative(root, fileURLToPath(m.url))); } catch { /* keep url */ }
      return { page: file, line: m.lastLine ?? m.firstLine, column: m.firstColumn ?? m.lastColumn, message: m.message, extract: (m.extract || '').replace(/\s+/g, ' ').trim() };
    });
  return { findings, exitCode: r.code };
}

// ---------------------------------------------------------------------------------------------
// links: hyperlink (Rust), offline

export function findHyperlink() {
  const candidates = [];
  if (process.env.HYPERLINK_BIN) candidates.push(process.env.HYPERLINK_BIN);
  for (const dir of (process.env.PATH || '').split(path.delimiter)) if (dir) candidates.push(path.join(dir, 'hyperlink'));
  if (process.env.CARGO_HOME) candidates.push(path.join(process.env.CARGO_HOME, 'bin', 'hyperlink'));
  candidates.push(path.join(os.homedir(), '.cargo', 'bin', 'hyperlink'));
  return candidates.find((c) => existsSync(c)) || null;
}

async function linksGate(siteDir) {
  const bin = findHyperlink();
  if (!bin) throw new Error('hyperlink not found: cargo install hyperlink --locked (or set HYPERLINK_BIN)');
  const r = await run(bin, ['--check-anchors', siteDir]);
  const findings = [];
  let current = null;
  for (const line of r.stdout.split('\n')) {
    const m = /^\s+error:\s*(.*)$/.exec(line);
    if (m) findings.push({ page: current, message: m[1] });
    else if (/^\S.*\.html?$/.test(line.trim()) && !line.startsWith(' ')) current = toPosix(path.relative(path.resolve(siteDir), path.resolve(line.trim())));
  }
  if (r.code !== 0 && findings.length === 0) {
    findings.push({ page: null, message: `hyperlink exited ${r.code}: ${(r.stdout + r.stderr).trim().slice(-2000)}` });
  }
  const summary = r.stdout.split('\n').filter((l) => /^(Checking|Found)/.test(l)).join('; ');
  return { findings, exitCode: r.code, summary };
}

// ---------------------------------------------------------------------------------------------
// reporting

function printFindings(gate, res) {
  const f = res.findings || [];
  if (gate === 'axe') {
    // The same node failing in several passes is printed once, with the passes listed.
    const groups = new Map();
    for (const x of f) {
      const key = `${x.page}\u0000${x.rule}\u0000${x.target}`;
      if (!groups.has(key)) groups.set(key, { ...x, passes: [] });
      groups.get(key).passes.push(x.pass);
    }
    const perRule = new Map();
    for (const g of groups.values()) {
      const shown = perRule.get(g.rule) || { n: 0, pages: new Set() };
      shown.n++;
      shown.pages.add(g.page);
      perRule.set(g.rule, shown);
      if (shown.n > AXE_PRINT_PER_RULE) continue;
      log(`   ✗ ${g.page} ${g.rule}${g.impact ? ` (${g.impact})` : ''}: ${g.target}   [${g.passes.join('; ')}]`);
      log(`       ${g.help}${g.helpUrl ? ` — ${g.helpUrl}` : ''}`);
      if (g.html) log(`       ${g.html.replace(/\s+/g, ' ').slice(0, 200)}`);
      if (g.summary) log(`       ${g.summary.replace(/\n\s*/g, ' | ').slice(0, 300)}`);
    }
    if (perRule.size) {
      log(`   by rule: ${[...perRule].map(([r, v]) => `${r}: ${v.n} node${v.n === 1 ? '' : 's'} on ${v.pages.size} page${v.pages.size === 1 ? '' : 's'}${v.n > AXE_PRINT_PER_RULE ? ` (first ${AXE_PRINT_PER_RULE} shown)` : ''}`).join('; ')}`);
    }
    if (res.incomplete?.length) {
      log(`   note: axe could not decide ${res.incomplete.length} node(s) ("needs review", not failing):`);
      for (const x of res.incomplete.slice(0, 15)) log(`     ? ${x.page} ${x.rule}: ${x.target}   [${x.passes.join('; ')}]`);
      if (res.incomplete.length > 15) log(`     … and ${res.incomplete.length - 15} more (see --report)`);
    }
  } else if (gate === 'requests') {
    for (const x of f) log(`   ✗ ${x.page}: ${x.kind} ${x.resourceType} ${x.url}`);
  } else if (gate === 'vnu') {
    for (const x of f) {
      log(`   ✗ ${x.page}:${x.line}:${x.column}: ${x.message}`);
      if (x.extract) log(`       ${x.extract.slice(0, 200)}`);
    }
  } else if (gate === 'links') {
    if (res.summary) log(`   ${res.summary}`);
    for (const x of f) log(`   ✗ ${x.page ?? ''}: ${x.message}`);
  } else if (gate === 'narrow') {
    if (res.checked) log(`   ${res.checked} pages at ${NARROW.width}x${NARROW.height}`);
    const pagesWith = new Set(f.map((x) => x.page));
    for (const x of f.slice(0, 40)) log(`   ✗ ${x.page}: ${x.message}`);
    if (f.length > 40) log(`   … and ${f.length - 40} more (${pagesWith.size} pages in all)`);
  } else if (gate === 'reader') {
    if (res.checked) log(`   ${res.checked} office, channel and path pages: first number or address within the first screen`);
    if (res.summary) log(`   ${res.summary}`);
    for (const x of f) log(`   ✗ ${x.page}: ${x.message}`);
  } else if (gate === 'screens') {
    for (const x of f) log(`   ✗ ${x.page}: ${x.message}`);
    for (const s of res.skipped || []) log(`   note: ${s} does not exist yet; skipped`);
    if (res.written?.length) log(`   ${res.written.length} screenshots in ${res.outDir}`);
  }
}

function dedupe(list) {
  const seen = new Set();
  return list.filter((x) => {
    const k = JSON.stringify(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---------------------------------------------------------------------------------------------
// main

/**
 * Runs the selected gates on `siteDir`. Returns { results: {gate: {ok, ms, findings, ...}}, ok }.
 */
export async function runGates(siteDir, { only = ALL_GATES, screensDir } = {}) {
  siteDir = path.resolve(siteDir);
  if (!existsSync(path.join(siteDir, 'index.html')) && !(await listHtmlFiles(siteDir)).length) {
    throw new Error(`no HTML files in ${siteDir}`);
  }
  const sel = new Set(only);
  const results = {};
  const record = (gate, res, ms, error) => {
    const r = { ...res, ms };
    if (error) r.findings = [...(r.findings || []), { page: null, message: `gate error: ${error.message || error}`, rule: 'gate-error', help: String(error.message || error) }];
    r.ok = (r.findings || []).length === 0;
    results[gate] = r;
    log(`── ${gate}: ${r.ok ? 'PASS' : `FAIL (${r.findings.length} finding${r.findings.length === 1 ? '' : 's'})`} in ${secs(ms)}${r.timeNote ? ` (${r.timeNote})` : ''}`);
    printFindings(gate, r);
  };

  const pages = await listHtmlFiles(siteDir);
  log(`site: ${siteDir} (${pages.length} HTML files); gates: ${[...sel].join(', ')}`);

  const notes = [];
  if (['axe', 'requests', 'screens', 'narrow', 'reader'].some((g) => sel.has(g))) {
    const requestFindings = [];
    const server = await startServer(siteDir);
    let browser;
    const tBrowser = now();
    let browserError = null;
    try {
      browser = await launchBrowser();
      log(`browser: ${CHROMIUM_PATH} ${browser.version()}; server ${server.origin}`);
    } catch (err) {
      browserError = err;
    }
    try {
      // `requests` is watched on whatever pages the browser loads; alone it just loads every page.
      const doAxe = sel.has('axe');
      if (doAxe) {
        const t0 = now();
        if (browserError) record('axe', { findings: [] }, now() - t0, browserError);
        else {
          try { record('axe', await axeGate(browser, server, siteDir, pages, requestFindings, notes), now() - t0); } catch (err) { record('axe', { findings: [] }, now() - t0, err); }
        }
      } else if (sel.has('requests') && !browserError) {
        const { context, open } = await watchedContext(browser, server, { viewport: VIEWPORTS.desktop }, requestFindings, notes);
        await pool(pages, CONCURRENCY, async (p) => {
          try { await (await open(p)).close(); } catch (err) { requestFindings.push({ page: p, kind: `load failed: ${String(err.message || err).split('\n')[0]}`, url: `/${p}`, resourceType: 'document' }); }
        });
        await context.close();
      }
      if (sel.has('screens')) {
        const t0 = now();
        const outDir = path.resolve(screensDir || process.env.SCREENSHOTS_DIR || path.join(HERE, 'out', 'screenshots'));
        if (browserError) record('screens', { findings: [], outDir }, now() - t0, browserError);
        else {
          try { record('screens', { ...(await screensGate(browser, server, siteDir, outDir, requestFindings, notes)), outDir }, now() - t0); } catch (err) { record('screens', { findings: [], outDir }, now() - t0, err); }
        }
      }
      for (const [gate, run] of [
        ['narrow', () => narrowGate(browser, server, pages, requestFindings, notes)],
        ['reader', () => readerGate(browser, server, siteDir, pages, requestFindings, notes)],
      ]) {
        if (!sel.has(gate)) continue;
        const t0 = now();
        if (browserError) record(gate, { findings: [] }, now() - t0, browserError);
        else {
          try { record(gate, await run(), now() - t0); } catch (err) { record(gate, { findings: [] }, now() - t0, err); }
        }
      }
      if (!browserError) {
        try { await notFoundCheck(browser, server, siteDir, requestFindings, notes); } catch (err) { notes.push(`404 check: ${err.message}`); }
      }
      // Checked during the passes above; its time is theirs (browser start to end).
      record('requests', { findings: dedupe(requestFindings), timeNote: 'watched during the browser passes' }, now() - tBrowser, browserError);
    } finally {
      await browser?.close();
      await server.close();
    }
  }
  if (sel.has('vnu')) {
    const t0 = now();
    try { record('vnu', await vnuGate(siteDir), now() - t0); } catch (err) { record('vnu', { findings: [] }, now() - t0, err); }
  }
  if (sel.has('links')) {
    const t0 = now();
    try { record('links', await linksGate(siteDir), now() - t0); } catch (err) { record('links', { findings: [] }, now() - t0, err); }
  }
  const uniqueNotes = [...new Set(notes)];
  if (uniqueNotes.length) {
    log('notes (not failing):');
    for (const n of uniqueNotes.slice(0, 50)) log(`   - ${n}`);
    if (uniqueNotes.length > 50) log(`   … and ${uniqueNotes.length - 50} more`);
  }
  const ok = Object.values(results).every((r) => r.ok);
  return { ok, results, notes: uniqueNotes };
}

function parseArgs(argv) {
  const args = { only: [], site: null, screensDir: null, report: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (a.includes('=')) return a.slice(a.indexOf('=') + 1);
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--only' || a.startsWith('--only=')) args.only.push(...val().split(','));
    else if (a === '--screens-dir' || a.startsWith('--screens-dir=')) args.screensDir = val();
    else if (a === '--report' || a.startsWith('--report=')) args.report = val();
    else if (a === '-h' || a === '--help') args.help = true;
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else if (!args.site) args.site = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  // `screens`/`axe` imply the request watch; accept "offsite" as an alias of requests
  args.only = args.only.map((g) => (g === 'offsite' ? 'requests' : g.trim())).filter(Boolean);
  for (const g of args.only) if (!ALL_GATES.includes(g)) throw new Error(`unknown gate ${g} (gates: ${ALL_GATES.join(', ')})`);
  if (!args.only.length) args.only = [...ALL_GATES];
  return args;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`gates: ${err.message}`);
    process.exit(2);
  }
  if (args.help) {
    log('usage: node tests/browser/gates.mjs [SITE_DIR] [--only axe|requests|vnu|links|screens|narrow|reader[,...]] [--screens-dir DIR] [--report FILE.json]');
    return;
  }
  const site = path.resolve(args.site || path.join(REPO, 'site'));
  const t0 = now();
  let outcome;
  try {
    outcome = await runGates(site, { only: args.only, screensDir: args.screensDir });
  } catch (err) {
    console.error(`gates: ${err.stack || err}`);
    process.exit(2);
  }
  const { ok, results } = outcome;
  if (args.report) {
    const plain = results;
    await fsp.mkdir(path.dirname(path.resolve(args.report)), { recursive: true });
    await fsp.writeFile(args.report, JSON.stringify({ site, ok, results: plain, notes: outcome.notes }, null, 2));
  }
  const names = Object.keys(results);
  const passed = names.filter((g) => results[g].ok);
  const failed = names.filter((g) => !results[g].ok);
  log('');
  log('gate       result  time');
  for (const g of names) log(`${g.padEnd(10)} ${results[g].ok ? 'PASS' : 'FAIL'}    ${secs(results[g].ms)}`);
  log(`total ${secs(now() - t0)}${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
  log(`gates: ${passed.length} passed, ${failed.length} failed`);
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
