//! Reads a few top-level fields of a JSON object line without building the rest of it, and
//! without copying what it reads: the whole line is still checked to be valid JSON, so
//! skipping or projecting it hides no error.
//!
//! The check is telev's own, not serde_json's: the lines it reads are envelopes whose
//! `wire` bodies are JSON written into JSON strings, an escaped quote every few bytes, and
//! serde_json's string skipping (which calls out at every escape) took most of a fast
//! path's time on them. A line is read in two stages, as simdjson reads: its tokens are
//! found 64 bytes at a time, strings checked on the way ([`Tokens`]), and then stepped
//! through; a value read for more than its text (as `jq -c` prints it, its keys counted)
//! is read by a [`Reader`] that goes byte by byte. Both are strict and conservative: they
//! take only text that is valid JSON as RFC 8259 writes it, and leave anything unusual (a
//! `\u` surrogate escape, nesting deeper than [`MAX_DEPTH`]) to the full parse, which decides
//! and reports exactly as for any other line.
//!
//! The same two stages say when a text is already written as `jq -c` prints it
//! ([`as_jq_prints`]): what telev writes of an event mostly is, and printing it is copying it.

use std::borrow::Cow;
use std::ops::Range;

/// At most this many keys are looked for at once.
pub const MAX_KEYS: usize = 64;

/// Arrays and objects nested deeper than this, the line's own object counting, are left to
/// the full parse (serde_json's own limit is 128).
const MAX_DEPTH: usize = 100;

/// Objects of more keys than this are not taken to be as jq prints them ([`as_jq_prints`]):
/// each key is compared with those before it for a repeat, and that is kept to few.
const MAX_MEMBERS: usize = 32;

/// How [`read_fields`] reads a wanted field's value, besides finding its text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Read {
    Text,
    /// Whether the text is as `jq -c` prints it ([`as_jq_prints`]).
    Printed,
    /// What `keys | length` says of the value ([`count`]).
    Counted,
}

/// A wanted field as [`read_fields`] found it: its JSON text, and what the way it was read
/// ([`Read`]) says of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field<'a> {
    pub text: &'a str,
    /// (`Read::Printed`) Whether `text` is as `jq -c` prints it; `None` when not read so.
    pub printed: Option<bool>,
    /// (`Read::Counted`) What `keys | length` says of the value, where [`count`] does.
    pub count: Option<usize>,
}

impl<'a> Field<'a> {
    /// A field's text, nothing more known of it.
    pub fn text(text: &'a str) -> Field<'a> {
        Field {
            text,
            printed: None,
            count: None,
        }
    }
}

/// Each of `keys` in `line`, read as `reads` says: [`Wanted::read`], for one line.
pub fn read_fields<'a>(
    line: &'a [u8],
    keys: &[impl AsRef<str>],
    reads: &[Read],
) -> Option<Vec<Option<Field<'a>>>> {
    Wanted::new(keys, reads).read(line)
}

/// The keys [`Wanted::read`] looks for, and how it reads each, prepared once for many lines:
/// a key wanted more than once (`type` is probed for `--only` and may be projected too) is
/// compared with a line's keys once, and what is read of it is decided once.
pub struct Wanted {
    /// Each key once: its text, which of the wanted keys it is (a bit each, by number), and
    /// the most any of them reads of it.
    distinct: Vec<(Box<[u8]>, u64, Read)>,
    /// How many keys were wanted.
    count: usize,
}

impl Wanted {
    /// `keys` (at most [`MAX_KEYS`]), each read as `reads` says by its number ([`Read::Text`]
    /// past its end).
    pub fn new(keys: &[impl AsRef<str>], reads: &[Read]) -> Wanted {
        assert!(keys.len() <= MAX_KEYS, "at most {MAX_KEYS} keys");
        let mut distinct: Vec<(Box<[u8]>, u64, Read)> = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let key = key.as_ref().as_bytes();
            let read = reads.get(i).copied().unwrap_or(Read::Text);
            match distinct.iter_mut().find(|(text, ..)| **text == *key) {
                Some((_, numbers, most)) => {
                    (*numbers, *most) = (*numbers | 1 << i, read.max(*most))
                }
                None => distinct.push((key.into(), 1 << i, read)),
            }
        }
        Wanted {
            distinct,
            count: keys.len(),
        }
    }

    /// Each wanted key's field (`None` when absent; the last occurrence wins, as in jq), all
    /// found in one pass over the line: a field is looked at again only when read otherwise
    /// than as text. `None` when the line is not exactly one valid JSON object, or is one the
    /// full parse should read: it has a surrogate escape (a lone `\ud800` is an error in jq,
    /// a pair is read into one character), or nests deeper than [`MAX_DEPTH`].
    ///
    /// The line is read token by token ([`Tokens`]); a field read otherwise than as text is
    /// read by a [`Reader`] where it starts, and the tokens go on after it.
    pub fn read<'a>(&self, line: &'a [u8]) -> Option<Vec<Option<Field<'a>>>> {
        // The readers look only at bytes. A line of ASCII (the first stage sees every byte) is
        // UTF-8 as it is, and only the fields taken from it are made text; any other line is
        // checked whole at the end.
        let bytes = line;
        let mut tokens = Tokens::new(bytes);
        let mut found = vec![None; self.count];
        if bytes[tokens.next()?] != b'{' {
            return None;
        }
        let mut at = tokens.next()?;
        if bytes[at] != b'}' {
            loop {
                let colon = tokens.next()?;
                if bytes[at] != b'"' || bytes[colon] != b':' {
                    return None;
                }
                // Nothing but whitespace lies between a key's closing quote and its colon. (The
                // text is taken with `get`: a slip here is a line left to the full parse, never
                // a panic on a crafted one.)
                let key = bytes.get(at..before(bytes, colon))?;
                let key = match has_backslash(bytes, at..at + key.len()) {
                    false => Cow::Borrowed(key.get(1..key.len().checked_sub(1)?)?),
                    true => Cow::Owned(serde_json::from_slice::<String>(key).ok()?.into_bytes()),
                };
                // The wanted keys this is (a bit each), and what is read of it.
                let (mut matched, read) = self
                    .distinct
                    .iter()
                    .find(|(wanted, ..)| same(wanted, &key))
                    .map_or((0, Read::Text), |&(_, numbers, read)| (numbers, read));
                let start = tokens.next()?;
                let mut field = Field::text("");
                // Where a reader's value ends (the tokens then go on from there).
                let mut read_to = None;
                match read {
                    // A string's contents were checked as its tokens were found.
                    Read::Text if bytes[start] == b'"' => {}
                    Read::Text => tokens.walk(start, 2, &mut ())?,
                    // An array or an object is walked token by token, the rest of what makes
                    // it printed otherwise looked for in its text once its end is known; a
                    // string or a scalar is read as it is.
                    Read::Printed if matches!(bytes[start], b'{' | b'[') => {
                        let mut form = JqForm::default();
                        tokens.walk(start, 2, &mut form)?;
                        field.printed = Some(form.printed);
                    }
                    Read::Printed => {
                        let mut jq = Reader::<true>::new(bytes);
                        jq.at = start;
                        jq.value(2)?;
                        field.printed = Some(jq.jq_form);
                        read_to = Some(jq.at);
                    }
                    Read::Counted => {
                        let mut counter = Counter::default();
                        tokens.walk(start, 2, &mut counter)?;
                        field.count = counter.count();
                    }
                }
                let after = tokens.next_from(read_to.unwrap_or(start + 1))?;
                let end = before(bytes, after);
                // A reader's value ends where the text before the next token does: `1x` is no
                // number, though a reader stops after `1`.
                if read_to.is_some_and(|read_to| read_to != end) {
                    return None;
                }
                if read_to.is_none() && field.printed == Some(true) {
                    field.printed = Some(!any_unprinted(bytes, start..end));
                }
                if matched != 0 {
                    field.text = tokens.text(start..end)?;
                }
                while matched != 0 {
                    found[matched.trailing_zeros() as usize] = Some(field);
                    matched &= matched - 1;
                }
                match bytes[after] {
                    b',' => at = tokens.next()?,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        // `finished` looks at the last blocks: only then has every byte been seen.
        let finished = tokens.finished();
        let utf8 = tokens.ascii || std::str::from_utf8(bytes).is_ok();
        (finished && utf8).then_some(found)
    }
}

/// The bytes of `word` (eight bytes read little-endian) below `n`, each as its high bit.
/// Only the lowest is sure to be one, as a borrow only runs up from a byte found; it is the
/// first such byte, at `trailing_zeros() / 8`. The test behind every search here, and in
/// `envelope`, that looks at eight bytes at a time.
pub(crate) fn bytes_below(word: u64, n: u8) -> u64 {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS
}

/// The bytes of `word` that are `byte`, as [`bytes_below`] marks them.
pub(crate) fn bytes_equal(word: u64, byte: u8) -> u64 {
    bytes_below(word ^ u64::from_le_bytes([byte; 8]), 1)
}

/// Whether `range` of `bytes` holds a backslash, looked for eight bytes at a time as one
/// word where eight bytes are there to read, the bytes past the range left out: a key is
/// short, and a search for the byte took 5% of a fast path.
fn has_backslash(bytes: &[u8], range: Range<usize>) -> bool {
    let mut at = range.start;
    while at < range.end {
        let Some(word) = bytes.get(at..at + 8) else {
            return bytes[at..range.end].contains(&b'\\');
        };
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let wanted = u64::MAX >> (8 * (8 - (range.end - at).min(8)));
        if bytes_equal(x, b'\\') & wanted != 0 {
            return true;
        }
        at += 8;
    }
    false
}

/// Where the text before position `at` of `bytes` ends, JSON's whitespace left out.
fn before(bytes: &[u8], mut at: usize) -> usize {
    while at > 0 && matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b'\r') {
        at -= 1;
    }
    at
}

/// The tokens of a line, found [`BLOCK`] bytes at a time as simdjson's first stage finds
/// them: where each string and each other value starts, and each `{`, `}`, `[`, `]`, `:` and
/// `,` outside strings. Which bytes are in strings follows from the quotes that are not
/// escaped (each one starts or ends a string), and every string's contents are checked on
/// the way: no control character, no escape JSON has not.
///
/// The second stage ([`Tokens::value`], [`read_fields`]) steps from token to token and
/// checks that they make JSON. A byte-by-byte reader waits for each token's end to learn
/// where the next one starts; here the next token is known before the one in hand is
/// checked, so the two overlap: the corpus of the bench is checked a third faster.
struct Tokens<'a> {
    bytes: &'a [u8],
    /// Where the next block to look at starts.
    next_block: usize,
    /// The tokens of up to [`WINDOW`] blocks looked at in a row, a word each, and which of
    /// them is being taken.
    window: [u64; WINDOW],
    looked: usize,
    taking: usize,
    /// The tokens of that block not taken yet, a bit each from `base`.
    base: usize,
    bits: u64,
    /// Carried from a block to the next: whether its first byte is escaped, whether it
    /// starts in a string (all ones), whether a value other than a string runs into it.
    escaped: bool,
    in_string: u64,
    in_scalar: u64,
    /// A string's contents hold what JSON does not allow.
    bad: bool,
    /// No byte so far is above 0x7f: the text is ASCII, so UTF-8 as it is.
    ascii: bool,
}

