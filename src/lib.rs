//! accord: a policy engine for cross-tenant access.
pub mod diagnostic;
pub mod model;
pub mod source;
