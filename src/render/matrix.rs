//! `accord whatif --matrix` output, written row by row as the rows are decided.
//!
//! Every format has, per row: one column per dimension (the value's label), `decision`
//! (`block`, or `block (allow possible)` when a missing signal matters), `depends_on`,
//! `requirements` (what a `challenge` row must complete: `mfa in fabrikam`,
//! `any(approved_app, app_protection)`) and `policies` (what decided a row that is not
//! allowed: the enforced policies whose result is the decision, quoted in text; or
//! `cross-tenant settings`, unquoted, when those blocked before any policy).
//!
//! - text: an aligned table; the column widths are those of the header and the first chunk of
//!   rows ([`crate::eval::matrix::CHUNK_ROWS`]), so a table of that size or less is aligned
//!   exactly and a larger one is still written as it is decided (a longer cell further down
//!   only pushes its line out);
//! - CSV (RFC 4180, the `csv` crate): lists joined with `; `, and `(cross-tenant settings)` in
//!   `policies` for a row those blocked;
//! - JSON: an array of objects with `decision`, `possible`, `depends_on`, `requirements` and
//!   `policies` (lists) and `gate_blocked` (true when the cross-tenant settings blocked), written
//!   one object at a time.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::snippet::escaped;
use crate::eval::matrix::{Matrix, Row};
use crate::eval::{Decision, DecisionSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixFormat {
    Text,
    Csv,
    Json,
}

/// Writes a matrix's header, then its rows chunk by chunk, then its end.
pub struct MatrixWriter<W: Write> {
    out: Out<W>,
    format: MatrixFormat,
    /// Text: the header until the first rows fix the column widths.
    header: Option<Vec<String>>,
    widths: Vec<usize>,
    rows_written: usize,
}

/// CSV goes through the `csv` crate's writer (quoting), the rest straight out.
enum Out<W: Write> {
    Plain(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Out<W> {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Out::Plain(w) => w.write_all(bytes),
            // CSV output is only ever records (`record`): there is no raw text to write.
            Out::Csv(_) => {
                debug_assert!(bytes.is_empty(), "raw text in CSV output");
                Ok(())
            }
        }
    }

    fn record(&mut self, cells: &[String]) -> io::Result<()> {
        match self {
            Out::Csv(w) => w.write_record(cells).map_err(io::Error::other),
            Out::Plain(w) => w.write_all(cells.join(",").as_bytes()),
        }
    }

    fn into_inner(self) -> io::Result<W> {
        match self {
            Out::Plain(mut w) => w.flush().map(|()| w),
            Out::Csv(w) => w.into_inner().map_err(|e| io::Error::other(e.to_string())),
        }
    }
}

/// The decision column of a row: `block`, or `block (allow possible)`.
pub fn row_decision(decision: Decision, possible: DecisionSet) -> String {
    let mut s = decision.name().to_string();
    if possible.len() > 1 {
        let others: Vec<&str> = possible
            .iter()
            .filter(|d| *d != decision)
            .map(|d| d.name())
            .collect();
        s.push_str(&format!(" ({} possible)", others.join(", ")));
    }
    s
}

/// What the `policies` column says of a row the cross-tenant settings blocked.
pub const GATE: &str = "cross-tenant settings";
/// What it says of a row an app that requires assignment blocked.
pub const ASSIGNMENT: &str = "app assignment";

/// The text cells of a row.
fn text_cells(m: &Matrix, r: &Row) -> Vec<String> {
    // Labels come from the matrix file: no control character reaches the terminal.
    let mut cells: Vec<String> = m.labels(r.index).into_iter().map(escaped).collect();
    let mut names: Vec<String> = r.deciding.iter().map(|p| format!("\"{p}\"")).collect();
    if r.gate_blocked {
        names.insert(0, GATE.to_string());
    }
    if r.assignment_blocked {
        names.insert(0, ASSIGNMENT.to_string());
    }
    cells.extend([
        row_decision(r.outcome.decision, r.outcome.possible),
        r.outcome.depends_on.to_string(),
        r.requirements.join(", "),
        names.join(", "),
    ]);
    cells
}

impl<W: Write> MatrixWriter<W> {
    /// Writes the header.
    pub fn new(mut out: W, m: &Matrix, format: MatrixFormat) -> io::Result<Self> {
        let mut header: Vec<String> = m.dimensions.iter().map(|d| d.name.clone()).collect();
        let mut text_header = None;
        let out = match format {
            MatrixFormat::Text => {
                header.extend(
                    ["decision", "depends_on", "requirements", "policies"].map(String::from),
                );
                text_header = Some(header.iter().map(|h| escaped(h)).collect());
                Out::Plain(out)
            }
            MatrixFormat::Csv => {
                let mut w = csv::WriterBuilder::new()
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(out);
                header.extend(
                    ["decision", "depends_on", "requirements", "policies"].map(String::from),
                );
                w.write_record(&header).map_err(io::Error::other)?;
                Out::Csv(Box::new(w))
            }
            MatrixFormat::Json => {
                out.write_all(b"[")?;
                Out::Plain(out)
            }
        };
        Ok(MatrixWriter {
            out,
            format,
            header: text_header,
            widths: Vec::new(),
            rows_written: 0,
        })
    }

    fn aligned(cells: &[String], widths: &[usize]) -> String {
        let parts: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, w)| format!("{c:<w$}", w = *w))
            .collect();
        format!("{}\n", parts.join("  ").trim_end())
    }

    /// Writes decided rows.
    pub fn rows(&mut self, m: &Matrix, rows: &[Row]) -> io::Result<()> {
        let mut text = String::new();
        if self.format == MatrixFormat::Text {
            let cells: Vec<Vec<String>> = rows.iter().map(|r| text_cells(m, r)).collect();
            if let Some(header) = self.header.take() {
                self.widths = column_widths(&header, &cells);
                text.push_str(&Self::aligned(&header, &self.widths));
            }
            for row in &cells {
                text.push_str(&Self::aligned(row, &self.widths));
            }
        }
        for r in rows {
            let labels = m.labels(r.index).into_iter().map(String::from);
            let decision = row_decision(r.outcome.decision, r.outcome.possible);
            match self.format {
                MatrixFormat::Text => {}
                MatrixFormat::Csv => {
                    let mut cells: Vec<String> = labels.collect();
                    cells.extend([
                        decision,
                        r.outcome.depends_on.to_string(),
                        r.requirements.join("; "),
                        if r.gate_blocked {
                            format!("({GATE})")
                        } else if r.assignment_blocked {
                            format!("({ASSIGNMENT})")
                        } else {
                            r.deciding.join("; ")
                        },
                    ]);
                    self.out.record(&cells)?;
                }
                MatrixFormat::Json => {
                    let mut map = Map::new();
                    for (d, l) in m.dimensions.iter().zip(labels) {
                        map.insert(d.name.clone(), Value::from(l));
                    }
                    let o = &r.outcome;
                    map.insert("decision".into(), Value::from(o.decision.name()));
                    let possible: Vec<&str> = o.possible.iter().map(|d| d.name()).collect();
                    map.insert("possible".into(), json!(possible));
                    let depends: Vec<&str> = o.depends_on.names().collect();
                    map.insert("depends_on".into(), json!(depends));
                    map.insert("requirements".into(), json!(r.requirements));
                    map.insert("policies".into(), json!(r.deciding));
                    map.insert("gate_blocked".into(), json!(r.gate_blocked));
                    map.insert("assignment_blocked".into(), json!(r.assignment_blocked));
                    let pretty = serde_json::to_string_pretty(&Value::Object(map))
                        .map_err(io::Error::other)?;
                    text.push_str(if self.rows_written == 0 { "\n" } else { ",\n" });
                    for (i, line) in pretty.lines().enumerate() {
                        if i > 0 {
                            text.push('\n');
                        }
                        text.push_str("  ");
                        text.push_str(line);
                    }
                }
            }
            self.rows_written += 1;
        }
        if !text.is_empty() {
            self.out.write_all(text.as_bytes())?;
        }
        Ok(())
    }

    /// Ends the output (the JSON array's `]`) and returns the writer.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(header) = self.header.take() {
            let widths = column_widths(&header, &[]);
            self.out
                .write_all(Self::aligned(&header, &widths).as_bytes())?;
        }
        if self.format == MatrixFormat::Json {
            let end: &[u8] = if self.rows_written == 0 {
                b"]\n"
            } else {
                b"\n]\n"
            };
            self.out.write_all(end)?;
        }
        self.out.into_inner()
    }
}

/// The widest cell of each column, header included.
fn column_widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.chars().count());
        }
    }
    widths
}

/// A whole matrix as text in memory (tests, small matrices).
pub fn render(m: &Matrix, rows: &[Row], format: MatrixFormat) -> String {
    let write = || -> io::Result<Vec<u8>> {
        let mut w = MatrixWriter::new(Vec::new(), m, format)?;
        w.rows(m, rows)?;
        w.finish()
    };
    write()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}
