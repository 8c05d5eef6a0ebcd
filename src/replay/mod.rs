//! `accord replay`: what a pack would have done to real sign-ins.

pub mod fields;
pub mod record;
pub mod values;
