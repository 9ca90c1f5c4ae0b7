//! Form fields: a request's query string and, when it is a form, its
//! `application/x-www-form-urlencoded` body, as one object of strings.

use serde_json::{Map, Value};

use crate::envelope::HttpWire;

/// The query string's fields, then the body's; a field given twice keeps its last value.
pub fn fields(wire: &HttpWire) -> Map<String, Value> {
    let mut out = Map::new();
    let mut add = |pairs: &[u8]| {
        for (k, v) in form_urlencoded::parse(pairs) {
            out.insert(k.into_owned(), Value::String(v.into_owned()));
        }
    };
    add(wire.query.as_bytes());
    if is_form(wire) {
        add(&wire.body_bytes());
    }
    out
}

/// A form body by its content type, or, without one, a body that is not JSON.
fn is_form(wire: &HttpWire) -> bool {
    match wire.media_type() {
        Some(media) => media == "application/x-www-form-urlencoded",
        None => !wire.body.trim_start().starts_with(['{', '[']),
    }
}
