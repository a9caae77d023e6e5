//! Times as Go's `time.Time` reads and writes them in JSON.
//!
//! Image configs and schema1 `v1Compatibility` entries carry `created`
//! times. When the reference programs (built with Go 1.19) decode and
//! re-encode them, the text changes: Go parses with
//! `time.Parse(time.RFC3339, …)` and writes with `time.RFC3339Nano`. A
//! converter that must produce the same bytes has to do the same:
//!
//! - the fraction of a second is written without trailing zeros (and
//!   without the `.` when it is zero); digits past the ninth are dropped,
//!   not rounded;
//! - a zero offset is written `Z` (`+00:00` and `-00:00` too), other
//!   offsets as `±hh:mm`;
//! - Go 1.19 also accepts a one-digit hour, `,` before the fraction, and
//!   offset fields such as `+01:75` (written back as `+02:15`); it rejects
//!   leap seconds, lowercase `t` or `z`, and days the month lacks.
//!
//! ```
//! use tranship::gotime::go_rfc3339_nano;
//! assert_eq!(go_rfc3339_nano("2016-01-02T03:04:05.500000Z").unwrap(), "2016-01-02T03:04:05.5Z");
//! assert_eq!(go_rfc3339_nano("2016-01-02T03:04:05.000+00:00").unwrap(), "2016-01-02T03:04:05Z");
//! assert_eq!(go_rfc3339_nano("2016-01-02T03:04:05.1234567891+02:00").unwrap(),
//!            "2016-01-02T03:04:05.123456789+02:00");
//! ```

use crate::error::{Error, Result};

/// Go's zero `time.Time` as JSON text: what a missing or `null` time
/// becomes.
pub const GO_ZERO_TIME: &str = "0001-01-01T00:00:00Z";

/// Re-writes an RFC 3339 time as Go does when it decodes it into a
/// `time.Time` and encodes it again. Fails with `INVALID_TIME` where Go's
/// parser fails.
///
/// `input` is the text between the quotes of the JSON string, not
/// unescaped: Go parses the raw token, so a time written with JSON escapes
/// is an error there too.
pub fn go_rfc3339_nano(input: &str) -> Result<String> {
    let time = parse(input.as_bytes()).map_err(|reason| Error::InvalidTime {
        input: input.to_string(),
        reason,
    })?;
    Ok(time.format())
}

/// Round-trips a raw JSON value through Go's `time.Time` (`UnmarshalJSON`
/// then `MarshalJSON`): a JSON string is re-written by
/// [`go_rfc3339_nano`], `null` becomes the zero time; the result is a JSON
/// string, quotes included.
///
/// ```
/// use tranship::gotime::go_time_json;
/// assert_eq!(go_time_json(r#""2020-02-03T04:05:06.70Z""#).unwrap(), r#""2020-02-03T04:05:06.7Z""#);
/// assert_eq!(go_time_json("null").unwrap(), r#""0001-01-01T00:00:00Z""#);
/// assert_eq!(go_time_json("12").unwrap_err().code(), "INVALID_TIME");
/// ```
pub fn go_time_json(raw: &str) -> Result<String> {
    let raw = raw.trim_matches(|c| matches!(c, ' ' | '\t' | '\r' | '\n'));
    if raw == "null" {
        return Ok(format!("\"{GO_ZERO_TIME}\""));
    }
    let inner = raw
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .ok_or_else(|| Error::InvalidTime {
            input: raw.to_string(),
            reason: "expected a JSON string or null".into(),
        })?;
    Ok(format!("\"{}\"", go_rfc3339_nano(inner)?))
}

/// A parsed time: the wall clock as written and the offset from UTC.
#[derive(Debug, PartialEq, Eq)]
struct WallTime {
    year: u32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_seconds: i64,
}

impl WallTime {
    /// Go's `Format(time.RFC3339Nano)`.
    fn format(&self) -> String {
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        );
        if self.nanos != 0 {
            let fraction = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        if self.offset_seconds == 0 {
            out.push('Z');
        } else {
            let minutes = self.offset_seconds / 60;
            let sign = if minutes < 0 { '-' } else { '+' };
            let minutes = minutes.abs();
            out.push_str(&format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60));
        }
        out
    }
}

