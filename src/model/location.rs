//! Named locations of the resource tenant (§3 of the reference).

use serde::Serialize;

use super::{Extension, Name, Spanned};
use crate::source::Span;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Location {
    pub name: Name,
    pub kind: LocationKind,
    /// Only IP locations can be trusted (validated).
    #[serde(serialize_with = "super::serialize_present")]
    pub trusted: Option<Span>,
    pub extensions: Vec<Extension>,
    #[serde(skip)]
    pub span: Span,
}

impl Location {
    pub fn is_trusted(&self) -> bool {
        self.trusted.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CountryLookup {
    ClientIp,
    Gps,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    /// `ip = ["203.0.113.0/24", "2001:db8::/48"]`: CIDR ranges as written (validated later).
    Ip { ranges: Vec<Spanned<String>> },
    /// `countries = ["KP"] unknown_countries lookup = gps`.
    Countries {
        codes: Vec<Spanned<String>>,
        include_unknown: bool,
        lookup: CountryLookup,
    },
}
