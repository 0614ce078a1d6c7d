//! The openspf RFC 7208 test suite (`tests/spf/rfc7208-tests.yml`, see `tests/spf/README.md`):
//! every case, served from its document's `zonedata` the way the suite's own driver
//! (pyspf's `test/testspf.py`) serves it, must give one of its accepted results, and its
//! explanation when it names one. `SPF_SUITE_VERBOSE=1 cargo test --test spf_suite -- --nocapture`
//! prints every case's result, counts and reasons.

use std::collections::HashMap;
use std::future::Future;
use std::net::IpAddr;

use futures::executor::block_on;
use sendercheck_core::dns::{
    Answer, Question, RData, Rcode, Record, RecordType, ResolveError, Resolver,
};
use sendercheck_core::domain::spf::spf_mail_from;
use serde::Deserialize;
use serde_yaml::Value;

const SUITE: &str = include_str!("spf/rfc7208-tests.yml");

/// One zonedata entry, after the driver's `getrdata()`.
#[derive(Debug, Clone)]
enum Entry {
    /// A bare `TIMEOUT`.
    Timeout,
    /// `TYPE: value` (`value` `None` for `TYPE: TIMEOUT`).
    Record(String, Option<RData>),
}

/// A document's zone: lower-case names without the trailing dot.
struct Zone(HashMap<String, Vec<Entry>>);

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("unexpected value {other:?}"),
    }
}

fn name(v: &str) -> String {
    v.trim_end_matches('.').to_ascii_lowercase()
}

fn rdata(rtype: &str, v: &Value) -> RData {
    match rtype {
        "A" => RData::A(text(v).parse().unwrap()),
        "AAAA" => RData::Aaaa(text(v).parse().unwrap()),
        "PTR" => RData::Ptr(name(&text(v))),
        "CNAME" => RData::Cname(name(&text(v))),
        "MX" => {
            let pair = v.as_sequence().unwrap();
            RData::Mx {
                preference: pair[0].as_u64().unwrap() as u16,
                exchange: name(&text(&pair[1])),
            }
        }
        "TXT" | "SPF" => match v {
            Value::Sequence(parts) => RData::Txt(parts.iter().map(text).collect()),
            other => RData::Txt(vec![text(other)]),
        },
        other => panic!("unknown type {other}"),
    }
}

impl Zone {
    /// `getrdata()`: a name without a `TXT` entry gets a `TXT` record for each `SPF` entry,
    /// after its other entries; `NONE` values are dropped.
    fn load(data: &Value) -> Zone {
        let mut zone = HashMap::new();
        for (owner, entries) in data.as_mapping().unwrap() {
            let mut out = Vec::new();
            let mut generated = Vec::new();
            let mut has_txt = false;
            for entry in entries.as_sequence().unwrap() {
                let Some(map) = entry.as_mapping() else {
                    assert_eq!(text(entry), "TIMEOUT");
                    out.push(Entry::Timeout);
                    continue;
                };
                for (rtype, value) in map {
                    let rtype = text(rtype);
                    has_txt |= rtype == "TXT";
                    if value.as_str() == Some("NONE") {
                        continue;
                    }
                    let data = (value.as_str() != Some("TIMEOUT")).then(|| rdata(&rtype, value));
                    if rtype == "SPF" {
                        generated.push(Entry::Record("TXT".into(), data.clone()));
                    }
                    out.push(Entry::Record(rtype, data));
                }
            }
            if !has_txt {
                out.extend(generated);
            }
            zone.insert(name(&text(owner)), out);
        }
        Zone(zone)
    }

