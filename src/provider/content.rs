//! A body with its `Content-Encoding` undone (gzip, deflate), as a proxy or a provider may
//! send it, within a limit on the decoded size so that a small bomb cannot grow past it.

use std::borrow::Cow;
use std::io::Read;

/// Why a body could not be decoded.
#[derive(Debug)]
pub enum ContentError {
    /// Decoded, it is larger than the limit.
    TooLarge,
    /// Not what its coding says.
    Corrupt {
        coding: String,
        error: std::io::Error,
    },
    /// A coding telev does not read (`br`, `zstd`).
    Unknown(String),
}

impl ContentError {
    /// The reason a sender is told, given the limit.
    pub fn reason(&self, max: usize) -> String {
        match self {
            ContentError::TooLarge => {
                format!("decoded, the body is larger than --max-body ({max} bytes)")
            }
            ContentError::Corrupt { coding, error } => {
                format!("the {coding} body is corrupt: {error}")
            }
            ContentError::Unknown(coding) => {
                format!("cannot read a body in {coding} encoding (gzip or deflate)")
            }
        }
    }
}

/// `body` with the codings its `Content-Encoding` headers name undone, `max` bytes at most.
pub fn content<'a>(
    headers: &[&[u8]],
    body: &'a [u8],
    max: usize,
) -> Result<Cow<'a, [u8]>, ContentError> {
    let codings: Vec<String> = headers
        .iter()
        .flat_map(|value| {
            String::from_utf8_lossy(value)
                .split(',')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .map(|coding| coding.trim().to_ascii_lowercase())
        .filter(|coding| !coding.is_empty())
        .collect();
    let mut content = Cow::Borrowed(body);
    // Undone in the reverse of the order they were applied.
    for coding in codings.iter().rev() {
        let decoded = match coding.as_str() {
            "identity" => continue,
            "gzip" | "x-gzip" => inflate(flate2::read::MultiGzDecoder::new(&content[..]), max),
            "deflate" => inflate(flate2::read::ZlibDecoder::new(&content[..]), max)
                // Some senders mean a raw DEFLATE stream by it.
                .or_else(|_| inflate(flate2::read::DeflateDecoder::new(&content[..]), max)),
            other => return Err(ContentError::Unknown(other.to_owned())),
        };
        content = Cow::Owned(decoded.map_err(|error| match error {
            None => ContentError::TooLarge,
            Some(error) => ContentError::Corrupt {
                coding: coding.clone(),
                error,
            },
        })?);
    }
    Ok(content)
}

/// Reads a decoder to its end: `Err(None)` past `max` bytes, `Err(Some)` if it is corrupt.
fn inflate(decoder: impl Read, max: usize) -> Result<Vec<u8>, Option<std::io::Error>> {
    let mut out = Vec::new();
    let limit = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    decoder.take(limit).read_to_end(&mut out).map_err(Some)?;
    if out.len() > max {
        return Err(None);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codings_are_undone_in_reverse_and_bounded() {
        use std::io::Write;
        let gzip = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data).unwrap();
            e.finish().unwrap()
        };
        let twice = gzip(&gzip(b"{}"));
        assert_eq!(&*content(&[b"gzip, gzip"], &twice, 100).unwrap(), b"{}");
        assert_eq!(&*content(&[b"identity"], b"{}", 10).unwrap(), b"{}");
        assert!(matches!(
            content(&[b"gzip"], &gzip(&[0; 11]), 10),
            Err(ContentError::TooLarge)
        ));
        assert!(matches!(
            content(&[b"gzip"], b"{}", 10),
            Err(ContentError::Corrupt { .. })
        ));
        assert!(matches!(
            content(&[b"br"], b"{}", 10),
            Err(ContentError::Unknown(_))
        ));
    }
}
