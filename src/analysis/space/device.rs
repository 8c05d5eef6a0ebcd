//! Device-filter properties: one dimension per property a filter tests, with one class per
//! distinct vector of the filters' comparisons on it, found exactly.
//!
//! A text property is compared (ignoring case) with `-eq`/`-in` (equality), `-startsWith`,
//! `-endsWith` and `-contains` against literals; the negative operators are complements. The
//! vectors a value can produce are found by a breadth-first walk of an automaton that reads the
//! lowercase value one character at a time: its state is the node of the literals' trie the
//! value still follows (equality and prefixes), the longest suffix of the value that begins a
//! literal (Aho-Corasick: suffixes), and the literals seen so far (substrings). Characters not in
//! any literal act alike, so the alphabet is the literals' characters plus one other. Every
//! reachable state gives a realisable vector, and every value reaches a state, so the classes
//! are exactly the realisable vectors, each with a shortest witness value; `null` (the property
//! absent, or the device not visible) is a class of its own. Collections (`physicalIds`,
//! `systemLabels`) are tested element by element: one class per subset of the literals.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::{class, Class, Value};
use crate::model::device_filter::{
    Comparison, DeviceFilter, DeviceProperty, FilterOp, FilterValue, PropertyKind,
};

/// More automaton states than this for one property: the filters are refused as too complex to
/// analyse exactly (an error, never an approximation).
pub const MAX_STATES: usize = 100_000;

/// The value of a device property in a class.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Attribute {
    Null,
    Text(String),
    Bool(bool),
    List(Vec<String>),
}

/// The positive tests the filters make on one property.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tests {
    pub eq: Vec<String>,
    pub starts: Vec<String>,
    pub ends: Vec<String>,
    pub contains: Vec<String>,
    pub boolean: bool,
}

/// Every property the filters of `policies` test, with its tests (literals lowercased).
pub fn property_tests<'a>(
    filters: impl Iterator<Item = &'a DeviceFilter>,
) -> BTreeMap<DeviceProperty, Tests> {
    let mut out: BTreeMap<DeviceProperty, Tests> = BTreeMap::new();
    fn walk(f: &DeviceFilter, out: &mut BTreeMap<DeviceProperty, Tests>) {
        match f {
            DeviceFilter::And(items) | DeviceFilter::Or(items) => {
                items.iter().for_each(|i| walk(i, out))
            }
            DeviceFilter::Comparison(c) => note(c, out),
        }
    }
    fn note(c: &Comparison, out: &mut BTreeMap<DeviceProperty, Tests>) {
        let t = out.entry(c.property).or_default();
        let push = |list: &mut Vec<String>, s: &str| {
            let s = s.to_lowercase();
            if !list.contains(&s) {
                list.push(s);
            }
        };
        match (c.op.positive(), &c.value) {
            (_, FilterValue::Bool(_)) => t.boolean = true,
            (FilterOp::Eq, FilterValue::String(s)) => push(&mut t.eq, s),
            (FilterOp::In, FilterValue::List(items)) => {
                items.iter().for_each(|s| push(&mut t.eq, s))
            }
            (FilterOp::StartsWith, FilterValue::String(s)) => push(&mut t.starts, s),
            (FilterOp::EndsWith, FilterValue::String(s)) => push(&mut t.ends, s),
            (FilterOp::Contains, FilterValue::String(s)) => push(&mut t.contains, s),
            _ => {}
        }
    }
    for f in filters {
        walk(f, &mut out);
    }
    for t in out.values_mut() {
        for l in [&mut t.eq, &mut t.starts, &mut t.ends, &mut t.contains] {
            l.sort();
        }
    }
    out
}

/// The classes of one property, or `Err` when its filters are too complex.
pub fn property_classes(property: DeviceProperty, tests: &Tests) -> Result<Vec<Class>, String> {
    let name = property.name();
    let mut v = vec![class(
        format!("no `{name}`"),
        0,
        Value::Attribute(Attribute::Null),
    )];
    match property.kind() {
        PropertyKind::Boolean => {
            for b in [true, false] {
                v.push(class(
                    format!("`{name}` stated {b}"),
                    1,
                    Value::Attribute(Attribute::Bool(b)),
                ));
            }
            v[0].label = format!("`{name}` as `device.compliant` says");
        }
        PropertyKind::Collection => {
            let literals = &tests.contains;
            if literals.len() > 12 {
                return Err(format!(
                    "device filters test `{name}` for {} values: too many to analyse exactly",
                    literals.len()
                ));
            }
            for mask in 1u32..(1 << literals.len()) {
                let items: Vec<String> = literals
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| mask & (1 << i) != 0)
                    .map(|(_, s)| s.clone())
                    .collect();
                v.push(class(
                    format!("`{name}` holding {}", items.join(", ")),
                    1,
                    Value::Attribute(Attribute::List(items)),
                ));
            }
        }
        _ => {
            for (vector, witness) in text_classes(tests)? {
                v.push(class(
                    text_label(name, tests, &vector, &witness),
                    1,
                    Value::Attribute(Attribute::Text(witness)),
                ));
            }
        }
    }
    Ok(v)
}

