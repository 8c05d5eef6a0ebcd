//! `accord lsp`: a Language Server Protocol server over stdio.
//!
//! Built on `lsp-server` (rust-analyzer's synchronous JSON-RPC transport) and `lsp-types`: the
//! analysis is synchronous and fast (see `workspace`), so an async runtime would only add
//! compile time and threads. Requests are answered in order; every handler works from the
//! last analysis of the pack a document belongs to, and a bad file is a diagnostic, never an
//! error of the server: a handler that fails answers with an error response and the server
//! goes on.
//!
//! The server writes protocol messages to stdout (that is its output channel) and nothing else.
//!
//! `Server` handles one message at a time without any transport (tests and the fuzz target drive
//! it in-process); `serve_stdio` runs it over stdio. One background thread runs the lint rules
//! that ask exact questions of the whole request space (`workspace::whole_space_findings`): an
//! edit is answered at once with every other diagnostic, and those findings follow when the pack
//! has been quiet for a moment. A result for an analysis that a newer edit replaced is dropped.

pub mod actions;
pub mod convert;
pub mod docs;
pub mod features;
pub mod lex;
pub mod navigate;
pub mod workspace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types as lsp;
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use serde_json::Value;

use convert::{uri_to_path, Lines};
use workspace::Workspace;

/// What the server can do, as told to the client.
pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), "(".into(), " ".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Simple(true)),
        semantic_tokens_provider: Some(
            lsp::SemanticTokensServerCapabilities::SemanticTokensOptions(
                lsp::SemanticTokensOptions {
                    legend: lsp::SemanticTokensLegend {
                        token_types: features::TOKEN_TYPES.to_vec(),
                        token_modifiers: Vec::new(),
                    },
                    full: Some(lsp::SemanticTokensFullOptions::Bool(true)),
                    range: None,
                    ..Default::default()
                },
            ),
        ),
        ..Default::default()
    }
}

/// Serves over stdin/stdout until the client says `exit`. Returns a message for stderr when
/// the connection failed.
pub fn serve_stdio() -> Result<(), String> {
    let (connection, io) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    connection
        .initialize(caps)
        .map_err(|e| format!("initialization failed: {e}"))?;
    let (jobs, job_receiver) = crossbeam_channel::unbounded();
    let (done_sender, done) = crossbeam_channel::unbounded();
    let worker = std::thread::spawn(move || background(job_receiver, done_sender));
    let served = serve(&connection, &jobs, &done);
    // The worker is not waited for: a long analysis of a large pack must not delay `exit`.
    drop(jobs);
    drop(worker);
    served?;
    drop(connection);
    io.join().map_err(|e| e.to_string())
}

/// Answers the messages of an initialised connection until the client asks to shut down, and
/// hands the whole-space analyses the server asks for to the background worker.
fn serve(connection: &Connection, jobs: &Sender<Job>, done: &Receiver<Done>) -> Result<(), String> {
    let mut server = Server::default();
    loop {
        let out = crossbeam_channel::select! {
            recv(connection.receiver) -> m => {
                let Ok(message) = m else { return Ok(()) };
                if let Message::Request(req) = &message {
                    if connection.handle_shutdown(req).map_err(|e| e.to_string())? {
                        return Ok(());
                    }
                }
                server.handle(message)
            },
            recv(done) -> d => match d {
                Ok(d) => server.completed(d),
                Err(_) => Vec::new(),
            },
        };
        for job in server.take_jobs() {
            // A worker that is gone only means the whole-space findings stay missing.
            let _ = jobs.send(job);
        }
        for message in out {
            connection
                .sender
                .send(message)
                .map_err(|e| format!("the client went away: {e}"))?;
        }
    }
}

/// How long a pack must be quiet before its whole-space rules run.
const QUIET: Duration = Duration::from_millis(150);

/// A snapshot of a pack for the background worker.
#[derive(Debug, Clone)]
pub struct Job {
    key: PathBuf,
    generation: u64,
    loaded: Arc<crate::load::Loaded>,
}

/// The whole-space findings of one snapshot.
#[derive(Debug)]
pub struct Done {
    key: PathBuf,
    generation: u64,
    findings: Vec<crate::diagnostic::Diagnostic>,
}

