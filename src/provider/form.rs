//! Form fields: a request's query string and, when it is a form, its
//! `application/x-www-form-urlencoded` body, as one object of strings, in the charset the
//! request names (Telphin's `windows-1251`).

use std::borrow::Cow;

use encoding_rs::Encoding;
use serde_json::{Map, Value};

/// The query string's fields, then the body's; a field given twice keeps its last value.
pub fn fields(query: &str, body: Option<&[u8]>, encoding: &'static Encoding) -> Map<String, Value> {
    let mut out = Map::new();
    for pairs in [Some(query.as_bytes()), body].into_iter().flatten() {
        for pair in pairs.split(|&b| b == b'&').filter(|pair| !pair.is_empty()) {
            let (name, value) = match pair.iter().position(|&b| b == b'=') {
                Some(at) => (&pair[..at], &pair[at + 1..]),
                None => (pair, &[][..]),
            };
            let value = Value::String(component(value, encoding));
            out.insert(component(name, encoding), value);
        }
    }
    out
}

/// A form component: `+` is a space, `%XX` a byte, and the bytes text in `encoding`. One
/// exception: a value that starts with a raw `+` and a digit is a phone number sent unencoded
/// (Telphin's numbers start with `+`), and keeps its `+`; a number never starts with a space.
pub fn component(bytes: &[u8], encoding: &'static Encoding) -> String {
    let number_sign = matches!(bytes, [b'+', digit, ..] if digit.is_ascii_digit());
    let spaced: Cow<[u8]> = if bytes.contains(&b'+') {
        Cow::Owned(
            bytes
                .iter()
                .enumerate()
                .map(|(at, &b)| match b {
                    b'+' if at == 0 && number_sign => b'+',
                    b'+' => b' ',
                    _ => b,
                })
                .collect(),
        )
    } else {
        Cow::Borrowed(bytes)
    };
    let raw: Cow<[u8]> = percent_encoding::percent_decode(&spaced).into();
    encoding.decode_without_bom_handling(&raw).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_forms_as_form_urlencoded_does_and_in_other_charsets() {
        let utf8 = fields(
            "a=1&b=x+y%21&c&=e",
            Some(b"a=2&d=%D0%BA"),
            encoding_rs::UTF_8,
        );
        let expected = serde_json::json!({"a": "2", "b": "x y!", "c": "", "": "e", "d": "к"});
        assert_eq!(Value::Object(utf8), expected);
        // "Звонок" in windows-1251, percent-encoded, as a Russian PBX sends it.
        let cp1251 = fields(
            "",
            Some(b"Name=%C7%E2%EE%ED%EE%EA"),
            encoding_rs::WINDOWS_1251,
        );
        assert_eq!(cp1251["Name"], "Звонок");
    }

    #[test]
    fn a_raw_plus_before_digits_is_a_number_sign() {
        let form = fields(
            "",
            Some(b"CallerIDNum=+79214567892&CalledDID=%2B79300369446&Name=Ivan+Petrov&Odd=+x"),
            encoding_rs::UTF_8,
        );
        let expected = serde_json::json!({"CallerIDNum": "+79214567892",
            "CalledDID": "+79300369446", "Name": "Ivan Petrov", "Odd": " x"});
        assert_eq!(Value::Object(form), expected);
    }
}
