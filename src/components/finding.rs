//! One finding: what was seen, why it matters, how to fix it (copyable).

use yew::prelude::*;

use crate::browser;
use crate::components::text::with_code;
use crate::state::FindingData;

/// Props of [`FindingView`].
#[derive(Properties, PartialEq)]
pub struct FindingProps {
    /// The finding.
    pub finding: FindingData,
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
    let sev = f.severity.clone();
    html! {
        <div class={classes!("finding", sev.clone())} data-finding={f.id.clone()}>
            <p class="finding-title"><span class={classes!("badge", sev.clone())}>{ sev }</span>{ with_code(&f.title) }</p>
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
                    { for f.refs.iter().enumerate().map(|(i, (title, url))| html! {
                        <>{ if i > 0 { ", " } else { "" } }<a href={url.clone()} rel="noopener noreferrer">{ title }</a></>
                    }) }
                </p>
            }
        </div>
    }
}
