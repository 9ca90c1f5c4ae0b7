//! What arrived on the wire, kept so an event can be delivered again byte for byte.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::Map;

use super::WireText;

/// The input of a decoder, and the `wire` field of every envelope.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Wire {
    Sse(SseWire),
    Http(HttpWire),
}

/// A `wire` as read back: an SSE event when it has `event` and `data`, else an HTTP request.
/// Read in one pass into the fields of both, where serde's untagged enums first copy the whole
/// value aside to try each variant on it (a fifth of reading a capture back).
impl<'de> Deserialize<'de> for Wire {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Wire, D::Error> {
        use serde::de::Error;
        #[derive(Deserialize)]
        struct Either {
            event: Option<String>,
            id: Option<String>,
            data: Option<WireText>,
            method: Option<String>,
            path: Option<String>,
            query: Option<String>,
            content_type: Option<String>,
            headers: Option<Map<String, serde_json::Value>>,
            #[serde(default)]
            headers_base64: Map<String, serde_json::Value>,
            body: Option<WireText>,
            #[serde(default)]
            body_base64: bool,
        }
        let wire = Either::deserialize(deserializer)?;
        if let (Some(event), Some(data)) = (wire.event, wire.data) {
            let id = wire.id;
            return Ok(Wire::Sse(SseWire { event, id, data }));
        }
        match (wire.method, wire.path, wire.query, wire.headers, wire.body) {
            (Some(method), Some(path), Some(query), Some(headers), Some(body)) => {
                Ok(Wire::Http(HttpWire {
                    method,
                    path,
                    query,
                    content_type: wire.content_type,
                    headers,
                    headers_base64: wire.headers_base64,
                    body,
                    body_base64: wire.body_base64,
                }))
            }
            _ => Err(D::Error::custom(
                "wire is neither an SSE event (event, data) nor an HTTP request (method, path, \
                 query, headers, body)",
            )),
        }
    }
}

/// One Server-Sent Event as the server framed it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SseWire {
    pub event: String,
    pub id: Option<String>,
    pub data: WireText,
}

/// One HTTP request as a webhook sender made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpWire {
    pub method: String,
    pub path: String,
    /// The query string without its `?`; empty when there is none.
    pub query: String,
    pub content_type: Option<String>,
    /// Header names in lower case, in arrival order; repeated headers joined with `, `. A
    /// value that is not UTF-8 is shown here with replacement characters, and kept exact in
    /// `headers_base64`.
    pub headers: Map<String, serde_json::Value>,
    /// The exact bytes, as base64, of the header values that are not UTF-8.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers_base64: Map<String, serde_json::Value>,
    /// The body as text, or as base64 when it is not UTF-8 (then `body_base64` is true).
    pub body: WireText,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub body_base64: bool,
}

impl HttpWire {
    pub fn new<'a>(
        method: &str,
        path: &str,
        query: Option<&str>,
        headers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
        body: &[u8],
    ) -> HttpWire {
        // Each name's values joined, as bytes, in arrival order.
        let headers = headers.into_iter();
        let mut joined: Vec<(String, Vec<u8>)> = Vec::with_capacity(headers.size_hint().0);
        for (name, value) in headers {
            let name = name.to_ascii_lowercase();
            match joined.iter_mut().find(|(n, _)| *n == name) {
                Some((_, bytes)) => {
                    bytes.extend_from_slice(b", ");
                    bytes.extend_from_slice(value);
                }
                None => joined.push((name, value.to_vec())),
            }
        }
        let (mut map, mut exact) = (Map::with_capacity(joined.len()), Map::new());
        for (name, bytes) in joined {
            let text = match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(err) => {
                    let bytes = err.into_bytes();
                    exact.insert(name.clone(), BASE64.encode(&bytes).into());
                    String::from_utf8_lossy(&bytes).into_owned()
                }
            };
            map.insert(name, text.into());
        }
        let content_type = map
            .get("content-type")
            .and_then(|v| v.as_str())
            .map(str::to_owned);
        let (body, body_base64) = match std::str::from_utf8(body) {
            Ok(text) => (text.into(), false),
            Err(_) => (BASE64.encode(body).into(), true),
        };
        HttpWire {
            method: method.to_owned(),
            path: path.to_owned(),
            query: query.unwrap_or_default().to_owned(),
            content_type,
            headers: map,
            headers_base64: exact,
            body,
            body_base64,
        }
    }

    pub fn body_bytes(&self) -> Cow<'_, [u8]> {
        let text = self.body.get();
        if self.body_base64 {
            // A body we encoded ourselves always decodes; a hand-edited one degrades to its text.
            if let Ok(bytes) = BASE64.decode(&*text) {
                return Cow::Owned(bytes);
            }
        }
        match text {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        }
    }

    /// A header's value as it came, bytes and all.
    pub fn header_bytes(&self, name: &str) -> Option<Cow<'_, [u8]>> {
        if let Some(exact) = self.headers_base64.get(name).and_then(|v| v.as_str())
            && let Ok(bytes) = BASE64.decode(exact)
        {
            return Some(Cow::Owned(bytes));
        }
        let text = self.headers.get(name)?.as_str()?;
        Some(Cow::Borrowed(text.as_bytes()))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
    }

    /// The `charset=` of the content type, when it names one other than UTF-8.
    pub fn charset(&self) -> Option<&str> {
        let ct = self.content_type.as_deref()?;
        let charset = ct.split(';').skip(1).find_map(|param| {
            let (name, value) = param.split_once('=')?;
            name.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| value.trim().trim_matches('"'))
        })?;
        let utf8 = ["utf-8", "utf8"]
            .iter()
            .any(|u| charset.eq_ignore_ascii_case(u));
        (!utf8).then_some(charset)
    }

    /// The media type without parameters, lower case: `application/json` (lent as it came
    /// when it already is).
    pub fn media_type(&self) -> Option<Cow<'_, str>> {
        let ct = self.content_type.as_deref()?;
        let media = ct.split(';').next()?.trim();
        Some(match media.bytes().any(|b| b.is_ascii_uppercase()) {
            true => Cow::Owned(media.to_ascii_lowercase()),
            false => Cow::Borrowed(media),
        })
    }
}

