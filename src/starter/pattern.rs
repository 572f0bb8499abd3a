//! A string matching a `pattern`, for the common shapes of patterns in API descriptions:
//! literals, escapes (`\d`, `\w`, `\s`, `\.`), character classes, groups with alternatives
//! (the first is taken) and quantifiers (the least count is taken, at least `min_len` in all
//! where the pattern allows). What comes out is checked against the pattern; anything this
//! reader does not know gives `None`.

/// A string the whole of which matches `pattern` (anchored or not), if one can be built.
pub fn sample(pattern: &str) -> Option<String> {
    let body = pattern.strip_prefix('^').unwrap_or(pattern);
    let body = body.strip_suffix('$').unwrap_or(body);
    let chars: Vec<char> = body.chars().collect();
    let mut at = 0;
    let out = sequence(&chars, &mut at)?;
    if at != chars.len() {
        return None;
    }
    let anchored = format!("^(?:{body})$");
    regex::Regex::new(&anchored)
        .ok()
        .filter(|r| r.is_match(&out))
        .map(|_| out)
}

/// Items up to the end, a `|` or a `)`; alternatives after a `|` are skipped.
fn sequence(chars: &[char], at: &mut usize) -> Option<String> {
    let mut out = String::new();
    while *at < chars.len() {
        match chars[*at] {
            ')' => return Some(out),
            '|' => {
                skip_alternatives(chars, at);
                return Some(out);
            }
            _ => {
                let unit = atom(chars, at)?;
                let count = quantifier(chars, at)?;
                for _ in 0..count {
                    out.push_str(&unit);
                }
            }
        }
    }
    Some(out)
}

/// Skips from a `|` to the `)` that closes the group (or the end).
fn skip_alternatives(chars: &[char], at: &mut usize) {
    let mut depth = 0usize;
    while *at < chars.len() {
        match chars[*at] {
            '\\' => *at += 1,
            '(' => depth += 1,
            ')' if depth == 0 => return,
            ')' => depth -= 1,
            _ => {}
        }
        *at += 1;
    }
}

fn atom(chars: &[char], at: &mut usize) -> Option<String> {
    let c = chars[*at];
    *at += 1;
    Some(match c {
        '\\' => {
            let e = *chars.get(*at)?;
            *at += 1;
            escape(e)?.to_string()
        }
        '[' => class(chars, at)?.to_string(),
        '(' => {
            if chars.get(*at) == Some(&'?') {
                if chars.get(*at + 1) != Some(&':') {
                    return None;
                }
                *at += 2;
            }
            let inner = sequence(chars, at)?;
            if chars.get(*at) != Some(&')') {
                return None;
            }
            *at += 1;
            inner
        }
        '.' => "x".to_owned(),
        '^' | '$' | '*' | '+' | '?' | '{' => return None,
        other => other.to_string(),
    })
}

fn escape(e: char) -> Option<char> {
    Some(match e {
        'd' => '0',
        'w' => 'a',
        's' => ' ',
        'D' | 'W' | 'S' => 'x',
        c if c.is_ascii_alphanumeric() => return None,
        c => c,
    })
}

/// The first character a class admits (`[^...]` is not read).
fn class(chars: &[char], at: &mut usize) -> Option<char> {
    if chars.get(*at) == Some(&'^') {
        return None;
    }
    let mut first = None;
    while *at < chars.len() {
        let c = chars[*at];
        *at += 1;
        match c {
            ']' if first.is_some() => return first,
            '\\' => {
                let e = *chars.get(*at)?;
                *at += 1;
                first = first.or(escape(e));
            }
            c => first = first.or(Some(c)),
        }
    }
    None
}

/// How many times to repeat the atom before: the least the quantifier allows, at least one
/// for `+`.
fn quantifier(chars: &[char], at: &mut usize) -> Option<usize> {
    let n = match chars.get(*at) {
        Some('?') | Some('*') => {
            *at += 1;
            0
        }
        Some('+') => {
            *at += 1;
            1
        }
        Some('{') => {
            let close = chars[*at..].iter().position(|c| *c == '}')? + *at;
            let inside: String = chars[*at + 1..close].iter().collect();
            *at = close + 1;
            let low = inside.split(',').next()?.trim();
            low.parse().ok()?
        }
        _ => 1,
    };
    if chars.get(*at) == Some(&'?') {
        *at += 1;
    }
    Some(n)
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn common_shapes() {
        assert_eq!(sample("^[0-9]{8,9}$").as_deref(), Some("00000000"));
        assert_eq!(sample("^[A-Z]{2}$").as_deref(), Some("AA"));
        assert_eq!(
            sample(r"^\d{4}-\d{2}-\d{2}$").as_deref(),
            Some("0000-00-00")
        );
        assert_eq!(sample("^(ACT|CLS)$").as_deref(), Some("ACT"));
        assert_eq!(sample(r"^acc_[a-z0-9]+$").as_deref(), Some("acc_a"));
        assert_eq!(sample("^[^0-9]+$"), None);
        assert_eq!(sample(r"^(?=x)"), None);
    }
}
