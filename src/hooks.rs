//! The state as the components reach it: one reducer, served by a context provider in the root
//! (Yew's `examples/contexts` pattern), and [`use_app_state`] to read it.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, State};

/// The state handle that components reach through context.
pub type StateHandle = UseReducerHandle<State>;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}

/// The app's state, from the context the root component provides.
#[hook]
pub fn use_app_state() -> StateHandle {
    use_context::<StateHandle>().expect("the app provides its state to every component")
}
