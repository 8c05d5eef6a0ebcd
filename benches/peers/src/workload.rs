//! The workload of `benches/evaluate.rs`: a pack generated from seed 2026 (20, 50 or 200
//! policies; the smaller packs are prefixes of the larger, since policies are drawn last) and the
//! mix of 1,000 generated requests.

use accord::eval::{self, Compiled};
use accord::model::request::Request;
use accord::model::Pack;

use crate::generate;

pub const SEED: u64 = 2026;
pub const REQUESTS: u64 = 1000;
pub const SIZES: [usize; 3] = [20, 50, 200];

pub struct Workload {
    pub policies: usize,
    pub compiled: Compiled,
    pub requests: Vec<Request>,
}

impl Workload {
    pub fn new(policies: usize) -> Workload {
        Workload::from_text(policies, &pack_text(SEED, policies))
    }

    /// A workload over a pack given as text (the mix of requests is the same).
    pub fn from_text(policies: usize, text: &str) -> Workload {
        let loaded = accord::load::load_texts([("bench.policy", text)]);
        let validation = accord::check(&loaded);
        let Some(validated) = validation.validated else {
            panic!(
                "the generated pack of {policies} policies does not check: {:?}",
                validation.diagnostics
            );
        };
        let requests = (0..REQUESTS)
            .map(|k| Request::parse(&request_text(k)).expect("generated requests parse"))
            .collect();
        Workload {
            policies,
            compiled: eval::compile(&validated),
            requests,
        }
    }

    pub fn pack(&self) -> &Pack {
        self.compiled.pack()
    }

    /// The requests that state every signal a condition may need (platform, IP, country): the
    /// only ones the peers can decide as accord does (neither has accord's "unknown signal").
    pub fn complete(&self) -> impl Iterator<Item = &Request> {
        self.requests.iter().filter(|r| states_every_signal(r))
    }
}

pub fn states_every_signal(r: &Request) -> bool {
    r.device.platform.is_some() && r.network.ip.is_some() && r.network.country.is_some()
}

/// The text of the pack generated from `seed` with `policies` policies, without the generator's
/// directory: the Cedar and Rego translations model Conditional Access and the cross-tenant
/// settings, not the app-assignment step a directory adds.
pub fn pack_text(seed: u64, policies: usize) -> String {
    let mut spec = generate::pack(seed, policies);
    spec.directory = None;
    spec.render()
}

/// The request document of the mix with this index.
pub fn request_text(index: u64) -> String {
    generate::request_yaml(index)
}
