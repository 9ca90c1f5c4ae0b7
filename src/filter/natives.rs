//! Built-ins telev implements natively instead of taking jaq's definitions.
//!
//! `join` is jaq's `.[] |= tostring | .[:-1][] += $s | reduce …`: two path updates and a
//! reduction an element, most of the time `[.provider, .kind] | join("/")` takes. jaq's also
//! writes `null` as `"null"` and joins arrays as JSON, where jq writes `null` as nothing and
//! refuses arrays and objects. This one does what jq does, in one pass.
//!
//! `debug` and `stderr` write as jq writes (jaq's go to a logger telev does not install), and
//! `@base32`/`@base32d` are jq's formats jaq lacks.

use jaq_core::native::{Fun, bome, run, unary, v};
use jaq_core::{Error, ValR};

use super::{Data, Value, compact};

/// The natives, and which of jaq's definitions they replace (name and arity).
pub fn funs() -> impl Iterator<Item = Fun<Data>> {
    [
        run(("join", v(1), |cv| unary(cv, join))),
        run(("debug_empty", v(0), |cv| {
            debug(&cv.1);
            Box::new(std::iter::empty())
        })),
        run(("stderr_empty", v(0), |cv| {
            to_stderr(&cv.1);
            Box::new(std::iter::empty())
        })),
        run(("encode_base32", v(0), |cv| bome(base32(&cv.1)))),
        run(("tonumber", v(0), |cv| bome(tonumber(&cv.1)))),
        // As telev writes output: a computed whole number without `.0`, as jq 1.7 does.
        run(("tojson", v(0), |cv| {
            bome(Ok(Value::from(super::compact_string(&cv.1))))
        })),
        run(("decode_base32", v(0), |cv| bome(base32d(&cv.1)))),
    ]
    .into_iter()
}

/// Whether jaq's definition or native `name/arity` is replaced by one of [`funs`].
pub fn replaces(name: &str, arity: usize) -> bool {
    const OWN: [(&str, usize); 5] = [
        ("join", 1),
        ("debug_empty", 0),
        ("stderr_empty", 0),
        ("tonumber", 0),
        ("tojson", 0),
    ];
    OWN.contains(&(name, arity))
}

/// `tonumber`: a number as it is; a string that is a number, as jq 1.8 reads one (JSON's
/// spelling, or with a leading `+` or `.`), and nothing else: not `" 4"`, `"2a"` or `"nan"`.
fn tonumber(value: &Value) -> ValR<Value> {
    let text = match value {
        Value::Num(_) => return Ok(value.clone()),
        Value::TStr(text) | Value::BStr(text) => text,
        other => {
            return Err(Error::str(format!(
                "{} cannot be parsed as a number",
                described(other)
            )));
        }
    };
    let refused = || Error::str(format!("{} cannot be parsed as a number", described(value)));
    let digits = |s: &[u8]| !s.is_empty() && s.iter().all(u8::is_ascii_digit);
    let unsigned = text
        .strip_prefix(b"-")
        .or_else(|| text.strip_prefix(b"+"))
        .unwrap_or(text);
    let (mantissa, exponent) = match unsigned.iter().position(|&b| b == b'e' || b == b'E') {
        Some(at) => (&unsigned[..at], Some(&unsigned[at + 1..])),
        None => (unsigned, None),
    };
    let (whole, fraction) = match mantissa.iter().position(|&b| b == b'.') {
        Some(at) => (&mantissa[..at], Some(&mantissa[at + 1..])),
        None => (mantissa, None),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        digits(
            e.strip_prefix(b"-")
                .or_else(|| e.strip_prefix(b"+"))
                .unwrap_or(e),
        )
    });
    let mantissa_ok = match fraction {
        None => digits(whole),
        Some(f) => {
            (digits(whole) || whole.is_empty()) && (digits(f) || (f.is_empty() && digits(whole)))
        }
    };
    if !(mantissa_ok && exponent_ok) {
        return Err(refused());
    }
    // JSON's own spelling keeps its digits, as a number read from input does; anything else
    // (`+1`, `.5`, `1.`, `01`) is read as a float, never kept as spelled.
    let leading_zero = whole.len() > 1 && whole[0] == b'0';
    let bare_point = fraction.is_some_and(<[u8]>::is_empty);
    let json = !(text.starts_with(b"+") || whole.is_empty() || leading_zero || bare_point);
    if json && let Ok(number) = super::parse(text) {
        return Ok(number);
    }
    let read: f64 = std::str::from_utf8(text)
        .ok()
        .and_then(|t| t.parse().ok())
        .ok_or_else(refused)?;
    Ok(Value::from(read))
}

