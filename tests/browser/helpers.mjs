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