impl<'a> Tokens<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Tokens {
            bytes,
            next_block: 0,
            window: [0; WINDOW],
            looked: 0,
            taking: 0,
            base: 0,
            bits: 0,
            escaped: false,
            in_string: 0,
            in_scalar: 0,
            bad: false,
            ascii: true,
        }
    }

    /// Where the next token starts; `None` at the end of the text, and from the block
    /// where its strings hold what JSON does not allow ([`Tokens::finished`] tells which).
    #[inline(always)]
    fn next(&mut self) -> Option<usize> {
        if self.bits == 0 {
            self.next_block()?;
        }
        let at = self.base + self.bits.trailing_zeros() as usize;
        self.bits &= self.bits - 1;
        Some(at)
    }

    /// Steps to the next block with tokens. Inlined where [`Tokens::next`] is: as a call it
    /// was 5% of a fast path's instructions, and 3-9% of its wall time (bench/RESULTS.md).
    #[inline(always)]
    fn next_block(&mut self) -> Option<()> {
        while self.bits == 0 {
            if self.taking + 1 < self.looked {
                self.taking += 1;
                self.base += BLOCK;
            } else {
                self.look_ahead()?;
            }
            self.bits = self.window[self.taking];
        }
        Some(())
    }

    /// Looks at the next [`WINDOW`] blocks at once (a loop with nothing to wait for);
    /// `None` at the end of the text, or when a string holds what JSON does not allow.
    fn look_ahead(&mut self) -> Option<()> {
        let start = self.next_block;
        self.looked = 0;
        #[cfg(target_arch = "x86_64")]
        match Avx2::found() {
            // SAFETY: an `Avx2` is found only where the processor has what it names.
            Some(avx2) => unsafe { self.look_at_avx2(avx2) },
            None => self.look_at(Plain),
        }
        #[cfg(not(target_arch = "x86_64"))]
        self.look_at(Plain);
        (self.looked > 0 && !self.bad).then(|| {
            self.taking = 0;
            self.base = start;
        })
    }

    /// The text of `range`: as it is when it lies in the blocks looked at and they are ASCII
    /// (a field of most lines: checking it again took 3–5% of a fast path), else checked.
    fn text(&self, range: Range<usize>) -> Option<&'a str> {
        let bytes = self.bytes.get(range.clone())?;
        if self.ascii && range.end <= self.next_block {
            debug_assert!(bytes.is_ascii());
            // SAFETY: the blocks are looked at in order from the first, and `look` clears
            // `ascii` at a block with a byte above 0x7f; every byte before `next_block`
            // has been looked at, so these are ASCII, which is UTF-8.
            Some(unsafe { std::str::from_utf8_unchecked(bytes) })
        } else {
            std::str::from_utf8(bytes).ok()
        }
    }

    /// The first token at or after `at`, those before it left out (a reader has read them).
    fn next_from(&mut self, at: usize) -> Option<usize> {
        loop {
            let token = self.next()?;
            if token >= at {
                return Some(token);
            }
        }
    }

    /// Looks at blocks in a row, up to [`WINDOW`] of them, with `simd`'s steps inlined.
    #[inline(always)]
    fn look_at(&mut self, simd: impl Simd) {
        while self.looked < WINDOW && self.next_block < self.bytes.len() {
            self.window[self.looked] = self.look(self.next_block, &simd);
            self.looked += 1;
            self.next_block += BLOCK;
        }
    }

    /// [`Tokens::look_at`] compiled for AVX2 and PCLMULQDQ: the marks, the prefix XOR and
    /// the rest of a block's work in one loop, nothing called and no feature asked for per
    /// block (the call and the question took 4% of a fast path).
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,pclmulqdq")]
    fn look_at_avx2(&mut self, avx2: Avx2) {
        self.look_at(avx2);
    }

    /// The tokens of the block at `start`.
    #[inline(always)]
    fn look(&mut self, start: usize, simd: &impl Simd) -> u64 {
        let marks = Marks::at(self.bytes, start, simd);
        self.ascii &= marks.high == 0;
        let Strings {
            quote,
            inside,
            escaped,
        } = Strings::of(&marks, &mut self.escaped, &mut self.in_string, simd);
        let strings = inside | quote;
        let contents = inside & !quote;
        // `\"` and `\\`, most escapes in a line, are always right: only the others are
        // looked at one by one.
        let others = escaped & !(marks.quote | marks.backslash);
        if marks.control & contents != 0
            || others != 0 && escape_kinds(self.bytes, start, others) & NO_ESCAPE != 0
        {
            self.bad = true;
        }
        // Past the end of the text the block reads as NUL, which starts no token.
        let end = self.bytes.len() - start;
        let within = if end < BLOCK { (1 << end) - 1 } else { !0 };
        let scalar = !(marks.space | marks.op | strings) & within;
        let scalar_starts = scalar & !((scalar << 1) | self.in_scalar);
        self.in_scalar = scalar >> 63;
        (marks.op & !strings) | (quote & inside) | scalar_starts
    }

    /// Whether the text ended where it may: no token left, no string open, nothing found
    /// that JSON does not allow.
    fn finished(&mut self) -> bool {
        self.next().is_none() && !self.bad && self.in_string == 0
    }

    /// Checks the value whose first token is at `at`, nested `depth` deep (the line's own
    /// object is 1), in one loop: the arrays and objects it is inside are a bit each (set
    /// for an object). Stops after its last token; `visit` is told what it meets.
    fn walk(&mut self, mut at: usize, depth: usize, visit: &mut impl Visit) -> Option<()> {
        let bytes = self.bytes;
        let closing = |object: bool| if object { b'}' } else { b']' };
        // Whether the innermost one open is an object is kept apart: a comma asks it, and
        // a shift of the 128 bits for each took 2% of a fast path.
        let (mut open, mut level, mut object) = (0_u128, 0, false);
        loop {
            match bytes[at] {
                // Its contents were checked as it was found.
                b'"' => {}
                b @ (b'{' | b'[') => {
                    let opened = b == b'{';
                    if depth + level > MAX_DEPTH {
                        return None;
                    }
                    visit.open(opened, level);
                    at = self.next()?;
                    if bytes[at] != closing(opened) {
                        open |= u128::from(opened) << level;
                        object = opened;
                        level += 1;
                        visit.member(level);
                        if object {
                            at = self.key(at, level, visit)?;
                        }
                        continue;
                    }
                    visit.close(opened, level);
                }
                b'}' | b']' | b':' | b',' => return None,
                _ => {
                    let end = self.scalar(at)?;
                    visit.scalar(bytes, at..end);
                }
            }
            // After a value: the ends of what it closes, then a comma before the next.
            loop {
                if level == 0 {
                    return Some(());
                }
                at = self.next()?;
                if bytes[at] == b',' {
                    at = self.next()?;
                    visit.member(level);
                    if object {
                        at = self.key(at, level, visit)?;
                    }
                    break;
                }
                if bytes[at] != closing(object) {
                    return None;
                }
                level -= 1;
                open &= !(1 << level);
                visit.close(object, level);
                object = level > 0 && open >> (level - 1) & 1 == 1;
            }
        }
    }

    /// A key at `at` and its colon, in an object whose members are `level` deep in the
    /// value walked: where the member's value starts.
    #[inline(always)]
    fn key(&mut self, at: usize, level: usize, visit: &mut impl Visit) -> Option<usize> {
        let colon = self.next()?;
        (self.bytes[at] == b'"' && self.bytes[colon] == b':').then_some(())?;
        visit.key(self.bytes, at..before(self.bytes, colon), level);
        self.next()
    }

    /// A number, `true`, `false` or `null` at `at`, running up to what ends a value: where
    /// it ends.
    #[inline]
    fn scalar(&self, at: usize) -> Option<usize> {
        let mut reader = Reader::<false>::new(self.bytes);
        reader.at = at;
        match self.bytes[at] {
            b't' => reader.word(b"true")?,
            b'f' => reader.word(b"false")?,
            b'n' => reader.word(b"null")?,
            _ => reader.number()?,
        }
        let ends = matches!(
            self.bytes.get(reader.at),
            None | Some(
                b' ' | b'\t' | b'\n' | b'\r' | b'{' | b'}' | b'[' | b']' | b':' | b',' | b'"'
            )
        );
        ends.then_some(reader.at)
    }
}

/// What [`Tokens::walk`] tells of a value as it checks it. `level` is how many of the
/// value's arrays and objects are open (0 for the value itself).
trait Visit {
    /// An object or an array starts, `level` deep.
    fn open(&mut self, _object: bool, _level: usize) {}
    /// A member of an object or an item of an array starts; its container is now open.
    fn member(&mut self, _level: usize) {}
    /// A member's key, its text with the quotes.
    fn key(&mut self, _bytes: &[u8], _key: Range<usize>, _level: usize) {}
    /// A number, `true`, `false` or `null`, at `text` of `bytes`.
    fn scalar(&mut self, _bytes: &[u8], _text: Range<usize>) {}
    /// An object or an array ends, `level` deep.
    fn close(&mut self, _object: bool, _level: usize) {}
}

/// Only checks.
impl Visit for () {}

/// Whether a value is written as `jq -c` prints it, as far as its structure says
/// ([`as_jq_prints`]; what its bytes say is looked for by [`any_unprinted`]): every
/// number an integer of at most 18 digits, no key given twice in an object, no object of
/// more than [`MAX_MEMBERS`] keys. Keys are compared as written (each escape jq writes has
/// one spelling: equal text, equal key), each with those before it in its object.
///
/// The keys of all the objects open are kept together, up to [`FORM_KEYS`], and objects are
/// followed [`FORM_LEVELS`] deep: past either, the value is taken as not printed so, which
/// only means that it is printed from the full parse.
struct JqForm {
    printed: bool,
    /// Where each key kept is in the line, its quotes included.
    keys: [(u32, u32); FORM_KEYS],
    count: usize,
    /// Where each open object's keys start in `keys`, by its level.
    frames: [usize; FORM_LEVELS],
    /// A bit for each of an open object's keys ([`JqForm::hint`]), by its level: a key is
    /// compared with those before it only when one of them has its bit. Comparing each with
    /// each took 8% of `select(…) | .raw`.
    hints: [u64; FORM_LEVELS],
}

