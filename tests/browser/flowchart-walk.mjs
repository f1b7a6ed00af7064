#!/usr/bin/env node
// Walks every answer sequence of the decision flowchart in headless Chromium, with and
// without JavaScript, and checks that no step page states an answer the reader did not give.
//
//   node tests/browser/flowchart-walk.mjs [SITE_DIR]
//
// From the flowchart page's "start" link, a depth-first walk clicks every answer of every
// page, then goes back and takes the next one. On every page it reaches:
//   with JavaScript     "Your answers so far" lists exactly the questions this walk passed,
//                       in order, each "You answered: …" line the answer clicked there, and
//                       each question links to the page the walk saw (address and all);
//                       the page's Back link leads to the previous page of the walk, which
//                       is then checked again; no "You answered" anywhere else.
//   without JavaScript  no "You answered" and no "Your answers so far" on the page; "Before
//                       this step" names the page the walk came from with the answer taken;
//                       a Back link shows only when one way leads here, and leads there; the
//                       browser's Back button returns to the previous page.
// Then, with JavaScript: a step page opened without a walk in its address, or with a walk
// that does not lead to it, shows no answers and no Back link where several ways lead in.
// At 320×568, with and without JavaScript: every question page has all its answers in the
// first screen under a header shorter than a third of it, and the drawing shows its first
// box (scrolled there by the script, or by the "Go to the drawing" link).
// Each edition is walked: the default language at the root and each other language under its
// code (es/), reading the words it checks from the theme's string table of that language.
// Ends with the line `flowchart-walk: N passed, N failed`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, CHROMIUM_PATH, startServer } from './gates.mjs';

const site = path.resolve(process.argv[2] || 'site');
const server = await startServer(site);

/** The theme's words the walk reads, in one language (`strings.<code>.yaml`, else English). */
function wordsOf(code) {
  const theme = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../themes/default');
  const word = (key) => {
    for (const file of [`strings.${code}.yaml`, 'strings.yaml']) {
      const at = path.join(theme, file);
      const found = existsSync(at) && readFileSync(at, 'utf8').match(new RegExp(`^\\s*${key}:\\s*"(.*)"\\s*$`, 'm'));
      if (found) return found[1];
    }
    throw new Error(`no ${key} in the theme's string tables`);
  };
  return { youAnswered: word('you_answered'), yourAnswers: word('your_answers') };
}
/** Each edition with a flowchart: the default language at the root, the others in <code>/. */
const editions = [{ prefix: '', words: wordsOf('en') }, ...readdirSync(site)
  .filter((d) => /^[a-z]{2,3}$/.test(d) && existsSync(path.join(site, d, 'flowchart/index.html')))
  .map((d) => ({ prefix: `${d}/`, words: wordsOf(d) }))];
/** The words of the edition being walked. */
let words = editions[0].words;
/** The edition being walked, for the messages: "es/ " or nothing. */
let editionLabel = '';
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });

let passed = 0;
let failed = 0;
const failures = [];
const check = (ok, message) => {
  if (ok) passed += 1;
  else {
    failed += 1;
    failures.push(message);
    if (failures.length <= 40) console.log(`  ✗  ${message}`);
  }
};

/** What a step page shows: its question, answers, trail, way back and ways in. */
function readPage(page) {
  return page.evaluate(() => {
    const visible = (el) => !!el && !el.hidden && el.getClientRects().length > 0;
    const back = document.querySelector('.back-link');
    const walk = document.getElementById('trail-walk');
    const before = document.getElementById('trail-before');
    return {
      url: location.href,
      h1: document.querySelector('h1')?.textContent.trim() ?? '',
      answers: [...document.querySelectorAll('ul.answers a')].map((a) => ({ label: a.textContent.trim(), href: a.href })),
      text: document.body.innerText,
      back: visible(back) ? back.href : null,
      walk: walk ? [...walk.querySelectorAll('li')].map((li) => ({
        text: li.querySelector('a').textContent.trim(),
        href: li.querySelector('a').href,
        line: li.querySelector('.trail-answer').textContent.trim(),
      })) : null,
      before: before && visible(before) ? [...before.querySelectorAll('li')].map((li) => ({
        text: li.querySelector('a').textContent.trim(),
        href: li.querySelector('a').href,
        line: li.querySelector('.trail-answer').textContent.trim(),
      })) : [],
    };
  });
}

