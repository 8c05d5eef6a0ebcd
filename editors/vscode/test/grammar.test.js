// The TextMate grammar run by the engine VS Code itself uses (vscode-textmate with the Oniguruma
// regex library compiled to WebAssembly, both shipped in their npm packages, so nothing is
// downloaded at test time). The Rust suite checks the same grammar with fancy-regex; this test
// checks it with the real engine: every `.policy` file under `policies/` is tokenized and any
// non-blank character left with only the root scope fails.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const repo = path.join(__dirname, "..", "..", "..");
const grammarPath = path.join(__dirname, "..", "syntaxes", "accord.tmLanguage.json");

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.accord"
        ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath)
        : null,
  });
  return registry.loadGrammar("source.accord");
}

function policyFiles(dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) policyFiles(full, out);
    else if (entry.name.endsWith(".policy")) out.push(full);
  }
  return out.sort();
}

/** [{ text, scopes }] for every token of every line. */
function tokenize(grammar, text) {
  let state = vsctm.INITIAL;
  const out = [];
  text.split(/\r?\n/).forEach((line, number) => {
    const result = grammar.tokenizeLine(line, state);
    for (const t of result.tokens) {
      out.push({ line: number + 1, column: t.startIndex + 1, text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    }
    state = result.ruleStack;
  });
  return out;
}

test("every shipped .policy file is scoped without gaps", async () => {
  const grammar = await loadGrammar();
  const files = policyFiles(path.join(repo, "policies"));
  assert.ok(files.length >= 4, `shipped packs found: ${files.length}`);
  let tokens = 0;
  for (const file of files) {
    for (const t of tokenize(grammar, fs.readFileSync(file, "utf8"))) {
      tokens += 1;
      if (t.scopes.length === 1 && t.text.trim() !== "") {
        assert.fail(`${path.relative(repo, file)}:${t.line}:${t.column}: \`${t.text}\` has no scope`);
      }
    }
  }
  assert.ok(tokens > 1000, `${tokens} tokens`);
});

test("keywords, names, strings, comments and suppressions get their scopes", async () => {
  const grammar = await loadGrammar();
  const text = [
    "# accord: allow(EXT003) partners' MFA is not trusted",
    'policy "Guests: MFA" {',
    "  users { include external(b2b_guest) from tenants(fabrikam) }",
    "  state = report_only",
    "  grant mfa",
    "}",
  ].join("\n");
  const tokens = tokenize(grammar, text);
  const scopeOf = (needle) => {
    const t = tokens.find((x) => x.text === needle);
    assert.ok(t, `a token \`${needle}\` in ${JSON.stringify(tokens.map((x) => x.text))}`);
    return t.scopes[t.scopes.length - 1];
  };
  assert.equal(scopeOf("policy"), "storage.type.item.accord");
  assert.equal(scopeOf("users"), "keyword.other.accord");
  assert.equal(scopeOf("fabrikam"), "variable.other.name.accord");
  assert.equal(scopeOf("report_only"), "constant.language.accord");
  assert.equal(scopeOf("EXT003"), "constant.other.lint-code.accord");
  assert.ok(tokens.find((x) => x.text.includes("Guests: MFA")).scopes.includes("string.quoted.double.accord"));
  assert.equal(scopeOf("="), "keyword.operator.assignment.accord");
});
