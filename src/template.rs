//! `{{name}}` placeholders in suite values, filled from profile variables, captures and a few
//! built-ins (`$uuid`: a fresh RFC 4122 v4 UUID; `$http_date`: now as an IMF-fixdate).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

use serde_json::Value;

/// Variables visible to a step.
#[derive(Debug, Clone, Default)]
pub struct Vars {
    values: HashMap<String, Value>,
}

/// Names a suite may use without declaring them.
pub const BUILTINS: &[&str] = &["$uuid", "$http_date"];

impl Vars {
    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        self.values.insert(name.into(), value);
    }

    /// True when the variable is set (built-ins excluded).
    pub fn contains(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }

    /// Sets every variable of `other` here, replacing same-named ones.
    pub fn overlay(&mut self, other: &Vars) {
        for (k, v) in &other.values {
            self.values.insert(k.clone(), v.clone());
        }
    }

    /// Replaces `old` with `new` inside every string variable: a renewed credential reaches
    /// the variables built from it (`jwt: "{{token}}"`).
    pub fn replace_text(&mut self, old: &str, new: &str) {
        if old.is_empty() {
            return;
        }
        for v in self.values.values_mut() {
            if let Value::String(s) = v
                && s.contains(old)
            {
                *s = s.replace(old, new);
            }
        }
    }

    pub fn get(&self, name: &str) -> Option<Value> {
        self.lookup(name).map(Cow::into_owned)
    }

    /// [`Vars::get`] without copying a set variable.
    fn lookup(&self, name: &str) -> Option<Cow<'_, Value>> {
        match name {
            "$uuid" => Some(Cow::Owned(Value::String(uuid_v4()))),
            "$http_date" => Some(Cow::Owned(Value::String(http_date_now()))),
            _ => self.values.get(name).map(Cow::Borrowed),
        }
    }
}

/// A random (version 4) UUID. Interaction ids must differ, not be secret, so they come from
/// a fast generator (SplitMix64) that each thread seeds once from the system's randomness,
/// rather than from a system call each: within a thread no two are alike, and two threads'
/// sequences meet with a chance of about one in 2^64 per id.
fn uuid_v4() -> String {
    fn next(state: &std::cell::Cell<u64>) -> u64 {
        let s = state.get().wrapping_add(0x9e37_79b9_7f4a_7c15);
        state.set(s);
        let mut z = s;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    thread_local! {
        static STATE: std::cell::Cell<u64> =
            std::cell::Cell::new(uuid::Uuid::new_v4().as_u64_pair().0);
    }
    let bits = STATE.with(|s| (u128::from(next(s)) << 64) | u128::from(next(s)));
    uuid::Builder::from_random_bytes(bits.to_le_bytes())
        .into_uuid()
        .to_string()
}

/// The placeholders in a string, in order.
pub fn variables_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        out.push(after[..end].trim().to_owned());
        rest = &after[end + 2..];
    }
    out
}

/// Fills every placeholder of a string; `Err(name)` names the first undefined variable.
pub fn render(text: &str, vars: &Vars) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = pair(rest, b'{') {
        let after = &rest[start + 2..];
        let Some(end) = pair(after, b'}') else { break };
        let name = after[..end].trim();
        let value = vars.lookup(name).ok_or_else(|| name.to_owned())?;
        out.push_str(&rest[..start]);
        match &*value {
            Value::String(s) => out.push_str(s),
            other => {
                let _ = write!(out, "{other}");
            }
        }
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Where `b` first appears twice in a row in `text` (`{{` or `}}`), as `str::find` gives it:
/// most text holds no brace at all, and a search for one byte finds that at once.
fn pair(text: &str, b: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text[from..].find(b as char) {
        let at = from + i;
        if bytes.get(at + 1) == Some(&b) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Fills placeholders throughout a JSON value. A string that is exactly one placeholder takes
/// the variable's own JSON value, so a captured number stays a number.
pub fn render_value(value: &Value, vars: &Vars) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => {
            let names = variables_in(s);
            let t = s.trim();
            if names.len() == 1
                && t.starts_with("{{")
                && t.ends_with("}}")
                && t.matches("{{").count() == 1
            {
                vars.get(&names[0]).ok_or_else(|| names[0].clone())?
            } else {
                Value::String(render(s, vars)?)
            }
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_value(v, vars))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render_value(v, vars)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

/// [`http_date`] of now. It changes once a second, so it is written once a second and
/// copied for the requests in between.
fn http_date_now() -> String {
    static LAST: std::sync::Mutex<(u64, String)> = std::sync::Mutex::new((u64::MAX, String::new()));
    let now = std::time::SystemTime::now();
    let secs = now
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let mut last = LAST
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if last.0 != secs {
        *last = (secs, http_date(now));
    }
    last.1.clone()
}

/// Formats a time as an HTTP date (RFC 9110 IMF-fixdate): `Sun, 06 Nov 1994 08:49:37 GMT`.
pub fn http_date(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, mo, d, h, mi, s) = civil(secs);
    let days = secs / 86_400;
    const WD: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MO: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{}, {d:02} {} {y} {h:02}:{mi:02}:{s:02} GMT",
        WD[(days % 7) as usize],
        MO[(mo - 1) as usize]
    )
}

/// Reads an RFC 3339 `full-date` (`YYYY-MM-DD`) whose day exists in its month (leap years
/// counted); `None` for anything else.
pub fn full_date(s: &str) -> Option<(i32, u32, u32)> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10
        || b[4] != b'-'
        || b[7] != b'-'
        || !digits(0..4)
        || !digits(5..7)
        || !digits(8..10)
    {
        return None;
    }
    let y: i32 = s[0..4].parse().ok()?;
    let m: u32 = s[5..7].parse().ok()?;
    let d: u32 = s[8..10].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    (1..=days).contains(&d).then_some((y, m, d))
}

