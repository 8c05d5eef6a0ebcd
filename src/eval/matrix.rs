//! `accord whatif --matrix`: the decision for every combination of a few values per dimension.
//!
//! # The matrix file
//!
//! ```yaml
//! base:                        # optional: a partial request every row starts from
//!   client_app: browser
//!   device: { platform: windows }
//! dimensions:                  # the cartesian product, in this order (the first varies slowest)
//!   user:                      # named partial requests (any dimension name)
//!     employee:       { user: { name: alice@contoso.com } }
//!     fabrikam guest: { user: { name: bob@fabrikam.com, type: guest, home: fabrikam } }
//!     litware member: { user: { name: carol@litware.com, type: member, home: litware } }
//!   app: [sharepoint, teams, power_bi]    # a dimension named by a request path takes a list
//!   location:                             # of values, exactly as `--set path=value` would
//!     hq:      { network: { ip: 203.0.113.10, country: US } }
//!     embargo: { network: { ip: 198.51.100.1, country: KP } }
//!   auth.mfa: [none, home, resource]
//! ```
//!
//! Each row is `base`, then one value of every dimension merged in order (later values win
//! field by field), completed with the request defaults. Every row must be a complete request
//! (`user.name` and `app` set by `base` or some dimension). Rows are decided on the
//! decision-only path ([`crate::eval::decide_fast`]), which the test suite proves equal to the
//! traced one; for a row that is not allowed, [`decide_explained`] gives the requirements and the
//! policies that decided it on the same path (proven equal to what the trace says). A row that is
//! not a valid request fails the whole matrix (exit code 2).
//!
//! # Bounds
//!
//! A dimension or value named twice is an error (the YAML library would keep the last one
//! silently). A matrix whose product exceeds the row limit (`--max-rows`, default
//! [`MAX_ROWS`]) is refused when it is read, before anything is decided. Rows are decided in
//! ordered chunks of [`CHUNK_ROWS`], in parallel, and handed to the caller chunk by chunk, so
//! memory stays flat whatever the size: the CLI writes each chunk as soon as it is decided.

use rayon::prelude::*;
use serde_json::Value;

use super::decide::{Options, Outcome};
use super::fast::decide_explained;
use super::trace::{Decision, PolicyTrace, Tri};
use super::{resolve, Compiled, Evaluation};
use crate::diagnostic::did_you_mean;
use crate::model::request::{RequestDoc, RequestError};
use crate::model::PolicyState;
use crate::yaml;

/// The default row limit (`--max-rows` raises or lowers it).
pub const MAX_ROWS: usize = 10_000_000;
/// Above this many rows the CLI warns that the run will be long (rows are streamed, so memory
/// is not the concern: time and output size are).
pub const WARN_ROWS: usize = 1_000_000;
/// Rows decided per parallel chunk, written before the next chunk starts.
pub const CHUNK_ROWS: usize = 16_384;

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    pub base: RequestDoc,
    pub dimensions: Vec<Dimension>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub name: String,
    /// (label, partial request), in file order.
    pub values: Vec<(String, RequestDoc)>,
}

/// One combination: its index (the last dimension varies fastest), the outcome, and for a row
/// that is not allowed, what the user must complete and which policies decided it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub index: usize,
    pub outcome: Outcome,
    /// `mfa in fabrikam`, `any(approved_app, app_protection)`...: for `challenge` rows.
    pub requirements: Vec<String>,
    /// What decided a row that is not allowed: the enforced policies whose result is the
    /// decision (empty when the cross-tenant settings blocked before Conditional Access).
    pub deciding: Vec<String>,
    /// The cross-tenant settings blocked the row before any policy was considered.
    pub gate_blocked: bool,
    /// An app that requires assignment blocked the row (after the gate, before any policy).
    pub assignment_blocked: bool,
}

/// Why a matrix could not be decided to the end.
#[derive(Debug)]
pub enum EvaluateError<E> {
    /// A row is not a valid request (its message names the row and its labels).
    Row(RequestError),
    /// The caller's sink failed (a closed pipe, a full disk).
    Sink(E),
}