/// How many keys [`JqForm`] keeps, and how deep it follows objects.
const FORM_KEYS: usize = 2 * MAX_MEMBERS;
const FORM_LEVELS: usize = 16;

impl Default for JqForm {
    fn default() -> Self {
        JqForm {
            printed: true,
            keys: [(0, 0); FORM_KEYS],
            count: 0,
            frames: [0; FORM_LEVELS],
            hints: [0; FORM_LEVELS],
        }
    }
}

impl JqForm {
    /// A key's bit, of 64, from its length and the bytes inside its quotes at either end (of
    /// `""`, the quotes): the same text, the same bit. (Read with `get`: a key's text always
    /// has its two quotes, but a slip must not be a panic on a crafted line.)
    fn hint(text: &[u8]) -> u64 {
        let byte = |at: usize| u32::from(text.get(at).copied().unwrap_or(0));
        let (first, last) = (byte(1), byte(text.len().wrapping_sub(2)));
        let mixed = (text.len() as u32 | first << 8 | last << 16).wrapping_mul(0x9e37_79b9);
        1 << (mixed >> 26)
    }
}

impl Visit for JqForm {
    fn open(&mut self, object: bool, level: usize) {
        if object {
            match (self.frames.get_mut(level), self.hints.get_mut(level)) {
                (Some(frame), Some(hints)) => (*frame, *hints) = (self.count, 0),
                _ => self.printed = false,
            }
        }
    }

    #[inline(always)]
    fn key(&mut self, bytes: &[u8], key: Range<usize>, level: usize) {
        if !self.printed {
            return;
        }
        let text = &bytes[key.clone()];
        let frame = self.frames[level - 1];
        let kept = &self.keys[frame..self.count];
        let members = kept.len();
        let hint = JqForm::hint(text);
        let hints = &mut self.hints[level - 1];
        let repeated = *hints & hint != 0
            && kept
                .iter()
                .any(|&(start, end)| same(&bytes[start as usize..end as usize], text));
        *hints |= hint;
        let range = u32::try_from(key.start)
            .ok()
            .zip(u32::try_from(key.end).ok());
        match (self.keys.get_mut(self.count), range) {
            (Some(slot), Some(range)) if !repeated && members < MAX_MEMBERS => {
                *slot = range;
                self.count += 1;
            }
            _ => self.printed = false,
        }
    }

    fn scalar(&mut self, bytes: &[u8], text: Range<usize>) {
        let text = &bytes[text];
        if !matches!(text[0], b't' | b'f' | b'n') && !is_short_integer(text) {
            self.printed = false;
        }
    }

    fn close(&mut self, object: bool, level: usize) {
        if object && self.printed {
            self.count = self.frames[level];
        }
    }
}

/// What `keys | length` says of a value ([`count`]): its distinct keys if it is an object
/// with no key with escapes and at most [`MAX_MEMBERS`] keys, its items if an array.
#[derive(Default)]
struct Counter {
    /// Whether the value is an object or an array.
    object: Option<bool>,
    keys: Keys,
    distinct: usize,
    uncounted: bool,
    items: usize,
}

impl Counter {
    fn count(&self) -> Option<usize> {
        match self.object? {
            true => (!self.uncounted).then_some(self.distinct),
            false => Some(self.items),
        }
    }
}

impl Visit for Counter {
    fn open(&mut self, object: bool, level: usize) {
        if level == 0 {
            self.object = Some(object);
        }
    }

    fn member(&mut self, level: usize) {
        self.items += usize::from(level == 1);
    }

    fn key(&mut self, bytes: &[u8], key: Range<usize>, level: usize) {
        if level != 1 || self.uncounted {
            return;
        }
        let contents = key.start + 1..key.end - 1;
        let new = match has_backslash(bytes, contents.clone()) {
            false => self.keys.insert(bytes, contents),
            true => None,
        };
        self.distinct += new.map_or(0, usize::from);
        self.uncounted |= new.is_none();
    }
}

/// Where a block's strings are, a bit each, from its [`Marks`] and what the block before
/// left ([`Tokens::look`], [`any_unprinted`]).
struct Strings {
    /// The quotes that open or close a string (not escaped).
    quote: u64,
    /// From each opening quote up to (not with) its closing one.
    inside: u64,
    /// The bytes escaped by a backslash, in strings.
    escaped: u64,
}

impl Strings {
    /// `carried`: whether the block's first byte is escaped (set for the next block);
    /// `in_string`: all ones when the block starts in a string (likewise).
    #[inline(always)]
    fn of(marks: &Marks, carried: &mut bool, in_string: &mut u64, simd: &impl Simd) -> Strings {
        let escaped = escaped(marks.backslash, carried);
        let quote = marks.quote & !escaped;
        // From each quote to the next: a running parity of the quotes.
        let inside = simd.prefix_xor(quote) ^ *in_string;
        *in_string = ((inside as i64) >> 63) as u64;
        Strings {
            quote,
            inside,
            escaped: escaped & inside & !quote,
        }
    }
}

/// How many blocks [`Tokens`] looks at in a row.
const WINDOW: usize = 32;

/// The two steps of the first stage that some processors have instructions for.
trait Simd {
    /// The marks of a block.
    fn marks(&self, block: &[u8; BLOCK]) -> Marks;

    /// Each bit set in those below it, flipped (simdjson's prefix XOR): from a quote's bit
    /// on, ones up to the next quote's.
    fn prefix_xor(&self, bits: u64) -> u64;
}

/// The marks as [`Marks::of`] finds them, asking for the processor's features each time; the
/// prefix XOR in six shifts.
struct Plain;

impl Simd for Plain {
    #[inline(always)]
    fn marks(&self, block: &[u8; BLOCK]) -> Marks {
        Marks::of(block)
    }

    #[inline(always)]
    fn prefix_xor(&self, mut bits: u64) -> u64 {
        for shift in [1, 2, 4, 8, 16, 32] {
            bits ^= bits << shift;
        }
        bits
    }
}

/// The marks by [`Marks::avx2`]; the prefix XOR as one carry-less multiplication by all
/// ones, as simdjson takes it. Made only where the processor has both (so its steps are sound
/// to take), and inlined only into code compiled for them ([`Tokens::look_at_avx2`]).
#[cfg(target_arch = "x86_64")]
#[derive(Clone, Copy)]
struct Avx2(());

#[cfg(target_arch = "x86_64")]
impl Avx2 {
    fn found() -> Option<Avx2> {
        let found = std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("pclmulqdq");
        found.then_some(Avx2(()))
    }
}

#[cfg(target_arch = "x86_64")]
impl Simd for Avx2 {
    #[inline(always)]
    fn marks(&self, block: &[u8; BLOCK]) -> Marks {
        // SAFETY: an `Avx2` exists only where the processor has AVX2.
        unsafe { Marks::avx2(block) }
    }

    #[inline(always)]
    fn prefix_xor(&self, bits: u64) -> u64 {
        use std::arch::x86_64::*;
        // SAFETY: an `Avx2` exists only where the processor has PCLMULQDQ (and SSE2, part of
        // every x86-64).
        unsafe {
            let ones = _mm_set1_epi8(-1);
            let product = _mm_clmulepi64_si128(_mm_set_epi64x(0, bits as i64), ones, 0);
            _mm_cvtsi128_si64(product) as u64
        }
    }
}

/// The text of `json` (one JSON value, with JSON's whitespace around it) without that
/// whitespace, when it is exactly what `jq -c` prints of it, so that printing it is copying
/// it: no space inside, strings escaped as jq escapes them (DEL too), every number an integer
/// of at most 18 digits (jq writes others its own way), no key given twice in an object, and
/// no object of more than [`MAX_MEMBERS`] keys (compared for repeats each against the others).
/// `None` otherwise, and when `json` is not valid JSON the reader takes.
///
/// An object or an array (an envelope) is read as a line's fields are: its tokens walked
/// with [`JqForm`], then its text looked at once for what jq prints otherwise
/// ([`any_unprinted`]); any other value by the byte reader.
pub fn as_jq_prints(json: &[u8]) -> Option<&[u8]> {
    let mut tokens = Tokens::new(json);
    let start = tokens.next()?;
    if !matches!(json[start], b'{' | b'[') {
        return read_as_jq_prints(json);
    }
    let mut form = JqForm::default();
    tokens.walk(start, 1, &mut form)?;
    let end = before(json, json.len());
    let valid = tokens.finished() && (tokens.ascii || std::str::from_utf8(json).is_ok());
    (valid && form.printed && !any_unprinted(json, start..end)).then(|| &json[start..end])
}

/// [`as_jq_prints`] by the byte reader.
fn read_as_jq_prints(json: &[u8]) -> Option<&[u8]> {
    std::str::from_utf8(json).ok()?;
    let mut reader = Reader::<true>::new(json);
    reader.blank();
    let start = reader.at;
    reader.value(1)?;
    let end = reader.at;
    reader.blank();
    (reader.jq_form && reader.at == json.len()).then(|| &json[start..end])
}

/// What `keys` reads of a value: an object's keys, as written (one given twice, twice), or
/// how many items an array has.
pub enum Members<'a> {
    Keys(Vec<Cow<'a, str>>),
    Items(usize),
}

/// The members of `json`, one object or array with JSON's whitespace around it; `None` for
/// any other value, and for text the reader leaves to the full parse.
pub fn members(json: &str) -> Option<Members<'_>> {
    let mut reader = Reader::<false>::new(json.as_bytes());
    reader.blank();
    let members = match reader.bytes.get(reader.at)? {
        b'{' => {
            let mut keys = Vec::new();
            reader.object(1, |reader, key| {
                keys.push(key_text(json, key)?);
                reader.value(2)
            })?;
            Members::Keys(keys)
        }
        b'[' => {
            let mut items = 0;
            reader.array(1, || items += 1)?;
            Members::Items(items)
        }
        _ => return None,
    };
    reader.blank();
    (reader.at == json.len()).then_some(members)
}

/// What `keys | length` says of `json` (as [`members`] reads it): how many distinct keys an
/// object has, or items an array, counted without collecting or sorting the keys. `None`
/// for any other value, for text the reader leaves to the full parse, and for an object
/// with a key with escapes or of more than [`MAX_MEMBERS`] keys (whose keys [`members`]
/// then reads).
pub fn count(json: &str) -> Option<usize> {
    let mut reader = Reader::<false>::new(json.as_bytes());
    reader.blank();
    let count = reader.counted(1)?;
    reader.blank();
    (reader.at == json.len()).then_some(count?)
}

/// The keys of one object read so far, as written, to tell a key given again: at most
/// [`MAX_MEMBERS`], each compared with the others.
#[derive(Default)]
struct Keys {
    ranges: [(usize, usize); MAX_MEMBERS],
    count: usize,
}

