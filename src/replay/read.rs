//! Reading logs as a stream of chunks: files are never loaded whole.
//!
//! A file is UTF-8 (with or without a BOM) or UTF-16 with a BOM, detected as the Graph importer
//! does (`graph::decode::sniff_bom`). Its first character tells the shape: `{` or `[` is JSON
//! (JSON Lines when the first line holds a whole object, else a document framed by `frame`),
//! anything else CSV with a header row. Records are grouped in chunks of about a megabyte so
//! that workers parse and decide them in parallel; the reader never holds more than a few
//! chunks ahead of them.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::frame::{FrameError, FrameNotes, Framer, Pos};
use crate::graph::decode::{sniff_bom, Encoding};

/// About this many bytes of records per chunk.
pub const CHUNK_BYTES: usize = 1 << 20;

/// Records found by the reader, to be parsed by a worker.
#[derive(Debug)]
pub struct Chunk {
    pub file: Arc<str>,
    pub body: Body,
}

#[derive(Debug)]
pub enum Body {
    /// JSON records: `data[start..end]`, starting on `line`. `lines`: one record per line
    /// (JSON Lines), so a malformed one is that line.
    Json {
        data: Vec<u8>,
        records: Vec<(usize, usize, u64)>,
        lines: bool,
    },
    /// CSV rows under `headers`.
    Csv {
        headers: Arc<Vec<String>>,
        rows: Vec<csv::StringRecord>,
    },
}

/// What stops reading a file (exit code 2, or with `--lenient` a reported, counted problem).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub file: String,
    pub at: Option<Pos>,
    pub message: String,
    pub help: Option<String>,
}

impl std::fmt::Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message)?,
            None => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let Some(h) = &self.help {
            write!(f, " (help: {h})")?;
        }
        Ok(())
    }
}

/// Per-file facts for the report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileNotes {
    pub shape: &'static str,
    pub encoding: &'static str,
    pub frame: FrameNotes,
}

/// Counts bytes as they are read (for the progress bar).
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// UTF-16 (LE or BE) bytes as UTF-8, decoded as they stream.
struct Utf16<R> {
    inner: R,
    little: bool,
    pending: Vec<u8>,
    out: Vec<u8>,
    at: usize,
    eof: bool,
}