const count = (text, word) => text.split(word).length - 1;
const bare = (url) => url.split('#')[0];

/**
 * Checks the page at the end of `walk` (a list of {url, h1, label}: each page passed and
 * the answer clicked there). Returns what the page shows.
 */
async function checkPage(page, walk, js) {
  const shown = await readPage(page);
  const where = `${editionLabel}${js ? 'js' : 'no-js'} ${walk.map((w) => w.label).join(' → ') || '(start)'}`;
  const lines = count(shown.text, words.youAnswered);
  if (js) {
    const trail = shown.walk || [];
    check(trail.length === walk.length, `${where}: ${trail.length} answers listed for a walk of ${walk.length}`);
    check(lines === walk.length, `${where}: ${lines} "You answered" lines on the page for ${walk.length} answers`);
    walk.forEach((w, i) => {
      const t = trail[i];
      check(t && t.text === w.h1, `${where}: answer ${i + 1} is about "${t?.text}", the walk saw "${w.h1}"`);
      check(t && t.line === `${words.youAnswered} ${w.label}`, `${where}: line ${i + 1} says "${t?.line}", the reader answered "${w.label}"`);
      check(t && t.href === w.url, `${where}: question ${i + 1} links to ${t?.href}, the walk saw ${w.url}`);
    });
    check(walk.length === 0 || shown.back === walk.at(-1)?.url, `${where}: Back leads to ${shown.back}, the walk came from ${walk.at(-1)?.url}`);
    check(shown.before.length === 0, `${where}: "Before this step" is shown beside the reader's own answers`);
  } else {
    check(lines === 0, `${where}: ${lines} "You answered" lines without JavaScript`);
    check(!shown.text.includes(words.yourAnswers), `${where}: "${words.yourAnswers}" without JavaScript`);
    if (walk.length) {
      const from = walk.at(-1);
      check(shown.before.some((b) => b.href === bare(from.url) && b.text === from.h1 && b.line.includes(`“${from.label}”`)),
        `${where}: "Before this step" does not name "${from.h1}" with the answer "${from.label}"`);
      if (shown.before.length === 1) check(shown.back === bare(from.url), `${where}: Back leads to ${shown.back}, not ${from.url}`);
      else check(shown.back === null, `${where}: a Back link shows though ${shown.before.length} ways lead here`);
    }
  }
  return shown;
}

async function click(page, index) {
  await page.locator('ul.answers a').nth(index).click();
  await page.waitForLoadState('load');
}

/** Depth-first: every answer of this page, then back. Returns the number of whole walks. */
async function explore(page, walk, js, stats) {
  const shown = await checkPage(page, walk, js);
  stats.pages += 1;
  stats.lines += walk.length;
  if (shown.answers.length === 0) {
    stats.walks += 1;
    stats.longest = Math.max(stats.longest, walk.length);
    return;
  }
  for (let k = 0; k < shown.answers.length; k += 1) {
    await click(page, k);
    check(bare(page.url()) === bare(shown.answers[k].href), `answer "${shown.answers[k].label}" opened ${page.url()}`);
    await explore(page, [...walk, { url: shown.url, h1: shown.h1, label: shown.answers[k].label }], js, stats);
    if (js) {
      await page.locator('.back-link').click();
      await page.waitForLoadState('load');
    } else {
      await page.goBack({ waitUntil: 'load' });
    }
    const again = await checkPage(page, walk, js);
    check(again.url === shown.url && again.h1 === shown.h1, `${js ? 'js' : 'no-js'}: Back from "${shown.answers[k].label}" reached ${again.url}, not ${shown.url}`);
  }
}

