#!/usr/bin/env bash
# Builds the seed corpora under fuzz/corpus/<target>/ from the shipped packs, the test fixtures
# and ../shared/corpus (not committed: megabytes, and reproducible from this script).
set -euo pipefail
cd "$(dirname "$0")"
root=..
shared=${ACCORD_SHARED:-$root/../shared}
[ -d "$shared/corpus" ] || shared=/work/shared
mkdir -p corpus/{policy,policy_structured,device_filter,request,matrix,test_file,graph_import,signin_log,lsp}

n=0
copy() { # copy <target> <file> [prefix byte]
  n=$((n + 1))
  local out="corpus/$1/seed-$n"
  if [ -n "${3:-}" ]; then { printf "$3"; cat "$2"; } > "$out"; else cp "$2" "$out"; fi
}

while IFS= read -r f; do copy policy "$f"; done < <(find "$root/policies" "$root/tests" -name '*.policy' | sort)
while IFS= read -r f; do copy test_file "$f"; done < <(find "$root/policies" "$root/tests/fixtures" -name '*.test.yaml' | sort)
while IFS= read -r f; do copy matrix "$f"; done < <(find "$root/policies" "$root/tests/fixtures" -name 'matrix*.yaml' | sort)
while IFS= read -r f; do copy request "$f"; done < <(find "$root/tests/fixtures/whatif" "$root/tests/fixtures/sharing" -name '*.yaml' -o -name '*.json' 2>/dev/null | grep -v matrix | sort)
# Graph import: the first byte selects the options (bit 0 lenient, bit 1 --tenant).
while IFS= read -r f; do
  copy graph_import "$f" '\x00'
  copy graph_import "$f" '\x03'
done < <(find "$root/tests/fixtures/graph" "$shared/corpus" "$shared/tenant-exports" -name '*.json' 2>/dev/null | sort)
# Sign-in logs: every shape `accord replay` reads; the first byte selects the options (bit 0
# lenient, bit 1 assume-missing not_matching, bit 2 the pack as its own baseline).
while IFS= read -r f; do
  copy signin_log "$f" '\x00'
  copy signin_log "$f" '\x07'
done < <(find "$root/tests/fixtures/replay" "$root/policies" -name '*.json' -o -name '*.jsonl' -o -name '*.csv' | sort)
# lsp is structure-aware (an `arbitrary` session): it starts from an empty corpus.
# Device filters: the rules written in the corpus (some files are UTF-16) and in the tests.
python3 - "$shared/corpus" <<'PY'
import glob, re, sys
rules = set()
files = glob.glob(sys.argv[1] + "/**/*.json", recursive=True) + glob.glob("../src/**/device_filter/tests.rs", recursive=True)
for f in files:
    raw = open(f, "rb").read()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("utf-8", "ignore")
    rules.update(m.replace('\\"', '"') for m in re.findall(r'"rule"\s*:\s*"((?:[^"\\]|\\.)*)"', text))
    rules.update(re.findall(r'r#"(device\.[^#]*)"#', text))
for i, rule in enumerate(sorted(rules)):
    open(f"corpus/device_filter/seed-{i}", "w").write(rule)
PY
for t in corpus/*/; do echo "$(ls "$t" | wc -l) seeds in $t"; done
