//! The JSON of where to fix: `reverse_zone`, `forward_zones` and `mta`, beside a report's own
//! fields (`report::json` puts them there; its module docs show the shape).

use serde::Serialize;

use super::{Kind, MatchedBy, Mta, MtaChoice, MtaSource, Recognised, WhereToFix};

#[derive(Serialize)]
struct OperatorJson {
    id: &'static str,
    name: &'static str,
    url: Option<&'static str>,
    kind: Kind,
    matched_by: MatchedBy,
    matched: String,
    certain: bool,
}

impl From<&Recognised> for OperatorJson {
    fn from(r: &Recognised) -> Self {
        OperatorJson {
            id: r.operator.id,
            name: r.operator.name,
            url: r.operator.steps_url,
            kind: r.operator.kind,
            matched_by: r.by,
            matched: r.matched.clone(),
            certain: r.certain,
        }
    }
}

#[derive(Serialize)]
struct ReverseZoneJson<'a> {
    name: &'a str,
    zone: Option<&'a str>,
    primary_ns: Option<&'a str>,
    rname: Option<&'a str>,
    ns: &'a [String],
    operator: Option<OperatorJson>,
    classless: bool,
}

#[derive(Serialize)]
struct ForwardZoneJson<'a> {
    name: &'a str,
    zone: Option<&'a str>,
    primary_ns: Option<&'a str>,
    rname: Option<&'a str>,
    ns: &'a [String],
    operator: Option<OperatorJson>,
}

#[derive(Serialize)]
pub(crate) struct MtaJson {
    id: Mta,
    name: &'static str,
    url: Option<&'static str>,
    source: MtaSource,
}

impl From<MtaChoice> for MtaJson {
    fn from(c: MtaChoice) -> Self {
        let info = c.mta.info();
        MtaJson {
            id: c.mta,
            name: info.name(),
            url: info.docs().map(|(url, _)| url),
            source: c.source,
        }
    }
}

/// The fields a [`WhereToFix`] adds to a report's JSON.
#[derive(Serialize)]
pub(crate) struct WhereJson<'a> {
    reverse_zone: Option<ReverseZoneJson<'a>>,
    forward_zones: Vec<ForwardZoneJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mta: Option<MtaJson>,
}

impl<'a> From<&'a WhereToFix> for WhereJson<'a> {
    fn from(w: &'a WhereToFix) -> Self {
        WhereJson {
            reverse_zone: w.reverse_zone.as_ref().map(|p| ReverseZoneJson {
                name: &p.name,
                zone: p.zone.as_deref(),
                primary_ns: p.primary_ns.as_deref(),
                rname: p.rname.as_deref(),
                ns: &p.ns,
                operator: p.operator.as_ref().map(OperatorJson::from),
                classless: p.classless,
            }),
            forward_zones: w
                .forward_zones
                .iter()
                .map(|p| ForwardZoneJson {
                    name: &p.name,
                    zone: p.zone.as_deref(),
                    primary_ns: p.primary_ns.as_deref(),
                    rname: p.rname.as_deref(),
                    ns: &p.ns,
                    operator: p.operator.as_ref().map(OperatorJson::from),
                })
                .collect(),
            mta: w.mta.map(MtaJson::from),
        }
    }
}

impl MtaChoice {
    /// The JSON of the choice: `{"id", "name", "url", "source"}`.
    pub fn json(self) -> serde_json::Value {
        crate::report::json::value(MtaJson::from(self))
    }
}
