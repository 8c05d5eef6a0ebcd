//! The integration suite: one test binary (each extra binary links the crate again), a module
//! per area.

mod analysis;
mod cli;
mod directory;
mod eval;
mod fmt;
mod graph;
mod hostile;
mod invalid;
mod lint;
mod lsp;
mod mail;
mod outbound;
mod packs;
mod replay;
mod sharing;
mod syntax;
mod teams;
mod test_command;
mod textmate;
