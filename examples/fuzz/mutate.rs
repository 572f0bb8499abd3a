//! Making the next input from the corpus: a seeded random source ([`Rng`]) and stacked
//! mutations of two kinds. Text mutations flip, cut, copy and splice bytes, swap and re-indent
//! lines, put in the target's dictionary tokens and awkward numbers. Structure mutations read
//! the input as YAML or JSON, change its tree (drop a member, change a value's type, graft
//! a subtree elsewhere, point a `$ref` somewhere odd, nest deeply) and write it out again,
//! as YAML or JSON, so the loaders see inputs that parse and go deep rather than stop at the
//! first syntax error.

use serde_json::{Map, Value};

/// A small, fast, seeded random source (SplitMix64): the same seed makes the same inputs.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Tokens every format meets: YAML and JSON syntax, anchors, tags and odd scalars.
const COMMON: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    ":",
    ": ",
    ",",
    "\"",
    "'",
    "\n",
    "\n  ",
    "- ",
    "---\n",
    "...\n",
    "#",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!str ",
    "!!binary ",
    "|\n  ",
    ">-\n  ",
    "~",
    "null",
    "true",
    "false",
    "yes",
    "NO",
    "0x1F",
    "0o17",
    ".inf",
    "-.inf",
    ".nan",
    "\u{0}",
    "\u{FEFF}",
    "é",
    "\u{1F600}",
    "\\u0000",
    "\\ud800",
    "%",
    "%7B",
    "{{",
    "}}",
    "{{x}}",
    "$",
    "$.a",
    "/",
    "~1",
    "~0",
    "#/",
    "\t",
    "\r\n",
];

/// Numbers at the edges of the types loaders read them into.
const NUMBERS: &[&str] = &[
    "0",
    "-0",
    "-1",
    "1",
    "255",
    "256",
    "65535",
    "65536",
    "2147483647",
    "2147483648",
    "4294967296",
    "-9223372036854775808",
    "18446744073709551615",
    "18446744073709551616",
    "1e308",
    "1e309",
    "-1e309",
    "0.0000001",
    "1.5",
    "NaN",
    "99999999999999999999999999",
];

/// Applies one to four mutations to `input`; `other` is another corpus entry to splice from.
pub fn mutate(rng: &mut Rng, input: &str, other: &str, dictionary: &[&str]) -> String {
    let mut text = input.to_owned();
    for _ in 0..1 + rng.below(4) {
        text = match rng.below(10) {
            0..=2 => structure(rng, &text, other, dictionary).unwrap_or_else(|| bytes(rng, &text)),
            3 | 4 => token(rng, &text, dictionary),
            5 => lines(rng, &text),
            6 => splice(rng, &text, other),
            7 => number(rng, &text),
            _ => bytes(rng, &text),
        };
    }
    text
}

/// A char boundary at or before `i`.
fn boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A random span of `text` as char boundaries.
fn span(rng: &mut Rng, text: &str) -> (usize, usize) {
    let a = boundary(text, rng.below(text.len() + 1));
    let len = if rng.chance(4) {
        rng.below(256)
    } else {
        rng.below(16)
    };
    (a, boundary(text, a + len))
}

fn bytes(rng: &mut Rng, text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    match rng.below(4) {
        0 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] ^= 1 << rng.below(8);
        }
        1 if !b.is_empty() => {
            let i = rng.below(b.len());
            b[i] = rng.next() as u8;
        }
        2 => {
            let (a, z) = span(rng, text);
            b.drain(a..z);
        }
        _ => {
            let (a, z) = span(rng, text);
            let copy = b[a..z].to_vec();
            let at = rng.below(b.len() + 1);
            b.splice(at..at, copy);
        }
    }
    String::from_utf8_lossy(&b).into_owned()
}

fn token(rng: &mut Rng, text: &str, dictionary: &[&str]) -> String {
    let t = if !dictionary.is_empty() && rng.chance(2) {
        *rng.pick(dictionary)
    } else {
        *rng.pick(COMMON)
    };
    let at = boundary(text, rng.below(text.len() + 1));
    let mut out = text.to_owned();
    if rng.chance(3) {
        let (a, z) = span(rng, text);
        out.replace_range(a..z, t);
    } else {
        out.insert_str(at, t);
    }
    out
}

fn lines(rng: &mut Rng, text: &str) -> String {
    let mut ls: Vec<String> = text.lines().map(str::to_owned).collect();
    if ls.is_empty() {
        return text.to_owned();
    }
    let (i, j) = (rng.below(ls.len()), rng.below(ls.len()));
    match rng.below(4) {
        0 => ls.swap(i, j),
        1 => {
            let copy = ls[i].clone();
            ls.insert(j, copy);
        }
        2 => {
            ls.remove(i);
        }
        _ => {
            let line = ls[i].trim_start().to_owned();
            ls[i] = format!("{}{line}", " ".repeat(rng.below(12)));
        }
    }
    ls.join("\n")
}