/// Formats a time as RFC 3339 UTC with milliseconds.
pub fn rfc3339(t: std::time::SystemTime) -> String {
    let d = t.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let (y, mo, day, h, mi, s) = civil(d.as_secs());
    format!(
        "{y:04}-{mo:02}-{day:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
        d.subsec_millis()
    )
}

/// Reads a UTC time as [`rfc3339`] writes it (`2026-11-02T09:30:00Z`, with or without
/// fractional seconds); `None` for anything else.
pub fn parse_rfc3339(s: &str) -> Option<std::time::SystemTime> {
    let (date, time) = s.strip_suffix('Z')?.split_once('T')?;
    let (y, m, d) = full_date(date)?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, ""));
    let mut parts = hms.split(':').map(|p| {
        (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u64>().ok())
            .flatten()
    });
    let (h, mi, sec) = (parts.next()??, parts.next()??, parts.next()??);
    if parts.next().is_some() || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (time.contains('.') && frac.is_empty()) {
        return None;
    }
    let millis: u64 = format!("{frac:0<3}")[..3].parse().ok()?;
    // Days from the civil date, the inverse of `civil`.
    let (y, m) = (i64::from(y) - i64::from(m <= 2), i64::from(m));
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = u64::try_from(era * 146_097 + doe - 719_468).ok()?;
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec;
    Some(std::time::UNIX_EPOCH + std::time::Duration::from_millis(secs * 1000 + millis))
}

/// Seconds since the epoch to (year, month, day, hour, minute, second), proleptic Gregorian.
fn civil(secs: u64) -> (i64, u32, u32, u64, u64, u64) {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_found_where_find_finds_them() {
        for text in [
            "", "{", "{{", "a{b{{c", "}{}}", "x}}y}}", "é{{", "{é{", "{ {{}",
        ] {
            assert_eq!(pair(text, b'{'), text.find("{{"), "{text}");
            assert_eq!(pair(text, b'}'), text.find("}}"), "{text}");
        }
    }
    use serde_json::json;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn rfc3339_reads_back_what_it_writes() {
        for ms in [0u64, 951_782_400_123, 1_793_612_345_678, 4_107_542_399_999] {
            let t = UNIX_EPOCH + Duration::from_millis(ms);
            assert_eq!(parse_rfc3339(&rfc3339(t)), Some(t), "{}", rfc3339(t));
        }
        assert_eq!(
            parse_rfc3339("2026-11-02T09:30:00Z"),
            Some(UNIX_EPOCH + Duration::from_secs(1_793_611_800))
        );
        for bad in [
            "2026-11-02T09:30:00",
            "2026-02-30T00:00:00Z",
            "2026-11-02T24:00:00Z",
            "2026-11-02T09:30:00.Z",
            "x",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
    }

    #[test]
    fn uuids_are_version_4_and_all_differ() {
        let vars = Vars::default();
        let ids: std::collections::HashSet<String> = (0..10_000)
            .map(|_| render("{{$uuid}}", &vars).unwrap())
            .collect();
        assert_eq!(ids.len(), 10_000);
        for id in ids.iter().take(100) {
            let u = uuid::Uuid::parse_str(id).unwrap();
            assert_eq!(u.get_version_num(), 4, "{id}");
            assert_eq!(u.get_variant(), uuid::Variant::RFC4122, "{id}");
        }
    }

    #[test]
    fn fills_and_reports_undefined() {
        let mut v = Vars::default();
        v.set("total", json!(42));
        v.set("token", json!("abc"));
        assert_eq!(render("Bearer {{token}}", &v).unwrap(), "Bearer abc");
        assert_eq!(render("{{ total }} rows", &v).unwrap(), "42 rows");
        assert_eq!(render("{{nope}}", &v).unwrap_err(), "nope");
        assert_eq!(render_value(&json!("{{total}}"), &v).unwrap(), json!(42));
        assert_eq!(
            render_value(&json!({"a": ["x{{total}}"]}), &v).unwrap(),
            json!({"a": ["x42"]})
        );
    }

    #[test]
    fn lists_variables() {
        assert_eq!(variables_in("a {{x}} b {{ $uuid }}"), vec!["x", "$uuid"]);
    }

    #[test]
    fn now_is_the_http_date_of_now() {
        let before = http_date(std::time::SystemTime::now());
        let now = http_date_now();
        let after = http_date(std::time::SystemTime::now());
        assert!(now == before || now == after, "{now}");
    }

    #[test]
    fn formats_dates() {
        let t = UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(
            rfc3339(t + Duration::from_millis(5)),
            "1994-11-06T08:49:37.005Z"
        );
        assert_eq!(
            rfc3339(UNIX_EPOCH + Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z"
        );
    }
}