impl Matrix {
    /// Reads a matrix file; a product above `max_rows` is refused here, before any work.
    pub fn parse(text: &str, max_rows: usize) -> Result<Matrix, RequestError> {
        let doc: Value = yaml::value_without_duplicate_keys(text).map_err(|e| {
            let mut err = RequestError::new("", e.message.clone());
            err.line = e.line;
            err.column = e.column;
            if e.message.contains("written twice") {
                err.help = Some(
                    "give every dimension and every value a name of its own: the second would replace the first"
                        .into(),
                );
            }
            err
        })?;
        let Value::Object(top) = doc else {
            return Err(
                RequestError::new("", "a matrix file is a mapping with `dimensions`")
                    .help("see `accord whatif --help` for the matrix format"),
            );
        };
        let mut base = RequestDoc::default();
        let mut dimensions = Vec::new();
        for (key, value) in top {
            match key.as_str() {
                "base" => {
                    base = serde_json::from_value(value)
                        .map_err(|e| RequestError::new("base", format!("in `base`: {e}")))?;
                }
                "dimensions" => {
                    let Value::Object(dims) = value else {
                        return Err(RequestError::new(
                            "dimensions",
                            "`dimensions` is a mapping of dimension names to values",
                        ));
                    };
                    for (name, values) in dims {
                        dimensions.push(dimension(&name, values)?);
                    }
                }
                other => {
                    let mut err = RequestError::new(
                        other,
                        format!("unknown matrix key `{other}` (expected `base` or `dimensions`)"),
                    );
                    err.help = did_you_mean(other, ["base", "dimensions"]);
                    return Err(err);
                }
            }
        }
        let matrix = Matrix { base, dimensions };
        let rows = matrix.rows();
        if rows > max_rows {
            let sizes: Vec<String> = matrix
                .dimensions
                .iter()
                .map(|d| d.values.len().to_string())
                .collect();
            let product = if rows == usize::MAX {
                "more than 18446744073709551615".to_string()
            } else {
                thousands(rows)
            };
            return Err(RequestError::new(
                "dimensions",
                format!(
                    "the matrix has {product} combinations ({}), more than the limit of {}",
                    sizes.join(" × "),
                    thousands(max_rows)
                ),
            )
            .help("split the matrix, or raise the limit with `--max-rows N`"));
        }
        Ok(matrix)
    }

    /// The number of combinations (saturating).
    pub fn rows(&self) -> usize {
        self.dimensions
            .iter()
            .fold(1usize, |n, d| n.saturating_mul(d.values.len()))
    }

    /// The value index of every dimension for a row index (the last dimension varies fastest).
    pub fn value_indexes(&self, mut index: usize) -> Vec<usize> {
        let mut out = vec![0; self.dimensions.len()];
        for (i, d) in self.dimensions.iter().enumerate().rev() {
            let n = d.values.len().max(1);
            out[i] = index % n;
            index /= n;
        }
        out
    }

    /// The labels of a row, one per dimension.
    pub fn labels(&self, index: usize) -> Vec<&str> {
        self.value_indexes(index)
            .iter()
            .zip(&self.dimensions)
            .map(|(i, d)| d.values.get(*i).map_or("", |(l, _)| l.as_str()))
            .collect()
    }

    /// The request document of a row.
    pub fn document(&self, index: usize) -> RequestDoc {
        let mut doc = self.base.clone();
        for (i, d) in self.value_indexes(index).iter().zip(&self.dimensions) {
            if let Some((_, v)) = d.values.get(*i) {
                doc.merge(v);
            }
        }
        doc
    }
}

/// `12345678` as `12,345,678`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn dimension(name: &str, values: Value) -> Result<Dimension, RequestError> {
    let mut out = Vec::new();
    match values {
        Value::Object(map) => {
            for (label, v) in map {
                let doc: RequestDoc = serde_json::from_value(v).map_err(|e| {
                    RequestError::new(name, format!("in dimension `{name}`, value `{label}`: {e}"))
                })?;
                out.push((label, doc));
            }
        }
        Value::Array(list) => {
            for v in list {
                let text = match &v {
                    Value::String(s) => s.clone(),
                    Value::Array(_) | Value::Object(_) => {
                        return Err(RequestError::new(
                            name,
                            format!("dimension `{name}` lists a value that is not a scalar"),
                        )
                        .help("give named partial requests instead: `label: { user: {...} }`"));
                    }
                    other => other.to_string(),
                };
                let doc = RequestDoc::from_assignment(&format!("{name}={text}")).map_err(|e| {
                    RequestError::new(name, format!("in dimension `{name}`: {}", e.message))
                })?;
                out.push((text, doc));
            }
        }
        _ => {
            return Err(RequestError::new(
                name,
                format!("dimension `{name}` must be a list of values or a mapping of named partial requests"),
            ))
        }
    }
    if out.is_empty() {
        return Err(RequestError::new(
            name,
            format!("dimension `{name}` has no value"),
        ));
    }
    Ok(Dimension {
        name: name.to_string(),
        values: out,
    })
}

