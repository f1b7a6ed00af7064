// The receipt-number helper and the deadline calculator in headless Chromium:
//   node tests/browser/helpers.mjs <site-dir>
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_PATH, CHROMIUM_FLAGS, startServer } from './gates.mjs';

const site = path.resolve(process.argv[2] || 'site');
const server = await startServer(site);
const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_FLAGS });
let passed = 0;
let failed = 0;
const check = (ok, message) => {
  console.log(`${ok ? '✓' : '✗'} ${message}`);
  ok ? passed++ : failed++;
};

try {
  // A phone-sized page in a time zone with daylight saving.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'America/New_York' });
  const page = await context.newPage();
  await page.goto(`${server.origin}/index.html`);

  async function lookup(value) {
    await page.fill('#receipt-number', value);
    await page.click('form[data-helper=receipt] button');
    return (await page.textContent('form[data-helper=receipt] .helper-result')).trim();
  }
  for (const [receipt, center] of [
    ['EAC2190012345', 'Vermont Service Center'],
    ['WAC2190012345', 'California Service Center'],
    ['lin 219 001 2345', 'Nebraska Service Center'],
    ['SRC-219-001-2345', 'Texas Service Center'],
  ]) {
    const text = await lookup(receipt);
    check(text.includes(`your case is at the ${center}`), `${receipt} → ${center}: ${text.slice(0, 80)}`);
  }
  const vermont = await lookup('EAC2190012345');
  check(vermont.includes('vsc.ncscfollowup@dhs.gov') && vermont.includes('no longer published'), 'EAC shows its follow-up email and that it is no longer published');
  for (const [receipt, expected] of [
    ['EAC219001234', 'has 13 characters'],
    ['XYZ2190012345', 'XYZ is not one of them'],
    ['EAC21900A2345', 'Character 9 is “A”, not a digit'],
    ['12C2190012345', 'starts with three letters'],
    ['', 'Type your receipt number'],
  ]) {
    const text = await lookup(receipt);
    check(text.includes(expected), `"${receipt}" → ${text}`);
  }

  // Date arithmetic: month and year ends, leap days, daylight saving changes.
  const cases = [
    ['2024-01-31', 30, '2024-03-01'],
    ['2023-12-20', 15, '2024-01-04'],
    ['2024-02-14', 15, '2024-02-29'],
    ['2023-02-14', 15, '2023-03-01'],
    ['2024-03-01', 15, '2024-03-16'],
    ['2024-10-25', 15, '2024-11-09'],
    ['2024-11-02', 1, '2024-11-03'],
    ['2024-12-31', 21, '2025-01-21'],
  ];
  for (const [from, days, expected] of cases) {
    const got = await page.evaluate(([f, d]) => window.casepathHelpers.addDays(f, d), [from, days]);
    check(got === expected, `${from} + ${days} days = ${got}`);
  }

  // Business days: Mondays to Fridays count, Saturdays and Sundays do not (public holidays
  // are not known, and the page says so). 2024-12-20 is a Friday.
  const businessCases = [
    ['2024-12-20', 1, '2024-12-23'],
    ['2024-12-20', 5, '2024-12-27'],
    ['2024-12-21', 1, '2024-12-23'],
    ['2024-12-22', 5, '2024-12-27'],
    ['2024-12-20', 15, '2025-01-10'],
    ['2024-02-26', 4, '2024-03-01'],
  ];
  for (const [from, days, expected] of businessCases) {
    const got = await page.evaluate(([f, d]) => window.casepathHelpers.addBusinessDays(f, d), [from, days]);
    check(got === expected, `${from} + ${days} business days = ${got}`);
  }
  const mixed = await page.evaluate(() => window.casepathHelpers.chain('2024-12-20', [
    { kind: 'wait', step: 2, title: 'two', after: 'a', unit: 'business_days' },
    { kind: 'wait', step: 3, title: 'three', after: 'b', unit: 'calendar_days' },
  ], [10, 10], {}).map((e) => `${e.step}:${e.date}:${e.unit}`).join(' '));
  check(mixed === '2:2025-01-03:business_days 3:2025-01-13:calendar_days', `a chain counts each wait in its unit: ${mixed}`);

  // The calculator on the service-center path page.
  await page.goto(`${server.origin}/paths/service-center-case/index.html`);
  const options = await page.$$eval('#deadline-version option', (os) => os.map((o) => o.textContent));
  check(options[0] === 'Newest sources' && options.length >= 5, `versions to choose from: ${options.join(' | ')}`);
  await page.fill('#deadline-step-1', '2024-12-20');
  await page.click('form[data-helper=deadlines] button');
  let result = await page.textContent('form[data-helper=deadlines] .helper-result');
  check(result.includes('Step 2') && result.includes('Saturday, January 4, 2025'), `15 days after Dec 20, 2024: ${result.slice(0, 140)}`);
  check(result.includes('January 25, 2025'), 'HQ email 21 days later: January 25, 2025');
  check(result.includes('February 4, 2025'), 'HQ answer due 10 days later: February 4, 2025');
  await page.selectOption('#deadline-version', 'sc-30-day');
  await page.fill('#deadline-step-2', '2025-01-22');
  await page.click('form[data-helper=deadlines] button');
  result = await page.textContent('form[data-helper=deadlines] .helper-result');
  check(result.includes('Sunday, January 19, 2025') && result.includes('February 12, 2025'), `30-day version, email sent Jan 22: ${result.slice(0, 200)}`);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click('form[data-helper=deadlines] a[download]'),
  ]);
  check(download.suggestedFilename() === 'casepath-reminders.ics', `download named ${download.suggestedFilename()}`);
  const chunks = [];
  for await (const chunk of await download.createReadStream()) chunks.push(chunk);
  const icsText = Buffer.concat(chunks).toString('utf8');
  const lines = icsText.split('\r\n');
  check(lines[0] === 'BEGIN:VCALENDAR' && lines.at(-2) === 'END:VCALENDAR' && lines.at(-1) === '', '.ics starts and ends as a calendar, with CRLF lines');
  check(lines.filter((l) => l === 'BEGIN:VEVENT').length === 3 && lines.filter((l) => l === 'END:VEVENT').length === 3, '.ics has three events');
  check(lines.includes('DTSTART;VALUE=DATE:20250119') && lines.includes('DTEND;VALUE=DATE:20250120'), '.ics events are all-day events on the right dates');
  check(lines.every((l) => new TextEncoder().encode(l).length <= 75), '.ics lines are folded at 75 octets');
  check(['VERSION:2.0', 'PRODID:-//casepath//deadline calculator//EN'].every((l) => lines.includes(l)), '.ics has VERSION and PRODID');
  check(lines.filter((l) => l.startsWith('UID:')).length === 3 && lines.filter((l) => l.startsWith('DTSTAMP:')).length === 3, 'each event has a UID and a DTSTAMP');

  // A later step dated before an earlier one is refused, with the reason; so is a step's
  // date without the date of the step it counts from.
  async function dates(d1, d2, d3) {
    for (const [id, value] of [['#deadline-step-1', d1], ['#deadline-step-2', d2], ['#deadline-step-3', d3]]) await page.fill(id, value);
    await page.click('form[data-helper=deadlines] button');
    return {
      text: (await page.textContent('form[data-helper=deadlines] .helper-result')).trim(),
      invalid: await page.$$eval('form[data-helper=deadlines] input[aria-invalid=true]', (is) => is.map((i) => i.id)),
      listed: await page.$$eval('form[data-helper=deadlines] .helper-result li', (ls) => ls.length),
    };
  }
  await page.selectOption('#deadline-version', { index: 0 });
  let got = await dates('2024-12-20', '2024-12-10', '');
  check(got.text === 'Step 2 is dated Tuesday, December 10, 2024, before step 1 (Friday, December 20, 2024). Each step comes after the one before it: check both dates.' && got.listed === 0, `step 2 before step 1 is refused: ${got.text}`);
  check(got.invalid.join() === 'deadline-step-2', `the step 2 field is marked invalid: ${got.invalid}`);
  got = await dates('2024-12-20', '2025-01-22', '2025-01-20');
  check(got.text.startsWith('Step 3 is dated Monday, January 20, 2025, before step 2 (Wednesday, January 22, 2025).') && got.listed === 0, `step 3 before step 2 is refused: ${got.text}`);
  got = await dates('2024-12-20', '', '2025-01-20');
  check(got.text === 'You gave a date for step 3. Enter the date you did step 2 too: step 3 counts from it.' && got.invalid.join() === 'deadline-step-2', `step 3 without step 2 asks for step 2: ${got.text}`);
  got = await dates('2024-12-20', '2024-12-20', '2024-12-20');
  check(got.listed > 0 && got.invalid.length === 0, `steps on the same day are accepted (${got.listed} dates)`);
  // No date the calculator proposes is before the step it counts from, for any accepted input.
  const proposals = await page.evaluate(() => {
    const h = window.casepathHelpers;
    const columns = [
      { kind: 'wait', step: 2, title: 'two', after: 'a' },
      { kind: 'wait', step: 3, title: 'three', after: 'b' },
      { kind: 'response', step: 3, title: 'three', after: 'c' },
    ];
    const bad = [];
    let accepted = 0;
    const days = ['2024-12-01', '2024-12-20', '2025-01-05', '2025-01-31', ''];
    for (const d2 of days) for (const d3 of days) {
      const done = { 1: '2024-12-20', 2: d2, 3: d3 };
      if (h.checkDates([1, 2, 3], done)) continue;
      accepted += 1;
      const taken = { 1: done[1] };
      for (const e of h.chain(done[1], columns, [15, 21, 10], done)) {
        if (e.date < e.from) bad.push(`${JSON.stringify(done)}: step ${e.step} ${e.date} before ${e.from}`);
        if (e.kind === 'wait' && e.from < taken[e.step - 1]) bad.push(`${JSON.stringify(done)}: counts from ${e.from}, before step ${e.step - 1}`);
        taken[e.step] = done[e.step] || e.date;
      }
    }
    return { bad, accepted };
  });
  check(proposals.bad.length === 0 && proposals.accepted > 5, `no proposed date before the step it counts from (${proposals.accepted} accepted inputs) ${proposals.bad.join('; ')}`);
  const key = await page.textContent('.schedule-key');
  check(!/counted of/.test(key) && key.includes('counted after your email to the headquarters office'), 'the schedule key says "counted after your email"');
  await context.close();

  // Without JavaScript: the forms stay hidden and the tables say the same.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${server.origin}/index.html`);
  check(!(await plain.isVisible('form[data-helper=receipt]')), 'without JavaScript the receipt form is hidden');
  check((await plain.$$('table.prefix-table tbody tr')).length === 4, 'without JavaScript the prefix table lists the four centers');
  await plain.goto(`${server.origin}/paths/service-center-case/index.html`);
  const table = await plain.textContent('table.schedule');
  check(table.includes('15 days') && table.includes('30 days') && table.includes('21 days'), 'without JavaScript the waits table shows 15, 30 and 21 days');
  await noScript.close();
} finally {
  await browser.close();
  await server.close();
}
console.log(`helpers: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
