#!/usr/bin/env node
// Prints how pages read on a phone (see reader.mjs): height in screens, where the first phone
// number or email is, keyboard stops to the Nebraska (LIN) follow-up email, and the share of
// links in <main> that point at source pages.
//
//   node tests/browser/measure-reading.mjs [SITE_DIR] [PAGE ...]   (default: the service-center path)

import path from 'node:path';

import { chromium } from 'playwright-core';

import { CHROMIUM_FLAGS, CHROMIUM_PATH, startServer } from './gates.mjs';
import { describeReading, measureReading, READER_PAGE, READER_TARGET } from './reader.mjs';

const site = path.resolve(process.argv[2] || 'site');
const pages = process.argv.slice(3);
if (!pages.length) pages.push(READER_PAGE);
const server = await startServer(site);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
try {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  for (const p of pages) {
    const page = await context.newPage();
    await page.goto(`${server.origin}/${p}`, { waitUntil: 'load' });
    const f = await measureReading(page, READER_TARGET.selector);
    console.log(`${p} at 390x844: ${describeReading(f)}`);
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
