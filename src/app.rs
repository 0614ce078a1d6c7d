//! The root component.

use yew::prelude::*;

/// The page: a placeholder until the check form lands.
#[component]
pub fn App() -> Html {
    let resolver = sendercheck_doh::DEFAULT_RESOLVER;
    html! {
        <main class="page">
            <h1>{ "Sender Check" }</h1>
            <p>
                { "Will Gmail, Yahoo and Fastmail accept mail from your server? This page will check its reverse DNS \
                   (forward-confirmed, RFC 8601 iprev) and its EHLO name through a DNS-over-HTTPS resolver (" }
                <code>{ resolver }</code>{ ")." }
            </p>
            <p>{ "Until the form lands, the command-line tool runs the same checks:" }</p>
            <pre><code>{ "sendercheck ip 192.0.2.10 --helo \"EHLO mail.example.com\"" }</code></pre>
        </main>
    }
}