fn splice(rng: &mut Rng, text: &str, other: &str) -> String {
    let (a, z) = span(rng, other);
    let at = boundary(text, rng.below(text.len() + 1));
    let mut out = text.to_owned();
    out.insert_str(at, &other[a..z]);
    out
}

fn number(rng: &mut Rng, text: &str) -> String {
    let digits: Vec<usize> = text
        .char_indices()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let n = *rng.pick(NUMBERS);
    if digits.is_empty() {
        return format!("{text}{n}");
    }
    let start = *rng.pick(&digits);
    let end = text[start..]
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .map_or(text.len(), |e| start + e);
    let mut out = text.to_owned();
    out.replace_range(start..end, n);
    out
}

/// A tree mutation, or `None` when the text does not parse as YAML or JSON.
fn structure(rng: &mut Rng, text: &str, other: &str, dictionary: &[&str]) -> Option<String> {
    let mut v: Value = yaml_serde::from_str(text).ok()?;
    let graft: Option<Value> = yaml_serde::from_str(other).ok();
    let mut paths = Vec::new();
    collect(&v, &mut Vec::new(), &mut paths);
    let path = rng.pick(&paths).clone();
    let donor = graft.as_ref().map(|g| {
        let mut ps = Vec::new();
        collect(g, &mut Vec::new(), &mut ps);
        let p = rng.pick(&ps).clone();
        at(g, &p).cloned().unwrap_or(Value::Null)
    });
    let pointer = pointer_of(&paths[rng.below(paths.len())]);
    let node = at_mut(&mut v, &path)?;
    match rng.below(8) {
        0 => *node = scalar(rng, dictionary),
        1 => {
            if let Value::Object(m) = node
                && !m.is_empty()
            {
                let k = m
                    .keys()
                    .nth(rng.below(m.len()))
                    .cloned()
                    .unwrap_or_default();
                m.shift_remove(&k);
            } else if let Value::Array(a) = node
                && !a.is_empty()
            {
                a.remove(rng.below(a.len()));
            }
        }
        2 => *node = donor.unwrap_or(Value::Null),
        3 => {
            let mut m = Map::new();
            m.insert("$ref".into(), Value::String(format!("#{pointer}")));
            *node = Value::Object(m);
        }
        4 => {
            let inner = node.take();
            *node = nest(inner, 1 + rng.below(40), rng.chance(2));
        }
        5 => {
            let inner = node.take();
            *node = match inner {
                Value::Array(a) => Value::Object(
                    a.into_iter()
                        .enumerate()
                        .map(|(i, x)| (i.to_string(), x))
                        .collect(),
                ),
                Value::Object(m) => Value::Array(m.into_iter().map(|(_, x)| x).collect()),
                Value::String(s) => Value::Array(vec![Value::String(s)]),
                other => Value::String(other.to_string()),
            };
        }
        6 => {
            if let Value::Object(m) = node {
                let key = if dictionary.is_empty() || rng.chance(3) {
                    (*rng.pick(COMMON)).to_owned()
                } else {
                    rng.pick(dictionary)
                        .trim_end_matches([':', ' ', '\n'])
                        .to_owned()
                };
                m.insert(key, scalar(rng, dictionary));
            }
        }
        _ => {
            let copy = node.clone();
            if let Value::Array(a) = node {
                for _ in 0..rng.below(8) {
                    a.push(copy.clone());
                }
            }
        }
    }
    Some(if rng.chance(3) {
        serde_json::to_string(&v).ok()?
    } else {
        yaml_serde::to_string(&v).ok()?
    })
}

fn scalar(rng: &mut Rng, dictionary: &[&str]) -> Value {
    match rng.below(7) {
        0 => Value::Null,
        1 => Value::Bool(rng.chance(2)),
        2 => {
            let n: &&str = rng.pick(NUMBERS);
            serde_json::from_str(n).unwrap_or(Value::Null)
        }
        3 => Value::String((*rng.pick(COMMON)).to_owned()),
        4 if !dictionary.is_empty() => Value::String((*rng.pick(dictionary)).to_owned()),
        5 => Value::Array(Vec::new()),
        6 => Value::Object(Map::new()),
        _ => Value::String("x".repeat(rng.below(300))),
    }
}

fn nest(inner: Value, depth: usize, array: bool) -> Value {
    (0..depth).fold(inner, |v, _| {
        if array {
            Value::Array(vec![v])
        } else {
            let mut m = Map::new();
            m.insert("a".into(), v);
            Value::Object(m)
        }
    })
}

/// A step into a value: a member name or an array index.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// Every node's path, the root's included; capped so a large document stays quick.
fn collect(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    if out.len() > 4000 {
        return;
    }
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Step::Key(k.clone()));
                collect(x, here, out);
                here.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                collect(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at<'a>(v: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(v, |v, s| match s {
        Step::Key(k) => v.get(k),
        Step::Index(i) => v.get(i),
    })
}

fn at_mut<'a>(v: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(v, |v, s| match s {
        Step::Key(k) => v.get_mut(k),
        Step::Index(i) => v.get_mut(i),
    })
}

fn pointer_of(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{}", k.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => format!("/{i}"),
        })
        .collect()
}
