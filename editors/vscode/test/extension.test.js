// The client half of the extension, run under Node's own test runner with stand-ins for the
// `vscode` API and the language client (VS Code itself is not downloaded in CI): activation must
// start `<accord.path> lsp` over stdio for `accord` documents and stop it on deactivation.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const Module = require("node:module");
const path = require("node:path");

function loadExtension(configuredPath) {
  const calls = { clients: [], stopped: 0, watchers: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => ({
        get: (key) => (section === "accord" && key === "path" ? configuredPath : undefined),
      }),
      createFileSystemWatcher: (glob) => {
        calls.watchers.push(glob);
        return { glob };
      },
    },
  };
  class LanguageClient {
    constructor(id, name, serverOptions, clientOptions) {
      Object.assign(this, { id, name, serverOptions, clientOptions });
      calls.clients.push(this);
    }
    start() {
      return Promise.resolve("started");
    }
    stop() {
      calls.stopped += 1;
      return Promise.resolve();
    }
  }
  const stubs = {
    vscode,
    "vscode-languageclient/node": { LanguageClient, TransportKind: { stdio: 0, ipc: 1 } },
  };
  const original = Module._load;
  Module._load = function (request, parent, isMain) {
    if (Object.prototype.hasOwnProperty.call(stubs, request)) return stubs[request];
    return original.call(this, request, parent, isMain);
  };
  const file = path.join(__dirname, "..", "src", "extension.js");
  delete require.cache[require.resolve(file)];
  try {
    return { extension: require(file), calls };
  } finally {
    Module._load = original;
  }
}

test("activation starts `accord lsp` over stdio for accord documents", async () => {
  const { extension, calls } = loadExtension(undefined);
  const context = { subscriptions: [] };
  assert.equal(await extension.activate(context), "started");
  assert.equal(calls.clients.length, 1);
  const client = calls.clients[0];
  assert.equal(client.id, "accord");
  for (const mode of ["run", "debug"]) {
    assert.deepEqual(client.serverOptions[mode], { command: "accord", args: ["lsp"], transport: 0 });
  }
  assert.deepEqual(client.clientOptions.documentSelector, [{ scheme: "file", language: "accord" }]);
  assert.deepEqual(calls.watchers, ["**/*.policy"]);
  assert.equal(context.subscriptions.length, 1);
  await extension.deactivate();
  assert.equal(calls.stopped, 1);
});

test("`accord.path` names the server binary", async () => {
  const { extension, calls } = loadExtension("/opt/accord/bin/accord");
  await extension.activate({ subscriptions: [] });
  assert.equal(calls.clients[0].serverOptions.run.command, "/opt/accord/bin/accord");
  assert.deepEqual(calls.clients[0].serverOptions.run.args, ["lsp"]);
});

test("the manifest ties .policy files to the grammar and the language configuration", () => {
  const manifest = require("../package.json");
  const language = manifest.contributes.languages.find((l) => l.id === "accord");
  assert.ok(language, "an `accord` language");
  assert.deepEqual(language.extensions, [".policy"]);
  const grammar = manifest.contributes.grammars.find((g) => g.language === "accord");
  assert.equal(grammar.scopeName, "source.accord");
  const fs = require("node:fs");
  for (const file of [grammar.path, language.configuration, manifest.main]) {
    assert.ok(fs.existsSync(path.join(__dirname, "..", file)), `${file} exists`);
  }
  const configuration = JSON.parse(
    fs.readFileSync(path.join(__dirname, "..", language.configuration), "utf8")
  );
  assert.equal(configuration.comments.lineComment, "#");
});
