//! Built-ins telev implements natively instead of taking jaq's definitions.
//!
//! `join` is jaq's `.[] |= tostring | .[:-1][] += $s | reduce …`: two path updates and a
//! reduction an element, most of the time `[.provider, .kind] | join("/")` takes. jaq's also
//! writes `null` as `"null"` and joins arrays as JSON, where jq writes `null` as nothing and
//! refuses arrays and objects. This one does what jq does, in one pass.

use jaq_core::native::{Fun, run, unary, v};
use jaq_core::{Error, ValR};

use super::{Data, Value, compact};

/// The natives, and which of jaq's definitions they replace (name and arity).
pub fn funs() -> impl Iterator<Item = Fun<Data>> {
    [run(("join", v(1), |cv| unary(cv, join)))].into_iter()
}

/// Whether jaq's definition `name/arity` is replaced by one of [`funs`].
pub fn replaces(name: &str, arity: usize) -> bool {
    (name, arity) == ("join", 1)
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
