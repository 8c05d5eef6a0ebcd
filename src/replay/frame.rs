//! Finding the records in a JSON document without loading it: a top-level array of records, a
//! Graph list response `{"value": [...]}` (with `@odata.nextLink`), an Event Hubs batch
//! `{"records": [...]}`, a Log Analytics query API response `{"tables": [{"name", "columns",
//! "rows"}]}` (each row an array of values in column order, given to the parser as an object
//! keyed by the column names; https://learn.microsoft.com/azure/azure-monitor/logs/api/response-format),
//! a single object, or several of these one after another.
//!
//! The framer only finds where each record starts and ends (strings, escapes and nesting);
//! serde_json parses the record. serde_json's own streaming reader cannot hand out array
//! elements to other threads or go on after a malformed one, which is why this exists: each
//! record is parsed (in parallel) on its own, and a malformed record is reported with its line
//! and skipped under `--lenient` while its neighbours are still read.

use std::io::{self, BufRead};

/// A record larger than this is refused: a sign-in is a few kilobytes.
pub const MAX_RECORD: usize = 16 << 20;

/// A position in the input, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    pub line: u64,
    pub column: u64,
}

#[derive(Debug)]
pub enum FrameError {
    Io(io::Error),
    /// The document's structure is broken: the rest of the file cannot be read.
    Syntax {
        at: Pos,
        message: String,
    },
}

impl From<io::Error> for FrameError {
    fn from(e: io::Error) -> Self {
        FrameError::Io(e)
    }
}

/// What the framer found besides records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FrameNotes {
    /// List responses whose `@odata.nextLink` points at a page this input does not hold.
    pub next_links: u64,
}

/// Streams the records of `input`: `emit(bytes, line)` for each.
pub struct Framer<R> {
    input: R,
    pos: Pos,
    pub notes: FrameNotes,
}

impl<R: BufRead> Framer<R> {
    pub fn new(input: R, first_line: u64) -> Self {
        Framer {
            input,
            pos: Pos {
                line: first_line,
                column: 1,
            },
            notes: FrameNotes::default(),
        }
    }

    /// Every top-level value, until the end of the input.
    pub fn run(&mut self, emit: &mut dyn FnMut(&[u8], u64)) -> Result<(), FrameError> {
        let mut buf = Vec::new();
        loop {
            self.skip_ws()?;
            match self.peek()? {
                None => return Ok(()),
                Some(b'[') => {
                    self.bump()?;
                    self.elements(&mut buf, emit)?;
                }
                Some(b'{') => self.object(&mut buf, emit)?,
                Some(b) => {
                    return Err(self.syntax(format!(
                        "expected a JSON object or array, found `{}`",
                        char::from(b).escape_default()
                    )))
                }
            }
        }
    }