impl Keys {
    /// Whether the key written at `range` of `bytes` is not one of those before it (and
    /// keeps it); `None` when more keys than there is room for are read.
    fn insert(&mut self, bytes: &[u8], range: Range<usize>) -> Option<bool> {
        let text = &bytes[range.clone()];
        let before = &self.ranges[..self.count];
        if before
            .iter()
            .any(|&(start, end)| same(&bytes[start..end], text))
        {
            return Some(false);
        }
        *self.ranges.get_mut(self.count)? = (range.start, range.end);
        self.count += 1;
        Some(true)
    }
}

/// Whether two keys are the same, compared in line: keys are short, and calling `memcmp` for
/// each key of each line against each wanted cost 4% of a fast path.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// A key as read: borrowed from `json` unless it has escapes to read.
fn key_text(json: &str, key: Text) -> Option<Cow<'_, str>> {
    Some(match key {
        Text::Plain(range) => Cow::Borrowed(&json[range]),
        Text::Escaped(range) => Cow::Owned(serde_json::from_str(&json[range]).ok()?),
    })
}

/// A field's value, as [`read_fields`] found its text, if it is a string (borrowed unless it has
/// escapes: the reader has checked it, and only escapes are left to read).
pub fn string(text: Option<&str>) -> Option<Cow<'_, str>> {
    let text = text?;
    let contents = text.strip_prefix('"')?.strip_suffix('"')?;
    match contents.contains('\\') {
        false => Some(Cow::Borrowed(contents)),
        true => serde_json::from_str::<String>(text).ok().map(Cow::Owned),
    }
}

/// A string as read: where its contents are (between the quotes), or where the whole of it is
/// when it has escapes to read.
enum Text {
    Plain(Range<usize>),
    Escaped(Range<usize>),
}

/// Bytes a string's contents cannot hold as they are: its end, an escape, a control character.
const STOPS: [bool; 256] = {
    let mut stops = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        stops[b] = true;
        b += 1;
    }
    stops[b'"' as usize] = true;
    stops[b'\\' as usize] = true;
    stops
};

/// Checks JSON text byte by byte from `at`; each reading method returns `None` at the first
/// byte that is not what valid JSON has there (the full parse then says what is wrong).
/// `JQ`: it also notes whether the text is written as `jq -c` writes it ([`as_jq_prints`]).
struct Reader<'a, const JQ: bool> {
    bytes: &'a [u8],
    at: usize,
    /// (`JQ`) Nothing read so far is written otherwise than as `jq -c` prints it.
    jq_form: bool,
}

impl<'a, const JQ: bool> Reader<'a, JQ> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            at: 0,
            jq_form: true,
        }
    }

    /// Whitespace around the whole text.
    fn blank(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// Whitespace between tokens, which `jq -c` never writes.
    fn space(&mut self) {
        let start = self.at;
        self.blank();
        if JQ && self.at > start {
            self.jq_form = false;
        }
    }

    fn byte(&mut self, expected: u8) -> Option<()> {
        self.byte_if(expected).then_some(())
    }

    fn byte_if(&mut self, expected: u8) -> bool {
        let here = self.bytes.get(self.at) == Some(&expected);
        self.at += usize::from(here);
        here
    }

    /// One value; `depth` is how many arrays and objects it is inside, plus one.
    fn value(&mut self, depth: usize) -> Option<()> {
        match *self.bytes.get(self.at)? {
            b'"' => self.string().map(drop),
            b'{' => self.object(depth, |reader, _| reader.value(depth + 1)),
            b'[' => self.array(depth, || ()),
            b't' => self.word(b"true"),
            b'f' => self.word(b"false"),
            b'n' => self.word(b"null"),
            _ => self.number(),
        }
    }

    /// One value, as [`Reader::value`] reads it, and what `keys | length` says of it when it
    /// is an object or an array ([`count`]): `Some(None)` for a value read but not counted.
    fn counted(&mut self, depth: usize) -> Option<Option<usize>> {
        match *self.bytes.get(self.at)? {
            b'{' => {
                let (mut keys, mut distinct, mut counts) = (Keys::default(), 0, true);
                self.object(depth, |reader, key| {
                    let new = match key {
                        Text::Plain(range) => keys.insert(reader.bytes, range),
                        Text::Escaped(_) => None,
                    };
                    distinct += new.map_or(0, usize::from);
                    counts &= new.is_some();
                    reader.value(depth + 1)
                })?;
                Some(counts.then_some(distinct))
            }
            b'[' => {
                let mut items = 0;
                self.array(depth, || items += 1)?;
                Some(Some(items))
            }
            _ => self.value(depth).map(|()| None),
        }
    }

    /// An object starting at its `{`: `member` is told of each key, and reads its value.
    fn object(
        &mut self,
        depth: usize,
        mut member: impl FnMut(&mut Self, Text) -> Option<()>,
    ) -> Option<()> {
        if self.open(depth, b'}')? {
            return Some(());
        }
        // (`JQ`) The keys read so far, for repeats: jq prints the last value in the first's place.
        let mut keys = Keys::default();
        loop {
            let key = self.string()?;
            if JQ && self.jq_form {
                // A plain key's contents never equal an escaped key's quoted text (that starts
                // with a quote), and each escape jq writes has one spelling: equal text, equal key.
                let (Text::Plain(range) | Text::Escaped(range)) = &key;
                if keys.insert(self.bytes, range.clone()) != Some(true) {
                    self.jq_form = false;
                }
            }
            self.space();
            self.byte(b':')?;
            self.space();
            member(self, key)?;
            if self.next(b'}')? {
                return Some(());
            }
        }
    }

    /// An array starting at its `[`, telling `item` of each item.
    fn array(&mut self, depth: usize, mut item: impl FnMut()) -> Option<()> {
        if self.open(depth, b']')? {
            return Some(());
        }
        loop {
            self.value(depth + 1)?;
            item();
            if self.next(b']')? {
                return Some(());
            }
        }
    }

    /// Steps into an object or an array at its opening byte: true when `close` ends it at
    /// once; `None` when it is nested deeper than [`MAX_DEPTH`] (left to the full parse).
    fn open(&mut self, depth: usize, close: u8) -> Option<bool> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.at += 1;
        self.space();
        Some(self.byte_if(close))
    }

    /// After a member or an item: true at `close`, false after the comma before the next.
    fn next(&mut self, close: u8) -> Option<bool> {
        self.space();
        if self.byte_if(close) {
            return Some(true);
        }
        self.byte(b',')?;
        self.space();
        Some(false)
    }

    fn word(&mut self, word: &[u8]) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    fn number(&mut self) -> Option<()> {
        let start = self.at;
        self.byte_if(b'-');
        match *self.bytes.get(self.at)? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.byte_if(b'.') {
            self.some_digits()?;
        }
        if self.byte_if(b'e') || self.byte_if(b'E') {
            if !self.byte_if(b'+') {
                self.byte_if(b'-');
            }
            self.some_digits()?;
        }
        // jq writes fractions, exponents, `-0` and long integers its own way.
        if JQ && !is_short_integer(&self.bytes[start..self.at]) {
            self.jq_form = false;
        }
        Some(())
    }

    fn some_digits(&mut self) -> Option<()> {
        let start = self.at;
        self.digits();
        (self.at > start).then_some(())
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// A string starting at its opening quote. Its plain start is read eight bytes at a
    /// time ([`plain_run`]); from its first escape on it is read [`BLOCK`] bytes at a time
    /// without a branch for each escape: where the block's quotes, backslashes and control
    /// characters are is found at once ([`Marks`]), which bytes are escaped follows from the
    /// backslashes (an odd run escapes the byte after it), and the escapes are checked
    /// together. A body of JSON written into a string, an escaped quote every few bytes, is
    /// then read almost as fast as plain text.
    fn string(&mut self) -> Option<Text> {
        if self.bytes.get(self.at) != Some(&b'"') {
            return None;
        }
        let start = self.at + 1;
        let mut block = start;
        loop {
            block += plain_run::<JQ>(&self.bytes[block..]);
            match *self.bytes.get(block)? {
                b'"' => {
                    self.at = block + 1;
                    return Some(Text::Plain(start..block));
                }
                b'\\' => break,
                // jq escapes DEL; JSON need not.
                0x7f if JQ => {
                    self.jq_form = false;
                    block += 1;
                }
                _ => return None,
            }
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(avx2) = Avx2::found() {
            // SAFETY: an `Avx2` is found only where the processor has what it names.
            return unsafe { self.escaped_string_avx2(start, block, avx2) };
        }
        self.escaped_string(start, block, &Plain)
    }

    /// [`Reader::escaped_string`] compiled for AVX2 and PCLMULQDQ, as [`Tokens::look_at_avx2`]
    /// is: no call and no question for the processor's features per block.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,pclmulqdq")]
    fn escaped_string_avx2(&mut self, start: usize, block: usize, avx2: Avx2) -> Option<Text> {
        self.escaped_string(start, block, &avx2)
    }

    /// The rest of a string whose contents start at `start`, from its first escape, in the
    /// block at `block`, on.
    #[inline(always)]
    fn escaped_string(&mut self, start: usize, mut block: usize, simd: &impl Simd) -> Option<Text> {
        // Whether the block's first byte is escaped by a backslash ending the one before.
        let mut carried = false;
        loop {
            let marks = Marks::at(self.bytes, block, simd);
            let escaped = escaped(marks.backslash, &mut carried);
            let ends = marks.quote & !escaped;
            let before = ends.wrapping_sub(1) & !ends;
            // A control character, or the end of the text, before the closing quote.
            if marks.control & before != 0 {
                return None;
            }
            let escaped = escaped & before;
            if escaped != 0 {
                self.escapes(block, escaped)?;
            }
            if JQ && marks.del & before != 0 {
                self.jq_form = false;
            }
            if ends != 0 {
                let end = block + ends.trailing_zeros() as usize;
                self.at = end + 1;
                return Some(Text::Escaped(start - 1..end + 1));
            }
            block += BLOCK;
        }
    }

    /// Checks the escapes of the block at `block`: `escaped` marks the byte after each
    /// backslash that escapes (all within the text: [`Reader::string`] has seen no end of it
    /// before them).
    fn escapes(&mut self, block: usize, escaped: u64) -> Option<()> {
        let kinds = escape_kinds(self.bytes, block, escaped);
        if kinds & NO_ESCAPE != 0 {
            return None;
        }
        if JQ
            && kinds & (SLASH | UNICODE) != 0
            && unprinted_escapes(self.bytes, block, escaped) != 0
        {
            self.jq_form = false;
        }
        Some(())
    }
}

/// What the escapes of the block of `bytes` at `block` are ([`ESCAPES`], together):
/// `escaped` marks the byte after each backslash that escapes. A `\u` escape counts as
/// [`NO_ESCAPE`] unless the reader takes it ([`is_unicode_escape`]), and so does a
/// backslash that ends the text.
fn escape_kinds(bytes: &[u8], block: usize, escaped: u64) -> u8 {
    let kind = |at: u32| match bytes.get(block + at as usize) {
        Some(&b) => ESCAPES[usize::from(b)],
        None => NO_ESCAPE,
    };
    let mut kinds = 0;
    let mut rest = escaped;
    while rest != 0 {
        kinds |= kind(rest.trailing_zeros());
        rest &= rest - 1;
    }
    if kinds & UNICODE != 0 {
        let mut rest = escaped;
        while rest != 0 {
            let after = &bytes[block + rest.trailing_zeros() as usize..];
            if after[0] == b'u' && !is_unicode_escape(after) {
                kinds |= NO_ESCAPE;
            }
            rest &= rest - 1;
        }
    }
    kinds
}

/// Whether the text of a valid JSON array or object at `range` of `bytes` has what `jq -c`
/// would print otherwise, besides what [`JqForm`] looks at: whitespace outside strings, DEL
/// in them, an escape jq writes another way. Read [`BLOCK`] bytes at a time from the
/// value's first byte (outside any string), as [`Tokens`] reads a line.
fn any_unprinted(bytes: &[u8], range: Range<usize>) -> bool {
    #[cfg(target_arch = "x86_64")]
    if let Some(avx2) = Avx2::found() {
        // SAFETY: an `Avx2` is found only where the processor has what it names.
        return unsafe { any_unprinted_avx2(bytes, range, avx2) };
    }
    unprinted_in(bytes, range, &Plain)
}

/// [`any_unprinted`] compiled for AVX2 and PCLMULQDQ, as [`Tokens::look_at_avx2`] is: no
/// call and no question for the processor's features per block (4% of `select(…) | .raw`).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,pclmulqdq")]
fn any_unprinted_avx2(bytes: &[u8], range: Range<usize>, avx2: Avx2) -> bool {
    unprinted_in(bytes, range, &avx2)
}

/// [`any_unprinted`] with `simd`'s steps inlined.
#[inline(always)]
fn unprinted_in(bytes: &[u8], range: Range<usize>, simd: &impl Simd) -> bool {
    let (mut carried, mut in_string) = (false, 0);
    (range.start..range.end).step_by(BLOCK).any(|start| {
        let marks = Marks::at(bytes, start, simd);
        let Strings {
            quote,
            inside,
            escaped,
        } = Strings::of(&marks, &mut carried, &mut in_string, simd);
        let contents = inside & !quote;
        let end = range.end - start;
        let within = if end < BLOCK { (1 << end) - 1 } else { !0 };
        let mut unprinted = (marks.space & !(inside | quote)) | (marks.del & contents);
        if escaped != 0 && escape_kinds(bytes, start, escaped) & (SLASH | UNICODE) != 0 {
            unprinted |= unprinted_escapes(bytes, start, escaped);
        }
        unprinted & within != 0
    })
}

/// Of the escapes of the block of `bytes` at `block` (`escaped` marks the byte after each
/// backslash that escapes), those jq writes another way ([`is_jq_escape`]).
fn unprinted_escapes(bytes: &[u8], block: usize, escaped: u64) -> u64 {
    let mut unprinted = 0;
    let mut rest = escaped;
    while rest != 0 {
        let at = rest.trailing_zeros();
        if !is_jq_escape(&bytes[block + at as usize..]) {
            unprinted |= 1 << at;
        }
        rest &= rest - 1;
    }
    unprinted
}

/// How many bytes at the start of `bytes` a string holds as they are (none is in [`STOPS`],
/// nor DEL with `DEL`), read eight at a time: in one word, the lowest byte found to be a
/// quote, a backslash or a control character is the first such byte ([`bytes_below`]).
fn plain_run<const DEL: bool>(bytes: &[u8]) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut run = 0;
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        let mut stops = bytes_equal(x, b'"') | bytes_equal(x, b'\\') | bytes_below(x, 0x20);
        if DEL {
            stops |= bytes_equal(x, 0x7f);
        }
        if stops != 0 {
            return run + stops.trailing_zeros() as usize / 8;
        }
        run += 8;
    }
    let rest = words.remainder();
    let stop = |b: u8| STOPS[usize::from(b)] || DEL && b == 0x7f;
    run + rest.iter().position(|&b| stop(b)).unwrap_or(rest.len())
}

