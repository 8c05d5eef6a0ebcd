//! An `arbitrary` editing session, written as the messages an editor sends to `accord lsp`
//! (one JSON-RPC message per line): the input of the `lsp` oracle.
//!
//! Random bytes would rarely be a JSON-RPC message, let alone one naming an open document at a
//! position inside it. This model keeps the messages well formed and lets the fuzzer choose
//! what matters: which document, which edit of its text (language tokens or any text, at any
//! place), which request, and which position (mostly inside the document, sometimes anywhere).
//! The documents start as the files of `contoso-group`, so edits break and repair real
//! references across files.

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use serde_json::{json, Value};

use crate::oracles::{CONTOSO_FILES, LSP_FOLDER};

/// Documents besides the pack's: a new file of the pack, a file that is not a `.policy`, a file
/// of another folder, a name that needs escaping in a URI.
const OTHER_FILES: [&str; 4] = [
    "new.policy",
    "notes.txt",
    "../elsewhere/x.policy",
    "with%20space%C3%A9.policy",
];

/// Text inserted by edits: tokens of the language and characters that stress position
/// conversion (UTF-16 surrogate pairs, CRLF, a BOM, NUL).
const SNIPPETS: [&str; 24] = [
    "{",
    "}",
    "(",
    ")",
    "\"",
    "#",
    " ",
    "\n",
    "\r\n",
    "policy \"x\" { users { include all } apps { include all } grant mfa }\n",
    "location hq { ip = [\"203.0.113.0/24\"] trusted }\n",
    "tenant fabrikam { id = \"3c1b2a4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d\" }\n",
    "conditions { locations = include(hq) }",
    "users { include group(\"Partners\") }",
    "exclude(",
    "grant any(mfa, compliant_device)",
    "# accord: allow EXT001\n",
    "é",
    "𝄞",
    "\u{feff}",
    "\0",
    "\t",
    "contoso",
    "hq",
];

#[derive(Debug, Arbitrary)]
pub struct Session {
    steps: Vec<Step>,
}

#[derive(Debug, Arbitrary)]
enum Step {
    Open {
        file: u8,
        text: Text,
    },
    Change {
        file: u8,
        edits: Vec<Edit>,
    },
    Close {
        file: u8,
    },
    Save {
        file: u8,
    },
    Request {
        file: u8,
        request: Req,
        at: At,
    },
    /// Any line: the server must survive what is not a message.
    Raw(String),
}

#[derive(Debug, Arbitrary)]
enum Text {
    Contoso(u8),
    Empty,
    Any(String),
}

#[derive(Debug, Arbitrary)]
struct Edit {
    at: u16,
    delete: u8,
    insert: Insert,
}

#[derive(Debug, Arbitrary)]
enum Insert {
    Snippet(u8),
    Any(String),
}

#[derive(Debug, Arbitrary)]
enum Req {
    Hover,
    Completion,
    Definition,
    References(bool),
    Formatting,
    CodeAction { lines: u8, character: u16 },
    DocumentSymbol,
    SemanticTokens,
    Initialize,
    Shutdown,
    Unsupported,
}

#[derive(Debug, Arbitrary)]
struct At {
    line: u16,
    character: u16,
    /// The raw values (anywhere, past the end too) instead of a place inside the document.
    exact: bool,
}

fn uri(file: u8) -> String {
    let names = CONTOSO_FILES.len() + OTHER_FILES.len();
    let i = file as usize % names;
    let name = match CONTOSO_FILES.get(i) {
        Some((name, _)) => name,
        None => OTHER_FILES[i - CONTOSO_FILES.len()],
    };
    format!("file://{LSP_FOLDER}/{name}")
}