    /// The elements of an array whose `[` was consumed, each emitted as a record.
    fn elements(
        &mut self,
        buf: &mut Vec<u8>,
        emit: &mut dyn FnMut(&[u8], u64),
    ) -> Result<(), FrameError> {
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some(b']') => {
                    self.bump()?;
                    return Ok(());
                }
                None => return Err(self.syntax("the array is not closed: `]` expected".into())),
                _ => {}
            }
            buf.clear();
            let line = self.pos.line;
            self.value(Some(buf))?;
            emit(buf, line);
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => {
                    self.bump()?;
                    // A trailing comma before `]` is left to the record parser's error (and
                    // to `--lenient`) rather than silently accepted here.
                }
                Some(b']') => {}
                None => return Err(self.syntax("the array is not closed: `]` expected".into())),
                Some(b) => {
                    return Err(self.syntax(format!(
                        "expected `,` or `]` after an array element, found `{}`",
                        char::from(b).escape_default()
                    )))
                }
            }
        }
    }

    /// A top-level object: a list response or batch (its array streamed) or one record.
    fn object(
        &mut self,
        buf: &mut Vec<u8>,
        emit: &mut dyn FnMut(&[u8], u64),
    ) -> Result<(), FrameError> {
        let line = self.pos.line;
        let mut whole = Vec::new();
        let mut streamed = false;
        self.bump_into(&mut whole)?; // `{`
        loop {
            self.skip_ws_into(if streamed { None } else { Some(&mut whole) })?;
            match self.peek()? {
                Some(b'}') => {
                    self.bump_into(&mut whole)?;
                    break;
                }
                Some(b'"') => {}
                None => return Err(self.syntax("the object is not closed: `}` expected".into())),
                Some(b) => {
                    return Err(self.syntax(format!(
                        "expected a property name, found `{}`",
                        char::from(b).escape_default()
                    )))
                }
            }
            let mut key = Vec::new();
            self.value(Some(&mut key))?;
            if !streamed {
                whole.extend_from_slice(&key);
            }
            self.skip_ws_into(if streamed { None } else { Some(&mut whole) })?;
            if self.peek()? != Some(b':') {
                return Err(self.syntax("expected `:` after a property name".into()));
            }
            self.bump_into(&mut whole)?;
            self.skip_ws_into(if streamed { None } else { Some(&mut whole) })?;
            let name = key_name(&key);
            if (name == "value" || name == "records") && self.peek()? == Some(b'[') {
                streamed = true;
                whole.clear();
                self.bump()?;
                self.elements(buf, emit)?;
            } else if name == "tables" && self.peek()? == Some(b'[') {
                streamed = true;
                whole.clear();
                self.bump()?;
                self.tables(buf, emit)?;
            } else {
                if name == "@odata.nextlink" {
                    self.notes.next_links += 1;
                }
                self.value(if streamed { None } else { Some(&mut whole) })?;
            }
            self.skip_ws_into(if streamed { None } else { Some(&mut whole) })?;
            match self.peek()? {
                Some(b',') => self.bump_into(&mut whole)?,
                Some(b'}') => {}
                None => return Err(self.syntax("the object is not closed: `}` expected".into())),
                Some(b) => {
                    return Err(self.syntax(format!(
                        "expected `,` or `}}` after a property, found `{}`",
                        char::from(b).escape_default()
                    )))
                }
            }
            if !streamed && whole.len() > MAX_RECORD {
                return Err(self.too_large());
            }
        }
        if !streamed {
            emit(&whole, line);
        }
        Ok(())
    }

    /// The tables of a Log Analytics query response, whose `[` was consumed: every row of each,
    /// emitted as an object keyed by the table's column names.
    fn tables(
        &mut self,
        buf: &mut Vec<u8>,
        emit: &mut dyn FnMut(&[u8], u64),
    ) -> Result<(), FrameError> {
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some(b']') => {
                    self.bump()?;
                    return Ok(());
                }
                Some(b'{') => self.bump()?,
                _ => return Err(self.syntax("expected a table object (`{`) or `]`".into())),
            }
            let mut columns: Option<Vec<Vec<u8>>> = None;
            loop {
                self.skip_ws()?;
                match self.peek()? {
                    Some(b'}') => {
                        self.bump()?;
                        break;
                    }
                    Some(b'"') => {}
                    _ => return Err(self.syntax("expected a property of the table".into())),
                }
                let mut key = Vec::new();
                self.value(Some(&mut key))?;
                self.skip_ws()?;
                if self.peek()? != Some(b':') {
                    return Err(self.syntax("expected `:` after a property name".into()));
                }
                self.bump()?;
                self.skip_ws()?;
                match key_name(&key).as_str() {
                    "columns" => {
                        let at = self.pos;
                        let mut raw = Vec::new();
                        self.value(Some(&mut raw))?;
                        columns =
                            Some(column_keys(&raw).ok_or_else(|| {
                                FrameError::Syntax {
                            at,
                            message: "`columns` is not a list of `{\"name\": ..., \"type\": ...}`"
                                .into(),
                        }
                            })?);
                    }
                    "rows" => {
                        let Some(names) = &columns else {
                            return Err(self.syntax(
                                "`rows` before `columns`: the column names must come first".into(),
                            ));
                        };
                        self.rows(names, buf, emit)?;
                    }
                    _ => self.value(None)?,
                }
                self.skip_ws()?;
                match self.peek()? {
                    Some(b',') => self.bump()?,
                    Some(b'}') => {}
                    _ => return Err(self.syntax("expected `,` or `}` in a table".into())),
                }
            }
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => self.bump()?,
                Some(b']') => {}
                _ => return Err(self.syntax("expected `,` or `]` after a table".into())),
            }
        }
    }

    /// A table's `rows`: each row's values written out as `{"column": value, ...}`.
    fn rows(
        &mut self,
        names: &[Vec<u8>],
        buf: &mut Vec<u8>,
        emit: &mut dyn FnMut(&[u8], u64),
    ) -> Result<(), FrameError> {
        if self.peek()? != Some(b'[') {
            return Err(self.syntax("`rows` is not a list".into()));
        }
        self.bump()?;
        loop {
            self.skip_ws()?;
            match self.peek()? {
                Some(b']') => {
                    self.bump()?;
                    return Ok(());
                }
                Some(b'[') => self.bump()?,
                _ => return Err(self.syntax("expected a row (a list of values) or `]`".into())),
            }
            let line = self.pos.line;
            buf.clear();
            buf.push(b'{');
            let mut i = 0;
            loop {
                self.skip_ws()?;
                if self.peek()? == Some(b']') {
                    self.bump()?;
                    break;
                }
                let Some(name) = names.get(i) else {
                    return Err(self.syntax(format!(
                        "a row has more values than the {} columns",
                        names.len()
                    )));
                };
                if i > 0 {
                    buf.push(b',');
                }
                buf.extend_from_slice(name);
                buf.push(b':');
                self.value(Some(buf))?;
                i += 1;
                self.skip_ws()?;
                match self.peek()? {
                    Some(b',') => self.bump()?,
                    Some(b']') => {}
                    _ => return Err(self.syntax("expected `,` or `]` in a row".into())),
                }
            }
            buf.push(b'}');
            emit(buf, line);
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => self.bump()?,
                Some(b']') => {}
                _ => return Err(self.syntax("expected `,` or `]` after a row".into())),
            }
        }
    }

    /// One JSON value, copied into `out` when given. Only its extent is checked.
    fn value(&mut self, mut out: Option<&mut Vec<u8>>) -> Result<(), FrameError> {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        let mut started = false;
        let mut scalar = false;
        loop {
            let (consumed, done) = {
                let data = self.input.fill_buf()?;
                if data.is_empty() {
                    if scalar && depth == 0 {
                        return Ok(());
                    }
                    return Err(FrameError::Syntax {
                        at: self.pos,
                        message: if in_string {
                            "a string is not closed: `\"` expected".into()
                        } else {
                            "the input ends inside a value".into()
                        },
                    });
                }
                let mut i = 0;
                let mut done = false;
                while i < data.len() {
                    let b = data[i];
                    if in_string {
                        if escaped {
                            escaped = false;
                        } else if b == b'\\' {
                            escaped = true;
                        } else if b == b'"' {
                            in_string = false;
                            if depth == 0 {
                                i += 1;
                                done = true;
                                break;
                            }
                        } else if b == b'\n' {
                            // JSON strings hold no raw newline: the string was not closed.
                            let at = moved(self.pos, &data[..i]);
                            return Err(FrameError::Syntax {
                                at,
                                message: "a string is not closed before the end of the line".into(),
                            });
                        }
                    } else if !started {
                        started = true;
                        match b {
                            b'{' | b'[' => depth = 1,
                            b'"' => in_string = true,
                            _ => scalar = true,
                        }
                    } else if scalar {
                        if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n') {
                            done = true;
                            break;
                        }
                    } else {
                        match b {
                            b'"' => in_string = true,
                            b'{' | b'[' => depth += 1,
                            b'}' | b']' => {
                                depth -= 1;
                                if depth == 0 {
                                    i += 1;
                                    done = true;
                                    break;
                                }
                            }
                            _ => {}
                        }
                    }
                    i += 1;
                }
                let mut large = false;
                if let Some(o) = out.as_deref_mut() {
                    o.extend_from_slice(&data[..i]);
                    large = o.len() > MAX_RECORD;
                }
                self.pos = moved(self.pos, &data[..i]);
                if large {
                    return Err(self.too_large());
                }
                (i, done)
            };
            self.input.consume(consumed);
            if done {
                return Ok(());
            }
        }
    }

    fn advance(&mut self, bytes: &[u8]) {
        self.pos = moved(self.pos, bytes);
    }

    fn peek(&mut self) -> io::Result<Option<u8>> {
        Ok(self.input.fill_buf()?.first().copied())
    }

    fn bump(&mut self) -> io::Result<()> {
        if let Some(b) = self.peek()? {
            self.advance(&[b]);
            self.input.consume(1);
        }
        Ok(())
    }

    fn bump_into(&mut self, out: &mut Vec<u8>) -> io::Result<()> {
        if let Some(b) = self.peek()? {
            out.push(b);
            self.advance(&[b]);
            self.input.consume(1);
        }
        Ok(())
    }

    fn skip_ws(&mut self) -> io::Result<()> {
        self.skip_ws_into(None)
    }

    fn skip_ws_into(&mut self, mut out: Option<&mut Vec<u8>>) -> io::Result<()> {
        loop {
            let n = {
                let data = self.input.fill_buf()?;
                let n = data
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    .count();
                if let Some(o) = out.as_deref_mut() {
                    o.extend_from_slice(&data[..n]);
                }
                self.pos = moved(self.pos, &data[..n]);
                if n < data.len() || data.is_empty() {
                    self.input.consume(n);
                    return Ok(());
                }
                n
            };
            self.input.consume(n);
        }
    }

    fn syntax(&self, message: String) -> FrameError {
        FrameError::Syntax {
            at: self.pos,
            message,
        }
    }

    fn too_large(&self) -> FrameError {
        self.syntax(format!(
            "a record larger than {} MiB: a sign-in is a few kilobytes, so this is not a sign-in log",
            MAX_RECORD >> 20
        ))
    }
}