/// A request path with its dot-segments resolved, as a URL parser would resolve them when the
/// path is joined to another (`..`, `%2e%2e` in any case, `\` taken as `/`); `None` when it
/// would climb above the root. Segments are otherwise kept as they came.
pub fn resolve_dots(path: &str) -> Option<Cow<'_, str>> {
    // Nearly every path has no dot, escape or backslash: nothing to resolve.
    if path.starts_with('/') && !path.contains(['.', '%', '\\']) {
        return Some(Cow::Borrowed(path));
    }
    let is = |segment: &str, dots: &[&str]| dots.iter().any(|d| segment.eq_ignore_ascii_case(d));
    let mut kept: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split(['/', '\\']).skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        if is(segment, &["..", ".%2e", "%2e.", "%2e%2e"]) {
            kept.pop()?;
        } else if !is(segment, &[".", "%2e"]) {
            kept.push(segment);
            continue;
        }
        // A dot-segment last leaves the path ending in a slash.
        if i == last {
            kept.push("");
        }
    }
    Some(Cow::Owned(format!("/{}", kept.join("/"))))
}

/// Whether `path` (with its dots resolved) is `prefix` or under it: `/telphin` holds
/// `/telphin` and `/telphin/x`, never `/telphinx`.
pub fn is_under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_resolve_and_never_climb_above_the_root() {
        let resolved = resolve_dots;
        assert_eq!(resolved("/telphin/x").as_deref(), Some("/telphin/x"));
        assert_eq!(resolved("/").as_deref(), Some("/"));
        assert_eq!(resolved("/a/./b/../c").as_deref(), Some("/a/c"));
        assert_eq!(resolved("/a/%2E%2e/b").as_deref(), Some("/b"));
        assert_eq!(resolved("/a/b/..").as_deref(), Some("/a/"));
        assert_eq!(resolved("/a%2fb/x").as_deref(), Some("/a%2fb/x"));
        assert_eq!(resolved("//a//b/").as_deref(), Some("//a//b/"));
        assert_eq!(resolved("//a/./b").as_deref(), Some("//a/b"));
        assert_eq!(resolved("*").as_deref(), Some("/"));
        for climbing in [
            "/..",
            "/../x",
            "/a/../../x",
            "/%2e%2E/admin",
            "/a\\..\\..\\x",
            "/.%2e/x",
        ] {
            assert_eq!(resolved(climbing), None, "{climbing}");
        }
        assert!(is_under("/telphin", "/telphin") && is_under("/telphin/7", "/telphin/"));
        assert!(!is_under("/telphinEVIL", "/telphin") && is_under("/x", "/"));
    }

    #[test]
    fn repeated_headers_are_joined_and_names_lowercased() {
        let headers: [(&str, &[u8]); 3] = [
            ("Content-Type", b"application/json"),
            ("X-A", b"1"),
            ("x-a", b"2"),
        ];
        let wire = HttpWire::new("POST", "/", None, headers, b"{}");
        assert_eq!(wire.header("x-a"), Some("1, 2"));
        assert_eq!(wire.content_type.as_deref(), Some("application/json"));
    }

    #[test]
    fn header_values_that_are_not_utf8_are_kept_exact() {
        let headers: [(&str, &[u8]); 3] = [
            ("X-Name", b"\xc7\xe2\xee\xed\xee\xea"),
            ("x-name", b"ok"),
            ("X-Plain", b"text"),
        ];
        let wire = HttpWire::new("POST", "/", None, headers, b"");
        let json = serde_json::to_string(&Wire::Http(wire)).unwrap();
        let Wire::Http(back) = serde_json::from_str(&json).unwrap() else {
            panic!("an HTTP wire reads back as HTTP")
        };
        let exact = back.header_bytes("x-name").unwrap();
        assert_eq!(&*exact, b"\xc7\xe2\xee\xed\xee\xea, ok");
        assert_eq!(back.header("x-plain"), Some("text"));
        assert!(!back.headers_base64.contains_key("x-plain"));
    }

    #[test]
    fn binary_bodies_survive_a_round_trip() {
        let body = [0xff, 0x00, 0x41];
        let wire = HttpWire::new("POST", "/", None, [], &body);
        assert!(wire.body_base64);
        let json = serde_json::to_string(&Wire::Http(wire)).unwrap();
        let Wire::Http(back) = serde_json::from_str(&json).unwrap() else {
            panic!("an HTTP wire reads back as HTTP")
        };
        assert_eq!(&*back.body_bytes(), &body);
    }

    #[test]
    fn sse_and_http_wires_are_told_apart() {
        let sse: Wire = serde_json::from_str(r#"{"event":"x","id":null,"data":"{}"}"#).unwrap();
        assert!(matches!(sse, Wire::Sse(_)));
        let http: Wire = serde_json::from_str(
            r#"{"method":"GET","path":"/","query":"","content_type":null,"headers":{},"body":""}"#,
        )
        .unwrap();
        assert!(matches!(http, Wire::Http(_)));
    }
}