/// The vector of a text value over the tests: eq, starts, ends, contains, in that order.
pub fn text_vector(tests: &Tests, value: &str) -> Vec<bool> {
    let s = value.to_lowercase();
    let mut out = Vec::new();
    out.extend(tests.eq.iter().map(|l| s == *l));
    out.extend(tests.starts.iter().map(|l| s.starts_with(l.as_str())));
    out.extend(tests.ends.iter().map(|l| s.ends_with(l.as_str())));
    out.extend(tests.contains.iter().map(|l| s.contains(l.as_str())));
    out
}

fn text_label(name: &str, tests: &Tests, vector: &[bool], witness: &str) -> String {
    let mut facts = Vec::new();
    let mut i = 0;
    for (list, what) in [
        (&tests.eq, "is"),
        (&tests.starts, "starts with"),
        (&tests.ends, "ends with"),
        (&tests.contains, "contains"),
    ] {
        for l in list {
            if vector[i] {
                facts.push(format!("{what} \"{l}\""));
            }
            i += 1;
        }
    }
    if facts.is_empty() {
        format!("`{name}` matching no literal (e.g. \"{witness}\")")
    } else {
        format!("`{name}` that {} (e.g. \"{witness}\")", facts.join(", "))
    }
}

/// Every realisable vector with a shortest witness, by a breadth-first walk (see the module
/// documentation). The empty string is a value too.
fn text_classes(tests: &Tests) -> Result<Vec<(Vec<bool>, String)>, String> {
    let mut literals: Vec<String> = Vec::new();
    for l in tests
        .eq
        .iter()
        .chain(&tests.starts)
        .chain(&tests.ends)
        .chain(&tests.contains)
    {
        if !literals.contains(l) {
            literals.push(l.clone());
        }
    }
    let trie = Trie::new(&literals);
    let ac = AhoCorasick::new(&literals);
    let mut alphabet: Vec<char> = literals.iter().flat_map(|l| l.chars()).collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    let other = ('a'..='z')
        .chain('0'..='9')
        .chain(['_', '-', '#'])
        .find(|c| !alphabet.contains(c))
        .unwrap_or('\u{2022}');
    alphabet.push(other);
    let index = |l: &String| literals.iter().position(|x| x == l).unwrap_or(0);
    let starts: Vec<usize> = tests.starts.iter().map(index).collect();
    let contains: Vec<usize> = tests.contains.iter().map(index).collect();
    // State: (trie node or usize::MAX when off the trie, literals that are prefixes (frozen
    // off the trie), AC state, literals seen as substrings).
    type State = (usize, u64, usize, u64);
    if literals.len() > 64 {
        return Err("device filters name more than 64 literals for one property: too many to analyse exactly".into());
    }
    let start: State = (0, trie.prefix_mask(0), 0, ac.output_mask(0));
    let mut seen: HashMap<State, ()> = HashMap::new();
    let mut queue: VecDeque<(State, String)> = VecDeque::new();
    let mut vectors: Vec<(Vec<bool>, String)> = Vec::new();
    seen.insert(start, ());
    queue.push_back((start, String::new()));
    while let Some((state, text)) = queue.pop_front() {
        let (node, prefixes, acs, substrings) = state;
        let vector: Vec<bool> = tests
            .eq
            .iter()
            .map(|l| node != usize::MAX && trie.equal(node) == Some(index(l)))
            .chain(starts.iter().map(|i| prefixes & (1 << i) != 0))
            .chain(
                tests
                    .ends
                    .iter()
                    .map(|l| ac.output_mask(acs) & (1 << index(l)) != 0),
            )
            .chain(contains.iter().map(|i| substrings & (1 << i) != 0))
            .collect();
        if !vectors.iter().any(|(v, _)| *v == vector) {
            vectors.push((vector, text.clone()));
        }
        for &ch in &alphabet {
            let next_node = if node == usize::MAX {
                usize::MAX
            } else {
                trie.step(node, ch).unwrap_or(usize::MAX)
            };
            let next_prefixes = if next_node == usize::MAX {
                prefixes
            } else {
                trie.prefix_mask(next_node)
            };
            let next_ac = ac.step(acs, ch);
            let next: State = (
                next_node,
                next_prefixes,
                next_ac,
                substrings | ac.output_mask(next_ac),
            );
            if seen.contains_key(&next) {
                continue;
            }
            if seen.len() >= MAX_STATES {
                return Err(format!(
                    "device filters are too complex to analyse exactly (more than {MAX_STATES} states for one property)"
                ));
            }
            seen.insert(next, ());
            let mut t = text.clone();
            t.push(ch);
            queue.push_back((next, t));
        }
    }
    Ok(vectors)
}

/// The literals' trie: node 0 is the empty string.
struct Trie {
    children: Vec<Vec<(char, usize)>>,
    /// The literal a node spells, if one does.
    terminal: Vec<Option<usize>>,
    /// Literals that are prefixes of (or equal to) a node's string.
    prefixes: Vec<u64>,
}

