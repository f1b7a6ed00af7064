// How a page reads on a phone: the figures behind issue 15 ("Reader first"), measured in an open
// page. gates.mjs uses them (gates `narrow` and `reader`); measure-reading.mjs prints them.
//
// At 390x844 it measures:
//   - the page height in screens (scrollHeight / 844),
//   - where the first phone number or email link in <main> starts, in screens,
//   - the keyboard stops (Tab presses from a freshly loaded page) to the Nebraska (LIN)
//     follow-up email, the way a keyboard or switch user reaches it,
//   - how many links there are in <main>, how many point at source pages, and their share,
//   - the share of the page's height that citations in the text add (the page with and without
//     them), and the share the notes at the end take.
//
// gates.mjs runs `measureReading` on the service-center path and asserts the targets below.

/** The page the targets are measured on, and the link the keyboard must reach. */
export const READER_PAGE = 'paths/service-center-case/index.html';
export const READER_TARGET = { label: 'Nebraska (LIN) follow-up email', selector: 'a[href="mailto:ncscfollowup.nsc@dhs.gov"]' };
/** Targets from issue 15: at most this many Tab presses to the target, at most this share of source links. */
export const MAX_STOPS = 30;
export const MAX_SOURCE_LINK_SHARE = 0.4;
/** Citations in the text: the old inline lists of links, and the compact source markers. */
const CITATION_SELECTOR = '.cite, .source-ref';
/** The numbered notes at the end of a page. */
const NOTES_SELECTOR = '.source-notes';
/** Safety stop for the Tab walk: a page with more stops than this reports "not reached". */
const MAX_TABS = 400;

/**
 * Measures an open Playwright page (load it at 390x844 first). `target` is a CSS selector of
 * the link to reach by keyboard (or null to skip that count).
 */
export async function measureReading(page, target = READER_TARGET.selector) {
  const figures = await page.evaluate((notesSelector) => {
    const viewport = window.innerHeight;
    const doc = document.documentElement;
    const main = document.querySelector('main');
    const links = main ? [...main.querySelectorAll('a[href]')] : [];
    const isSource = (a) => /\/sources\/[^/]+\//.test(new URL(a.href, location.href).pathname);
    const sourceLinks = links.filter(isSource);
    const notes = document.querySelector(notesSelector);
    const action = main && main.querySelector('a[href^="tel:"], a[href^="mailto:"]');
    const actionRect = action && action.getBoundingClientRect();
    return {
      height: doc.scrollHeight,
      screens: doc.scrollHeight / viewport,
      firstContactScreens: actionRect ? (actionRect.top + window.scrollY) / viewport : null,
      firstContact: action ? action.getAttribute('href') : null,
      mainLinks: links.length,
      sourceLinks: sourceLinks.length,
      sourceLinkShare: links.length ? sourceLinks.length / links.length : 0,
      notesHeightShare: notes ? notes.getBoundingClientRect().height / doc.scrollHeight : 0,
    };
  }, NOTES_SELECTOR);
  figures.citationHeightShare = await heightWithout(page, CITATION_SELECTOR);
  figures.stops = target ? await tabStopsTo(page, target) : null;
  return figures;
}

/**
 * The share of the page's height that the elements of `selector` add: the page's height, less
 * its height with them hidden, over its height.
 */
async function heightWithout(page, selector) {
  return page.evaluate((sel) => {
    // Through the CSSOM: the pages' Content-Security-Policy refuses a <style> element.
    const full = document.documentElement.scrollHeight;
    const hidden = [...document.querySelectorAll(sel)];
    const before = hidden.map((el) => el.style.getPropertyValue('display'));
    hidden.forEach((el) => el.style.setProperty('display', 'none', 'important'));
    const without = document.documentElement.scrollHeight;
    hidden.forEach((el, i) => el.style.setProperty('display', before[i]));
    return (full - without) / full;
  }, selector);
}

/**
 * Tab presses from the top of a page until the focus is on an element matching `selector`:
 * the number of keyboard stops a keyboard user makes to get there (the last press included).
 * Null when it is not reached within MAX_TABS presses (for example, hidden in a closed disclosure).
 */
export async function tabStopsTo(page, selector) {
  await page.evaluate(() => {
    document.activeElement?.blur();
    window.scrollTo(0, 0);
  });
  // Start before the first focusable element, as a freshly loaded page does.
  await page.focus('body').catch(() => {});
  for (let n = 1; n <= MAX_TABS; n++) {
    await page.keyboard.press('Tab');
    const hit = await page.evaluate((sel) => {
      const el = document.activeElement;
      return { match: !!(el && el.matches(sel)), body: el === document.body };
    }, selector);
    if (hit.match) return n;
    if (hit.body && n > 1) return null; // wrapped around the page
  }
  return null;
}

/** Pages that must open with the action: office, channel and path pages of the newest rules, in
 *  every language (`es/offices/…`). */
export const ACTION_PAGES = /^([a-z]{2,3}(-[A-Za-z0-9]+)?\/)?(paths|offices|channels)\/[^/]+\/index\.html$/;

