// End-to-end tests of the paste box (issue: paste headers, logs and configs). Called by e2e.mjs
// with its helpers; every paste names testbed addresses and names, so the checks run against the
// NSD + dnsdist testbed like the permalink cases.

// Gmail-style headers: the receiver's internal hop, the entry hop from 192.0.2.30 (whose PTR does
// not confirm), and a sender-side relay hop from 192.0.2.10 (which passes). The receiver's own
// Authentication-Results say iprev=pass, so the page must call out the disagreement.
export const HEADERS = `Delivered-To: bob@gmail.com
Received: by 2002:a05:7300:a4a0:b0:1a5:5b2a:9c4 with SMTP id qz32csp1234dyb;
        Fri, 27 Nov 2026 02:00:01 -0800 (PST)
Received: from mail.sendercheck.test (mismatch.sendercheck.test. [192.0.2.30])
        by mx.google.com with ESMTPS id abc.123.2026.11.27.02.00.00
        for <bob@gmail.com>
        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);
        Fri, 27 Nov 2026 02:00:00 -0800 (PST)
Received-SPF: pass (google.com: domain of alice@sendercheck.test designates 192.0.2.30 as permitted sender) client-ip=192.0.2.30;
Authentication-Results: mx.google.com;
       iprev=pass policy.iprev=192.0.2.30;
       spf=pass (google.com: domain of alice@sendercheck.test designates 192.0.2.30 as permitted sender) smtp.mailfrom=alice@sendercheck.test;
       dkim=pass header.i=@sendercheck.test header.s=s1;
       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=sendercheck.test
Received: from mail.sendercheck.test (mail.sendercheck.test [192.0.2.10])
        by relay.sendercheck.test (Postfix) with ESMTPS id 4AbCd;
        Fri, 27 Nov 2026 10:00:00 +0000 (UTC)
From: Alice <alice@sendercheck.test>
To: bob@gmail.com
Subject: hello

Body text.
`;

export const POSTFIX_LOG =
  'Nov 27 10:00:00 mx postfix/smtpd[1234]: NOQUEUE: reject: RCPT from unknown[192.0.2.50]: 450 4.7.1 Client host rejected: cannot find your reverse hostname, [192.0.2.50]; from=<alice@sendercheck.test> to=<bob@example.net> proto=ESMTP helo=<mail.sendercheck.test>';

export const MAIN_CF = `# /etc/postfix/main.cf
myhostname = mail.sendercheck.test
smtpd_sender_restrictions = permit_mynetworks,
    reject_unknown_sender_domain,
    reject_unverified_sender
address_verify_map = btree:$data_directory/verify_cache
`;

// Proofpoint in front of the receiver, the sender's relay 192.0.2.10 (which passes in the
// testbed), and the user's own device submitting to it (ESMTPSA).
const FILTERED = `Received: from mx0b-00123401.pphosted.com (mx0b-00123401.pphosted.com [148.163.158.5]) by mail.example.co.jp (Postfix) with ESMTPS id 1; Fri, 27 Nov 2026 10:00:02 +0000
Received: from mail.sendercheck.test (mail.sendercheck.test [192.0.2.10]) by mx0b-00123401.pphosted.com with ESMTPS id 2; Fri, 27 Nov 2026 10:00:01 +0000
Received: from [192.168.1.20] (dsl.example.net [198.51.100.9]) by mail.sendercheck.test (Postfix) with ESMTPSA id 3; Fri, 27 Nov 2026 10:00:00 +0000
`;

// What the paste panel and the results show, as the DOM contract exposes it.
async function pasted(page) {
  return page.evaluate(() => {
    const p = document.querySelector('#pasted');
    if (!p) return null;
    const field = (k) => p.querySelector(`[data-extracted="${k}"]`)?.textContent ?? null;
    return {
      format: p.dataset.format,
      ip: field('ip'),
      helo: field('helo'),
      rdns: field('rdns_seen'),
      sav: field('sav'),
      roles: [...p.querySelectorAll('tr[data-role]')].map((r) => r.dataset.role),
      chosen: [...p.querySelectorAll('tr[data-role]')].findIndex((r) => r.dataset.chosen === 'true'),
      receiver: p.querySelector('[data-check="receiver"]')?.dataset.result ?? null,
      savCard: p.querySelector('[data-check="sav"]')?.dataset.result ?? null,
      methods: [...p.querySelectorAll('tr[data-method]')].map((r) => `${r.dataset.method}=${r.dataset.result}`),
      findings: [...p.querySelectorAll('[data-finding]')].map((f) => f.dataset.finding).sort(),
      target: document.querySelector('#target').value,
      ehlo: document.querySelector('#ehlo').value,
    };
  });
}

async function pasteAndRun(page, text) {
  await page.fill('#paste', text);
  await page.click('#paste-run');
}

