//! How far a long analysis is, for whoever shows it: the library reports steps done of a total
//! and prints nothing (the command line draws a bar on a terminal, see `cli::packs`).

/// Receives progress reports; called from any thread.
pub trait Progress: Sync {
    /// `done` of `total` steps of `what` (a short phrase: `invariants`, `regions compared`);
    /// a `total` of 0 means the total is not known in advance.
    fn report(&self, what: &str, done: u64, total: u64);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn report(&self, _: &str, _: u64, _: u64) {}
}
