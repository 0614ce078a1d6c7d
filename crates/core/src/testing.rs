//! Test resolvers: fixed answers, served either at once or in explicit network round trips.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::future::Future;
use std::pin::{pin, Pin};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

use crate::dns::{Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver};

pub fn rec(name: &str, rtype: RecordType, data: RData) -> Record {
    Record {
        name: name.into(),
        rtype,
        ttl: 300,
        data,
    }
}
pub fn a(name: &str, ip: &str) -> Record {
    rec(name, RecordType::A, RData::A(ip.parse().unwrap()))
}
pub fn aaaa(name: &str, ip: &str) -> Record {
    rec(name, RecordType::Aaaa, RData::Aaaa(ip.parse().unwrap()))
}
pub fn ptr(name: &str, target: &str) -> Record {
    rec(name, RecordType::Ptr, RData::Ptr(target.into()))
}
pub fn cname(name: &str, target: &str) -> Record {
    rec(name, RecordType::Cname, RData::Cname(target.into()))
}

/// A TXT record of one or more character-strings.
pub fn txt(name: &str, strings: &[&str]) -> Record {
    let strings = strings.iter().map(|s| s.to_string()).collect();
    rec(name, RecordType::Txt, RData::Txt(strings))
}
/// An MX record.
pub fn mx(name: &str, preference: u16, exchange: &str) -> Record {
    let exchange = exchange.into();
    rec(
        name,
        RecordType::Mx,
        RData::Mx {
            preference,
            exchange,
        },
    )
}

/// An SOA record (RFC 1035 §3.3.13) with ordinary timers.
pub fn soa(owner: &str, mname: &str, rname: &str) -> Record {
    let soa = crate::dns::Soa {
        mname: mname.into(),
        rname: rname.into(),
        serial: 1,
        refresh: 3600,
        retry: 600,
        expire: 86400,
        minimum: 300,
    };
    rec(owner, RecordType::Soa, RData::Soa(soa))
}

/// A negative answer (NODATA or NXDOMAIN) with `authority` in its authority section.
pub fn negative(rcode: Rcode, authority: Vec<Record>) -> Answer {
    let mut answer = Answer::new(rcode, vec![]);
    answer.authority = authority;
    answer
}

/// Answers from a table; NOERROR with no records for anything not in it.
#[derive(Default, Clone)]
pub struct FixedResolver {
    table: HashMap<(String, RecordType), Result<Answer, ResolveError>>,
    pub asked: Rc<RefCell<Vec<Question>>>,
}

impl FixedResolver {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn answer(
        mut self,
        name: &str,
        rtype: RecordType,
        rcode: Rcode,
        records: Vec<Record>,
    ) -> Self {
        let answer = Answer::new(rcode, records);
        self.table.insert((name.into(), rtype), Ok(answer));
        self
    }
    /// The PTR of `ip` is `name`, and `name`'s forward record (A or AAAA, by the family of
    /// `address`) is `address`: FCrDNS passes when `address` is `ip`.
    pub fn ptr_and_address(self, ip: &str, name: &str, address: &str) -> Self {
        let rev = crate::dns::reverse_name(crate::dns::parse_ip(ip).unwrap()).to_string();
        let (rtype, forward) = match address.parse::<std::net::IpAddr>().unwrap() {
            std::net::IpAddr::V4(_) => (RecordType::A, a(name, address)),
            std::net::IpAddr::V6(_) => (RecordType::Aaaa, aaaa(name, address)),
        };
        self.answer(&rev, RecordType::Ptr, Rcode::NoError, vec![ptr(&rev, name)])
            .answer(name, rtype, Rcode::NoError, vec![forward])
    }
    /// A whole reply, authority section included.
    pub fn with_answer(mut self, name: &str, rtype: RecordType, answer: Answer) -> Self {
        self.table.insert((name.into(), rtype), Ok(answer));
        self
    }
    pub fn error(mut self, name: &str, rtype: RecordType, err: ResolveError) -> Self {
        self.table.insert((name.into(), rtype), Err(err));
        self
    }
    fn reply(&self, q: &Question) -> Result<Answer, ResolveError> {
        self.asked.borrow_mut().push(q.clone());
        self.table
            .get(&(q.name.to_string(), q.rtype))
            .cloned()
            .unwrap_or(Ok(Answer::new(Rcode::NoError, vec![])))
    }
}

impl Resolver for FixedResolver {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let reply = self.reply(q);
        async move { reply }
    }
}

type Slot = Rc<(Cell<bool>, RefCell<Option<Waker>>)>;

/// Holds every question until the test driver ends the current network round trip, so a test can
/// count how many round trips lie on a check's critical path.
pub struct RoundTrips {
    fixed: FixedResolver,
    in_flight: RefCell<Vec<Slot>>,
}

struct Delayed {
    slot: Slot,
    reply: Option<Result<Answer, ResolveError>>,
}

impl Future for Delayed {
    type Output = Result<Answer, ResolveError>;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if self.slot.0.get() {
            Poll::Ready(self.reply.take().expect("polled after completion"))
        } else {
            *self.slot.1.borrow_mut() = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}

impl Resolver for RoundTrips {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let slot: Slot = Rc::new((Cell::new(false), RefCell::new(None)));
        self.in_flight.borrow_mut().push(slot.clone());
        Delayed {
            slot,
            reply: Some(self.fixed.reply(q)),
        }
    }
}

impl RoundTrips {
    pub fn new(fixed: FixedResolver) -> Self {
        RoundTrips {
            fixed,
            in_flight: RefCell::new(Vec::new()),
        }
    }

    /// How many questions were sent.
    pub fn sent(&self) -> usize {
        self.fixed.asked.borrow().len()
    }

    /// Runs `fut` to completion; returns its output and the number of round trips it waited for.
    /// A future woken without a new answer (one asker handing a shared answer to another) is
    /// polled again in the same round.
    pub fn run<F: Future>(&self, fut: F) -> (F::Output, usize) {
        let woken = Arc::new(Flag(AtomicBool::new(false)));
        let waker = Waker::from(Arc::clone(&woken));
        let mut fut = pin!(fut);
        let mut cx = Context::from_waker(&waker);
        let mut rounds = 0;
        loop {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return (out, rounds);
            }
            if woken.0.swap(false, Ordering::SeqCst) {
                continue;
            }
            let wave: Vec<Slot> = self.in_flight.borrow_mut().drain(..).collect();
            assert!(
                !wave.is_empty(),
                "the check is stuck with no question in flight"
            );
            rounds += 1;
            for slot in wave {
                slot.0.set(true);
            }
        }
    }
}

struct Flag(AtomicBool);

impl std::task::Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}
