#!/usr/bin/env node
// Shows that each gate fails, and fails on its own defect.
//
//   node tests/browser/expect-failures.mjs
//
// Runs gates.mjs once per gate on fixtures/bad-site/ (each page there carries one defect) and
// succeeds only if, for every gate:
//   - the run exits non-zero and the gate is reported as FAIL,
//   - the gate reports the defect it exists for, on the page that has it,
//   - the gate reports nothing on the fixture's clean home page (index.html).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const GATES = path.join(HERE, 'gates.mjs');
const BAD_SITE = path.join(HERE, 'fixtures', 'bad-site');

const EXPECTATIONS = [
  {
    gate: 'axe',
    defect: 'axe reports image-alt on the image without alt',
    match: (f) => f.page === 'missing-alt/index.html' && f.rule === 'image-alt',
  },
  {
    gate: 'vnu',
    defect: 'the Nu Html Checker reports the unclosed <span>',
    match: (f) => f.page === 'unclosed/index.html' && /Unclosed element “span”/.test(f.message),
  },
  {
    gate: 'links',
    defect: 'hyperlink reports the link to the missing #no-such-anchor',
    match: (f) => f.page === 'broken-anchor/index.html' && /#no-such-anchor\b/.test(f.message),
  },
  {
    gate: 'requests',
    defect: 'the request watch reports the image from another host',
    match: (f) => f.page === 'outside-request/index.html' && f.kind === 'outside request' && f.url.startsWith('https://example.invalid/'),
  },
  {
    gate: 'narrow',
    defect: 'the 320 px check reports the table wider than a phone',
    match: (f) => f.page === 'wide-table/index.html' && /wider than the 320px screen/.test(f.message),
  },
  {
    gate: 'reader',
    defect: 'the reader check reports the 40 citations before the LIN email',
    match: (f) => f.page === 'paths/service-center-case/index.html' && /keyboard stops to the Nebraska \(LIN\) follow-up email/.test(f.message),
  },
  {
    gate: 'screens',
    defect: 'the screenshot gate reports the missing office page',
    match: (f) => f.page === 'offices/vermont-service-center/index.html' && /does not exist/.test(f.message),
  },
];

const tmp = mkdtempSync(path.join(os.tmpdir(), 'casepath-expect-failures-'));
let passed = 0;
let failed = 0;
const t0 = performance.now();
try {
  for (const exp of EXPECTATIONS) {
    const t = performance.now();
    const report = path.join(tmp, `${exp.gate}.json`);
    const r = spawnSync(process.execPath, [GATES, BAD_SITE, '--only', exp.gate, '--report', report, '--screens-dir', path.join(tmp, 'screens')], { encoding: 'utf8' });
    const problems = [];
    let findings = [];
    if (r.status !== 1) problems.push(`expected exit code 1, got ${r.status}`);
    try {
      const res = JSON.parse(readFileSync(report, 'utf8')).results[exp.gate];
      if (!res) problems.push('gate missing from the report');
      else {
        findings = res.findings || [];
        if (res.ok) problems.push('gate passed');
        if (!findings.some(exp.match)) problems.push(`expected finding not reported: ${exp.defect}`);
        const onClean = findings.filter((f) => f.page === 'index.html' || f.page === null);
        if (onClean.length) problems.push(`findings on the clean page or gate errors: ${JSON.stringify(onClean)}`);
      }
    } catch (err) {
      problems.push(`no report: ${err.message}`);
    }
    const secs = ((performance.now() - t) / 1000).toFixed(1);
    if (problems.length) {
      failed++;
      console.log(`✗ ${exp.gate}: NOT as expected (${secs} s)`);
      for (const p of problems) console.log(`    ${p}`);
      console.log(r.stdout.split('\n').map((l) => `    | ${l}`).join('\n'));
      if (r.stderr) console.log(r.stderr.split('\n').map((l) => `    ! ${l}`).join('\n'));
    } else {
      passed++;
      const seen = findings.filter(exp.match)[0];
      console.log(`✓ ${exp.gate}: fails on the bad site as expected — ${exp.defect} (${secs} s)`);
      console.log(`    ${JSON.stringify(seen).slice(0, 240)}`);
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
console.log(`fixtures: ${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
