//! TEMPORARY stub: replaced by the device-filter AST.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceFilter;