impl Trie {
    fn new(literals: &[String]) -> Trie {
        let mut t = Trie {
            children: vec![Vec::new()],
            terminal: vec![None],
            prefixes: vec![0],
        };
        for (i, l) in literals.iter().enumerate() {
            let mut node = 0;
            for ch in l.chars() {
                node = match t.children[node].iter().find(|(c, _)| *c == ch) {
                    Some((_, n)) => *n,
                    None => {
                        t.children.push(Vec::new());
                        t.terminal.push(None);
                        t.prefixes.push(0);
                        let n = t.children.len() - 1;
                        t.children[node].push((ch, n));
                        n
                    }
                };
            }
            t.terminal[node] = Some(i);
        }
        // Prefix masks: a node inherits its parent's and adds its own literal.
        let mut stack = vec![(0usize, 0u64)];
        while let Some((n, inherited)) = stack.pop() {
            let own = t.terminal[n].map_or(0, |i| 1u64 << i);
            t.prefixes[n] = inherited | own;
            for (_, c) in t.children[n].clone() {
                stack.push((c, t.prefixes[n]));
            }
        }
        t
    }
    fn step(&self, node: usize, ch: char) -> Option<usize> {
        self.children[node]
            .iter()
            .find(|(c, _)| *c == ch)
            .map(|(_, n)| *n)
    }
    fn equal(&self, node: usize) -> Option<usize> {
        self.terminal[node]
    }
    fn prefix_mask(&self, node: usize) -> u64 {
        self.prefixes[node]
    }
}

/// Aho-Corasick over the literals: state = the longest suffix of the text read that begins a
/// literal (a trie node); outputs = literals that are suffixes of the text.
struct AhoCorasick {
    trie: Trie,
    fail: Vec<usize>,
    output: Vec<u64>,
}

impl AhoCorasick {
    fn new(literals: &[String]) -> AhoCorasick {
        let trie = Trie::new(literals);
        let n = trie.children.len();
        let mut fail = vec![0usize; n];
        let mut output: Vec<u64> = trie
            .terminal
            .iter()
            .map(|t| t.map_or(0, |i| 1u64 << i))
            .collect();
        let mut queue: VecDeque<usize> = VecDeque::new();
        for (_, c) in &trie.children[0] {
            fail[*c] = 0;
            queue.push_back(*c);
        }
        output[0] = trie.terminal[0].map_or(0, |i| 1u64 << i);
        while let Some(u) = queue.pop_front() {
            for (ch, v) in trie.children[u].clone() {
                let mut f = fail[u];
                let target = loop {
                    if let Some(x) = trie.step(f, ch) {
                        break x;
                    }
                    if f == 0 {
                        break 0;
                    }
                    f = fail[f];
                };
                fail[v] = if target == v { 0 } else { target };
                output[v] |= output[fail[v]];
                queue.push_back(v);
            }
        }
        AhoCorasick { trie, fail, output }
    }
    fn step(&self, mut state: usize, ch: char) -> usize {
        loop {
            if let Some(n) = self.trie.step(state, ch) {
                return n;
            }
            if state == 0 {
                return 0;
            }
            state = self.fail[state];
        }
    }
    fn output_mask(&self, state: usize) -> u64 {
        self.output[state] | self.output[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tests(eq: &[&str], starts: &[&str], ends: &[&str], contains: &[&str]) -> Tests {
        let v = |l: &[&str]| l.iter().map(|s| s.to_string()).collect();
        Tests {
            eq: v(eq),
            starts: v(starts),
            ends: v(ends),
            contains: v(contains),
            boolean: false,
        }
    }

    /// Every vector a brute-force search over short strings finds, the automaton finds, and
    /// each witness has the vector it stands for.
    #[test]
    fn text_classes_are_every_realisable_vector() {
        let cases = [
            tests(&["saw"], &["sa"], &["w"], &["a"]),
            tests(&["ab", "abc"], &["a", "ab"], &["bc", "c"], &["b", "ca"]),
            tests(&[], &["x"], &["x"], &["xx"]),
            tests(&["", "a"], &[""], &["a"], &[]),
        ];
        for t in cases {
            let found = text_classes(&t).unwrap();
            for (v, w) in &found {
                assert_eq!(&text_vector(&t, w), v, "witness {w:?}");
            }
            let mut alphabet: Vec<char> = "abcswx".chars().collect();
            alphabet.push('z');
            let mut strings = vec![String::new()];
            for _ in 0..5 {
                let mut next = Vec::new();
                for s in &strings {
                    for c in &alphabet {
                        next.push(format!("{s}{c}"));
                    }
                }
                for s in &next {
                    let v = text_vector(&t, s);
                    assert!(
                        found.iter().any(|(f, _)| *f == v),
                        "{s:?} gives {v:?}, missed"
                    );
                }
                strings = next;
            }
        }
    }
}