/// How many bytes a string with escapes is read at a time ([`Reader::string`]).
const BLOCK: usize = 64;

/// What the byte after a backslash makes of the escape ([`ESCAPES`]): one jq writes too
/// (none of these bits), `\/`, `\u` (its digits to be checked), or none JSON has.
const SLASH: u8 = 1;
const UNICODE: u8 = 2;
const NO_ESCAPE: u8 = 4;

const ESCAPES: [u8; 256] = {
    let mut kinds = [NO_ESCAPE; 256];
    let mut i = 0;
    while i < 7 {
        kinds[b"\"\\bfnrt"[i] as usize] = 0;
        i += 1;
    }
    kinds[b'/' as usize] = SLASH;
    kinds[b'u' as usize] = UNICODE;
    kinds
};

/// Of the bytes that follow the bits of `backslash` (one [`BLOCK`]), those escaped: the byte
/// after a run of backslashes of odd length, counting from the first, is escaped, and in a
/// run the second, fourth, … backslashes are escaped themselves. `carried` says whether the
/// first byte is escaped by a run ending the block before, and is set for the next block.
///
/// Runs are told apart by adding: a run's lowest bit added to the run carries past its top,
/// to the byte after it. Starting each run on an even or odd bit decides, with the bit
/// pattern of alternate positions, which positions after it are escaped (simdjson's method).
fn escaped(backslash: u64, carried: &mut bool) -> u64 {
    const EVEN: u64 = 0x5555_5555_5555_5555;
    let carry = u64::from(*carried);
    // An escaped backslash at the start begins no run.
    let backslash = backslash & !carry;
    let follows = (backslash << 1) | carry;
    let odd_starts = backslash & !EVEN & !follows;
    let (even_started, overflow) = odd_starts.overflowing_add(backslash);
    *carried = overflow;
    (EVEN ^ (even_started << 1)) & follows
}

/// Where in one [`BLOCK`] of text the bytes are that a string's reader stops at, and those
/// that tell JSON's tokens apart ([`Tokens`]), a bit each (the lowest for the block's first
/// byte). Past the end of the text, the block reads as NUL.
#[derive(Default)]
struct Marks {
    quote: u64,
    backslash: u64,
    /// Control characters, and the bytes past the end.
    control: u64,
    del: u64,
    /// JSON's whitespace.
    space: u64,
    /// `{`, `}`, `[`, `]`, `:` and `,`.
    op: u64,
    /// Bytes above 0x7f (of characters beyond ASCII, or not UTF-8).
    high: u64,
}

impl Marks {
    /// The marks of the block at `at`, the bytes past the end read as NUL.
    #[inline(always)]
    fn at(bytes: &[u8], at: usize, simd: &impl Simd) -> Marks {
        let mut padded = [0; BLOCK];
        let block = match bytes.get(at..at + BLOCK) {
            Some(block) => block.try_into().expect("a block"),
            None => {
                let rest = bytes.get(at..).unwrap_or_default();
                padded[..rest.len()].copy_from_slice(rest);
                &padded
            }
        };
        simd.marks(block)
    }

    /// Thirty-two bytes at a time where the processor has AVX2, else sixteen (SSE2 is part
    /// of every x86-64).
    #[cfg(target_arch = "x86_64")]
    fn of(block: &[u8; BLOCK]) -> Marks {
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has just been found to have AVX2.
            unsafe { Marks::avx2(block) }
        } else {
            // SAFETY: SSE2 is part of every x86-64, so the instructions exist wherever this runs.
            unsafe { Marks::sse2(block) }
        }
    }

    /// Whitespace and operators are found as simdjson's first stage finds them, by a table
    /// of sixteen bytes looked up by each byte's low four bits (`vpshufb`; a byte above 0x7f
    /// reads 0): a byte is whitespace when its entry is itself, an operator when its entry is
    /// itself with bit 5 set (which reads `[` and `]` as `{` and `}`). Two bytes more read
    /// so, 0x0c as `,` and 0x1a as `:`; both are control characters, left out.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    fn avx2(block: &[u8; BLOCK]) -> Marks {
        use std::arch::x86_64::*;
        let table = |entries: [u8; 16]| {
            // SAFETY: an unaligned read of the sixteen bytes `entries` has.
            let half = unsafe { _mm_loadu_si128(entries.as_ptr().cast()) };
            _mm256_broadcastsi128_si256(half)
        };
        // Each entry not a byte it stands for is one of a low four bits other than its own.
        let spaces = table([
            b' ', 100, 100, 100, 17, 100, 113, 2, 100, b'\t', b'\n', 112, 100, b'\r', 100, 100,
        ]);
        let ops = table([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, b':', b'{', b',', b'}', 0, 0]);
        let mut marks = Marks::default();
        let low = _mm256_set1_epi8(0x1f);
        for (i, half) in block.chunks_exact(32).enumerate() {
            // SAFETY: an unaligned read of the 32 bytes `half` has.
            let x = unsafe { _mm256_loadu_si256(half.as_ptr().cast()) };
            let bits = |found| u64::from(_mm256_movemask_epi8(found) as u32) << (32 * i);
            let eq = |b: u8| _mm256_cmpeq_epi8(x, _mm256_set1_epi8(b as i8));
            let folded = _mm256_or_si256(x, _mm256_set1_epi8(0x20));
            marks.quote |= bits(eq(b'"'));
            marks.backslash |= bits(eq(b'\\'));
            marks.control |= bits(_mm256_cmpeq_epi8(_mm256_max_epu8(x, low), low));
            marks.del |= bits(eq(0x7f));
            marks.space |= bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(spaces, x), x));
            marks.op |= bits(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(ops, x), folded));
            marks.high |= bits(x);
        }
        marks.op &= !marks.control;
        marks
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "sse2")]
    fn sse2(block: &[u8; BLOCK]) -> Marks {
        use std::arch::x86_64::*;
        let half = |bytes: &[u8]| i64::from_le_bytes(bytes.try_into().expect("eight bytes"));
        let mut marks = Marks::default();
        let low = _mm_set1_epi8(0x1f);
        for (i, sixteen) in block.chunks_exact(16).enumerate() {
            let x = _mm_set_epi64x(half(&sixteen[8..]), half(&sixteen[..8]));
            let bits = |found| u64::from(_mm_movemask_epi8(found) as u16) << (16 * i);
            let eq = |b: u8| _mm_cmpeq_epi8(x, _mm_set1_epi8(b as i8));
            let either = |a, b| _mm_or_si128(eq(a), eq(b));
            // With bit 5 set, `[` and `]` read as `{` and `}`, which nothing else does.
            let folded = _mm_or_si128(x, _mm_set1_epi8(0x20));
            let bracket = |b: u8| _mm_cmpeq_epi8(folded, _mm_set1_epi8(b as i8));
            marks.quote |= bits(eq(b'"'));
            marks.backslash |= bits(eq(b'\\'));
            marks.control |= bits(_mm_cmpeq_epi8(_mm_max_epu8(x, low), low));
            marks.del |= bits(eq(0x7f));
            marks.space |= bits(_mm_or_si128(either(b' ', b'\t'), either(b'\n', b'\r')));
            let brackets = _mm_or_si128(bracket(b'{'), bracket(b'}'));
            marks.op |= bits(_mm_or_si128(brackets, either(b':', b',')));
            marks.high |= bits(x);
        }
        marks
    }

    /// Eight bytes at a time in a machine word: each byte's high bit says whether it is the
    /// one looked for (exactly: no carry crosses bytes), and a multiplication gathers the
    /// eight high bits into one byte.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn words(block: &[u8; BLOCK]) -> Marks {
        const LOWS: u64 = u64::from_le_bytes([0x7f; 8]);
        const GATHER: u64 = 0x0102_0408_1020_4080;
        let ones = |b: u8| u64::from_le_bytes([b; 8]);
        // The high bit of each byte below 0x80 that `+ add` does not carry into it.
        let below = |x: u64, add: u64| !(((x & LOWS) + add) | x) & !LOWS;
        let gather = |high: u64| (high >> 7).wrapping_mul(GATHER) >> 56;
        let mut marks = Marks::default();
        for (i, word) in block.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            let is = |b: u8| gather(below(x ^ ones(b), LOWS)) << (8 * i);
            marks.quote |= is(b'"');
            marks.backslash |= is(b'\\');
            marks.control |= gather(below(x, ones(0x60))) << (8 * i);
            marks.del |= is(0x7f);
            marks.space |= is(b' ') | is(b'\t') | is(b'\n') | is(b'\r');
            marks.op |= is(b'{') | is(b'}') | is(b'[') | is(b']') | is(b':') | is(b',');
            marks.high |= gather(x & !LOWS) << (8 * i);
        }
        marks
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn of(block: &[u8; BLOCK]) -> Marks {
        Marks::words(block)
    }
}

