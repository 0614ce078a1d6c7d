#!/usr/bin/env node
// End-to-end browser tests of the Sender Check page.
//
//   testbed/run.sh exec -- node tests/e2e/e2e.mjs [DIST]        (make e2e does this)
//
// Serves DIST (default target/e2e-dist, a `trunk build --release --public-url ./`) under the
// sub-path /sendercheck/ like a GitHub project page, drives Debian's Chromium through
// playwright-core against the NSD + dnsdist testbed (SENDERCHECK_TEST_DOH_HTTP, ..._DOH_500), and
// checks every testbed case by permalink, the form, the paste box (paste.mjs), input errors, a
// failing resolver, the exports, console/page errors, horizontal overflow at phone width and
// axe-core (serious/critical).
// Screenshots go to target/e2e-screenshots (E2E_SCREENSHOTS). Nothing leaves loopback: every
// non-loopback request is aborted and fails the run. Prints `N passed, M failed` last; exit 1 on
// any failure.
//
// Env: E2E_CHROMIUM (default /usr/bin/chromium), E2E_SCREENSHOTS, E2E_TIMEOUT_MS (per result,
// default 20000), E2E_JOBS (parallel pages for the case table, default 3), E2E_FILTER (substring
// of test names to run).

import { chromium } from 'playwright-core';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';
import { pasteTests } from './paste.mjs';
import { domainTests } from './domain.mjs';
import { followupTests } from './followup.mjs';
import { timingTests } from './timing.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = resolve(process.argv[2] ?? join(ROOT, 'target/e2e-dist'));
const SHOTS = resolve(process.env.E2E_SCREENSHOTS ?? join(ROOT, 'target/e2e-screenshots'));
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const AXE = join(ROOT, 'node_modules/axe-core/axe.min.js');
const TIMEOUT = Number(process.env.E2E_TIMEOUT_MS ?? 20000);
const JOBS = Math.max(1, Number(process.env.E2E_JOBS ?? 3));
const FILTER = process.env.E2E_FILTER ?? '';
const DOH = process.env.SENDERCHECK_TEST_DOH_HTTP;
const DOH_500 = process.env.SENDERCHECK_TEST_DOH_500;
const BASE = '/sendercheck/';

