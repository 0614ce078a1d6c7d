//! The state as Yew holds it: one reducer in the root component, which renders everything that
//! reads it (`crate::app`), and the handles the services use to change it.

use std::rc::Rc;

use yew::prelude::*;

use crate::state::{Action, State};

/// The root's handle on the state.
pub type StateHandle = UseReducerHandle<State>;

/// What background tasks keep to change the state after their component has moved on.
pub type StateDispatcher = UseReducerDispatcher<State>;

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        match self.apply(action) {
            Some(next) => Rc::new(next),
            None => self,
        }
    }
}
