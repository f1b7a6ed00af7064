import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS, startServer } from './gates.mjs';
const server = await startServer(process.argv[2]);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
const page = await (await browser.newContext({ viewport: { width: 320, height: 640 } })).newPage();
await page.goto(`${server.origin}/${process.argv[3]}`);
console.log(await page.evaluate(() => {
  const w = document.documentElement.clientWidth;
  return [document.documentElement.scrollWidth, w, ...[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right + ' ' + (e.textContent||'').slice(0,50))];
}));
await browser.close(); await server.close();