/// The byte offset nearest `at` (modulo the length) that is a character boundary.
fn boundary(text: &str, at: usize) -> usize {
    let mut at = at % (text.len() + 1);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl Session {
    /// The session as the lines of the oracle's script.
    pub fn script(&self) -> String {
        let mut texts: BTreeMap<String, String> = CONTOSO_FILES
            .iter()
            .map(|(name, text)| (format!("file://{LSP_FOLDER}/{name}"), text.to_string()))
            .collect();
        let mut lines = Vec::new();
        let mut id = 0;
        let note = |method: &str, params: Value| {
            json!({"jsonrpc": "2.0", "method": method, "params": params}).to_string()
        };
        for step in &self.steps {
            match step {
                Step::Open { file, text } => {
                    let text = match text {
                        Text::Contoso(i) => CONTOSO_FILES[*i as usize % CONTOSO_FILES.len()]
                            .1
                            .to_string(),
                        Text::Empty => String::new(),
                        Text::Any(s) => s.clone(),
                    };
                    let uri = uri(*file);
                    lines.push(note(
                        "textDocument/didOpen",
                        json!({"textDocument": {"uri": uri, "languageId": "accord", "version": 1, "text": text}}),
                    ));
                    texts.insert(uri, text);
                }
                Step::Change { file, edits } => {
                    let uri = uri(*file);
                    let text = texts.entry(uri.clone()).or_default();
                    for edit in edits {
                        let start = boundary(text, edit.at as usize);
                        let end = boundary(text, start + edit.delete as usize).max(start);
                        let insert = match &edit.insert {
                            Insert::Snippet(i) => SNIPPETS[*i as usize % SNIPPETS.len()],
                            Insert::Any(s) => s.as_str(),
                        };
                        text.replace_range(start..end, insert);
                    }
                    lines.push(note(
                        "textDocument/didChange",
                        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]}),
                    ));
                }
                Step::Close { file } => {
                    let uri = uri(*file);
                    lines.push(note(
                        "textDocument/didClose",
                        json!({"textDocument": {"uri": uri}}),
                    ));
                }
                Step::Save { file } => lines.push(note(
                    "textDocument/didSave",
                    json!({"textDocument": {"uri": uri(*file)}}),
                )),
                Step::Request { file, request, at } => {
                    id += 1;
                    let uri = uri(*file);
                    let text = texts.get(&uri).map_or("", String::as_str);
                    let position = position(text, at);
                    let doc = json!({"uri": uri});
                    let (method, params) = match request {
                        Req::Hover => (
                            "textDocument/hover",
                            json!({"textDocument": doc, "position": position}),
                        ),
                        Req::Completion => (
                            "textDocument/completion",
                            json!({"textDocument": doc, "position": position}),
                        ),
                        Req::Definition => (
                            "textDocument/definition",
                            json!({"textDocument": doc, "position": position}),
                        ),
                        Req::References(include) => (
                            "textDocument/references",
                            json!({"textDocument": doc, "position": position, "context": {"includeDeclaration": include}}),
                        ),
                        Req::Formatting => (
                            "textDocument/formatting",
                            json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}}),
                        ),
                        Req::CodeAction { lines, character } => {
                            let end = json!({
                                "line": position["line"].as_u64().unwrap_or(0) + u64::from(*lines),
                                "character": character,
                            });
                            (
                                "textDocument/codeAction",
                                json!({"textDocument": doc, "range": {"start": position, "end": end}, "context": {"diagnostics": []}}),
                            )
                        }
                        Req::DocumentSymbol => {
                            ("textDocument/documentSymbol", json!({"textDocument": doc}))
                        }
                        Req::SemanticTokens => (
                            "textDocument/semanticTokens/full",
                            json!({"textDocument": doc}),
                        ),
                        Req::Initialize => (
                            "initialize",
                            json!({"processId": null, "rootUri": null, "capabilities": {}}),
                        ),
                        Req::Shutdown => ("shutdown", Value::Null),
                        Req::Unsupported => (
                            "textDocument/rename",
                            json!({"textDocument": doc, "position": position, "newName": "x"}),
                        ),
                    };
                    lines.push(
                        json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
                            .to_string(),
                    );
                }
                Step::Raw(s) => lines.push(s.replace('\n', " ")),
            }
        }
        lines.join("\n")
    }
}

/// A position in `text` (line and UTF-16 character), or the raw values when `exact`.
fn position(text: &str, at: &At) -> Value {
    if at.exact {
        return json!({"line": at.line, "character": at.character});
    }
    let lines: Vec<&str> = text.split('\n').collect();
    let line = at.line as usize % lines.len();
    let units = lines[line].encode_utf16().count();
    json!({"line": line, "character": at.character as usize % (units + 1)})
}
