// End-to-end tests of what the extras worker adds after a run: where to fix it (issue 11), a
// pasted bounce's cause and the DNS blocklists (issue 10). Called by e2e.mjs with its helpers. The
// cases are the testbed's (testbed/README.md): 198.51.100.20 has no PTR in a reverse zone whose
// name servers are DigitalOcean's; the public blocklists' zones are not served, so the testbed's
// NSD refuses them and every list is `unknown`, never "not listed".

import { HEADERS } from './paste.mjs';

// A Gmail 5.7.25 refusal for 192.0.2.10, whose reverse DNS is confirmed in the testbed: the cause
// is fixed.
export const GMAIL_BOUNCE = 'Nov 27 10:00:01 mail postfix/smtp[777]: 4AbC: to=<b@gmail.com>, relay=gmail-smtp-in.l.google.com[142.250.102.27]:25, delay=1.2, dsn=5.7.25, status=bounced (host gmail-smtp-in.l.google.com[142.250.102.27] said: 550-5.7.25 [192.0.2.10] The IP address sending this message does not have a 550-5.7.25 PTR record setup (in reply to end of DATA command))';
const KEY = 'e2ekeyabcdefghijklmnop';

export async function followupTests(h) {
  const { test, withPage, result, eq, assert, newContext, axe, overflow, browser, ctx, ORIGIN, SHOTS, join, permalink } = h;
  const NO_PTR = permalink(ORIGIN, { ip: '198.51.100.20', helo: 'EHLO mail.sendercheck.test' });

  const where = (page) => page.evaluate(() => {
    const w = document.querySelector('#where');
    if (!w) return null;
    return {
      mta: w.dataset.mta,
      zones: [...w.querySelectorAll('[data-zone]')].map((z) => `${z.dataset.zone}:${z.dataset.operator}`),
      findings: [...w.querySelectorAll('[data-finding]')].map((f) => f.dataset.finding),
      fixMta: [...w.querySelectorAll('div[data-mta]')].map((d) => d.dataset.mta),
      // The selector sits beside the EHLO field (the mail server that says EHLO is the one to fix).
      selected: document.querySelector('#ehlo')?.closest('.field')?.querySelector('select#mta')?.value ?? null,
    };
  });

  await test('where to fix it: the reverse zone\'s operator, and the MTA picked is remembered', async () => {
    const wctx = await newContext(browser);
    try {
      await withPage(wctx, async (page) => {
        await page.goto(NO_PTR);
        const r = await result(page);
        eq(r.verdict, 'fail', 'verdict');
        await page.waitForSelector('#where');
        let w = await where(page);
        assert(w.zones.includes('reverse:digitalocean'), `zones: ${w.zones}`);
        assert(w.findings.includes('where-reverse-zone'), `findings: ${w.findings}`);
        eq([w.mta, w.selected], ['', ''], 'no MTA chosen yet');
        await page.selectOption('select#mta', 'exim');
        await page.waitForSelector('#where[data-mta="exim"]');
        w = await where(page);
        eq(w.selected, 'exim', 'selected after the change');
        // The choice is remembered: a new page starts with it.
        await page.goto(NO_PTR);
        await result(page);
        await page.waitForSelector('#where[data-mta="exim"]');
        eq((await where(page)).selected, 'exim', 'the selector shows the remembered choice');
        // The export says where to fix it, from the same answers.
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
        const chunks = [];
        for await (const c of await download.createReadStream()) chunks.push(c);
        const j = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        eq([j.reverse_zone?.operator?.id, j.mta?.id], ['digitalocean', 'exim'], 'JSON reverse_zone and mta');
      });
    } finally {
      await wctx.close();
    }
  });

  await test('a passing check loads nothing more; "Check blocklists" asks every list, the Spamhaus key stays in the browser', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test' }));
      const r = await result(page);
      eq(r.verdict, 'pass', 'verdict');
      eq(await page.$('#where'), null, 'no where-to-fix section for a pass');
      await page.click('#check-blocklists');
      await page.waitForSelector('#blocklists [data-check="blocklist"]');
      const rows = await page.$$eval('#blocklists tr[data-list]', (tr) => tr.map((r) => `${r.dataset.list}=${r.dataset.result}`));
      assert(rows.length >= 8, `rows: ${rows}`);
      assert(rows.includes('zen.spamhaus.org=unknown'), `rows: ${rows}`);
      assert(rows.every((x) => !x.endsWith('=not-listed')), `a refused list must not read "not listed": ${rows}`);
      eq(await page.getAttribute('#blocklists [data-check="blocklist"]', 'data-result'), 'unknown', 'card result');
      await page.fill('#spamhaus-key', KEY);
      await page.click('#blocklists [data-value="key"]');
      await page.waitForSelector('#blocklists tr[data-list="<key>.zen.dq.spamhaus.net"]');
      const html = await page.evaluate(() => document.body.innerHTML);
      assert(!html.includes(KEY), 'the key is shown nowhere in the page');
      // Both exports carry the lists' answers, from the recorded ones, and never the key.
      const exported = async (button) => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
        const chunks = [];
        for await (const c of await download.createReadStream()) chunks.push(c);
        return Buffer.concat(chunks).toString('utf8');
      };
      const json = await exported('#export-json');
      const lists = JSON.parse(json).blocklists ?? [];
      assert(lists.length >= 8 && lists.every((l) => l.ip === '192.0.2.10' && l.result === 'unknown'), `JSON blocklists: ${json.slice(0, 400)}`);
      const md = await exported('#export-markdown');
      assert(md.includes('## Blocklists'), `Markdown: ${md.slice(-600)}`);
      assert(!json.includes(KEY) && !md.includes(KEY), 'the key is in no export');
    });
  });

  await test('the worker\'s files cannot be loaded: the page says so, and the identity check still runs', async () => {
    const wctx = await newContext(browser);
    try {
      await wctx.route((url) => url.pathname.includes('sendercheck-extras'), (route) => route.abort('failed'));
      // The aborted loads are logged as errors by the browser: those are expected here.
      const allowed = (e) => /sendercheck-extras|Failed to load resource|net::ERR_FAILED|importScripts|NetworkError/i.test(`${e.text} ${e.url ?? ''}`);
      await withPage(wctx, async (page) => {
        await page.goto(NO_PTR);
        const r = await result(page);
        eq(r.verdict, 'fail', 'the identity verdict without the worker');
        eq(r.sections[0]?.cards?.iprev, 'permerror', 'iprev card');
        // Where to fix it needs the worker: its place says why it is missing.
        const why = await page.waitForSelector('.field-error[role="alert"]', { timeout: 30000 });
        const text = await why.textContent();
        assert(text.includes("could not be loaded from this page's server"), `message: ${text}`);
        // A paste needs it too: the paste box says so and keeps the text.
        await page.fill('#paste', GMAIL_BOUNCE);
        await page.click('#paste-run');
        const err = await page.waitForSelector('#paste-error', { timeout: 30000 });
        const said = await err.textContent();
        assert(said.includes('could not be loaded'), `paste error: ${said}`);
        eq(await page.inputValue('#paste'), GMAIL_BOUNCE, 'the pasted text stays');
        // The form still checks.
        await page.fill('#target', '192.0.2.10');
        await page.fill('#ehlo', 'EHLO mail.sendercheck.test');
        await page.click('#run');
        await page.waitForSelector('#verdict[data-verdict="pass"]');
      }, { allowed });
    } finally {
      await wctx.close();
    }
  });

  await test('a pasted bounce: what the receiver said, and that its cause is fixed', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, {}));
      await page.fill('#paste', GMAIL_BOUNCE);
      await page.click('#paste-run');
      await result(page);
      await page.waitForSelector('#pasted [data-check="bounce"]:not([data-result="loading"])');
      const b = await page.$eval('#pasted [data-check="bounce"]', (c) => ({ ...c.dataset }));
      eq([b.category, b.provider, b.status, b.result], ['iprev', 'gmail', '5.7.25', 'pass'], 'bounce card');
      assert(await page.$('#pasted [data-finding="bounce-cause-fixed"]'), 'bounce-cause-fixed finding');
      eq(await page.$eval('#pasted [data-extracted="ip"]', (d) => d.textContent), '192.0.2.10', 'sending IP');
    });
  });

  await test('scorecard: a row per check, each linking to its card; passing cards folded', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, {
        ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test', domain: 'pass.dom.sendercheck.test', dkim: 'rsa2048',
      }));
      await result(page);
      await page.waitForSelector('#sending-domain[data-domain]');
      await page.click('#check-blocklists');
      await page.waitForSelector('#blocklists [data-check="blocklist"]');
      await page.waitForSelector('[data-summary] li[data-check="blocklist"]');
      const rows = await page.$$eval('[data-summary] li[data-check]', (li) => li.map((r) => ({
        check: r.dataset.check, result: r.dataset.result,
        target: !!document.getElementById(r.querySelector('a').getAttribute('href').slice(1)),
      })));
      eq(rows.map((r) => r.check), ['iprev', 'helo', 'blocklist', 'spf', 'spf', 'dmarc', 'dkim', 'alignment', 'mx', 'requirements'], 'rows');
      eq(rows.filter((r) => !r.target).map((r) => r.check), [], 'rows whose link has no card');
      eq([rows[0].result, rows[1].result, rows.find((r) => r.check === 'spf').result], ['pass', 'pass', 'pass'], 'identity and SPF rows');
      eq(rows.find((r) => r.check === 'blocklist').result, 'unknown', 'blocklist row (the testbed refuses the public lists)');
      // A passing card folds its details; the scorecard row says it all.
      eq(await page.$eval('article[data-check="iprev"] details.card-more', (d) => d.open), false, 'iprev details folded');
      // The row links to the card.
      await page.click('[data-summary] li[data-check="dmarc"] a');
      await page.waitForFunction(() => location.hash === '#d-dmarc');
    });
  });

  for (const [width, height] of [[1280, 900], [390, 844]]) {
    await test(`the verdict comes into view and takes the focus after Enter, "Try it with a known server", "Read and check" and "Check this hop", and stays put when in view (${width} px)`, async () => {
      const vctx = await newContext(browser, { viewport: { width, height } });
      try {
        await withPage(vctx, async (page) => {
          await page.goto(permalink(ORIGIN, {}));
          await page.fill('#target', '192.0.2.10');
          await page.press('#target', 'Enter');
          await result(page);
          const seen = () => page.evaluate(() => {
            const r = document.querySelector('#verdict').getBoundingClientRect();
            return { top: Math.round(r.top), height: innerHeight, focused: document.activeElement?.id ?? null };
          });
          let v = await seen();
          assert(v.top >= 0 && v.top < v.height, `verdict at ${v.top} in a ${v.height} px window`);
          eq(v.focused, 'verdict', 'focus');
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.click('#try-known');
          eq([await page.inputValue('#target'), await page.inputValue('#ehlo')], ['209.85.218.48', 'EHLO mail-oi0-f48.google.com'], 'the known server fills the form');
          await page.waitForFunction(() => document.querySelector('#verdict')?.dataset.verdict !== 'idle'
            && document.querySelector('section.address[data-ip="209.85.218.48"]'));
          v = await seen();
          assert(v.top >= 0 && v.top < v.height, `verdict at ${v.top} in a ${v.height} px window after the known server`);
          // "Read and check", clicked at the bottom of the paste box, below the verdict (the click
          // scrolls to it).
          await page.fill('#paste', HEADERS);
          await page.click('#paste-run');
          await page.waitForFunction(() => document.querySelector('section.address[data-ip="192.0.2.30"]'));
          await result(page);
          v = await seen();
          assert(v.top >= 0 && v.top < v.height, `verdict at ${v.top} in a ${v.height} px window after "Read and check"`);
          eq(v.focused, 'verdict', 'focus after "Read and check"');
          // "Check this hop", in the Received table under the results (the click scrolls to it;
          // it retries while the worker's panel replaces the table).
          await page.click('tr[data-role="sender"] button.pick');
          await page.waitForFunction(() => document.querySelector('section.address[data-ip="192.0.2.10"]'));
          await result(page);
          v = await seen();
          assert(v.top >= 0 && v.top < v.height, `verdict at ${v.top} in a ${v.height} px window after "Check this hop"`);
          // Already in view near the top: a new check does not move the page.
          await page.evaluate(() => {
            const r = document.querySelector('#verdict').getBoundingClientRect();
            window.scrollBy(0, r.top - 40);
          });
          const before = await page.evaluate(() => Math.round(window.scrollY));
          // Typed without scrolling the field into view (a user who stays where the results are).
          await page.evaluate(() => {
            const t = document.querySelector('#target');
            t.value = '192.0.2.30';
            t.dispatchEvent(new Event('input', { bubbles: true }));
            document.querySelector('#check-form').requestSubmit();
          });
          await page.waitForFunction(() => document.querySelector('section.address[data-ip="192.0.2.30"]'));
          await result(page);
          eq(await page.evaluate(() => Math.round(window.scrollY)), before, 'no jump when the verdict is in view');
        });
      } finally {
        await vctx.close();
      }
    });
  }

  await test('where to fix it, blocklists and a bounce: no overflow at 390 px; screenshots; axe', async () => {
    const problems = [];
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const sctx = await newContext(browser, { viewport: { width, height }, bypassCSP: true });
      try {
        await withPage(sctx, async (page) => {
          await page.goto(NO_PTR);
          await result(page);
          await page.waitForSelector('#where');
          await page.click('#check-blocklists');
          await page.waitForSelector('#blocklists [data-check="blocklist"]');
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          const o = await overflow(page);
          if (o) problems.push(`where+blocklists at ${width}: ${o}`);
          await page.locator('#where').screenshot({ path: join(SHOTS, `where-${width}.png`) });
          await page.locator('#blocklists').screenshot({ path: join(SHOTS, `blocklists-${width}.png`) });
          if (width === 390) await axe(page, 'where to fix it and blocklists');
          await page.goto(permalink(ORIGIN, {}));
          await page.fill('#paste', GMAIL_BOUNCE);
          await page.click('#paste-run');
          await result(page);
          await page.waitForSelector('#pasted [data-check="bounce"]:not([data-result="loading"])');
          const o2 = await overflow(page);
          if (o2) problems.push(`bounce at ${width}: ${o2}`);
          await page.locator('#pasted').screenshot({ path: join(SHOTS, `bounce-${width}.png`) });
          if (width === 390) await axe(page, 'pasted bounce');
        });
      } finally {
        await sctx.close();
      }
    }
    assert(problems.length === 0, problems.join('\n'));
  });
}
