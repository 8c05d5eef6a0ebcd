//! `accord replay`: every input shape, the mapping decisions the documentation leaves open,
//! generated logs against the pack that made them, and the command's contract.

mod cli;
mod generated;
mod mapping;
mod shapes;