/// An integer of at most 18 digits, without a leading zero or a minus zero: spelled the same
/// after a round trip through serde_json or jq.
pub fn is_short_integer(number: &[u8]) -> bool {
    let digits = number.strip_prefix(b"-").unwrap_or(number);
    match digits {
        [b'1'..=b'9', rest @ ..] => rest.len() < 18 && rest.iter().all(u8::is_ascii_digit),
        _ => number == b"0",
    }
}

/// Whether the escape after a backslash is the one jq writes for its character: the short
/// ones JSON has (but `\/`), and `\u00xx` in lower case for other control characters and DEL.
fn is_jq_escape(after: &[u8]) -> bool {
    match after {
        [b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't', ..] => true,
        [b'u', b'0', b'0', b'0', b'8' | b'9' | b'a' | b'c' | b'd', ..] => false,
        [b'u', b'0', b'0', b'0' | b'1', b'0'..=b'9' | b'a'..=b'f', ..] => true,
        [b'u', b'0', b'0', b'7', b'f', ..] => true,
        _ => false,
    }
}

/// Whether `\u` and what follows (`after`, from the `u`) is an escape the reader takes: four
/// hex digits, not a surrogate (`\ud800`–`\udfff`, left to the full parse).
fn is_unicode_escape(after: &[u8]) -> bool {
    let Some(hex) = after.get(1..5) else {
        return false;
    };
    let surrogate = matches!(
        hex,
        [b'd' | b'D', b'8'..=b'9' | b'a'..=b'f' | b'A'..=b'F', ..]
    );
    !surrogate && hex.iter().all(u8::is_ascii_hexdigit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(line: &[u8], keys: &[&str]) -> Option<Vec<Option<String>>> {
        let found = fields(line, keys)?;
        Some(
            found
                .into_iter()
                .map(|v| string(v).map(Cow::into_owned))
                .collect(),
        )
    }

    #[test]
    fn reads_fields_and_validates_the_rest() {
        for lone in [
            &br#"{"a":1,"b":"\ud800"}"#[..],
            br#"{"a":"\uDFFF"}"#,
            br#"{"a":"\ud83d\ude00"}"#,
        ] {
            assert!(fields(lone, &["a"]).is_none(), "the full parse decides");
        }
        assert!(fields(br#"{"a":"\u00e9"}"#, &["a"]).is_some());
        let line = br#"{"type":"hangup","raw":{"type":"x"},"kind":"call.ended","type":"last"}"#;
        let found = strings(line, &["type", "kind", "nope"]).unwrap();
        assert_eq!(
            found,
            [Some("last".into()), Some("call.ended".into()), None]
        );
        assert_eq!(
            strings(br#"{"t":"a\"b"}"#, &["t"]).unwrap()[0].as_deref(),
            Some("a\"b")
        );
        assert_eq!(
            strings(br#"{"t":["x"],"u":{"a":1}}"#, &["t", "u"]).unwrap(),
            [None, None]
        );
        assert!(
            fields(br#"{"t":1,}"#, &["t"]).is_none(),
            "invalid JSON is not skipped"
        );
        assert!(fields(br#"[1]"#, &["t"]).is_none(), "not an object");
        assert!(fields(br#"{} {}"#, &["t"]).is_none(), "two values");
    }

    #[test]
    fn reads_every_kind_of_value_as_json_writes_it() {
        let line = b" {\"n\" : -0.5e+10 , \"a\":[ 1,true, false,null,{}, [] ,\"\\u00e9\\/\\b\\f\\n\\r\\t\"],\r\n \"o\":{\"x\":{\"y\":0}}, \"k\\u0065y\": 1E5 }\n";
        let found = fields(line, &["n", "a", "o", "key"]).expect("valid JSON");
        assert_eq!(found[0], Some("-0.5e+10"));
        assert_eq!(
            found[1],
            Some(r#"[ 1,true, false,null,{}, [] ,"\u00e9\/\b\f\n\r\t"]"#)
        );
        assert_eq!(found[2], Some(r#"{"x":{"y":0}}"#));
        assert_eq!(found[3], Some("1E5"), "an escaped key is read as its text");
        for bad in [
            &b"{\"n\":-}"[..],
            b"{\"n\":01}",
            b"{\"n\":1.}",
            b"{\"n\":.5}",
            b"{\"n\":1e}",
            b"{\"n\":+1}",
            b"{\"n\":tru}",
            b"{\"n\":truex}",
            b"{\"n\":[1,]}",
            b"{\"n\":\"a\\x\"}",
            b"{\"n\":\"\\u00g0\"}",
            b"{\"n\":\"a\tb\"}",
            b"{\"n\":\"open}",
            b"{\"n\" 1}",
            b"{\"n\":1\x0c}",
            b"{n:1}",
            b"{\"n\":1}}",
            b"",
        ] {
            assert!(
                fields(bad, &["n"]).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
            assert!(serde_json::from_slice::<serde::de::IgnoredAny>(bad).is_err());
        }
    }

    #[test]
    fn leaves_deep_nesting_to_the_full_parse() {
        let nested = |depth: usize| {
            let mut line = b"{\"a\":".to_vec();
            line.extend(std::iter::repeat_n(b'[', depth));
            line.extend(std::iter::repeat_n(b']', depth));
            line.push(b'}');
            line
        };
        assert!(fields(&nested(MAX_DEPTH - 1), &["a"]).is_some());
        assert!(fields(&nested(MAX_DEPTH), &["a"]).is_none());
        assert!(
            fields(&nested(100_000), &["a"]).is_none(),
            "no stack overflow"
        );
    }

    use crate::filter::Value;
    use proptest::prelude::*;

    /// A line a hostile or careless writer might send: an object whose keys and values are built
    /// from pieces that trip JSON readers (surrogate escapes, lone or paired; escaped quotes and
    /// backslashes; control characters; bytes that are not UTF-8; keys given twice), sometimes cut
    /// short or given a trailing comma.
    fn awkward_line() -> impl Strategy<Value = Vec<u8>> {
        let piece = prop::sample::select(vec![
            &b"a"[..],
            b"\\ud800",
            b"\\udc00",
            b"\\ud83d\\ude00",
            b"\\u00e9",
            b"\\\"",
            b"\\\\",
            b"\\n",
            b"\\x",
            b"\\u12",
            b"\t",
            b"\x01",
            b"\xff",
            "é".as_bytes(),
            b"\"",
        ]);
        let string = prop::collection::vec(piece, 0..4).prop_map(|pieces| {
            let mut s = b"\"".to_vec();
            pieces.iter().for_each(|p| s.extend_from_slice(p));
            s.push(b'"');
            s
        });
        let key = prop::sample::select(vec![&b"\"a\""[..], b"\"b\"", b"\"type\"", b"\"kind\""]);
        let value = prop_oneof![
            string.clone(),
            Just(b"1".to_vec()),
            Just(b"[1,{\"a\":null}]".to_vec()),
            Just(b"-".to_vec()),
            Just(b"01".to_vec()),
        ];
        let member = (key, value).prop_map(|(k, v)| [k, &b":"[..], &v].concat());
        let cut = prop::sample::select(vec!["", "trailing comma", "cut"]);
        (prop::collection::vec(member, 1..4), cut).prop_map(|(members, cut)| {
            let mut line = b"{".to_vec();
            line.extend_from_slice(&members.join(&b","[..]));
            match cut {
                "trailing comma" => line.extend_from_slice(b",}"),
                "cut" => {}
                _ => line.push(b'}'),
            }
            line
        })
    }

    /// A line holding a value written compactly, but not always as jq writes it: where a
    /// choice drawn (one in ten) says so, an object gives its first key
    /// again first, `/` is escaped, `a` written `\u0061` and DEL `\u007f`. Its objects'
    /// keys are few (nested objects share them with those they are in).
    fn respelled_line() -> impl Strategy<Value = Vec<u8>> {
        fn rekey(value: serde_json::Value) -> serde_json::Value {
            match value {
                serde_json::Value::Object(members) => members
                    .into_iter()
                    .map(|(key, member)| {
                        (["a", "b", "/"][key.len() % 3].to_string(), rekey(member))
                    })
                    .collect(),
                serde_json::Value::Array(items) => items.into_iter().map(rekey).collect(),
                value => value,
            }
        }
        let spellings = prop::collection::vec(prop::bool::weighted(0.1), 64);
        (json_value(), spellings).prop_map(|(value, spellings)| {
            let value = rekey(value);
            let mut bits = spellings.into_iter().cycle();
            let mut line = br#"{"a":"#.to_vec();
            respell(&value, &mut bits, &mut line);
            line.extend_from_slice(br#","type":"t","b":["#);
            respell(&value, &mut bits, &mut line);
            line.extend_from_slice(b"]}");
            line
        })
    }

    /// Writes `value` into `out` as [`respelled_line`] does.
    fn respell(
        value: &serde_json::Value,
        bits: &mut impl Iterator<Item = bool>,
        out: &mut Vec<u8>,
    ) {
        use serde_json::Value::*;
        let string = |text: &str, bits: &mut dyn Iterator<Item = bool>, out: &mut Vec<u8>| {
            out.push(b'"');
            for c in text.chars() {
                match c {
                    '/' if bits.next().unwrap() => out.extend_from_slice(br"\/"),
                    'a' if bits.next().unwrap() => out.extend_from_slice(br"\u0061"),
                    '\u{7f}' if bits.next().unwrap() => out.extend_from_slice(br"\u007f"),
                    c => {
                        let quoted = serde_json::to_vec(&c.to_string()).unwrap();
                        out.extend_from_slice(&quoted[1..quoted.len() - 1]);
                    }
                }
            }
            out.push(b'"');
        };
        match value {
            String(text) => string(text, bits, out),
            Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    respell(item, bits, out);
                }
                out.push(b']');
            }
            Object(members) => {
                out.push(b'{');
                if let Some(first) = members.keys().next().filter(|_| bits.next().unwrap()) {
                    string(first, bits, out);
                    out.extend_from_slice(b":0,");
                }
                for (i, (key, member)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    string(key, bits, out);
                    out.push(b':');
                    respell(member, bits, out);
                }
                out.push(b'}');
            }
            scalar => out.extend_from_slice(&serde_json::to_vec(scalar).unwrap()),
        }
    }

    #[test]
    fn copies_only_text_jq_prints_unchanged() {
        for text in [
            "null",
            "true",
            "0",
            "-12",
            "123456789012345678",
            r#""a b é""#,
            r#""q\"\\\n\r\t\b\f\u0001\u001f\u007f""#,
            r#"{"a":[1,{}],"b":[]}"#,
        ] {
            assert_eq!(
                as_jq_prints(text.as_bytes()),
                Some(text.as_bytes()),
                "{text}"
            );
        }
        assert_eq!(
            as_jq_prints(b" [1]\n"),
            Some(&b"[1]"[..]),
            "whitespace around"
        );
        for text in [
            "-0",
            "1.0",
            "1e3",
            "1234567890123456789",
            r#""a\/b""#,
            r#""\u00e9""#,
            r#""\u000a""#,
            r#""\u001F""#,
            "\"\u{7f}\"",
            "[1, 2]",
            r#"{"a":1,"a":2}"#,
            "01",
            "\u{c}1",
        ] {
            assert_eq!(as_jq_prints(text.as_bytes()), None, "{text}");
            assert_eq!(read_as_jq_prints(text.as_bytes()), None, "{text}");
        }
        let many: String = (0..=MAX_MEMBERS)
            .map(|i| format!(r#""k{i}":0"#))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(
            as_jq_prints(format!("{{{many}}}").as_bytes()),
            None,
            "too many keys to compare"
        );
    }

    /// The text of each of `keys`, as [`read_fields`] finds them.
    fn fields<'a>(line: &'a [u8], keys: &[&str]) -> Option<Vec<Option<&'a str>>> {
        let found = read_fields(line, keys, &[])?;
        Some(found.into_iter().map(|f| f.map(|f| f.text)).collect())
    }

    /// The fields as a reader finds them byte by byte, as [`read_fields`] did before it read
    /// tokens: the two must agree on every line.
    fn fields_by_reader<'a>(line: &'a [u8], keys: &[&str]) -> Option<Vec<Option<&'a str>>> {
        let line = std::str::from_utf8(line).ok()?;
        let mut reader = Reader::<false>::new(line.as_bytes());
        let mut found = vec![None; keys.len()];
        reader.blank();
        if reader.bytes.get(reader.at) != Some(&b'{') {
            return None;
        }
        reader.object(1, |reader, key| {
            let key = key_text(line, key)?;
            let start = reader.at;
            reader.value(2)?;
            for (slot, wanted) in found.iter_mut().zip(keys) {
                if *wanted == key {
                    *slot = Some(&line[start..reader.at]);
                }
            }
            Some(())
        })?;
        reader.blank();
        (reader.at == line.len()).then_some(found)
    }

    /// A line of JSON (an object holding `value`, compact or pretty), with up to two bytes
    /// taken out, changed or put in.
    fn damaged_line() -> impl Strategy<Value = Vec<u8>> {
        let edit = (
            any::<prop::sample::Index>(),
            0..4u8,
            prop::sample::select(b"{}[]:,\"\\/ \t\n0-.eEu\x01\x7f\xc3tfnx".to_vec()),
        );
        (
            json_value(),
            any::<bool>(),
            prop::collection::vec(edit, 0..3),
        )
            .prop_map(|(value, pretty, edits)| {
                let object = serde_json::json!({"a": value, "type": "t", "b": [value]});
                let mut line = match pretty {
                    true => serde_json::to_vec_pretty(&object),
                    false => serde_json::to_vec(&object),
                }
                .unwrap();
                for (at, edit, byte) in edits {
                    let at = at.index(line.len());
                    match edit {
                        0 => _ = line.remove(at),
                        1 => line[at] = byte,
                        2 => line.insert(at, byte),
                        _ => {}
                    }
                }
                line
            })
    }

    /// Any JSON value serde_json writes (strings of awkward characters, any numbers, nesting),
    /// compact or pretty.
    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        any_json(true)
    }

    /// JSON values; with `floats`, any numbers, else integers only.
    fn any_json(floats: bool) -> impl Strategy<Value = serde_json::Value> {
        let text = "[a\"\\\\/\u{0}-\u{1f}\u{7f}é\u{2028}😀]{0,12}";
        let number = match floats {
            true => prop_oneof![
                any::<i64>().prop_map(serde_json::Value::from),
                any::<f64>().prop_map(serde_json::Value::from),
            ]
            .boxed(),
            false => (-10i64.pow(17)..10i64.pow(17))
                .prop_map(serde_json::Value::from)
                .boxed(),
        };
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            number,
            text.prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(4, 32, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::from),
                prop::collection::vec((text, inner), 0..6)
                    .prop_map(|members| serde_json::Value::Object(members.into_iter().collect())),
            ]
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        /// Every object serde_json writes is read, each field as the text of its value.
        #[test]
        fn reads_whatever_serde_json_writes(
            fields_in in prop::collection::vec(("[a-c]", json_value()), 0..5),
            pretty in any::<bool>(),
        ) {
            let object = serde_json::Value::Object(fields_in.into_iter().collect());
            let line = match pretty {
                true => serde_json::to_vec_pretty(&object),
                false => serde_json::to_vec(&object),
            }.unwrap();
            let keys = ["a", "b", "c"];
            let found = fields(&line, &keys);
            prop_assert!(found.is_some(), "not read: {}", String::from_utf8_lossy(&line));
            // Read back the same way (serde_json's floats do not always round-trip).
            let whole: serde_json::Value = serde_json::from_slice(&line).unwrap();
            for (key, text) in keys.iter().zip(found.unwrap()) {
                let read = text.map(|t| serde_json::from_str::<serde_json::Value>(t).unwrap());
                prop_assert_eq!(read.as_ref(), whole.get(*key));
            }
        }

        /// A valid line with one byte taken out, changed or put in is read only when the full
        /// parse reads it too, and then the same.
        #[test]
        fn a_damaged_line_is_read_only_when_it_is_still_json(
            value in json_value(),
            at in any::<prop::sample::Index>(),
            edit in 0..3u8,
            byte in prop::sample::select(b"{}[]:,\"\\/ 0-.eEu\x01\n\xc3tfn".to_vec()),
        ) {
            let mut line = serde_json::to_vec(&serde_json::json!({"a": value, "b": 1})).unwrap();
            let at = at.index(line.len());
            match edit {
                0 => { line.remove(at); }
                1 => line[at] = byte,
                _ => line.insert(at, byte),
            }
            if let Some(found) = fields(&line, &["a", "b"]) {
                prop_assert!(std::str::from_utf8(&line).is_ok(), "read {:?}", line);
                let whole = crate::filter::parse(&line);
                prop_assert!(whole.is_ok(), "read {:?}", String::from_utf8_lossy(&line));
                prop_assert!(serde_json::from_slice::<serde::de::IgnoredAny>(&line).is_ok());
                let Ok(Value::Obj(object)) = whole else {
                    return Err(TestCaseError::fail("read a line that is no object"));
                };
                for (key, text) in ["a", "b"].iter().zip(found) {
                    let probed = text.map(|t| crate::filter::parse(t.as_bytes()));
                    let probed = probed.transpose().map_err(TestCaseError::fail)?;
                    prop_assert_eq!(probed.as_ref(), object.get(&Value::from(key.to_string())));
                }
            }
        }

        /// Text taken to be as jq prints it is exactly what telev's jq writer writes of its
        /// value, however the text was written or damaged.
        #[test]
        fn copies_only_what_jq_would_print_the_same(
            value in json_value(),
            pretty in any::<bool>(),
            at in any::<prop::sample::Index>(),
            edit in 0..4u8,
            byte in prop::sample::select(b"{}[]:,\"\\/ 0-.eEu\x01\x7f\n\xc3tfn".to_vec()),
        ) {
            let mut text = match pretty {
                true => serde_json::to_vec_pretty(&value),
                false => serde_json::to_vec(&value),
            }.unwrap();
            let at = at.index(text.len());
            match edit {
                0 => { text.remove(at); }
                1 => text[at] = byte,
                2 => text.insert(at, byte),
                _ => {}
            }
            // Token by token or byte by byte, the same answer (within what `JqForm` follows,
            // 16 levels and 64 keys open, which these values never reach; past it the tokens
            // say no, and the value is printed from the full parse).
            prop_assert_eq!(as_jq_prints(&text), read_as_jq_prints(&text), "{}", String::from_utf8_lossy(&text));
            if let Some(copied) = as_jq_prints(&text) {
                let parsed = crate::filter::parse(&text).map_err(TestCaseError::fail)?;
                let mut written = Vec::new();
                super::super::compact::write(&mut written, &parsed).unwrap();
                prop_assert_eq!(String::from_utf8_lossy(copied), String::from_utf8_lossy(&written));
            }
            // A field read so in a line's pass is said to be as jq prints it exactly when
            // its text alone is.
            let line = [&b"{\"a\":"[..], &text, b",\"b\":1}"].concat();
            if let Some(found) = read_fields(&line, &["a"], &[Read::Printed]) {
                let field = found[0].ok_or_else(|| TestCaseError::fail("no field a"))?;
                let alone = read_as_jq_prints(field.text.as_bytes());
                prop_assert_eq!(field.printed, Some(alone.is_some()), "{}", field.text);
            }
        }

        /// What jq prints of a value without fractions is copied as it is.
        #[test]
        fn takes_what_jq_prints_as_it_is(value in any_json(false)) {
            let parsed = crate::filter::parse(&serde_json::to_vec(&value).unwrap()).unwrap();
            let mut written = Vec::new();
            super::super::compact::write(&mut written, &parsed).unwrap();
            prop_assert_eq!(as_jq_prints(&written), Some(&written[..]));
        }

        /// `keys | length`, counted in the line's pass or from the field's text, is how many
        /// keys jq reads: a key given twice counts once, and a field given twice is the last.
        #[test]
        fn counts_keys_as_jq_does(
            first in json_value(),
            last in json_value(),
            twice in any::<bool>(),
            repeat in any::<bool>(),
        ) {
            let mut text = serde_json::to_string(&last).unwrap();
            if let (true, Some(key)) = (repeat, last.as_object().and_then(|o| o.keys().next())) {
                // The object's first key given again, before the others.
                text.insert_str(1, &format!("{}:0,", serde_json::to_string(key).unwrap()));
            }
            let line = match twice {
                true => format!(r#"{{"r":{first},"x":1,"r":{text}}}"#),
                false => format!(r#"{{"x":1,"r":{text}}}"#),
            };
            let found = read_fields(line.as_bytes(), &["x", "r"], &[Read::Text, Read::Counted]);
            let [_, Some(field)] = found.unwrap()[..] else {
                return Err(TestCaseError::fail("no field"));
            };
            prop_assert_eq!(field.text, &text[..]);
            let counted = field.count;
            prop_assert_eq!(counted, count(&text));
            let jq = match crate::filter::parse(text.as_bytes()).unwrap() {
                Value::Obj(object) => Some(object.len()),
                Value::Arr(items) => Some(items.len()),
                _ => None,
            };
            let read = counted.or_else(|| match members(&text)? {
                Members::Keys(mut keys) => {
                    keys.sort_unstable();
                    keys.dedup();
                    Some(keys.len())
                }
                Members::Items(items) => Some(items),
            });
            prop_assert_eq!(read, jq, "{}", text);
        }

        /// Read token by token, a line is taken, and its fields found, exactly where a
        /// reader going byte by byte takes it; each field read as text, as jq prints it, or
        /// counted, the same text.
        #[test]
        fn tokens_read_what_the_reader_reads(
            line in prop_oneof![awkward_line(), damaged_line(), respelled_line()],
            reads in prop::collection::vec(
                prop::sample::select(vec![Read::Text, Read::Printed, Read::Counted]), 3,
            ),
        ) {
            let keys = ["a", "type", "b"];
            let by_reader = fields_by_reader(&line, &keys);
            prop_assert_eq!(as_jq_prints(&line), read_as_jq_prints(&line), "{:?}", String::from_utf8_lossy(&line));
            prop_assert_eq!(fields(&line, &keys), by_reader.clone(), "{:?}", String::from_utf8_lossy(&line));
            let read = read_fields(&line, &keys, &reads);
            let texts = read.as_ref().map(|found| found.iter().map(|f| f.map(|f| f.text)).collect());
            prop_assert_eq!(texts, by_reader, "{:?} {:?}", reads, String::from_utf8_lossy(&line));
            // What the tokens say of a field is what the reader says of its text alone.
            for (field, read) in read.iter().flatten().zip(&reads) {
                let Some(field) = field else { continue };
                let text = field.text.as_bytes();
                match read {
                    Read::Text => prop_assert_eq!((field.printed, field.count), (None, None)),
                    Read::Printed => {
                        prop_assert_eq!(field.printed, Some(read_as_jq_prints(text).is_some()), "{}", field.text);
                    }
                    Read::Counted => prop_assert_eq!(field.count, count(field.text), "{}", field.text),
                }
            }
        }

        /// An object's keys and an array's length are read as serde_json reads them.
        #[test]
        fn reads_members_as_serde_json_does(value in json_value(), pretty in any::<bool>()) {
            let text = match pretty {
                true => serde_json::to_string_pretty(&value),
                false => serde_json::to_string(&value),
            }.unwrap();
            match (members(&text), &value) {
                (Some(Members::Keys(keys)), serde_json::Value::Object(object)) => {
                    prop_assert!(keys.iter().eq(object.keys()));
                }
                (Some(Members::Items(n)), serde_json::Value::Array(items)) => {
                    prop_assert_eq!(n, items.len());
                }
                (None, serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                    return Err(TestCaseError::fail(format!("not read: {text}")));
                }
                (None, _) => {}
                _ => return Err(TestCaseError::fail(format!("misread: {text}"))),
            }
        }

        /// A backslash is found in a range, word by word, exactly when it is there.
        #[test]
        fn finds_a_backslash_where_there_is_one(
            bytes in prop::collection::vec(prop::sample::select(b"\\\"a\x00\xdc\x5d".to_vec()), 0..40),
            start in any::<prop::sample::Index>(),
            len in any::<prop::sample::Index>(),
        ) {
            let start = start.index(bytes.len() + 1);
            let end = start + len.index(bytes.len() - start + 1);
            prop_assert_eq!(has_backslash(&bytes, start..end), bytes[start..end].contains(&b'\\'));
        }

        /// A block's marks, sixteen bytes at a time or eight, are its bytes looked at one by
        /// one.
        #[test]
        fn marks_are_where_the_bytes_are(bytes in prop::collection::vec(
            prop_oneof![
                prop::sample::select(b"a\"\\\x00\x1f\x20\x7f\x80\xff!#[]{}:,\t\n\r;{|}".to_vec()),
                // Any byte: a table looked up by the low four bits sees all of them.
                any::<u8>(),
            ],
            0..80,
        )) {
            let bits = |what: fn(u8) -> bool| {
                (0..BLOCK).fold(0u64, |bits, i| {
                    bits | (u64::from(what(bytes.get(i).copied().unwrap_or(0))) << i)
                })
            };
            let mut block = [0; BLOCK];
            let n = bytes.len().min(BLOCK);
            block[..n].copy_from_slice(&bytes[..n]);
            let mut all = vec![Marks::at(&bytes, 0, &Plain), Marks::words(&block)];
            #[cfg(target_arch = "x86_64")]
            {
                // SAFETY: SSE2 is part of every x86-64; AVX2 is used where it is found.
                all.push(unsafe { Marks::sse2(&block) });
                if std::arch::is_x86_feature_detected!("avx2") {
                    all.push(unsafe { Marks::avx2(&block) });
                }
                if let Some(avx2) = Avx2::found() {
                    all.push(Marks::at(&bytes, 0, &avx2));
                }
            }
            for marks in all {
                prop_assert_eq!(marks.quote, bits(|b| b == b'"'));
                prop_assert_eq!(marks.backslash, bits(|b| b == b'\\'));
                prop_assert_eq!(marks.control, bits(|b| b < 0x20));
                prop_assert_eq!(marks.del, bits(|b| b == 0x7f));
                prop_assert_eq!(marks.space, bits(|b| b" \t\n\r".contains(&b)));
                prop_assert_eq!(marks.op, bits(|b| b"{}[]:,".contains(&b)));
                prop_assert_eq!(marks.high, bits(|b| b > 0x7f));
            }
        }

        /// Eight bytes at a time finds the same first stop as one at a time.
        #[test]
        fn a_plain_run_ends_at_the_first_stop(
            plain in prop::collection::vec(prop::sample::select(b"a ~\x80\xff!#[]".to_vec()), 0..48),
            rest in prop::collection::vec(
                prop::sample::select(b"a\"\\\x00\x1f\x20\x7f\x80\xff!#[]".to_vec()), 0..8,
            ),
        ) {
            let bytes = [plain, rest].concat();
            let one_by_one = bytes.iter().position(|&b| STOPS[usize::from(b)]).unwrap_or(bytes.len());
            prop_assert_eq!(plain_run::<false>(&bytes), one_by_one);
            let or_del = bytes.iter().position(|&b| STOPS[usize::from(b)] || b == 0x7f);
            prop_assert_eq!(plain_run::<true>(&bytes), or_del.unwrap_or(bytes.len()));
        }

        /// The bytes found escaped, block after block, are those after an odd run of
        /// backslashes, counted one by one.
        #[test]
        fn escaped_bytes_follow_odd_runs(bytes in prop::collection::vec(
            prop::sample::select(b"\\\\\\a".to_vec()), 0..200,
        )) {
            let mut one_by_one = Vec::new();
            let mut run = 0;
            for &b in &bytes {
                one_by_one.push(run % 2 == 1);
                run = if b == b'\\' { run + 1 } else { 0 };
            }
            let mut carried = false;
            let mut found = Vec::new();
            for block in bytes.chunks(BLOCK) {
                let backslash = (0..block.len()).fold(0u64, |bits, i| {
                    bits | (u64::from(block[i] == b'\\') << i)
                });
                let escaped = escaped(backslash, &mut carried);
                found.extend((0..block.len()).map(|i| escaped >> i & 1 == 1));
            }
            prop_assert_eq!(found, one_by_one);
        }

        /// Each bit of a word's prefix XOR is the parity of the bits up to it, in either form.
        #[test]
        fn prefix_xor_is_a_running_parity(bits in any::<u64>()) {
            let parity = (0..64).fold(0u64, |xor, i| {
                xor | (u64::from((bits & (u64::MAX >> (63 - i))).count_ones() % 2 == 1) << i)
            });
            prop_assert_eq!(Plain.prefix_xor(bits), parity);
            #[cfg(target_arch = "x86_64")]
            if let Some(avx2) = Avx2::found() {
                prop_assert_eq!(avx2.prefix_xor(bits), parity);
            }
        }

        /// The fast path (fields read without building the line) never accepts a line the full
        /// parse rejects, and reads the same values from the lines it accepts.
        #[test]
        fn the_fast_path_accepts_only_what_the_full_parse_accepts(line in awkward_line()) {
            let keys = ["a", "type"];
            if let Some(found) = fields(&line, &keys) {
                let whole = crate::filter::parse(&line);
                prop_assert!(whole.is_ok(), "the fast path took {:?}", String::from_utf8_lossy(&line));
                let Ok(Value::Obj(object)) = whole else {
                    return Err(TestCaseError::fail("the fast path took a line that is no object"));
                };
                for (key, text) in keys.iter().zip(found) {
                    let probed = text.map(|t| crate::filter::parse(t.as_bytes()));
                    let probed = probed.transpose().map_err(TestCaseError::fail)?;
                    prop_assert_eq!(probed.as_ref(), object.get(&Value::from(key.to_string())));
                }
            }
        }
    }
}