/// A value as jq names it in an error: its type and its JSON, `string ("2a")`.
fn described(value: &Value) -> String {
    let kind = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Num(_) => "number",
        Value::TStr(_) | Value::BStr(_) => "string",
        Value::Arr(_) => "array",
        Value::Obj(_) => "object",
    };
    let mut json = Vec::new();
    compact::write(&mut json, value).expect("writing to a Vec cannot fail");
    format!("{kind} ({})", String::from_utf8_lossy(&json))
}

/// `debug`: `["DEBUG:",value]` and a newline on stderr.
fn debug(value: &Value) {
    let mut line = b"[\"DEBUG:\",".to_vec();
    compact::write(&mut line, value).expect("writing to a Vec cannot fail");
    line.extend_from_slice(b"]\n");
    crate::messages::expression_output(&line);
}

/// `stderr`: a string as it is, anything else as compact JSON; no newline.
fn to_stderr(value: &Value) {
    let mut text = Vec::new();
    match value {
        Value::TStr(s) | Value::BStr(s) => text.extend_from_slice(s),
        other => compact::write(&mut text, other).expect("writing to a Vec cannot fail"),
    }
    crate::messages::expression_output(&text);
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// `@base32`: RFC 4648 base32 with padding, of a string's UTF-8 bytes.
fn base32(value: &Value) -> ValR<Value> {
    let (Value::TStr(bytes) | Value::BStr(bytes)) = value else {
        return Err(Error::typ(value.clone(), "string"));
    };
    let mut out = Vec::with_capacity(bytes.len().div_ceil(5) * 8);
    for group in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..group.len()].copy_from_slice(group);
        let bits = block.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
        let symbols = (group.len() * 8).div_ceil(5);
        for i in 0..8 {
            let symbol = (bits >> (35 - 5 * i)) & 31;
            out.push(if i < symbols {
                BASE32[symbol as usize]
            } else {
                b'='
            });
        }
    }
    Ok(Value::utf8_str(out))
}

/// `@base32d`: the bytes of RFC 4648 base32 (padding optional), as text.
fn base32d(value: &Value) -> ValR<Value> {
    let (Value::TStr(text) | Value::BStr(text)) = value else {
        return Err(Error::typ(value.clone(), "string"));
    };
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let (mut bits, mut count) = (0u64, 0u32);
    for &c in text.iter().take_while(|&&c| c != b'=') {
        let Some(symbol) = BASE32.iter().position(|&s| s == c.to_ascii_uppercase()) else {
            return Err(Error::str(format!(
                "{} is not valid base32 data",
                String::from_utf8_lossy(text)
            )));
        };
        bits = (bits << 5) | symbol as u64;
        count += 5;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
            bits &= (1 << count) - 1;
        }
    }
    Ok(Value::utf8_str(out))
}

/// `join($separator)`: the elements of an array (or the values of an object), strings as
/// they are, `null` as nothing, numbers and booleans as JSON, between separators.
fn join(input: Value, separator: Value) -> ValR<Value> {
    let items: Box<dyn Iterator<Item = &Value>> = match &input {
        Value::Arr(items) => Box::new(items.iter()),
        Value::Obj(entries) => Box::new(entries.values()),
        _ => return Err(Error::typ(input, "iterable")),
    };
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            match &separator {
                Value::TStr(s) | Value::BStr(s) => out.extend_from_slice(s),
                // jq's `join(null)` joins with nothing between.
                Value::Null => {}
                other => return Err(Error::typ(other.clone(), "a join separator")),
            }
        }
        match item {
            Value::Null => {}
            Value::TStr(s) | Value::BStr(s) => out.extend_from_slice(s),
            Value::Num(_) | Value::Bool(_) => {
                compact::write(&mut out, item).expect("writing to a Vec cannot fail")
            }
            other => return Err(Error::typ(other.clone(), "a join element")),
        }
    }
    Ok(Value::utf8_str(out))
}