/// `pos` after reading `bytes`.
fn moved(mut pos: Pos, bytes: &[u8]) -> Pos {
    pos.line += count_newlines(bytes);
    match memchr::memrchr(b'\n', bytes) {
        Some(p) => pos.column = (bytes.len() - p) as u64,
        None => pos.column += bytes.len() as u64,
    }
    pos
}

fn count_newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// The column names of a table's `columns`, each as a JSON string ready to be a property name.
fn column_keys(raw: &[u8]) -> Option<Vec<Vec<u8>>> {
    #[derive(serde::Deserialize)]
    struct Column {
        name: String,
    }
    let columns: Vec<Column> = serde_json::from_slice(raw).ok()?;
    columns
        .iter()
        .map(|c| serde_json::to_vec(&c.name).ok())
        .collect()
}

/// A property name's text, lowercase (escapes are not expected in the names looked for).
fn key_name(key: &[u8]) -> String {
    String::from_utf8_lossy(key.strip_prefix(b"\"").unwrap_or(key))
        .trim_end_matches('"')
        .to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str) -> Result<(Vec<(String, u64)>, FrameNotes), FrameError> {
        let mut out = Vec::new();
        let mut f = Framer::new(text.as_bytes(), 1);
        f.run(&mut |b, line| out.push((String::from_utf8_lossy(b).into_owned(), line)))?;
        Ok((out, f.notes))
    }

    #[test]
    fn every_document_shape_gives_its_records() {
        let (r, _) = frame(r#"[{"a":1}, {"b":"]}"}]"#).unwrap();
        assert_eq!(r, [(r#"{"a":1}"#.into(), 1), (r#"{"b":"]}"}"#.into(), 1)]);
        let (r, notes) = frame(
            "{\n \"@odata.context\": \"x\",\n \"value\": [\n  {\"a\": \"\\\"\"},\n  {\"b\": [1,{}]}\n ],\n \"@odata.nextLink\": \"https://n\"\n}",
        )
        .unwrap();
        assert_eq!(
            r,
            [(r#"{"a": "\""}"#.into(), 4), (r#"{"b": [1,{}]}"#.into(), 5)]
        );
        assert_eq!(notes.next_links, 1);
        let (r, _) = frame("{\"records\":[{\"x\":1}]}\n{\"y\": {\"z\": null}}\n").unwrap();
        assert_eq!(
            r,
            [
                (r#"{"x":1}"#.into(), 1),
                (r#"{"y": {"z": null}}"#.into(), 2)
            ]
        );
    }

    #[test]
    fn a_log_analytics_query_response_gives_one_object_per_row() {
        let text = "{\"tables\": [{\"name\": \"PrimaryResult\",\n \"columns\": [{\"name\": \"UserPrincipalName\", \"type\": \"string\"}, {\"name\": \"Status\", \"type\": \"dynamic\"}],\n \"rows\": [\n  [\"a@contoso.com\", \"{\\\"errorCode\\\":0}\"],\n  [\"b@x.com\", null]\n ]}]}";
        let (r, _) = frame(text).unwrap();
        assert_eq!(
            r,
            [
                (
                    r#"{"UserPrincipalName":"a@contoso.com","Status":"{\"errorCode\":0}"}"#.into(),
                    4
                ),
                (r#"{"UserPrincipalName":"b@x.com","Status":null}"#.into(), 5)
            ]
        );
        let Err(FrameError::Syntax { message, .. }) =
            frame("{\"tables\": [{\"rows\": [[1]], \"columns\": []}]}")
        else {
            panic!("rows before columns");
        };
        assert!(message.contains("before `columns`"), "{message}");
        let Err(FrameError::Syntax { message, .. }) =
            frame("{\"tables\": [{\"columns\": [{\"name\": \"A\"}], \"rows\": [[1, 2]]}]}")
        else {
            panic!("too many values");
        };
        assert!(message.contains("more values"), "{message}");
    }

    #[test]
    fn broken_structure_is_an_error_with_its_position() {
        let Err(FrameError::Syntax { at, message }) = frame("[{\"a\": \"b}\n]") else {
            panic!("expected an error");
        };
        assert_eq!(at.line, 1);
        assert!(message.contains("not closed"), "{message}");
        let Err(FrameError::Syntax { message, .. }) = frame("[{\"a\": 1}") else {
            panic!("expected an error");
        };
        assert!(message.contains("`]` expected"), "{message}");
        assert!(frame("hello").is_err());
    }
}
