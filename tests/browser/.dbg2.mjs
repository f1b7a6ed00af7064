import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS, startServer, listHtmlFiles } from './gates.mjs';
const site = process.argv[2];
const server = await startServer(site);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
const page = await ctx.newPage();
const pages = (await listHtmlFiles(site)).filter(p => /^(paths|offices|channels)\/[^/]+\/index.html$/.test(p));
for (const p of pages) {
  await page.goto(`${server.origin}/${p}`);
  const r = await page.evaluate(() => {
    const a = document.querySelector('main a[href^="tel:"], main a[href^="mailto:"], main .contact-value > a');
    const h = document.querySelector('main #hours');
    const st = (e) => e ? Math.round(e.getBoundingClientRect().bottom) : null;
    return { contact: st(a), hours: st(h), height: (document.documentElement.scrollHeight / 844).toFixed(1) };
  });
  console.log(p.padEnd(50), JSON.stringify(r));
}
await browser.close(); await server.close();