    /// `DNSLookup()`: the records of the asked type before a bare `TIMEOUT`, or a timeout when
    /// none comes before it; a `TYPE: TIMEOUT` of the asked type times out; an alias answers with
    /// its CNAME. Names not in the zone do not exist, except under `error.`.
    fn reply(&self, q: &Question) -> Result<Answer, ResolveError> {
        let timeout = Err(ResolveError::Timeout { millis: 20_000 });
        let qname = q.name.as_str();
        if qname.split('.').any(|l| l.len() > 63) {
            return timeout;
        }
        let Some(entries) = self.0.get(qname) else {
            if qname.starts_with("error.") {
                return timeout;
            }
            return Ok(Answer::new(Rcode::NxDomain, vec![]));
        };
        let wanted = match q.rtype {
            RecordType::A => "A",
            RecordType::Aaaa => "AAAA",
            RecordType::Mx => "MX",
            RecordType::Ptr => "PTR",
            RecordType::Txt => "TXT",
            RecordType::Spf => "SPF",
            RecordType::Cname => "CNAME",
            _ => "",
        };
        let mut records = Vec::new();
        let mut aliases = Vec::new();
        for entry in entries {
            match entry {
                Entry::Timeout if records.is_empty() => return timeout,
                Entry::Timeout => break,
                Entry::Record(t, None) if t == wanted => return timeout,
                Entry::Record(_, None) => {}
                Entry::Record(t, Some(data)) => {
                    let rtype = match t.as_str() {
                        "A" => RecordType::A,
                        "AAAA" => RecordType::Aaaa,
                        "MX" => RecordType::Mx,
                        "PTR" => RecordType::Ptr,
                        "TXT" => RecordType::Txt,
                        "SPF" => RecordType::Spf,
                        _ => RecordType::Cname,
                    };
                    let record = Record {
                        name: qname.to_string(),
                        rtype,
                        ttl: 300,
                        data: data.clone(),
                    };
                    if t == wanted {
                        records.push(record);
                    } else if t == "CNAME" {
                        aliases.push(record);
                    }
                }
            }
        }
        if records.is_empty() {
            records = aliases;
        }
        Ok(Answer::new(Rcode::NoError, records))
    }
}

impl Resolver for Zone {
    fn query(&self, q: &Question) -> impl Future<Output = Result<Answer, ResolveError>> {
        let reply = self.reply(q);
        async move { reply }
    }
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(items) => items.iter().map(text).collect(),
        other => vec![text(other)],
    }
}

#[test]
fn rfc7208_suite() {
    let (mut passed, mut failed, mut groups) = (0, 0, 0);
    let mut failures = Vec::new();
    for document in serde_yaml::Deserializer::from_str(SUITE) {
        let doc = Value::deserialize(document).unwrap();
        groups += 1;
        let zone = Zone::load(&doc["zonedata"]);
        let group = text(&doc["description"]);
        for (id, case) in doc["tests"].as_mapping().unwrap() {
            let id = text(id);
            let ip: IpAddr = text(&case["host"]).parse().unwrap();
            let mail_from = text(&case["mailfrom"]);
            let helo = text(&case["helo"]);
            let accepted = strings(&case["result"]);
            let evaluation = block_on(spf_mail_from(&zone, ip, &mail_from, &helo));
            let result = evaluation.result.as_str();
            let explanation = evaluation.explanation.as_deref().unwrap_or("DEFAULT");
            let result_ok = accepted.iter().any(|a| a == result);
            let explanation_ok = case
                .get("explanation")
                .is_none_or(|e| text(e) == explanation);
            if std::env::var_os("SPF_SUITE_VERBOSE").is_some() {
                println!(
                    "{id}: {result} lookups={} void={} by={:?} problem={:?} exp={:?}",
                    evaluation.lookups,
                    evaluation.void_lookups,
                    evaluation.decided_by,
                    evaluation.problem,
                    evaluation.explanation
                );
            }
            if result_ok && explanation_ok {
                passed += 1;
            } else {
                failed += 1;
                failures.push(format!(
                    "{group} / {id}: expected {accepted:?}{}, got {result} ({explanation:?}); problem: {:?}; decided by {:?}",
                    case.get("explanation").map(|e| format!(" with {:?}", text(e))).unwrap_or_default(),
                    evaluation.problem,
                    evaluation.decided_by,
                ));
            }
        }
    }
    for f in &failures {
        println!("FAILED {f}");
    }
    println!("{passed} passed, {failed} failed");
    assert_eq!(groups, 16, "groups in the suite");
    assert_eq!(passed + failed, 201, "cases in the suite");
    assert_eq!(failed, 0, "{}", failures.join("\n"));
}
