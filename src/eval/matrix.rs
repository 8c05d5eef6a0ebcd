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
//! traced one. A row that is not a valid request fails the whole matrix (exit code 2).

use serde_json::Value;

use super::decide::{decide_fast, Options, Outcome};
use super::{resolve, Compiled};
use crate::diagnostic::did_you_mean;
use crate::model::request::{Request, RequestDoc, RequestError};
use crate::yaml;

/// The largest product accord evaluates.
pub const MAX_ROWS: usize = 10_000_000;

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

/// One combination: the value index of each dimension, and the outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub index: usize,
    pub outcome: Outcome,
}

impl Matrix {
    pub fn parse(text: &str) -> Result<Matrix, RequestError> {
        let doc: Value = yaml::from_str(text).map_err(|e| {
            let mut err = RequestError::new("", e.message.clone());
            err.line = e.line;
            err.column = e.column;
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
        if matrix.rows() > MAX_ROWS {
            return Err(RequestError::new(
                "dimensions",
                format!(
                    "the matrix has {} combinations; accord evaluates at most {MAX_ROWS}",
                    matrix.rows()
                ),
            ));
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

/// Decides every combination, in row order. The first row that is not a valid request is an
/// error naming its labels.
pub fn evaluate(c: &Compiled, m: &Matrix, options: Options) -> Result<Vec<Row>, RequestError> {
    let mut rows = Vec::with_capacity(m.rows());
    for index in 0..m.rows() {
        let doc = m.document(index);
        let row_error = |e: RequestError| {
            let mut e = e;
            e.message = format!(
                "row {} ({}): {}",
                index + 1,
                m.labels(index).join(", "),
                e.message
            );
            e
        };
        let request = Request::from_doc(&doc).map_err(row_error)?;
        let resolved = resolve(c, &request).map_err(row_error)?;
        rows.push(Row {
            index,
            outcome: decide_fast(c, &resolved, options),
        });
    }
    Ok(rows)
}
