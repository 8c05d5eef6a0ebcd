//! The pipeline: one thread reads files into chunks (bounded: it waits when the workers are
//! behind), the rayon pool replays a window of chunks in parallel, and the results are merged in
//! input order, so the report and the rows are the same whatever the number of threads.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::sync::Arc;

use rayon::prelude::*;

use super::engine::{ChunkResult, Engine};
use super::read::{self, Chunk, InputError};
use super::summary::{FileSummary, Issue, Row, Summary};

/// How far the run has got, for a progress bar.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub bytes: u64,
    pub total_bytes: u64,
    pub records: u64,
}

/// Why a run stopped without a report (exit code 2).
#[derive(Debug)]
pub enum Stop {
    /// A file could not be read (without `--lenient`).
    Input(InputError),
    /// Malformed records (without `--lenient`): the first ones, and how many were seen.
    Malformed { issues: Vec<Issue>, count: u64 },
}

enum Msg {
    Chunk(Chunk),
    File(FileSummary),
}

/// Replays `files`. `on_rows` receives the rows of each chunk in input order; `progress` is
/// called after each window.
pub fn run(
    engine: &Engine<'_>,
    files: &[PathBuf],
    progress: &mut dyn FnMut(Progress),
    on_rows: &mut dyn FnMut(&[Row]),
) -> Result<Summary, Stop> {
    let threads = rayon::current_num_threads().max(1);
    let window = threads * 2;
    let counter = Arc::new(AtomicU64::new(0));
    let total_bytes = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let (tx, rx) = mpsc::sync_channel::<Msg>(window);
    let reader_counter = counter.clone();
    let reader_files = files.to_vec();
    let reader = std::thread::spawn(move || {
        for path in reader_files {
            let mut alive = true;
            let result = read::read_file(&path, reader_counter.clone(), &mut |c| {
                if alive && tx.send(Msg::Chunk(c)).is_err() {
                    alive = false;
                }
            });
            if !alive {
                return;
            }
            let summary = match result {
                Ok(notes) => FileSummary {
                    path: path.display().to_string(),
                    notes,
                    error: None,
                },
                Err(e) => FileSummary {
                    path: path.display().to_string(),
                    notes: Default::default(),
                    error: Some(e),
                },
            };
            if tx.send(Msg::File(summary)).is_err() {
                return;
            }
        }
    });
    let mut total = engine.empty_summary();
    let mut stop = None;
    'outer: loop {
        let mut batch: Vec<Msg> = Vec::with_capacity(window);
        let mut chunks = 0;
        while chunks < window {
            match rx.recv() {
                Ok(m) => {
                    if matches!(m, Msg::Chunk(_)) {
                        chunks += 1;
                    }
                    batch.push(m);
                }
                Err(_) => break,
            }
        }
        if batch.is_empty() {
            break;
        }
        let results: Vec<Option<ChunkResult>> = batch
            .par_iter()
            .map(|m| match m {
                Msg::Chunk(c) => Some(engine.chunk(c)),
                Msg::File(_) => None,
            })
            .collect();
        for (m, r) in batch.into_iter().zip(results) {
            match (m, r) {
                (_, Some(r)) => {
                    on_rows(&r.rows);
                    total.merge(r.summary);
                }
                (Msg::File(f), None) => {
                    if let (Some(e), false) = (&f.error, engine.lenient) {
                        stop = Some(Stop::Input(e.clone()));
                        break 'outer;
                    }
                    total.files.push(f);
                }
                (Msg::Chunk(_), None) => {}
            }
        }
        if !engine.lenient && total.issue_count > 0 {
            stop = Some(Stop::Malformed {
                issues: std::mem::take(&mut total.issues),
                count: total.issue_count,
            });
            break;
        }
        progress(Progress {
            bytes: counter.load(Ordering::Relaxed),
            total_bytes,
            records: total.read,
        });
        if chunks < window {
            break;
        }
    }
    drop(rx);
    let _ = reader.join();
    match stop {
        Some(s) => Err(s),
        None => Ok(total),
    }
}
