//! Microsoft Graph JSON in and out.
//!
//! ```text
//! files --decode--> JSON values (any encoding, camelCase keys) --import--> model::Pack
//! Validated pack --export--> Graph v1.0 JSON (or the PowerShell SDK's PascalCase shape)
//! ```
//!
//! `dto` mirrors the Graph resources with serde, `normalize` defines when two Graph documents
//! are the same, `names` maps object ids to the names a pack uses, and `files` lays an imported
//! pack out as `.policy` files.

pub mod decode;
pub mod dto;
pub mod export;
pub mod files;
pub mod import;
pub mod names;
pub mod normalize;

pub use export::{export, Export, ExportFormat, ExportOptions};
pub use import::{import, read_inputs, Import, ImportOptions, InputFile};