/// The background worker: the newest snapshot of each pack, once the pack is quiet.
fn background(jobs: Receiver<Job>, done: Sender<Done>) {
    let mut latest: BTreeMap<PathBuf, Job> = BTreeMap::new();
    loop {
        if latest.is_empty() {
            match jobs.recv() {
                Ok(j) => {
                    latest.insert(j.key.clone(), j);
                }
                Err(_) => return,
            }
        }
        loop {
            match jobs.recv_timeout(QUIET) {
                Ok(j) => {
                    latest.insert(j.key.clone(), j);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let Some(key) = latest.keys().next().cloned() else {
            continue;
        };
        let Some(job) = latest.remove(&key) else {
            continue;
        };
        // A rule that panicked must not take the server down: its findings are just missing.
        let findings = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            workspace::whole_space_findings(&job.loaded)
        }))
        .unwrap_or_default();
        let result = Done {
            key: job.key,
            generation: job.generation,
            findings,
        };
        if done.send(result).is_err() {
            return;
        }
    }
}

/// The server's state and its handling of one message at a time, without any transport: what
/// `serve` runs over stdio, and what tests and the fuzz target drive in-process.
#[derive(Debug, Clone, Default)]
pub struct Server {
    workspace: Workspace,
    /// The last generation of each pack handed out for whole-space analysis.
    scheduled: BTreeMap<PathBuf, u64>,
    /// Whole-space analyses asked for and not yet taken by `take_jobs`.
    pending: Vec<Job>,
}

/// The document a request names, as a path and a byte offset.
fn doc_position(params: &Value) -> Option<(PathBuf, lsp::Position)> {
    let p: lsp::TextDocumentPositionParams = serde_json::from_value(params.clone()).ok()?;
    Some((uri_to_path(&p.text_document.uri)?, p.position))
}

fn doc_path(params: &Value) -> Option<PathBuf> {
    let uri: lsp::Uri =
        serde_json::from_value(params.get("textDocument")?.get("uri")?.clone()).ok()?;
    uri_to_path(&uri)
}