if (!DOH || !DOH_500) {
  console.error('e2e: SENDERCHECK_TEST_DOH_HTTP / SENDERCHECK_TEST_DOH_500 not set; run under `testbed/run.sh exec --`');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ---- a minimal runner ------------------------------------------------------------------------

let passed = 0;
let failed = 0;
const failures = [];

async function test(name, fn) {
  if (FILTER && !name.includes(FILTER)) return;
  const t0 = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok    ${name} (${Date.now() - t0} ms)`);
  } catch (e) {
    failed++;
    failures.push(name);
    const msg = String(e?.message ?? e).replace(/\x1b\[[0-9;]*m/g, '').trimEnd();
    console.log(`FAIL  ${name} (${Date.now() - t0} ms)\n      ${msg.split('\n').join('\n      ')}`);
  }
}

class AssertionError extends Error {}
function assert(cond, message) {
  if (!cond) throw new AssertionError(message);
}
// Deep equality; object key order does not matter (array order does).
function canon(v) {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canon(v[k])]));
  return v;
}
function eq(actual, expected, what) {
  const a = JSON.stringify(canon(actual));
  const b = JSON.stringify(canon(expected));
  if (a !== b) throw new AssertionError(`${what}: expected ${b}, got ${a}`);
}

// ---- browser plumbing ------------------------------------------------------------------------

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const leaks = []; // non-loopback requests (aborted)

function isExternal(url) {
  const u = new URL(url);
  if (u.protocol === 'blob:' || u.protocol === 'data:' || u.protocol === 'about:') return false;
  return !LOOPBACK.has(u.hostname);
}

async function newContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  // No traffic leaves loopback: anything else (a preset resolver, a CDN, a tracker) is aborted
  // and reported. The abort also shows up as a console error, which fails the page's test.
  await context.route((url) => isExternal(url.href), (route) => {
    leaks.push(route.request().url());
    return route.abort('blockedbyclient');
  });
  return context;
}

// A page that records console errors, uncaught exceptions, failed requests and DoH requests.
async function newPage(context) {
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  const log = { errors: [], doh: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push({ kind: 'console', text: m.text(), url: m.location()?.url ?? '' });
  });
  page.on('pageerror', (e) => log.errors.push({ kind: 'pageerror', text: String(e?.stack ?? e), url: '' }));
  page.on('crash', () => log.errors.push({ kind: 'crash', text: 'page crashed', url: '' }));
  page.on('requestfailed', (r) => {
    // Fetches cancelled by closing the page are not the page's fault; everything else is.
    if (!page.isClosed()) log.errors.push({ kind: 'requestfailed', text: `${r.failure()?.errorText} ${r.url()}`, url: r.url() });
  });
  page.on('request', (r) => {
    if (r.url().startsWith(DOH.replace(/\/dns-query$/, '/')) || r.url().startsWith(DOH_500)) log.doh.push(r.url());
  });
  return { page, log };
}

// Runs fn(page, log) on a fresh page, then fails on any error the page logged except those
// `allowed(error)` accepts (each exception must be shown to be expected by the caller).
async function withPage(context, fn, { allowed = () => false } = {}) {
  const { page, log } = await newPage(context);
  const report = (errors) => errors.map((e) => `[${e.kind}] ${e.text}${e.url ? ` (${e.url})` : ''}`).join('\n');
  try {
    try {
      await fn(page, log);
    } catch (e) {
      // Say what the page logged too: it often explains the failure.
      if (log.errors.length && e instanceof Error) e.message += `\nthe page logged:\n${report(log.errors)}`;
      throw e;
    }
    const bad = log.errors.filter((e) => !allowed(e));
    assert(bad.length === 0, `errors in the page:\n${report(bad)}`);
  } finally {
    await page.close();
  }
}

function permalink(origin, { ip, helo, domain, dkim, resolver = DOH } = {}) {
  const q = new URLSearchParams();
  if (ip !== undefined) q.set('ip', ip);
  if (helo !== undefined) q.set('helo', helo);
  if (domain !== undefined) q.set('domain', domain);
  if (dkim !== undefined) q.set('dkim', dkim);
  if (resolver !== null) q.set('resolver', resolver);
  const s = q.toString();
  return origin + (s ? `?${s}` : '');
}

// Why the page is wider than the viewport (the outermost elements that stick out), or null.
async function overflow(page) {
  const o = await page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > vw + 1 && el.offsetParent !== null)
      .filter((el) => !el.parentElement || el.parentElement.getBoundingClientRect().right <= vw + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).trim().replace(/\s+/g, '.') : ''} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { vw, sw: document.documentElement.scrollWidth, wide };
  });
  return o.sw > o.vw ? `page is ${o.sw} px wide in a ${o.vw} px viewport; widest: ${o.wide.join('; ')}` : null;
}

// The resolver that answers HTTP 500 makes two expected resource events, and only for its own URL:
// Chromium may log "Failed to load resource: ... status of 500", and the DoH client (reqwest's wasm
// backend) returns its error on the status without reading the body, so dropping the response
// fires reqwest's AbortController and the body load ends as net::ERR_ABORTED when it was not in
// yet. Nothing else is accepted, and never for the working resolver.
function http500(e) {
  if (!e.url.startsWith(`${DOH_500}?dns=`)) return false;
  return (e.kind === 'console' && /status of 500/.test(e.text)) || (e.kind === 'requestfailed' && /^net::ERR_ABORTED /.test(e.text));
}

// A resolver the browser cannot read (a testbed path without the CORS header, h2o's 404): the
// fetch fails as a network error, as for an unreachable resolver. Chromium's CORS message and the
// failed fetch for that URL are its expected resource errors; nothing else is accepted.
const BLOCKED = new URL('/nothere', DOH).href;
function corsBlocked(e) {
  return e.url.startsWith(`${BLOCKED}?dns=`) || (e.kind === 'console' && e.text.includes(`'${BLOCKED}?dns=`) && /blocked by CORS policy/.test(e.text));
}
const faultyResolver = (e) => http500(e) || corsBlocked(e);

// The question names (`#queries .q-name`) laid out narrower than their longest dot-separated
// label, as "name (width < label width)": a squeezed column prints a name one character per
// line. Each label is measured in the name's own font.
async function squeezedNames(page) {
  return page.evaluate(() => {
    const probe = document.createElement('span');
    probe.style.cssText = 'position:absolute;visibility:hidden;white-space:nowrap;left:-9999px';
    document.body.append(probe);
    const out = [];
    for (const el of document.querySelectorAll('#queries .q-name')) {
      const cs = getComputedStyle(el);
      probe.style.font = cs.font;
      probe.style.letterSpacing = cs.letterSpacing;
      const longest = Math.max(...el.textContent.split('.').map((label) => {
        probe.textContent = label;
        return probe.getBoundingClientRect().width;
      }));
      const width = el.getBoundingClientRect().width;
      if (width + 0.5 < longest) out.push(`${el.textContent} (${Math.round(width)} px < ${Math.round(longest)} px)`);
    }
    probe.remove();
    return out;
  });
}

const FINISHED = '#verdict[data-verdict]:not([data-verdict="idle"]):not([data-verdict="loading"])';

// Waits for a finished result and returns what the page shows, as the DOM contract exposes it.
async function result(page) {
  await page.waitForSelector(FINISHED, { state: 'attached' });
  return page.evaluate(() => {
    const cards = (root) => Object.fromEntries([...root.querySelectorAll('article.card[data-check]')]
      .map((c) => [c.dataset.check, c.dataset.result]));
    return {
      verdict: document.querySelector('#verdict').dataset.verdict,
      sections: [...document.querySelectorAll('section.address[data-ip]')].map((s) => ({
        ip: s.dataset.ip,
        cards: cards(s),
        evidence: s.querySelectorAll('details.evidence').length,
      })),
      // The identity cards; the worker's panels (a bounce's cause, the sending domain) may still come.
      loadingCards: document.querySelectorAll('section.address article.card[data-result="loading"]').length,
      queries: [...document.querySelectorAll('#queries li')].map((li) => li.dataset.state),
      problem: document.querySelector('#resolver-problem')?.textContent ?? null,
      label: document.querySelector('#verdict .verdict-label')?.textContent ?? '',
      headline: document.querySelector('#verdict .headline')?.textContent ?? '',
      meta: document.querySelector('#verdict .meta')?.textContent ?? '',
      actions: ['#copy-link', '#export-json', '#export-markdown'].filter((s) => document.querySelector(s)),
      sav: !!document.querySelector('#sav'),
      run: { text: document.querySelector('#run')?.textContent, disabled: document.querySelector('#run')?.disabled },
      search: location.search,
    };
  });
}

// Common expectations of every finished result.
function wellFormed(r, { queries = 'answered' } = {}) {
  eq(r.loadingCards, 0, 'cards still loading after the verdict');
  assert(r.queries.length > 0, 'no DNS questions listed in #queries');
  assert(r.queries.every((s) => s === queries), `#queries states: expected all ${queries}, got ${JSON.stringify(r.queries)}`);
  for (const s of r.sections) eq(s.evidence, 1, `details.evidence in section ${s.ip}`);
  eq(r.actions.length, 3, 'export buttons (#copy-link, #export-json, #export-markdown)');
  assert(r.sav, '#sav section missing');
  eq(r.run, { text: 'Check', disabled: false }, '#run after the check');
}

const RANK = { pass: 0, temperror: 1, fail: 2 };
const AS_VERDICT = { pass: 'pass', temperror: 'temperror', fail: 'fail', permerror: 'fail' };
function expectedVerdict(iprev, helo) {
  return [iprev, helo].filter(Boolean).map((x) => AS_VERDICT[x]).reduce((a, b) => (RANK[b] > RANK[a] ? b : a));
}

// ---- the cases -----------------------------------------------------------------------------

// testbed/README.md: IP -> iprev; `shown` is the canonical address the page reports it as.
const IP_CASES = [
  ['192.0.2.10', 'pass'],
  ['2001:db8::10', 'pass'],
  ['::ffff:192.0.2.10', 'pass', { shown: '192.0.2.10' }],
  ['192.0.2.20', 'pass'],
  ['192.0.2.30', 'fail'],
  ['2001:db8::30', 'fail'],
  ['192.0.2.40', 'fail'],
  ['192.0.2.50', 'permerror'],
  ['192.0.2.51', 'permerror'],
  ['2001:db8::50', 'permerror'],
  ['192.0.2.60', 'temperror'],
  ['192.0.2.61', 'temperror'],
  ['192.0.2.70', 'pass'],
  ['2001:db8::20', 'fail'],
  ['192.0.2.80', 'pass'],
  ['192.0.2.90', 'pass', { generic: 'fail' }],
  ['192.0.2.100', 'pass'],
  ['192.0.2.110', 'fail'],
  ['192.0.2.112', 'permerror'],
  ['192.0.2.121', 'pass'],
  ['192.0.2.130', 'fail'],
].map(([ip, iprev, extra = {}]) => ({ ip, iprev, shown: extra.shown ?? ip, generic: extra.generic ?? (iprev === 'pass' ? 'pass' : undefined) }));

const HELO_CASES = [
  ['EHLO mail.sendercheck.test', 'pass'],
  ['EHLO elsewhere.sendercheck.test', 'fail'],
  ['EHLO [192.0.2.10]', 'fail'],
  ['EHLO localhost', 'fail'],
].map(([helo, result]) => ({ ip: '192.0.2.10', helo, iprev: 'pass', heloResult: result, shown: '192.0.2.10', generic: 'pass' }));

async function checkCase(context, origin, c) {
  await withPage(context, async (page) => {
    await page.goto(permalink(origin, { ip: c.ip, helo: c.helo }));
    const r = await result(page);
    wellFormed(r);
    eq(r.sections.length, 1, 'address sections');
    eq(r.sections[0].ip, c.shown, 'section.address[data-ip]');
    eq(r.sections[0].cards.iprev, c.iprev, 'iprev card data-result');
    if (c.helo) eq(r.sections[0].cards.helo, c.heloResult, 'helo card data-result');
    else eq(r.sections[0].cards.helo, undefined, 'helo card without an EHLO');
    if (c.generic) eq(r.sections[0].cards.generic, c.generic, 'generic card data-result');
    eq(r.verdict, expectedVerdict(c.iprev, c.heloResult), '#verdict data-verdict');
    eq(r.problem, null, '#resolver-problem with a working resolver');
    assert(r.meta.includes(DOH), `verdict meta should name the testbed resolver: ${r.meta}`);
  });
}

// Runs `items` through `fn` with at most `n` at a time, in order of start.
async function pool(items, n, fn) {
  const queue = [...items];
  await Promise.all(Array.from({ length: Math.min(n, queue.length) }, async () => {
    while (queue.length) await fn(queue.shift());
  }));
}

// ---- axe-core --------------------------------------------------------------------------------

const axeReport = [];
async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const res = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const out = await window.axe.run(document, { resultTypes: ['violations'] });
    return { version: window.axe.version, passes: out.passes.length, incomplete: out.incomplete.map((v) => `${v.id} (${v.nodes.length})`), violations: out.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html.slice(0, 200), summary: n.failureSummary })),
    })) };
  });
  assert(res.passes > 10, `axe-core ${res.version} ran only ${res.passes} passing rules: not injected properly?`);
  console.log(`      axe-core ${res.version} on ${label}: ${res.passes} rules pass, ${res.violations.length} violated${res.incomplete.length ? `, needs review: ${res.incomplete.join(', ')}` : ''}`);
  for (const v of res.violations) axeReport.push({ label, ...v });
  for (const v of res.violations) {
    console.log(`      axe ${label}: [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
    for (const n of v.nodes) console.log(`        ${n.target}  ${n.html}\n          ${(n.summary ?? '').split('\n').join('\n          ')}`);
  }
  const serious = res.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert(serious.length === 0, `axe: ${serious.length} serious/critical violation(s) on ${label}: ${serious.map((v) => `${v.id} (${v.nodes.length} nodes)`).join(', ')}`);
}

// ---- main --------------------------------------------------------------------------------------

const started = Date.now();
let server;
let browser;
try {
  await rm(SHOTS, { recursive: true, force: true });
  await mkdir(SHOTS, { recursive: true });
  server = await serve({ root: DIST, base: BASE });
  const ORIGIN = server.url; // http://127.0.0.1:PORT/sendercheck/
  console.log(`e2e: serving ${DIST} at ${ORIGIN}; resolver ${DOH}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
      // Belt and braces for "nothing leaves loopback": no host name resolves except localhost.
      '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
    ],
  });

  const ctx = await newContext(browser);

  await test('page loads under the sub-path, idle, no errors', async () => {
    await withPage(ctx, async (page) => {
      const resp = await page.goto(ORIGIN);
      eq(resp.status(), 200, 'index status');
      await page.waitForSelector('#check-form');
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict before any check');
      eq(await page.$$eval('article.card', (c) => c.length), 0, 'cards before any check');
      eq(await page.inputValue('#resolver'), 'cloudflare', 'default resolver');
      assert(await page.$('#sav'), '#sav missing');
      const css = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert(css && css !== 'rgba(0, 0, 0, 0)', `stylesheet not applied (body background ${css})`);
    });
    const r = await fetch(server.origin + '/');
    eq(r.status, 404, 'status outside the sub-path');
  });

  await pool([...IP_CASES, ...HELO_CASES], JOBS, (c) =>
    test(`permalink ${c.ip}${c.helo ? ` helo="${c.helo}"` : ''} -> iprev ${c.iprev}${c.helo ? `, helo ${c.heloResult}` : ''}${c.generic === 'fail' ? ', generic fail' : ''}`,
      () => checkCase(ctx, ORIGIN, c)));

  await test('permalink host mail.sendercheck.test -> 192.0.2.10 and 2001:db8::10, both iprev pass', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: 'mail.sendercheck.test', helo: 'EHLO mail.sendercheck.test' }));
      const r = await result(page);
      wellFormed(r);
      eq(r.sections.map((s) => s.ip).sort(), ['192.0.2.10', '2001:db8::10'], 'address sections');
      for (const s of r.sections) {
        eq(s.cards.iprev, 'pass', `iprev of ${s.ip}`);
        eq(s.cards.helo, 'pass', `helo of ${s.ip}`);
      }
      eq(r.verdict, 'pass', 'verdict');
      eq(await page.getAttribute('.host', 'data-host'), 'mail.sendercheck.test', '.host[data-host]');
    });
  });

  await test('form: type, select custom resolver, Enter; then click #run; permalink in the URL', async () => {
    const fctx = await newContext(browser);
    try {
      await withPage(fctx, async (page, log) => {
        await page.goto(ORIGIN);
        await page.waitForSelector('#check-form');
        eq(await page.$('#custom-resolver'), null, '#custom-resolver before choosing custom');
        await page.locator('#target').pressSequentially('192.0.2.10');
        await page.fill('#ehlo', 'EHLO mail.sendercheck.test');
        await page.selectOption('#resolver', 'custom');
        await page.locator('#custom-resolver').waitFor({ state: 'visible' });
        await page.fill('#custom-resolver', DOH);
        await page.press('#ehlo', 'Enter');
        let r = await result(page);
        wellFormed(r);
        eq(r.sections[0]?.cards, { iprev: 'pass', helo: 'pass', generic: 'pass' }, 'cards after Enter');
        eq(r.verdict, 'pass', 'verdict after Enter');
        let q = new URL(page.url()).searchParams;
        eq([q.get('ip'), q.get('helo'), q.get('resolver')], ['192.0.2.10', 'EHLO mail.sendercheck.test', DOH], 'permalink params after Enter');
        assert(log.doh.length > 0, 'no DoH request reached the testbed');

        // A second run from the same page, by clicking the button, without an EHLO.
        await page.fill('#target', '2001:db8::30');
        await page.fill('#ehlo', '');
        await page.click('#run');
        await page.waitForFunction((ip) => document.querySelector(`section.address[data-ip="${ip}"]`), '2001:db8::30');
        r = await result(page);
        wellFormed(r);
        eq(r.sections.map((s) => [s.ip, s.cards.iprev, s.cards.helo]), [['2001:db8::30', 'fail', undefined]], 'cards after #run');
        eq(r.verdict, 'fail', 'verdict after #run');
        q = new URL(page.url()).searchParams;
        eq([q.get('ip'), q.get('helo'), q.get('resolver')], ['2001:db8::30', null, DOH], 'permalink params after #run');
        eq(new URL(page.url()).pathname, BASE, 'path kept under the sub-path');
        eq(await page.evaluate(() => localStorage.getItem('sendercheck.resolver')), DOH, 'remembered resolver');
      });

      // Reload: with no resolver param the remembered one is used; a resolver param wins.
      await withPage(fctx, async (page) => {
        await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', resolver: null }));
        const r = await result(page);
        eq(r.sections[0]?.cards.iprev, 'pass', 'iprev through the remembered resolver');
        assert(r.meta.includes(DOH), `meta should name the remembered resolver: ${r.meta}`);
        eq(await page.inputValue('#resolver'), 'custom', '#resolver after reload');
        eq(await page.inputValue('#custom-resolver'), DOH, '#custom-resolver after reload');
      });
      await withPage(fctx, async (page) => {
        await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', resolver: DOH_500 }));
        const r = await result(page);
        eq(r.sections[0]?.cards.iprev, 'temperror', 'iprev through the permalink resolver (HTTP 500)');
        assert(r.meta.includes(DOH_500), `meta should name the permalink's resolver: ${r.meta}`);
        eq(await page.evaluate(() => localStorage.getItem('sendercheck.resolver')), DOH, 'remembered resolver untouched by a permalink');
      }, { allowed: http500 });
    } finally {
      await fctx.close();
    }
  });

  await test('invalid IP 999.1.1.1: inline error, no check runs', async () => {
    await withPage(ctx, async (page, log) => {
      await page.goto(permalink(ORIGIN, {}));
      await page.waitForSelector('#check-form');
      await page.fill('#target', '999.1.1.1');
      await page.press('#target', 'Enter');
      const err = page.locator('#target-error');
      await err.waitFor();
      eq(await err.textContent(), '999.1.1.1 is not an IPv4 address: 999 is larger than 255', '#target-error text');
      eq(await err.locator('code').textContent(), '999.1.1.1', 'the address is shown as code');
      eq(await err.getAttribute('role'), 'alert', '#target-error role');
      eq(await page.getAttribute('#target', 'aria-invalid'), 'true', '#target aria-invalid');
      eq(await page.getAttribute('#target', 'aria-describedby'), 'target-error', '#target aria-describedby');
      await page.click('#run');
      await page.waitForTimeout(300);
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict');
      eq(await page.$$eval('article.card, #queries', (e) => e.length), 0, 'cards or queries shown');
      eq(log.doh.length, 0, 'DoH requests sent');
      eq(new URL(page.url()).searchParams.get('ip'), null, 'ip in the URL');
      // Typing again clears the error.
      await page.fill('#target', '192.0.2.10');
      eq(await page.$('#target-error'), null, '#target-error after editing');
    });
    // The same address in a permalink runs nothing either.
    await withPage(ctx, async (page, log) => {
      await page.goto(permalink(ORIGIN, { ip: '999.1.1.1' }));
      await page.waitForSelector('#check-form');
      await page.waitForTimeout(300);
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict of a permalink with a bad address');
      eq(log.doh.length, 0, 'DoH requests of a permalink with a bad address');
      eq(await page.inputValue('#target'), '999.1.1.1', '#target keeps the permalink text');
    });
  });

  // Our own failure is not the receivers': "could not check", the resolver named with others to
  // try, nothing about deferring mail. The cards keep RFC 8601's word (temperror).
  function couldNotCheck(r, ip) {
    eq(r.verdict, 'unchecked', 'verdict');
    eq(r.label, 'Could not check', 'verdict label');
    assert(r.headline.startsWith(`Could not check ${ip}: the resolver gave no DNS answer`), `headline: ${r.headline}`);
    for (const text of [r.headline, r.problem ?? '']) {
      assert(!/receivers|defer/.test(text), `the verdict speaks of receivers: ${text}`);
    }
  }

  await test('resolver answering HTTP 500: unchecked, "Could not check" and #resolver-problem', async () => {
    await withPage(ctx, async (page, log) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test', resolver: DOH_500 }));
      const r = await result(page);
      wellFormed(r, { queries: 'failed' });
      eq(r.sections[0]?.cards.iprev, 'temperror', 'iprev');
      eq(r.sections[0]?.cards.helo, 'temperror', 'helo');
      couldNotCheck(r, '192.0.2.10');
      assert(await page.$('[data-finding="iprev-unchecked"]'), 'finding iprev-unchecked missing');
      eq(await page.$('[data-finding="iprev-temperror"]'), null, 'finding iprev-temperror with a failed resolver');
      assert(r.problem, '#resolver-problem missing');
      for (const word of ['HTTP 500', DOH_500, 'Cloudflare', 'Google', 'Quad9']) {
        assert(r.problem.includes(word), `#resolver-problem should mention ${word}: ${r.problem}`);
      }
      assert(await page.$('#verdict #resolver-problem'), '#resolver-problem is not inside #verdict');
      assert(log.doh.length > 0 && log.doh.every((u) => u.startsWith(DOH_500)), 'requests should go to the HTTP 500 resolver only');
    }, { allowed: http500 });
  });

  await test('invalid custom resolver URL: #resolver-error, no check runs', async () => {
    await withPage(ctx, async (page, log) => {
      await page.goto(ORIGIN);
      await page.waitForSelector('#check-form');
      await page.fill('#target', '192.0.2.10');
      await page.selectOption('#resolver', 'custom');
      await page.fill('#custom-resolver', 'http://dns.example/q');
      await page.press('#custom-resolver', 'Enter');
      const err = page.locator('#resolver-error');
      await err.waitFor();
      eq(await err.textContent(), 'http://dns.example/q is not a usable DoH resolver URL: plain http is allowed only for loopback test servers; use https://', '#resolver-error text');
      eq(await page.getAttribute('#custom-resolver', 'aria-invalid'), 'true', '#custom-resolver aria-invalid');
      eq(await page.getAttribute('#custom-resolver', 'aria-describedby'), 'resolver-error', '#custom-resolver aria-describedby');
      await page.waitForTimeout(200);
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict');
      eq(log.doh.length, 0, 'DoH requests sent');
      eq(await page.evaluate(() => localStorage.getItem('sendercheck.resolver')), null, 'an invalid resolver is not remembered');
    });
  });

  // A resolver the browser cannot read (BLOCKED): the page must say so readably, and the long
  // error must not squeeze the question names (issue 12: one character per line), at desktop and
  // phone width.
  await test('unreachable resolver (CORS-blocked): unchecked, readable #resolver-problem, no stack trace, names not squeezed', async () => {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const uctx = await newContext(browser, { viewport: { width, height } });
      try {
        await withPage(uctx, async (page) => {
          await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test', resolver: BLOCKED }));
          const r = await result(page);
          wellFormed(r, { queries: 'failed' });
          eq(r.sections[0]?.cards.iprev, 'temperror', 'iprev');
          couldNotCheck(r, '192.0.2.10');
          assert(r.problem, '#resolver-problem missing');
          for (const word of [BLOCKED, 'Cloudflare', 'Google', 'Quad9']) assert(r.problem.includes(word), `#resolver-problem should mention ${word}: ${r.problem}`);
          const texts = await page.$$eval('#resolver-problem, #queries li, [data-finding]', (els) => els.map((e) => e.textContent));
          const leaky = texts.filter((t) => /wasm-function|JsValue\(|\n\s+at |\.js:\d+:\d+/.test(t));
          assert(leaky.length === 0, `a JavaScript error dump (stack trace) is shown to the user in ${leaky.length} place(s), e.g.:\n${leaky[0]?.slice(0, 400)}`);
          const longError = await page.$$eval('#queries .q-state', (els) => Math.max(...els.map((e) => e.textContent.length)));
          assert(longError > 80, `the unreachable resolver's message should be the long one: ${longError} characters`);
          eq(await squeezedNames(page), [], `question names narrower than their longest label at ${width} px`);
          const o = await overflow(page);
          assert(!o, `${width} px: ${o}`);
        }, { allowed: corsBlocked });
      } finally {
        await uctx.close();
      }
    }
  });

  // A SERVFAIL behind a working resolver (dnsdist's servfail list, testbed/README.md) is the DNS's
  // answer: temperror, the receivers' deferral explained, no resolver to replace.
  await test('SERVFAIL behind a working resolver: temperror with the receivers\' wording, no #resolver-problem', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.60', helo: 'EHLO mail.sendercheck.test' }));
      const r = await result(page);
      wellFormed(r);
      eq(r.verdict, 'temperror', 'verdict');
      eq(r.label, 'Could not tell', 'verdict label');
      eq(r.headline, 'Could not tell: a DNS lookup for 192.0.2.60 failed, so receivers would defer the mail now and retry.', 'headline');
      eq(r.problem, null, '#resolver-problem');
      eq([r.sections[0]?.cards.iprev, r.sections[0]?.cards.helo], ['temperror', 'temperror'], 'cards');
      const detail = await page.textContent('[data-finding="iprev-temperror"] .finding-detail');
      assert(/SERVFAIL/.test(detail) && /Receivers that see the same failure defer the mail/.test(detail), `iprev-temperror: ${detail}`);
      eq(await page.$('[data-finding="iprev-unchecked"]'), null, 'finding iprev-unchecked for a SERVFAIL');
      eq(await squeezedNames(page), [], 'question names narrower than their longest label');
    });
  });

  await test('export JSON and Markdown downloads follow the CLI schema', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' }));
      await result(page);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      eq(dl.suggestedFilename(), 'sendercheck-192.0.2.10.json', 'JSON file name');
      const j = JSON.parse(await readFile(await dl.path(), 'utf8'));
      // Key order is not part of the schema (serde_json sorts the keys of a Value, as the CLI prints).
      eq(Object.keys(j).sort(), ['elapsed_ms', 'findings', 'helo', 'ip', 'iprev', 'queries', 'verdict'], 'top-level keys');
      eq(j.ip, '192.0.2.10', 'ip');
      eq(j.verdict, 'pass', 'verdict');
      eq(j.iprev, { result: 'pass', ptr: ['mail.sendercheck.test'], confirmed: ['mail.sendercheck.test'], generic: false }, 'iprev');
      eq(j.helo, { name: 'mail.sendercheck.test', kind: 'fqdn', matches_ptr: true, resolves_to_ip: true, result: 'pass' }, 'helo');
      assert(j.findings.some((f) => f.id === 'iprev-pass') && j.findings.some((f) => f.id === 'helo-pass'), `finding ids: ${j.findings.map((f) => f.id)}`);
      for (const f of j.findings) {
        eq(Object.keys(f).sort(), ['check', 'detail', 'fix', 'id', 'refs', 'severity', 'title'], `keys of finding ${f.id}`);
        assert(['ok', 'info', 'warning', 'error'].includes(f.severity), `severity ${f.severity}`);
        for (const ref of f.refs) assert(typeof ref.title === 'string' && /^https:\/\//.test(ref.url), `ref ${JSON.stringify(ref)}`);
      }
      const ptrQ = j.queries.find((q) => q.type === 'PTR');
      eq(ptrQ && { name: ptrQ.name, rcode: ptrQ.rcode, ad: ptrQ.ad }, { name: '10.2.0.192.in-addr.arpa', rcode: 'NOERROR', ad: false }, 'PTR query');
      eq(ptrQ.answers.map((a) => [a.type, a.ttl, a.data]), [['PTR', 300, 'mail.sendercheck.test']], 'PTR answers');
      assert(j.queries.some((q) => q.type === 'A' && q.name === 'mail.sendercheck.test'), 'A query of the PTR name missing');
      assert(Number.isInteger(j.elapsed_ms) && j.elapsed_ms >= 0, `elapsed_ms ${j.elapsed_ms}`);

      const [md] = await Promise.all([page.waitForEvent('download'), page.click('#export-markdown')]);
      eq(md.suggestedFilename(), 'sendercheck-192.0.2.10.md', 'Markdown file name');
      const text = await readFile(await md.path(), 'utf8');
      assert(text.startsWith('## Sender Check: 192.0.2.10 (pass)'), `Markdown starts with: ${text.slice(0, 80)}`);
      assert(text.includes('iprev): **pass**') && text.includes('`mail.sendercheck.test`'), 'Markdown lacks the iprev line');
    });
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: 'mail.sendercheck.test' }));
      await result(page);
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      const j = JSON.parse(await readFile(await dl.path(), 'utf8'));
      eq(j.host, 'mail.sendercheck.test', 'host');
      eq(j.addresses.map((a) => [a.ip, a.iprev.result]).sort(), [['192.0.2.10', 'pass'], ['2001:db8::10', 'pass']], 'host addresses');
      assert(!('error' in j), 'host export has an error');
    });
  });

  await test('copy link puts the permalink on the clipboard', async () => {
    const cctx = await newContext(browser, { permissions: ['clipboard-read', 'clipboard-write'] });
    try {
      await withPage(cctx, async (page) => {
        const url = permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' });
        await page.goto(url);
        await result(page);
        await page.click('#copy-link');
        await page.waitForFunction(() => document.querySelector('#copy-link').textContent === 'Link copied');
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        eq(copied, page.url(), 'clipboard');
        eq(new URL(copied).searchParams.get('resolver'), DOH, 'resolver in the copied link');
      });
    } finally {
      await cctx.close();
    }
  });

  await test('no horizontal page overflow at 390 px (form, pass, fail with evidence open, HTTP 500, unreachable)', async () => {
    const pctx = await newContext(browser, { viewport: { width: 390, height: 844 } });
    try {
      const urls = [
        ['empty form', ORIGIN],
        ['pass', permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' })],
        ['fail', permalink(ORIGIN, { ip: '192.0.2.30', helo: 'EHLO elsewhere.sendercheck.test' })],
        ['fail v6', permalink(ORIGIN, { ip: '2001:db8::30', helo: 'EHLO [192.0.2.10]' })],
        ['host', permalink(ORIGIN, { ip: 'mail.sendercheck.test' })],
        ['HTTP 500', permalink(ORIGIN, { ip: '192.0.2.10', resolver: DOH_500 })],
        ['unreachable', permalink(ORIGIN, { ip: '192.0.2.10', resolver: BLOCKED })],
      ];
      const problems = [];
      for (const [label, url] of urls) {
        await withPage(pctx, async (page) => {
          await page.goto(url);
          if (url === ORIGIN) await page.waitForSelector('#check-form');
          else await result(page);
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          const o = await overflow(page);
          if (o) problems.push(`${label}: ${o}`);
        }, { allowed: faultyResolver });
      }
      assert(problems.length === 0, problems.join('\n'));
    } finally {
      await pctx.close();
    }
  });

  await test('screenshots: pass, fail, HTTP 500 and unreachable resolver at 1280 and 390 px, empty form and a failure in dark mode', async () => {
    const shots = [
      ['pass', permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' })],
      ['fail', permalink(ORIGIN, { ip: '192.0.2.30', helo: 'EHLO elsewhere.sendercheck.test' })],
      ['resolver-500', permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test', resolver: DOH_500 })],
      // The long network-error message in every question row (issue 12).
      ['unreachable', permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test', resolver: BLOCKED })],
    ];
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const sctx = await newContext(browser, { viewport: { width, height } });
      try {
        for (const [label, url] of shots) {
          await withPage(sctx, async (page) => {
            await page.goto(url);
            await result(page);
            await page.evaluate(() => document.querySelectorAll('details.evidence').forEach((d) => { d.open = true; }));
            await page.screenshot({ path: join(SHOTS, `${label}-${width}.png`), fullPage: true });
            eq(await squeezedNames(page), [], `${label} at ${width} px: question names narrower than their longest label`);
          }, { allowed: faultyResolver });
        }
      } finally {
        await sctx.close();
      }
      const dctx = await newContext(browser, { viewport: { width, height }, colorScheme: 'dark' });
      try {
        await withPage(dctx, async (page) => {
          await page.goto(ORIGIN);
          await page.waitForSelector('#check-form');
          await page.screenshot({ path: join(SHOTS, `dark-empty-${width}.png`), fullPage: true });
          await page.goto(shots[1][1]);
          await result(page);
          await page.screenshot({ path: join(SHOTS, `dark-fail-${width}.png`), fullPage: true });
        });
      } finally {
        await dctx.close();
      }
    }
  });

  await pasteTests({ test, withPage, result, wellFormed, eq, assert, newContext, axe, browser, ctx, ORIGIN, DOH, SHOTS, join, permalink });
  await domainTests({ test, withPage, result, eq, assert, newContext, axe, overflow, browser, ctx, ORIGIN, DOH, DOH_500, SHOTS, join, permalink, http500 });
  await followupTests({ test, withPage, result, eq, assert, newContext, axe, overflow, browser, ctx, ORIGIN, SHOTS, join, permalink });
  await timingTests({ test, withPage, newContext, browser, assert, ORIGIN, DIST });

  // axe-core runs in the page; the page's CSP (script-src 'self' + hash) would block the injected
  // inline script, so these contexts bypass CSP. The CSP itself is exercised by every other test.
  const axeCases = [
    ['empty form', ORIGIN, 'light'],
    ['empty form, dark', ORIGIN, 'dark'],
    ['pass result, evidence open', permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' }), 'light'],
    ['fail result, evidence open', permalink(ORIGIN, { ip: '192.0.2.30', helo: 'EHLO elsewhere.sendercheck.test' }), 'light'],
    ['fail result, dark, evidence open', permalink(ORIGIN, { ip: '192.0.2.30', helo: 'EHLO elsewhere.sendercheck.test' }), 'dark'],
    ['generic name + address-literal EHLO, dark', permalink(ORIGIN, { ip: '192.0.2.90', helo: 'EHLO [192.0.2.90]' }), 'dark'],
    ['HTTP 500 resolver', permalink(ORIGIN, { ip: '192.0.2.10', resolver: DOH_500 }), 'light'],
    ['unreachable resolver, dark', permalink(ORIGIN, { ip: '192.0.2.10', resolver: BLOCKED }), 'dark'],
    ['invalid address error', ORIGIN + '#bad', 'light'],
  ];
  for (const [label, url, scheme] of axeCases) {
    await test(`axe-core: ${label}`, async () => {
      const actx = await newContext(browser, { bypassCSP: true, colorScheme: scheme });
      try {
        await withPage(actx, async (page) => {
          await page.goto(url);
          await page.waitForSelector('#check-form');
          if (url.endsWith('#bad')) {
            await page.fill('#target', '999.1.1.1');
            await page.press('#target', 'Enter');
            await page.waitForSelector('#target-error');
          } else if (url !== ORIGIN) {
            await result(page);
          }
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          await axe(page, label);
        }, { allowed: faultyResolver });
      } finally {
        await actx.close();
      }
    });
  }

  await test('nothing left loopback; every page request was under the sub-path and found', async () => {
    eq(leaks, [], 'non-loopback requests (aborted)');
    const bad = server.requests.filter((r) => r.path !== '/' && (!r.path.startsWith(BASE) || r.status !== 200));
    eq(bad, [], 'static server requests outside the sub-path or not 200');
    for (const ext of ['.wasm', '.js', '.css', '.svg']) {
      assert(server.requests.some((r) => r.path.split('?')[0].endsWith(ext)), `no ${ext} request seen`);
    }
  });
} catch (e) {
  // The harness itself broke (no dist, no browser, ...): count it, still print the summary.
  failed++;
  failures.push('harness');
  console.log(`FAIL  harness: ${String(e?.stack ?? e)}`);
} finally {
  await browser?.close().catch(() => {});
  await server?.close();
}

const serious = axeReport.filter((v) => v.impact === 'serious' || v.impact === 'critical').length;
console.log(`\ne2e: screenshots in ${SHOTS}`);
console.log(`e2e: axe-core ${axeReport.length} violation(s) reported, ${serious} serious/critical`);
console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures.length) console.log(`e2e: failed: ${failures.join(' | ')}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