export async function pasteTests(h) {
  const { test, withPage, result, wellFormed, eq, assert, newContext, axe, browser, ctx, ORIGIN, DOH, SHOTS, join, permalink } = h;
  const start = (page) => page.goto(permalink(ORIGIN, {})).then(() => page.waitForSelector('#paste'));

  await test('paste: Gmail headers -> entry hop 192.0.2.30 fails, the receiver said iprev=pass; check another hop', async () => {
    await withPage(ctx, async (page, log) => {
      await start(page);
      await pasteAndRun(page, HEADERS);
      let r = await result(page);
      wellFormed(r);
      eq(r.sections.map((s) => [s.ip, s.cards.iprev, s.cards.helo]), [['192.0.2.30', 'fail', 'fail']], 'cards of the entry hop');
      eq(r.verdict, 'fail', 'verdict');
      const p = await pasted(page);
      eq(
        { format: p.format, ip: p.ip, helo: p.helo, rdns: p.rdns, sav: p.sav, roles: p.roles, chosen: p.chosen, receiver: p.receiver },
        { format: 'headers', ip: '192.0.2.30', helo: 'mail.sendercheck.test', rdns: 'mismatch.sendercheck.test', sav: null,
          roles: ['receiver', 'entry', 'sender'], chosen: 1, receiver: 'differs' },
        'paste panel',
      );
      eq(p.methods, ['spf=pass', 'iprev=pass', 'spf=pass', 'dkim=pass', 'dmarc=pass'], 'receiver rows');
      eq(p.findings, ['receiver-iprev-differs', 'receiver-rdns-differs', 'receiver-results'], 'receiver findings');
      eq([p.target, p.ehlo], ['192.0.2.30', 'mail.sendercheck.test'], 'form fields filled from the paste');
      const q = new URL(page.url()).searchParams;
      eq([q.get('ip'), q.get('helo')], ['192.0.2.30', 'mail.sendercheck.test'], 'permalink of the pasted check (no pasted text in it)');
      assert(!page.url().includes('Received'), 'the pasted text must not reach the URL');
      assert(log.doh.length > 0, 'no DoH request reached the testbed');

      // The sender-side relay hop: 192.0.2.10 passes.
      await page.click('tr[data-role="sender"] button.pick');
      await page.waitForFunction(() => document.querySelector('section.address[data-ip="192.0.2.10"]'));
      r = await result(page);
      wellFormed(r);
      eq(r.sections.map((s) => [s.ip, s.cards.iprev, s.cards.helo]), [['192.0.2.10', 'pass', 'pass']], 'cards of the picked hop');
      const p2 = await pasted(page);
      eq([p2.chosen, p2.ip, p2.receiver], [2, '192.0.2.10', 'differs'], 'picked hop, and the receiver judged another address');
      assert(p2.findings.includes('receiver-ip-differs'), `receiver-ip-differs missing: ${p2.findings}`);
      eq(await page.textContent('.pasted-reason'), 'Received header 3 was picked by hand.', 'reason after picking');
    });
  });

  await test('paste: Postfix reject log line -> 192.0.2.50 permerror, EHLO name from helo=<…>', async () => {
    await withPage(ctx, async (page) => {
      await start(page);
      await pasteAndRun(page, POSTFIX_LOG);
      const r = await result(page);
      wellFormed(r);
      eq(r.sections.map((s) => [s.ip, s.cards.iprev, s.cards.helo]), [['192.0.2.50', 'permerror', 'fail']], 'cards');
      eq(r.verdict, 'fail', 'verdict');
      const p = await pasted(page);
      eq([p.format, p.ip, p.helo, p.rdns, p.roles], ['postfix-log', '192.0.2.50', 'mail.sendercheck.test', 'none (the receiver found no verified name)', []], 'paste panel');
      assert((await page.textContent('.pasted-reason')).startsWith('Line 1 names the client:'), 'reason names the line');
    });
  });

  await test('paste: main.cf with reject_unverified_sender -> SAV card with the line to change; myhostname checked as a host', async () => {
    await withPage(ctx, async (page) => {
      await start(page);
      await pasteAndRun(page, MAIN_CF);
      const r = await result(page);
      wellFormed(r);
      eq(r.sections.map((s) => [s.ip, s.cards.iprev, s.cards.helo]).sort(), [['192.0.2.10', 'pass', 'pass'], ['2001:db8::10', 'pass', 'pass']], 'every address of myhostname');
      eq(r.verdict, 'pass', 'verdict (callouts are a warning, not a rejection)');
      const p = await pasted(page);
      eq([p.format, p.ip, p.helo, p.sav, p.savCard, p.findings], ['postfix-config', 'not in the paste; every address of mail.sendercheck.test is checked', 'mail.sendercheck.test', 'on', 'fail', ['sav-callout']], 'paste panel');
      const fix = await page.textContent('[data-finding="sav-callout"] .fix pre');
      assert(fix.includes('# line 3, before\nsmtpd_sender_restrictions = permit_mynetworks, reject_unknown_sender_domain, reject_unverified_sender\n# after\nsmtpd_sender_restrictions = permit_mynetworks, reject_unknown_sender_domain'), `SAV fix: ${fix}`);
      const settings = await page.$$eval('.settings li', (li) => li.map((l) => l.textContent));
      eq(settings, ['line 2myhostname = mail.sendercheck.test', 'line 6address_verify_map = btree:$data_directory/verify_cache'], 'settings read');
    });
  });

  await test('paste: unrecognised text stays in the box, the formats are listed, nothing is asked', async () => {
    await withPage(ctx, async (page, log) => {
      await start(page);
      await pasteAndRun(page, 'Hi, my mail to Gmail bounces. Can you help?');
      const err = page.locator('#paste-error');
      await err.waitFor();
      assert((await err.textContent()).startsWith('The paste has no bounce or SMTP reply, no Received header'), 'error text');
      eq(await page.$$eval('#paste-error li[data-format]', (li) => li.map((l) => l.dataset.format)),
        ['bounce', 'headers', 'postfix-log', 'exim-log', 'postfix-config', 'exim-config', 'ehlo'], 'formats listed');
      eq(await page.inputValue('#paste'), 'Hi, my mail to Gmail bounces. Can you help?', 'text kept');
      eq(await page.getAttribute('#paste', 'aria-invalid'), 'true', 'aria-invalid');
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict');
      eq(log.doh.length, 0, 'DoH requests');
    });
  });

  await test('paste: 1 MB of log lines, pasted with Ctrl+V, is read at once and the page stays responsive', async () => {
    const cctx = await newContext(browser);
    try {
      await cctx.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(ORIGIN).origin });
      await withPage(cctx, async (page) => {
        await start(page);
        const line = 'Nov 27 10:00:00 mx postfix/smtpd[1234]: connect from mail.sendercheck.test[192.0.2.10]\n';
        const big = line.repeat(Math.ceil((1 << 20) / line.length));
        await page.evaluate((v) => navigator.clipboard.writeText(v), big);
        await page.focus('#paste');
        const tPaste = Date.now();
        await page.keyboard.press('Control+V');
        await page.waitForFunction((n) => document.querySelector('#paste').value.length === n, big.length);
        const pasteMs = Date.now() - tPaste;
        await page.evaluate(() => {
          window.__longTasks = [];
          new PerformanceObserver((l) => window.__longTasks.push(...l.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
        });
        const t0 = Date.now();
        await page.click('#paste-run');
        const r = await result(page);
        const ms = Date.now() - t0;
        eq(r.sections.map((s) => [s.ip, s.cards.iprev]), [['192.0.2.10', 'pass']], 'cards');
        const longest = await page.evaluate(() => Math.max(0, ...window.__longTasks));
        console.log(`      1 MB paste (${big.length} bytes): Ctrl+V into the box ${pasteMs} ms, click to result ${ms} ms, longest main-thread task after the click ${Math.round(longest)} ms`);
        assert(longest < 2000, `the page froze for ${Math.round(longest)} ms`);
        // Still usable: the form takes another check, which replaces the paste panel.
        await page.fill('#target', '192.0.2.30');
        await page.click('#run');
        await page.waitForFunction(() => document.querySelector('section.address[data-ip="192.0.2.30"]'));
        eq(await page.$('#pasted'), null, 'paste panel after a check from the form');
      });
    } finally {
      await cctx.close();
    }
  });

  await test('paste: a filtering service in front of the receiver and a submission from a device get their roles', async () => {
    await withPage(ctx, async (page) => {
      await start(page);
      await pasteAndRun(page, FILTERED);
      const r = await result(page);
      eq(r.verdict, 'pass', 'the relay 192.0.2.10 is checked, not the filter or the device');
      const p = await pasted(page);
      eq([p.roles, p.chosen, p.ip], [['filter', 'entry', 'submission'], 1, '192.0.2.10'], 'roles and the hop checked');
      const why = await page.textContent('tr[data-role="filter"] .why');
      assert(why.includes('Proofpoint'), `filter row: ${why}`);
      assert((await page.textContent('#pasted')).includes('Proofpoint accepted it for example.co.jp'), 'the report says who accepted it');
    });
  });

  await test('paste: no horizontal overflow at 390 px; screenshots of pasted headers and config', async () => {
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const sctx = await newContext(browser, { viewport: { width, height } });
      try {
        for (const [label, text] of [['paste-headers', HEADERS], ['paste-config', MAIN_CF], ['paste-filter', FILTERED]]) {
          await withPage(sctx, async (page) => {
            await start(page);
            await pasteAndRun(page, text);
            await result(page);
            const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
            eq(over, 0, `horizontal overflow of ${label} at ${width} px`);
            await page.screenshot({ path: join(SHOTS, `${label}-${width}.png`), fullPage: true });
          });
        }
      } finally {
        await sctx.close();
      }
    }
  });

  for (const [label, text, scheme] of [['pasted headers', HEADERS, 'light'], ['pasted headers, dark', HEADERS, 'dark'], ['pasted config', MAIN_CF, 'light'], ['unrecognised paste', 'junk junk', 'light']]) {
    await test(`axe-core: ${label}`, async () => {
      const actx = await newContext(browser, { bypassCSP: true, colorScheme: scheme });
      try {
        await withPage(actx, async (page) => {
          await start(page);
          await pasteAndRun(page, text);
          if (text === 'junk junk') await page.waitForSelector('#paste-error');
          else await result(page);
          await axe(page, label);
        });
      } finally {
        await actx.close();
      }
    });
  }
}
