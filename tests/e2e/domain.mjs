// End-to-end tests of the sending domain (issue: SPF for this IP, DKIM keys, DMARC, alignment,
// and each provider's requirements). Called by e2e.mjs with its helpers. The domains are the
// testbed's dom.sendercheck.test cases (testbed/zones/dom.sendercheck.test.zone); the extras
// worker asks the testbed's DoH server for them while the page checks the address.

// Headers of a message from pass.dom.sendercheck.test, signed with its 2048-bit key, sent by
// mail.sendercheck.test (192.0.2.10).
export const SIGNED = `Received: from mail.sendercheck.test (mail.sendercheck.test [192.0.2.10])
        by mx.example.net (Postfix) with ESMTPS id 4AbCd;
        Fri, 27 Nov 2026 10:00:00 +0000 (UTC)
Return-Path: <bounce@pass.dom.sendercheck.test>
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=pass.dom.sendercheck.test; s=rsa2048;
        h=from:to:subject; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=; b=dGVzdA==
From: Alice <alice@pass.dom.sendercheck.test>
To: bob@example.net
Subject: hello

Body.
`;

const DONE = '#sending-domain[data-verdict]:not([data-verdict="loading"])';

// The domain panel as its DOM contract exposes it.
async function domainPanel(page) {
  await page.waitForSelector(DONE, { state: 'attached' });
  return page.evaluate(() => {
    const d = document.querySelector('#sending-domain');
    const card = (sel) => [...d.querySelectorAll(sel)].map((c) => c.dataset.result);
    return {
      domain: d.dataset.domain ?? null,
      verdict: d.dataset.verdict,
      spf: card('[data-check="spf"][data-identity="mail-from"]')[0] ?? null,
      heloSpf: card('[data-check="spf"][data-identity="helo"]')[0] ?? null,
      dmarc: card('[data-check="dmarc"]')[0] ?? null,
      policy: d.querySelector('[data-check="dmarc"]')?.dataset.policy ?? null,
      dkim: Object.fromEntries([...d.querySelectorAll('[data-check="dkim"]')].map((c) => [c.dataset.selector, c.dataset.result])),
      alignment: card('[data-check="alignment"]')[0] ?? null,
      mx: card('[data-check="mx"]')[0] ?? null,
      requirements: Object.fromEntries([...d.querySelectorAll('tr[data-requirement]')]
        .map((r) => [`${r.dataset.provider}/${r.dataset.requirement}`, r.dataset.result])),
      trace: [...d.querySelectorAll('[data-identity="mail-from"] .spf-call > .spf-head code')].map((c) => c.textContent),
      findings: [...d.querySelectorAll('[data-finding]')].map((f) => f.dataset.finding),
      error: d.querySelector('.field-error')?.textContent ?? null,
    };
  });
}

