//! `accord replay`: what a pack would have done to real sign-ins.

pub mod fields;
pub mod frame;
pub mod read;
pub mod record;
pub mod values;