/**
 * Where the page's first contact (a number or address, `.contact-value`) ends, in px from the
 * top, at the current viewport; null when the page has none.
 */
export async function firstContactBottom(page) {
  return page.evaluate(() => {
    const first = document.querySelector('main .contact-value');
    return first ? first.getBoundingClientRect().bottom + window.scrollY : null;
  });
}

/** The source marker of the target link (in the same contact). */
export const READER_MARKER = '.contact-value:has(a[href="mailto:ncscfollowup.nsc@dhs.gov"]) .source-ref a';

/**
 * Taps a source marker and checks what the reader then sees: the note it leads to, on screen,
 * with a quote and a link to a line of a source page. Returns the problems (none: it works).
 * Run it with JavaScript off to show the markers need none.
 */
export async function markerOpensItsNote(page, markerSelector) {
  const marker = page.locator(markerSelector).first();
  if (!(await marker.count())) return ['no source marker to tap'];
  const href = await marker.getAttribute('href');
  await marker.click();
  return page.evaluate((id) => {
    const note = document.getElementById(id.slice(1));
    if (!note) return [`the marker leads to ${id}, which is not on the page`];
    const problems = [];
    const r = note.getBoundingClientRect();
    if (r.height === 0) problems.push(`the note ${id} stays hidden`);
    else if (r.top < 0 || r.top >= window.innerHeight) problems.push(`the note ${id} is not on the screen (top ${Math.round(r.top)}px)`);
    if (!note.querySelector('q')) problems.push(`the note ${id} quotes nothing`);
    if (![...note.querySelectorAll('a[href]')].some((a) => /\/sources\/[^/]+\/index\.html#L\d+$/.test(a.href))) problems.push(`the note ${id} links no line of a source`);
    return problems;
  }, href);
}

/** The figures as one line, for logs and the report. */
export function describeReading(f) {
  const pct = (x) => `${Math.round(x * 100)}%`;
  return [
    `${f.screens.toFixed(1)} screens tall`,
    f.firstContactScreens === null ? 'no phone or email link' : `first contact link at screen ${(f.firstContactScreens + 1).toFixed(2)} (${f.firstContact})`,
    f.stops === null ? 'target not reached by Tab' : `${f.stops} keyboard stops to the target`,
    `${f.sourceLinks} of ${f.mainLinks} links in <main> point at source pages (${pct(f.sourceLinkShare)})`,
    `citations in the text take ${pct(f.citationHeightShare)} of the height${f.notesHeightShare ? `, the notes at the end ${pct(f.notesHeightShare)}` : ''}`,
  ].join('; ');
}

/** The findings for the gate: the targets of issue 15 that `f` misses. */
export function readerFindings(sitePath, f) {
  const findings = [];
  if (f.stops === null || f.stops > MAX_STOPS) {
    findings.push({ page: sitePath, message: `${f.stops === null ? 'more than ' + MAX_TABS : f.stops} keyboard stops to the ${READER_TARGET.label} (at most ${MAX_STOPS})` });
  }
  if (f.sourceLinkShare > MAX_SOURCE_LINK_SHARE) {
    findings.push({ page: sitePath, message: `${f.sourceLinks} of ${f.mainLinks} links in <main> point at source pages: ${Math.round(f.sourceLinkShare * 100)}% (at most ${MAX_SOURCE_LINK_SHARE * 100}%)` });
  }
  return findings;
}

/**
 * What scrolls sideways on an open page: the page itself (its scrollWidth beyond the viewport,
 * with the outermost elements that stick out), and any box inside it that scrolls or clips its
 * content sideways (a table in a scrolling frame, a clipped email address). Elements of
 * `allowed` (a CSS selector) may scroll inside their own frame. Returns a list of problems.
 */
export async function sidewaysScroll(page, allowed = '') {
  return page.evaluate((allowedSelector) => {
    const width = document.documentElement.clientWidth;
    const describe = (el) => {
      const cls = typeof el.className === 'string' && el.className.trim() ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
      const text = (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
      return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${cls}>${text ? ` “${text}”` : ''}`;
    };
    const problems = [];
    const over = document.documentElement.scrollWidth - width;
    if (over > 0) {
      // The innermost elements that stick out: none of their children does.
      const sticksOut = (el) => {
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.right > width;
      };
      const culprits = [...document.body.querySelectorAll('*')]
        .filter((el) => sticksOut(el) && ![...el.children].some(sticksOut));
      problems.push(`the page is ${over}px wider than the ${width}px screen: ${culprits.slice(0, 3).map(describe).join(', ') || 'no single element found'}`);
    }
    for (const el of document.body.querySelectorAll('*')) {
      const style = getComputedStyle(el);
      if (style.overflowX === 'visible') continue;
      if (el.clientWidth < 2 || el.scrollWidth <= el.clientWidth + 1) continue; // visually hidden, or fits
      if (allowedSelector && el.closest(allowedSelector)) continue;
      problems.push(`${describe(el)} ${style.overflowX === 'auto' || style.overflowX === 'scroll' ? 'scrolls' : 'clips'} ${el.scrollWidth - el.clientWidth}px sideways`);
    }
    return problems;
  }, allowed);
}
