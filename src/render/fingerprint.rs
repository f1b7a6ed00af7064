//! Fingerprints: a 64-bit hash of any serialisable value, fed straight from serde to a fast
//! hasher without writing JSON, for [`super::cache`] to tell whether a page's inputs changed.
//!
//! The encoding only has to tell two values of the same Rust type apart within one run of
//! casepath (the cache lives in memory), so it is short: scalars as their bytes, strings
//! with their length, a tag for every `None`/`Some`, enum variant and sequence end, and a
//! struct field's name by its address (field names are `&'static str`, at a fixed place in
//! the program; a field left out by `skip_serializing_if` is then still told apart).

use std::fmt;
use std::hash::{BuildHasher, Hash, Hasher};

use serde::ser::{self, Serialize};

/// The hasher of fingerprints: fast on long inputs, the same in every run (a fixed seed).
pub type Fingerprinter = foldhash::quality::FoldHasher<'static>;

/// A new hasher of fingerprints.
pub fn hasher() -> Fingerprinter {
    foldhash::quality::FixedState::with_seed(0x6361_7365_7061_7468).build_hasher()
}

/// The fingerprint of a value.
pub fn of<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut hasher = hasher();
    feed(value, &mut hasher);
    hasher.finish()
}

/// Feeds a value to a hasher.
pub fn feed<T: Serialize + ?Sized>(value: &T, hasher: &mut Fingerprinter) {
    // Feeding cannot fail: the only error type is never made.
    let _ = value.serialize(&mut Feed(hasher));
}

/// Tags that keep the encoding unambiguous.
const NONE: u8 = 0;
const SOME: u8 = 1;
const UNIT: u8 = 2;
const END: u8 = 3;

/// The serde serialiser that feeds a hasher.
struct Feed<'a>(&'a mut Fingerprinter);

impl Feed<'_> {
    fn str(&mut self, text: &str) {
        self.0.write_usize(text.len());
        self.0.write(text.as_bytes());
    }

    fn name(&mut self, name: &'static str) {
        self.0.write_usize(name.as_ptr() as usize);
    }

    /// Starts an enum variant that holds fields: its index, then the fields.
    fn variant(&mut self, index: u32) -> Result<&mut Self, Never> {
        self.0.write_u32(index);
        Ok(self)
    }
}

/// The error of [`Feed`], which never fails.
#[derive(Debug)]
pub struct Never;

impl fmt::Display for Never {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a value could not be hashed")
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Never
    }
}

/// Implements the methods of a scalar: hash the value as it is.
macro_rules! scalars {
    ($($method:ident($type:ty)),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<(), Never> {
            value.hash(self.0);
            Ok(())
        }
    )*};
}

impl ser::Serializer for &mut Feed<'_> {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
    );

    fn serialize_f32(self, value: f32) -> Result<(), Never> {
        value.to_bits().hash(self.0);
        Ok(())
    }

    fn serialize_f64(self, value: f64) -> Result<(), Never> {
        value.to_bits().hash(self.0);
        Ok(())
    }

    fn serialize_str(self, value: &str) -> Result<(), Never> {
        self.str(value);
        Ok(())
    }

    fn serialize_bytes(self, value: &[u8]) -> Result<(), Never> {
        self.0.write_usize(value.len());
        self.0.write(value);
        Ok(())
    }

    fn serialize_none(self) -> Result<(), Never> {
        self.0.write_u8(NONE);
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Never> {
        self.0.write_u8(SOME);
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Never> {
        self.0.write_u8(UNIT);
        Ok(())
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<(), Never> {
        self.name(name);
        Ok(())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
    ) -> Result<(), Never> {
        self.0.write_u32(index);
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Result<(), Never> {
        self.0.write_u32(index);
        value.serialize(self)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }

    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.variant(index)
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        Ok(self)
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self, Never> {
        self.variant(index)
    }
}

/// Sequences, tuples and maps: each element after a `SOME` tag, then an `END` tag, so
/// that where one sequence ends and the next value starts is never in doubt.
macro_rules! elements {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Never;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
                self.0.write_u8(SOME);
                value.serialize(&mut **self)
            }

            fn end(self) -> Result<(), Never> {
                self.0.write_u8(END);
                Ok(())
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl ser::SerializeMap for &mut Feed<'_> {
    type Ok = ();
    type Error = Never;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Never> {
        self.0.write_u8(SOME);
        key.serialize(&mut **self)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }

    fn end(self) -> Result<(), Never> {
        self.0.write_u8(END);
        Ok(())
    }
}

/// Structs: each field's name (by address) and value, then an `END` tag.
macro_rules! fields {
    ($($trait:ident),* $(,)?) => {$(
        impl ser::$trait for &mut Feed<'_> {
            type Ok = ();
            type Error = Never;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Never> {
                self.name(name);
                value.serialize(&mut **self)
            }

            fn skip_field(&mut self, name: &'static str) -> Result<(), Never> {
                self.name(name);
                self.0.write_u8(UNIT);
                Ok(())
            }

            fn end(self) -> Result<(), Never> {
                self.0.write_u8(END);
                Ok(())
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[derive(serde::Serialize)]
    struct Record {
        name: String,
        note: Option<String>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        tags: Vec<String>,
        rest: Vec<String>,
    }

    fn record(name: &str, note: Option<&str>, tags: &[&str], rest: &[&str]) -> u64 {
        let strings = |list: &[&str]| list.iter().map(|s| s.to_string()).collect();
        of(&Record {
            name: name.into(),
            note: note.map(String::from),
            tags: strings(tags),
            rest: strings(rest),
        })
    }

    #[test]
    fn equal_values_hash_alike_and_changes_show() {
        assert_eq!(record("a", None, &[], &[]), record("a", None, &[], &[]));
        assert_ne!(record("a", None, &[], &[]), record("b", None, &[], &[]));
        assert_ne!(record("a", None, &[], &[]), record("a", Some(""), &[], &[]));
        // Moving a word from one list to the next, or from one string to the next.
        assert_ne!(
            record("a", None, &["x"], &[]),
            record("a", None, &[], &["x"])
        );
        assert_ne!(
            record("a", None, &["x"], &["y"]),
            record("a", None, &["x", "y"], &[])
        );
        assert_ne!(
            record("ab", None, &[], &["c"]),
            record("a", None, &[], &["bc"])
        );
        let map = |pairs: &[(&str, u32)]| {
            of(&pairs
                .iter()
                .map(|(k, v)| (k.to_string(), *v))
                .collect::<BTreeMap<_, _>>())
        };
        assert_eq!(map(&[("a", 1)]), map(&[("a", 1)]));
        assert_ne!(map(&[("a", 1)]), map(&[("a", 2)]));
        assert_ne!(map(&[("a", 1)]), map(&[("b", 1)]));
    }
}
