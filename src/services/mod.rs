//! What the components ask for, apart from the components (Yew's `examples/futures` keeps its
//! fetching the same way): running a check, the extras worker, and the traced resolver.

pub mod check;
pub mod extras;
pub mod trace;