impl Server {
    /// What the server sends back for one message: the response to a request, the diagnostics
    /// a document change publishes, nothing for a response.
    pub fn handle(&mut self, message: Message) -> Vec<Message> {
        match message {
            Message::Request(req) => {
                let id = req.id.clone();
                let response = match self.request(&req) {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                vec![Message::Response(response)]
            }
            Message::Notification(n) => self.notification(n),
            Message::Response(_) => Vec::new(),
        }
    }

    fn notification(&mut self, n: Notification) -> Vec<Message> {
        use lsp::notification as note;
        let path = doc_path(&n.params);
        let Some(path) = path else {
            return Vec::new();
        };
        match n.method.as_str() {
            note::DidOpenTextDocument::METHOD => {
                let text = n
                    .params
                    .pointer("/textDocument/text")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                self.workspace.open.insert(path.clone(), text);
            }
            note::DidChangeTextDocument::METHOD => {
                // Full sync: the last change holds the whole text.
                let text = n
                    .params
                    .get("contentChanges")
                    .and_then(Value::as_array)
                    .and_then(|c| c.last())
                    .and_then(|c| c.get("text"))
                    .and_then(Value::as_str);
                if let Some(text) = text {
                    self.workspace.open.insert(path.clone(), text.to_string());
                }
            }
            note::DidCloseTextDocument::METHOD => {
                self.workspace.open.remove(&path);
            }
            note::DidSaveTextDocument::METHOD => {}
            _ => return Vec::new(),
        }
        self.publish(&path)
    }

    /// The whole-space analyses asked for since the last call, for a background worker.
    pub fn take_jobs(&mut self) -> Vec<Job> {
        std::mem::take(&mut self.pending)
    }

    /// Runs the whole-space analyses asked for here and now, and returns what they publish: how
    /// a server driven in-process gets the findings the stdio server's worker adds later.
    pub fn settle(&mut self) -> Vec<Message> {
        let mut out = Vec::new();
        for job in self.take_jobs() {
            let findings = workspace::whole_space_findings(&job.loaded);
            out.extend(self.completed(Done {
                key: job.key,
                generation: job.generation,
                findings,
            }));
        }
        out
    }

    /// Whole-space findings came back: they join the report, and are published, if the pack has
    /// not changed since.
    pub fn completed(&mut self, d: Done) -> Vec<Message> {
        let Some(pack) = self.workspace.packs.get_mut(&d.key) else {
            return Vec::new();
        };
        if pack.complete_with(d.generation, d.findings) {
            self.publish_pack(&d.key)
        } else {
            Vec::new()
        }
    }

    /// Asks for the pack's whole-space analysis unless it is complete or already asked for.
    fn schedule(&mut self, key: &Path) {
        let Some(pack) = self.workspace.packs.get(key) else {
            return;
        };
        if pack.complete || self.scheduled.get(key) == Some(&pack.generation) {
            return;
        }
        self.scheduled.insert(key.to_path_buf(), pack.generation);
        self.pending.retain(|j| j.key != key);
        self.pending.push(Job {
            key: key.to_path_buf(),
            generation: pack.generation,
            loaded: Arc::clone(&pack.loaded),
        });
    }

    /// Analyses the pack of `path` and publishes the diagnostics of every file in it (a file
    /// without findings gets an empty list, which clears what the editor showed).
    fn publish(&mut self, path: &Path) -> Vec<Message> {
        let key = self.workspace.refresh(path);
        let messages = self.publish_pack(&key);
        self.schedule(&key);
        messages
    }

    /// The diagnostics of every file of an analysed pack, as notifications.
    fn publish_pack(&self, key: &Path) -> Vec<Message> {
        let Some(pack) = self.workspace.packs.get(key) else {
            return Vec::new();
        };
        let mut messages = Vec::new();
        for (i, f) in pack.files.iter().enumerate() {
            let Some(uri) = convert::path_to_uri(&f.path) else {
                continue;
            };
            let diagnostics: Vec<lsp::Diagnostic> = pack
                .diagnostics_of(crate::source::FileId(i as u32))
                .into_iter()
                .map(|d| convert::diagnostic(pack, d))
                .collect();
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            messages.push(Message::Notification(Notification::new(
                lsp::notification::PublishDiagnostics::METHOD.to_string(),
                params,
            )));
        }
        messages
    }

    fn request(&mut self, req: &Request) -> Result<Value, (ErrorCode, String)> {
        use lsp::request as r;
        let bad = |what: &str| {
            (
                ErrorCode::InvalidParams,
                format!("invalid parameters: {what}"),
            )
        };
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        let method = req.method.as_str();
        match method {
            // Over stdio the connection answers `initialize` and `shutdown` (see `serve`); a
            // server driven in-process answers them here.
            r::Initialize::METHOD => {
                return json(serde_json::to_value(lsp::InitializeResult {
                    capabilities: capabilities(),
                    server_info: None,
                }))
            }
            r::Shutdown::METHOD => return Ok(Value::Null),
            _ => {}
        }
        let path =
            doc_path(&req.params).ok_or_else(|| bad("no `textDocument.uri` with a file path"))?;
        self.workspace.pack_of(&path);
        self.schedule(&Workspace::pack_key(&path));
        let pack = self.workspace.pack_of(&path);
        let Some((file, state)) = pack.file(&path) else {
            return Ok(Value::Null);
        };
        let file = file.0 as usize;
        let lines = Lines::new(&state.text);
        let offset = || {
            doc_position(&req.params)
                .map(|(_, p)| lines.offset(p))
                .ok_or_else(|| bad("no position"))
        };
        match method {
            r::HoverRequest::METHOD => {
                json(serde_json::to_value(features::hover(pack, file, offset()?)))
            }
            r::GotoDefinition::METHOD => json(serde_json::to_value(navigate::definition(
                pack,
                file,
                offset()?,
            ))),
            r::References::METHOD => {
                let include = req
                    .params
                    .pointer("/context/includeDeclaration")
                    .and_then(Value::as_bool)
                    .unwrap_or(true);
                json(serde_json::to_value(navigate::references(
                    pack,
                    file,
                    offset()?,
                    include,
                )))
            }
            r::DocumentSymbolRequest::METHOD => {
                json(serde_json::to_value(navigate::document_symbols(state)))
            }
            r::Formatting::METHOD => json(serde_json::to_value(features::format(
                state,
                crate::source::FileId(file as u32),
            ))),
            r::Completion::METHOD => json(serde_json::to_value(features::completion(
                pack,
                file,
                offset()?,
            ))),
            r::CodeActionRequest::METHOD => {
                let range: lsp::Range = req
                    .params
                    .get("range")
                    .and_then(|r| serde_json::from_value(r.clone()).ok())
                    .ok_or_else(|| bad("no range"))?;
                json(serde_json::to_value(actions::code_actions(
                    pack, file, range,
                )))
            }
            r::SemanticTokensFullRequest::METHOD => {
                json(serde_json::to_value(lsp::SemanticTokens {
                    result_id: None,
                    data: features::semantic_tokens(state),
                }))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("`{method}` is not supported"),
            )),
        }
    }
}
