//! Why Sender Address Verification (callouts) hurts the sender, and how to turn it off. Static
//! text, so it is markup as text (the root shows it as it is): as a component it cost the first
//! load 2 KB gzip of wasm.

/// The section, as markup.
pub const SAV: &str = r#"<section id="sav" class="sav" aria-labelledby="sav-title"><h2 id="sav-title" class="section-title">Don't use Sender Address Verification (callouts)</h2><p>A callout makes your server connect back to the sender's mail server and start a delivery (MAIL FROM:&lt;&gt;, RCPT TO) to see whether the sender address exists, then hang up. To the server you call, that looks like a dictionary-harvest attack: many half-finished deliveries probing addresses. Large providers rate-limit or block servers that do it, so callouts end up hurting your own reputation and delivery, and they delay or lose legitimate mail when the other side is slow or greylists.</p><p>Use SPF, DKIM and DMARC to judge sender addresses instead.</p><div class="sav-fix"><h3>Postfix (main.cf)</h3><p>Remove <code>reject_unverified_sender</code> from <code>smtpd_sender_restrictions</code> (and any other smtpd_*_restrictions), then <code>postfix reload</code>. The address_verify_* settings then do nothing.</p><pre><code># before
smtpd_sender_restrictions = reject_unknown_sender_domain, reject_unverified_sender
# after
smtpd_sender_restrictions = reject_unknown_sender_domain</code></pre><h3>Exim (ACLs)</h3><p>Remove <code>callout</code> from <code>verify = sender</code> in acl_smtp_rcpt (plain <code>verify = sender</code> checks the domain without connecting anywhere).</p><pre><code># before
require verify = sender/callout
# after
require verify = sender</code></pre><p class="refs">See <a href="https://www.postfix.org/ADDRESS_VERIFICATION_README.html">Postfix address verification</a>, <a href="https://www.exim.org/exim-html-current/doc/html/spec_html/ch-access_control_lists.html">Exim ACLs: callout verification</a>.</p></div></section>"#;