export async function domainTests(h) {
  const { test, withPage, result, eq, assert, newContext, axe, overflow, browser, ctx, ORIGIN, DOH, DOH_500, SHOTS, join, permalink, http500 } = h;
  const PASS = permalink(ORIGIN, {
    ip: '192.0.2.10', helo: 'EHLO mail.sendercheck.test',
    domain: 'alice@pass.dom.sendercheck.test', dkim: 'rsa2048, rsa512',
  });

  await test('domain: permalink -> SPF, DMARC, DKIM keys, alignment, MX and the requirements table', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(PASS);
      const r = await result(page);
      eq(r.verdict, 'pass', 'identity verdict');
      const d = await domainPanel(page);
      eq([d.domain, d.spf, d.heloSpf, d.dmarc, d.policy, d.alignment, d.mx],
        ['pass.dom.sendercheck.test', 'pass', 'none', 'pass', 'reject', 'pass', 'pass'], 'cards');
      eq(d.dkim, { rsa2048: 'pass', rsa512: 'fail' }, 'DKIM cards');
      eq(d.verdict, 'fail', 'domain verdict (a 512-bit key)');
      // The address's FCrDNS and EHLO results feed the table.
      eq([d.requirements['gmail/fcrdns'], d.requirements['fastmail/fcrdns-helo'], d.requirements['gmail/dkim-key-length'], d.requirements['gmail/tls']],
        ['pass', 'pass', 'fail', 'unknown'], 'requirement rows');
      assert(Object.keys(d.requirements).length > 30, `requirement rows: ${Object.keys(d.requirements).length}`);
      assert(d.findings.includes('dkim-short-key'), `findings: ${d.findings}`);
      eq(await page.inputValue('#domain'), 'alice@pass.dom.sendercheck.test', '#domain field');
      eq(await page.inputValue('#dkim'), 'rsa2048, rsa512', '#dkim field');
      // Gmail's table opens by itself: one of its rows failed.
      eq(await page.$eval('details.provider[data-provider="gmail"]', (e) => e.open), true, 'Gmail table open');
      assert(await page.isVisible('tr[data-requirement="dkim-key-length"][data-provider="gmail"] .reply'), 'failure reply shown');
    });
  });

  await test('domain: the form checks a three-level include tree; the trace shows every level', async () => {
    await withPage(ctx, async (page, log) => {
      await page.goto(permalink(ORIGIN, {}));
      await page.fill('#target', '192.0.2.10');
      await page.fill('#domain', 'chain.dom.sendercheck.test');
      await page.press('#domain', 'Enter');
      await result(page);
      const d = await domainPanel(page);
      eq([d.spf, d.dmarc, d.policy], ['pass', 'pass', 'none'], 'SPF, DMARC');
      eq(d.trace, ['chain.dom.sendercheck.test', 'l1.dom.sendercheck.test', 'l2.dom.sendercheck.test', 'l3.dom.sendercheck.test'], 'trace levels');
      const search = await page.evaluate(() => location.search);
      assert(search.includes('domain=chain.dom.sendercheck.test'), `permalink ${search}`);
      assert(log.doh.some((u) => u.includes('dns=')), 'DoH requests seen');
    });
  });

  await test('domain: a bad domain or selector is an error by its field; nothing is asked', async () => {
    await withPage(ctx, async (page, log) => {
      await page.goto(permalink(ORIGIN, {}));
      await page.fill('#target', '192.0.2.10');
      await page.fill('#domain', 'not a domain');
      await page.press('#domain', 'Enter');
      await page.waitForSelector('#domain-error');
      assert((await page.textContent('#domain-error')).includes('is not a valid domain name'), 'domain error');
      eq(await page.getAttribute('#domain', 'aria-invalid'), 'true', 'aria-invalid');
      await page.fill('#domain', '192.0.2.1');
      await page.click('#run');
      await page.waitForFunction(() => document.querySelector('#domain-error')?.textContent.includes('is an address'));
      await page.fill('#domain', '');
      await page.fill('#dkim', 'rsa2048');
      await page.click('#run');
      await page.waitForFunction(() => document.querySelector('#domain-error')?.textContent.includes('Give the sending domain'));
      eq(await page.getAttribute('#verdict', 'data-verdict'), 'idle', 'verdict');
      eq(log.doh.length, 0, 'DoH requests');
    });
  });

  await test('domain: a bad DKIM selector is named in the domain panel; the address is still checked', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', domain: 'pass.dom.sendercheck.test', dkim: 'rsa2048, s@1' }));
      const r = await result(page);
      eq(r.verdict, 'pass', 'identity verdict');
      const d = await domainPanel(page);
      eq(d.verdict, 'error', 'domain panel');
      assert(d.error.includes('`s@1` is not a DKIM selector') || d.error.includes('s@1 is not a DKIM selector'), `error: ${d.error}`);
    });
  });

  await test('domain: pasted headers fill the domain and selector; the export holds the domain', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, {}));
      await page.fill('#paste', SIGNED);
      await page.click('#paste-run');
      await result(page);
      const d = await domainPanel(page);
      eq([d.domain, d.spf, d.dmarc], ['pass.dom.sendercheck.test', 'pass', 'pass'], 'cards');
      eq(d.dkim, { rsa2048: 'pass' }, 'DKIM from the signature');
      eq(await page.inputValue('#domain'), 'pass.dom.sendercheck.test', '#domain field');
      eq(await page.inputValue('#dkim'), 'rsa2048:pass.dom.sendercheck.test', '#dkim field');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
      const chunks = [];
      for await (const c of await download.createReadStream()) chunks.push(c);
      const j = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      eq([j.extracted.format, j.domain.name, j.domain.spf.result, j.domain.mail_from],
        ['headers', 'pass.dom.sendercheck.test', 'pass', 'bounce@pass.dom.sendercheck.test'], 'JSON');
      assert(j.requirements.some((r) => r.provider === 'gmail' && r.id === 'fcrdns' && r.result === 'pass'), 'requirements in JSON');
    });
  });

  // The resolver's own failure: the domain could not be checked (`unchecked`); DMARC keeps its
  // RFC word, temperror.
  await test('domain: a failing resolver leaves the domain unchecked, not a crash', async () => {
    await withPage(ctx, async (page) => {
      await page.goto(permalink(ORIGIN, { ip: '192.0.2.10', domain: 'pass.dom.sendercheck.test', resolver: DOH_500 }));
      await result(page);
      const d = await domainPanel(page);
      eq([d.verdict, d.dmarc], ['unchecked', 'temperror'], 'domain verdict, DMARC');
    }, { allowed: http500 });
  });

  await test('domain: no horizontal overflow at 390 px with the trace and tables open; screenshots', async () => {
    const problems = [];
    for (const [width, height] of [[1280, 900], [390, 844]]) {
      const sctx = await newContext(browser, { viewport: { width, height } });
      try {
        for (const [label, url] of [
          ['domain', PASS],
          ['domain-chain', permalink(ORIGIN, { ip: '192.0.2.10', domain: 'chain.dom.sendercheck.test', dkim: 'cname' })],
        ]) {
          await withPage(sctx, async (page) => {
            await page.goto(url);
            await result(page);
            await domainPanel(page);
            await page.evaluate(() => document.querySelectorAll('#sending-domain details').forEach((d) => { d.open = true; }));
            const o = await overflow(page);
            if (o) problems.push(`${label} at ${width}: ${o}`);
            await page.locator('#sending-domain').screenshot({ path: join(SHOTS, `${label}-${width}.png`) });
          });
        }
      } finally {
        await sctx.close();
      }
    }
    assert(problems.length === 0, problems.join('\n'));
  });

  for (const scheme of ['light', 'dark']) {
    await test(`axe-core: sending domain, every table open, ${scheme}`, async () => {
      const actx = await newContext(browser, { bypassCSP: true, colorScheme: scheme });
      try {
        await withPage(actx, async (page) => {
          await page.goto(PASS);
          await result(page);
          await domainPanel(page);
          await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
          await axe(page, `sending domain, ${scheme}`);
        });
      } finally {
        await actx.close();
      }
    });
  }
}
