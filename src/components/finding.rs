//! One finding: what was seen, why it matters, how to fix it (copyable).

use sendercheck_core::Finding;
use yew::prelude::*;

use crate::browser;
use crate::components::text::with_code;

/// Props of [`FindingView`].
#[derive(Properties, PartialEq)]
pub struct FindingProps {
    /// The finding.
    pub finding: Finding,
}

/// A finding.
#[component]
pub fn FindingView(props: &FindingProps) -> Html {
    let f = &props.finding;
    let copied = use_state(|| false);
    let oncopy = {
        let fix = f.fix.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            let (fix, copied) = (fix.clone(), copied.clone());
            yew::platform::spawn_local(async move { copied.set(browser::copy_text(&fix).await) });
        })
    };
    let sev = f.severity.as_str();
    html! {
        <div class={classes!("finding", sev)} data-finding={f.id}>
            <p class="finding-title"><span class={classes!("badge", sev)}>{ sev }</span>{ with_code(&f.title) }</p>
            <p class="finding-detail">{ with_code(&f.detail) }</p>
            if !f.fix.is_empty() {
                <div class="fix">
                    <div class="fix-head">
                        <span>{ "How to fix" }</span>
                        <button type="button" class="copy" onclick={oncopy} aria-label={format!("Copy the fix for: {}", f.title)}>
                            { if *copied { "Copied" } else { "Copy" } }
                        </button>
                    </div>
                    <pre><code>{ &f.fix }</code></pre>
                </div>
            }
            if !f.refs.is_empty() {
                <p class="refs">{ "See " }
                    { for f.refs.iter().enumerate().map(|(i, r)| html! {
                        <>{ if i > 0 { ", " } else { "" } }<a href={r.url} rel="noopener noreferrer">{ r.title }</a></>
                    }) }
                </p>
            }
        </div>
    }
}