try {
  for (const { prefix, words: theirs } of editions) {
    words = theirs;
    editionLabel = prefix ? `${prefix} ` : '';
    const stats = {};
    for (const js of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' && !/favicon/.test(m.location()?.url || '')) errors.push(m.text()); });
      await page.goto(`${server.origin}/${prefix}flowchart/index.html`);
      await page.locator('a.start-link').click();
      await page.waitForLoadState('load');
      const s = { walks: 0, pages: 0, lines: 0, longest: 0 };
      await explore(page, [], js, s);
      stats[js ? 'js' : 'no-js'] = s;
      check(errors.length === 0, `${js ? 'js' : 'no-js'}: script or console errors: ${errors.join(' | ')}`);
      console.log(js
        ? `  ${editionLabel}with JavaScript: ${s.walks} walks to an end, ${s.pages} pages reached (each checked again after Back), ${s.lines} "${words.youAnswered}" lines checked (longest walk ${s.longest} answers)`
        : `  ${editionLabel}without JavaScript: ${s.walks} walks to an end, ${s.pages} pages reached (each checked again after Back): none states an answer`);

      if (js) {
        // A page opened from a link elsewhere (search, outline, drawing) knows no walk.
        const hq = `${prefix}flowchart/email-headquarters/index.html`;
        for (const [url, label] of [
          [hq, 'no walk'],
          [`${hq}#answers=0`, 'a walk that ends elsewhere'],
          [`${hq}#answers=1.0.0.3.0.0.1.0.0.9.0`, 'an answer that does not exist'],
          [`${hq}#main`, 'another anchor'],
        ]) {
          await page.goto(`${server.origin}/${url}`);
          const shown = await readPage(page);
          check(count(shown.text, words.youAnswered) === 0 && shown.walk === null, `js, ${label}: no answers stated (${url})`);
          check(shown.back === null && shown.before.length === 4, `js, ${label}: no Back link, four ways in listed`);
          check(shown.answers.every((a) => !a.href.includes('#')), `js, ${label}: answers carry no walk on`);
        }
      }
      await context.close();
    }
    check(stats.js.walks === stats['no-js'].walks && stats.js.walks > 0, `the same walks with and without JavaScript: ${stats.js.walks} and ${stats['no-js'].walks}`);

    // On a 320×568 phone, every question page shows its answers in the first screen, under a
    // header that takes less than a third of it; the drawing opens at its first box.
    for (const js of [true, false]) {
      const context = await browser.newContext({ javaScriptEnabled: js, viewport: { width: 320, height: 568 }, isMobile: true, hasTouch: true });
      const page = await context.newPage();
      await page.goto(`${server.origin}/${prefix}flowchart/index.html`);
      const questions = await page.$$eval('.outline-question > a[href$="index.html"]', (as) => [...new Set(as.map((a) => a.getAttribute('href')))]);
      const late = [];
      for (const href of questions) {
        await page.goto(new URL(href, `${server.origin}/${prefix}flowchart/index.html`).href);
        const box = await page.evaluate(() => {
          const answers = [...document.querySelectorAll('ul.answers a')].map((a) => a.getBoundingClientRect());
          return { header: document.querySelector('.site-header').getBoundingClientRect().height, last: Math.max(...answers.map((r) => r.bottom)), wide: document.documentElement.scrollWidth };
        });
        if (box.header >= 568 / 3 || box.last > 568 || box.wide > 320) late.push(`${href} (header ${Math.round(box.header)} px, last answer ends at ${Math.round(box.last)} px, width ${box.wide} px)`);
      }
      check(questions.length > 5 && late.length === 0, `${js ? 'js' : 'no-js'} 320×568: all answers of ${questions.length} question pages in the first screen, header under a third ${late.join('; ')}`);
      await page.goto(`${server.origin}/${prefix}flowchart/index.html${js ? '' : '#flowchart-start'}`);
      await page.locator('#flowchart-figure').scrollIntoViewIfNeeded();
      const seen = await page.evaluate(() => {
        const frame = document.querySelector('.flowchart-scroll').getBoundingClientRect();
        const first = document.getElementById('flowchart-start').getBoundingClientRect();
        return first.left >= frame.left && first.right <= frame.right;
      });
      check(seen, `${js ? 'js: the drawing opens' : 'no-js: "Go to the drawing" opens it'} with its first box in view at 320 px`);
      console.log(`  ${editionLabel}${js ? 'with' : 'without'} JavaScript at 320×568: ${questions.length - late.length} of ${questions.length} question pages show every answer in the first screen; first box of the drawing in view: ${seen ? 'yes' : 'no'}`);
      await context.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
if (failures.length > 40) console.log(`  … and ${failures.length - 40} more`);
console.log(`flowchart-walk: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