/// Go 1.19's `time.Parse(time.RFC3339, s)`, keeping the wall clock.
fn parse(s: &[u8]) -> std::result::Result<WallTime, String> {
    let mut p = Cursor { s, pos: 0 };
    let year = p.digits(4, "year")?;
    p.expect(b'-')?;
    let month = p.digits(2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(format!("month {month} out of range"));
    }
    p.expect(b'-')?;
    let day = p.digits(2, "day")?;
    p.expect(b'T')?;
    // Go's "15" reads one or two digits.
    let hour = match p.rest() {
        [a, b, ..] if a.is_ascii_digit() && b.is_ascii_digit() => p.digits(2, "hour")?,
        _ => p.digits(1, "hour")?,
    };
    if hour >= 24 {
        return Err(format!("hour {hour} out of range"));
    }
    p.expect(b':')?;
    let minute = p.digits(2, "minute")?;
    if minute >= 60 {
        return Err(format!("minute {minute} out of range"));
    }
    p.expect(b':')?;
    let second = p.digits(2, "second")?;
    if second >= 60 {
        return Err(format!("second {second} out of range"));
    }
    let nanos = match p.rest() {
        [b'.' | b',', d, ..] if d.is_ascii_digit() => {
            p.pos += 1;
            let digits = p.rest().iter().take_while(|c| c.is_ascii_digit()).count();
            let kept = &p.rest()[..digits.min(9)];
            let value = kept.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0'));
            p.pos += digits;
            value * 10u32.pow(9 - kept.len() as u32)
        }
        _ => 0,
    };
    let offset_seconds = match p.rest() {
        [b'Z', ..] => {
            p.pos += 1;
            0
        }
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2, ..] => {
            let zone = go_atoi(&[*h1, *h2]).zip(go_atoi(&[*m1, *m2]));
            let (hours, minutes) = zone.ok_or_else(|| bad_zone(p.rest()))?;
            p.pos += 6;
            let offset = (hours * 60 + minutes) * 60;
            if *sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        rest => return Err(bad_zone(rest)),
    };
    if !p.rest().is_empty() {
        return Err(format!(
            "extra text `{}` after the time zone",
            String::from_utf8_lossy(p.rest())
        ));
    }
    if day < 1 || day > days_in(month, year) {
        return Err(format!("day {day} out of range for {year:04}-{month:02}"));
    }
    Ok(WallTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        nanos,
        offset_seconds,
    })
}

fn bad_zone(rest: &[u8]) -> String {
    format!(
        "expected `Z` or an offset `±hh:mm`, found `{}`",
        String::from_utf8_lossy(rest)
    )
}

/// Go's `atoi` on a two-byte offset field: two digits, or a sign and a
/// digit (Go 1.19 accepts `+-1:+0`).
fn go_atoi(field: &[u8; 2]) -> Option<i64> {
    let (negative, digits) = match field {
        [b'-', rest @ ..] => (true, &rest[..]),
        [b'+', rest @ ..] => (false, &rest[..]),
        all => (false, &all[..]),
    };
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits
        .iter()
        .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
    Some(if negative { -value } else { value })
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.s[self.pos.min(self.s.len())..]
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize, what: &str) -> std::result::Result<u32, String> {
        match self.rest().get(..n) {
            Some(d) if d.iter().all(u8::is_ascii_digit) => {
                self.pos += n;
                Ok(d.iter().fold(0, |v, c| v * 10 + u32::from(c - b'0')))
            }
            _ => Err(format!(
                "expected {n} digit(s) of {what} at byte {}, found `{}`",
                self.pos,
                String::from_utf8_lossy(self.rest())
            )),
        }
    }

    fn expect(&mut self, c: u8) -> std::result::Result<(), String> {
        if self.rest().first() == Some(&c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!(
                "expected `{}` at byte {}, found `{}`",
                c as char,
                self.pos,
                String::from_utf8_lossy(self.rest())
            ))
        }
    }
}