impl<R: Read> Read for Utf16<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.at == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.out.clear();
            self.at = 0;
            let mut raw = [0u8; 64 * 1024];
            let n = self.inner.read(&mut raw)?;
            if n == 0 {
                self.eof = true;
                if !self.pending.is_empty() {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        "UTF-16 text with an odd number of bytes or a lone surrogate at its end",
                    ));
                }
                continue;
            }
            self.pending.extend_from_slice(&raw[..n]);
            let mut units: Vec<u16> = Vec::with_capacity(self.pending.len() / 2);
            let whole = self.pending.len() & !1;
            for c in self.pending[..whole].chunks_exact(2) {
                units.push(if self.little {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                });
            }
            // A high surrogate at the end waits for its pair.
            let mut keep_units = 0;
            if units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                keep_units = 1;
            }
            let decodable = units.len() - keep_units;
            for ch in char::decode_utf16(units[..decodable].iter().copied()) {
                let ch = ch.map_err(|_| {
                    io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-16 text")
                })?;
                let mut b = [0u8; 4];
                self.out
                    .extend_from_slice(ch.encode_utf8(&mut b).as_bytes());
            }
            let used = decodable * 2;
            self.pending.drain(..used);
        }
        let n = buf.len().min(self.out.len() - self.at);
        buf[..n].copy_from_slice(&self.out[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// A log file (or `-` for stdin) as UTF-8 text, and its encoding's name.
pub fn open(
    path: &Path,
    counter: Arc<AtomicU64>,
) -> io::Result<(Box<dyn BufRead + Send>, &'static str)> {
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        Box::new(File::open(path)?)
    };
    let mut reader = BufReader::with_capacity(
        256 * 1024,
        Counting {
            inner: raw,
            counter,
        },
    );
    let head = reader.fill_buf()?;
    let (encoding, bom) = sniff_bom(head);
    reader.consume(bom);
    Ok(match encoding {
        Encoding::Utf8 => (Box::new(reader), "utf-8"),
        Encoding::Utf8Bom => (Box::new(reader), "utf-8 (BOM)"),
        Encoding::Utf16Le | Encoding::Utf16Be => (
            Box::new(BufReader::with_capacity(
                256 * 1024,
                Utf16 {
                    inner: reader,
                    little: encoding == Encoding::Utf16Le,
                    pending: Vec::new(),
                    out: Vec::new(),
                    at: 0,
                    eof: false,
                },
            )),
            if encoding == Encoding::Utf16Le {
                "utf-16le"
            } else {
                "utf-16be"
            },
        ),
    })
}

/// Reads one file into chunks, calling `send` for each (which may block: that is the bound on
/// memory). Returns the file's notes, or the error that stopped it.
pub fn read_file(
    path: &Path,
    counter: Arc<AtomicU64>,
    send: &mut dyn FnMut(Chunk),
) -> Result<FileNotes, InputError> {
    let name: Arc<str> = Arc::from(path.display().to_string());
    let err = |at: Option<Pos>, message: String| InputError {
        file: name.to_string(),
        at,
        message,
        help: None,
    };
    let (mut input, encoding) =
        open(path, counter).map_err(|e| err(None, format!("cannot read: {e}")))?;
    let first = first_non_ws(&mut input).map_err(|e| err(None, format!("cannot read: {e}")))?;
    let mut notes = FileNotes {
        encoding,
        ..FileNotes::default()
    };
    match first {
        None => {
            notes.shape = "empty";
            Ok(notes)
        }
        Some(b'{') | Some(b'[') => {
            let lines = first == Some(b'{') && first_line_is_object(&mut input).unwrap_or(false);
            if lines {
                notes.shape = "json-lines";
                read_lines(&name, input, send)
                    .map_err(|e| err(None, format!("cannot read: {e}")))?;
            } else {
                notes.shape = "json";
                notes.frame = read_document(&name, input, send).map_err(|e| match e {
                    FrameError::Io(e) => err(None, format!("cannot read: {e}")),
                    FrameError::Syntax { at, message } => InputError {
                        help: Some(
                            "the file's JSON structure is broken here, so the rest of it cannot be read; records before this point were read".into(),
                        ),
                        ..err(Some(at), message)
                    },
                })?;
            }
            Ok(notes)
        }
        Some(_) => {
            notes.shape = "csv";
            read_csv(&name, input, send)?;
            Ok(notes)
        }
    }
}

/// The first byte after whitespace, not consumed.
fn first_non_ws(input: &mut dyn BufRead) -> io::Result<Option<u8>> {
    loop {
        let data = input.fill_buf()?;
        if data.is_empty() {
            return Ok(None);
        }
        let n = data.iter().take_while(|b| b.is_ascii_whitespace()).count();
        if n < data.len() {
            let b = data[n];
            // Leading whitespace is left for the line count of what follows; only a CSV with
            // leading blank lines would care, and the csv reader skips them.
            return Ok(Some(b));
        }
        input.consume(n);
    }
}

/// Whether the first line (in the buffer) is a whole JSON object: JSON Lines. Looks at most at
/// what the buffer holds; a first line longer than that is read as a document.
fn first_line_is_object(input: &mut dyn BufRead) -> io::Result<bool> {
    let data = input.fill_buf()?;
    let line_end = memchr::memchr(b'\n', data).unwrap_or(data.len());
    let line = &data[..line_end];
    let trimmed = line.trim_ascii();
    if !trimmed.starts_with(b"{") || !trimmed.ends_with(b"}") {
        return Ok(false);
    }
    let mut framer = Framer::new(trimmed, 1);
    let mut count = 0;
    let ok = framer.run(&mut |_, _| count += 1).is_ok();
    // A one-line list response frames as its elements: still a line of its own.
    Ok(ok && (count >= 1 || trimmed.len() > 2))
}

/// A chunk of JSON records.
fn json_chunk(
    name: &Arc<str>,
    data: Vec<u8>,
    records: Vec<(usize, usize, u64)>,
    lines: bool,
) -> Chunk {
    Chunk {
        file: name.clone(),
        body: Body::Json {
            data,
            records,
            lines,
        },
    }
}

fn read_lines(
    name: &Arc<str>,
    mut input: Box<dyn BufRead + Send>,
    send: &mut dyn FnMut(Chunk),
) -> io::Result<()> {
    let mut data = Vec::with_capacity(CHUNK_BYTES + 64 * 1024);
    let mut records = Vec::new();
    let mut line = 0u64;
    loop {
        let start = data.len();
        let n = input.read_until(b'\n', &mut data)?;
        if n == 0 {
            break;
        }
        line += 1;
        let mut end = data.len();
        while end > start && matches!(data[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        if data[start..end].iter().any(|b| !b.is_ascii_whitespace()) {
            records.push((start, end, line));
        }
        if data.len() >= CHUNK_BYTES {
            send(json_chunk(
                name,
                std::mem::replace(&mut data, Vec::with_capacity(CHUNK_BYTES + 64 * 1024)),
                std::mem::take(&mut records),
                true,
            ));
        }
    }
    if !records.is_empty() {
        send(json_chunk(name, data, records, true));
    }
    Ok(())
}

fn read_document(
    name: &Arc<str>,
    input: Box<dyn BufRead + Send>,
    send: &mut dyn FnMut(Chunk),
) -> Result<FrameNotes, FrameError> {
    let mut framer = Framer::new(input, 1);
    let mut data = Vec::with_capacity(CHUNK_BYTES + 64 * 1024);
    let mut records = Vec::new();
    framer
        .run(&mut |bytes, line| {
            let start = data.len();
            data.extend_from_slice(bytes);
            records.push((start, data.len(), line));
            if data.len() >= CHUNK_BYTES {
                send(json_chunk(
                    name,
                    std::mem::replace(&mut data, Vec::with_capacity(CHUNK_BYTES + 64 * 1024)),
                    std::mem::take(&mut records),
                    false,
                ));
            }
        })
        // Records framed before an error are still replayed.
        .inspect_err(|_| {
            if !records.is_empty() {
                send(json_chunk(
                    name,
                    std::mem::take(&mut data),
                    std::mem::take(&mut records),
                    false,
                ));
            }
        })?;
    if !records.is_empty() {
        send(json_chunk(name, data, records, false));
    }
    Ok(framer.notes)
}

fn read_csv(
    name: &Arc<str>,
    input: Box<dyn BufRead + Send>,
    send: &mut dyn FnMut(Chunk),
) -> Result<(), InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(input);
    let csv_err = |e: csv::Error| {
        let at = e.position().map(|p| Pos {
            line: p.line(),
            column: 1,
        });
        InputError {
            file: name.to_string(),
            at,
            message: format!("invalid CSV: {e}"),
            help: None,
        }
    };
    let headers: Arc<Vec<String>> = Arc::new(
        reader
            .headers()
            .map_err(csv_err)?
            .iter()
            .map(|h| h.trim().trim_matches('\u{feff}').to_string())
            .collect(),
    );
    let mut rows = Vec::new();
    let mut bytes = 0usize;
    for row in reader.records() {
        let row = row.map_err(csv_err)?;
        bytes += row.as_slice().len() + row.len();
        rows.push(row);
        if bytes >= CHUNK_BYTES {
            send(Chunk {
                file: name.clone(),
                body: Body::Csv {
                    headers: headers.clone(),
                    rows: std::mem::take(&mut rows),
                },
            });
            bytes = 0;
        }
    }
    if !rows.is_empty() {
        send(Chunk {
            file: name.clone(),
            body: Body::Csv { headers, rows },
        });
    }
    Ok(())
}

/// Every file a path names: the file, or a folder's files (recursively, sorted) whose
/// extension is `json`, `jsonl`, `ndjson` or `csv`.
pub fn log_files(path: &Path) -> io::Result<Vec<PathBuf>> {
    if path == Path::new("-") || !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![path.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let p = entry?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
                matches!(
                    e.to_ascii_lowercase().as_str(),
                    "json" | "jsonl" | "ndjson" | "csv"
                )
            }) {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chunks(bytes: &[u8]) -> (Result<FileNotes, InputError>, Vec<Chunk>) {
        let dir = std::env::temp_dir().join(format!("accord-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(format!("t{}.log", bytes.len()));
        std::fs::write(&p, bytes).unwrap();
        let mut out = Vec::new();
        let r = read_file(&p, Arc::new(AtomicU64::new(0)), &mut |c| out.push(c));
        (r, out)
    }

    fn json_records(c: &[Chunk]) -> Vec<(String, u64)> {
        c.iter()
            .flat_map(|c| match &c.body {
                Body::Json { data, records, .. } => records
                    .iter()
                    .map(|(s, e, l)| (String::from_utf8_lossy(&data[*s..*e]).into_owned(), *l))
                    .collect::<Vec<_>>(),
                Body::Csv { .. } => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn shapes_are_told_apart() {
        let (n, c) = chunks(b"{\"a\":1}\n\n{\"b\":2}\r\n");
        assert_eq!(n.unwrap().shape, "json-lines");
        assert_eq!(
            json_records(&c),
            [("{\"a\":1}".into(), 1), ("{\"b\":2}".into(), 3)]
        );
        let (n, c) = chunks(b"{\n  \"value\": [{\"a\":1}]\n}");
        assert_eq!(n.unwrap().shape, "json");
        assert_eq!(json_records(&c), [("{\"a\":1}".into(), 2)]);
        let (n, c) = chunks(b"Date (UTC),Username\n2024-01-01,a@contoso.com\n");
        assert_eq!(n.unwrap().shape, "csv");
        match &c[0].body {
            Body::Csv { headers, rows } => {
                assert_eq!(headers.as_slice(), ["Date (UTC)", "Username"]);
                assert_eq!(rows[0].get(1), Some("a@contoso.com"));
            }
            Body::Json { .. } => panic!("csv expected"),
        }
    }

    #[test]
    fn utf16_with_a_bom_streams_as_utf8() {
        let text = "[{\"userPrincipalName\":\"zoë@contoso.com\"}]";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let (n, c) = chunks(&le);
        let n = n.unwrap();
        assert_eq!((n.shape, n.encoding), ("json", "utf-16le"));
        assert_eq!(
            json_records(&c)[0].0,
            "{\"userPrincipalName\":\"zoë@contoso.com\"}"
        );
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(json_records(&chunks(&be).1)[0].0, json_records(&c)[0].0);
        let mut bom8 = vec![0xEF, 0xBB, 0xBF];
        bom8.extend_from_slice(text.as_bytes());
        assert_eq!(chunks(&bom8).0.unwrap().encoding, "utf-8 (BOM)");
    }

    #[test]
    fn a_broken_document_keeps_what_was_before_the_break() {
        let (r, c) = chunks(b"[{\"a\":1},\n{\"b\": \"x}\n]");
        let e = r.unwrap_err();
        assert_eq!(e.at.map(|p| p.line), Some(2));
        assert_eq!(json_records(&c), [("{\"a\":1}".into(), 1)]);
    }
}
