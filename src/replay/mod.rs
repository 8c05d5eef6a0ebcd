//! `accord replay`: what a pack would have done to real sign-ins.

pub mod directory;
pub mod fields;
pub mod frame;
pub mod map;
pub mod read;
pub mod record;
pub mod values;
