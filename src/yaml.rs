//! The one place that knows the YAML library.
//!
//! `serde_yaml` is no longer developed upstream; keeping it behind these two functions lets it be
//! swapped for a maintained fork in one place.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Parses YAML text; the error message says where the problem is.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_yaml::from_str(text).map_err(|e| e.to_string())
}

/// Writes a value as YAML.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, String> {
    serde_yaml::to_string(value).map_err(|e| e.to_string())
}