/// Decides every combination in row order, `chunk` rows at a time in parallel, handing each
/// chunk to `sink` before the next is decided. The first row (in row order) that is not a valid
/// request stops the run with an error naming its labels; the chunks before it were handed on.
pub fn evaluate<E>(
    c: &Compiled,
    m: &Matrix,
    options: Options,
    chunk: usize,
    mut sink: impl FnMut(&[Row]) -> Result<(), E>,
) -> Result<(), EvaluateError<E>> {
    let total = m.rows();
    let chunk = chunk.max(1);
    let mut start = 0;
    while start < total {
        let end = total.min(start.saturating_add(chunk));
        let decided: Vec<Result<Row, RequestError>> = (start..end)
            .into_par_iter()
            .map(|index| decide_row(c, m, index, options))
            .collect();
        let mut rows = Vec::with_capacity(decided.len());
        for row in decided {
            rows.push(row.map_err(EvaluateError::Row)?);
        }
        sink(&rows).map_err(EvaluateError::Sink)?;
        start = end;
    }
    Ok(())
}

/// Decides every combination into one list (tests and small matrices).
pub fn evaluate_all(c: &Compiled, m: &Matrix, options: Options) -> Result<Vec<Row>, RequestError> {
    let mut all = Vec::new();
    let result = evaluate(c, m, options, CHUNK_ROWS, |rows| {
        all.extend_from_slice(rows);
        Ok::<(), std::convert::Infallible>(())
    });
    match result {
        Ok(()) => Ok(all),
        Err(EvaluateError::Row(e)) => Err(e),
        Err(EvaluateError::Sink(never)) => match never {},
    }
}

fn decide_row(
    c: &Compiled,
    m: &Matrix,
    index: usize,
    options: Options,
) -> Result<Row, RequestError> {
    let row_error = |mut e: RequestError| {
        e.message = format!(
            "row {} ({}): {}",
            index + 1,
            m.labels(index).join(", "),
            e.message
        );
        e
    };
    let (request, _) = super::directory::complete(c, &m.document(index)).map_err(row_error)?;
    let resolved = resolve(c, &request).map_err(row_error)?;
    let (outcome, why) = decide_explained(c, &resolved, options);
    let mut row = Row {
        index,
        outcome,
        requirements: Vec::new(),
        deciding: Vec::new(),
        gate_blocked: false,
        assignment_blocked: false,
    };
    if outcome.decision != Decision::Allow {
        row.requirements = why.requirements.iter().map(|r| r.to_string()).collect();
        row.deciding = why.deciding.iter().map(|p| p.to_string()).collect();
        row.gate_blocked = why.gate_blocked;
        row.assignment_blocked = why.assignment_blocked;
    }
    Ok(row)
}

/// The matrix columns of a row computed from the traced decision instead: what
/// [`decide_explained`] must equal (the suite and the `matrix` fuzz target compare the two).
pub fn explain_traced(e: &Evaluation<'_>) -> (Vec<String>, Vec<String>, bool) {
    (
        e.requirements.iter().map(|r| r.to_string()).collect(),
        deciding(e),
        !e.trace.gate.allows(),
    )
}

/// Whether an app that requires assignment blocked the request (what
/// [`Row::assignment_blocked`] must equal).
pub fn assignment_blocked_traced(e: &Evaluation<'_>) -> bool {
    e.trace.gate.allows() && e.trace.assignment.is_some_and(|a| !a.allows())
}

/// The enforced policies (applying, or possibly applying) whose result is the decision; none
/// when the checks before Conditional Access blocked (the row then names them instead).
fn deciding(e: &Evaluation<'_>) -> Vec<String> {
    if !e.trace.admitted() {
        return Vec::new();
    }
    e.trace
        .policies
        .iter()
        .filter(|p: &&PolicyTrace<'_>| p.state() == PolicyState::On && p.applies != Tri::No)
        .filter(|p| p.result().is_some_and(|r| r.decision() == e.decision))
        .map(|p| p.policy.name.value.clone())
        .collect()
}
