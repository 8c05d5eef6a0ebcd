//! Field decoders shared by every input shape: text borrowed from the input, flexible booleans
//! and numbers, values read through the vocabulary ([`Classified`]), and [`Nested`] objects that
//! Log Analytics writes as JSON strings (`"DeviceDetail": "{\"operatingSystem\":...}"`) where
//! Graph writes objects.
//!
//! Every decoder accepts what a CSV cell gives (a string) as well as the typed JSON value, so
//! the same record type reads Graph JSON, Log Analytics JSON and CSV rows alike.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

/// Text as written, borrowed from the input when it has no escapes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
    pub fn into_owned(self) -> Text<'static> {
        Text(Cow::Owned(self.0.into_owned()))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_string())))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(if v { "true" } else { "false" })))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Optional text: null, absent and empty are all `None`.
pub fn opt_text<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Text<'a>>, D::Error> {
    let t = Option::<Text<'a>>::deserialize(d)?;
    Ok(t.filter(|t| !t.0.trim().is_empty()))
}

/// A boolean written as `true`, `"True"`, `"TRUE"`, `"Yes"`, `1`; null or empty is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flag(pub Option<bool>);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Flag;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a boolean")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Flag, E> {
                Ok(Flag(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Flag, E> {
                Ok(Flag(Some(v != 0)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Flag, E> {
                Ok(Flag(Some(v != 0)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
                let t = v.trim();
                Ok(Flag(
                    if t.eq_ignore_ascii_case("true") || t.eq_ignore_ascii_case("yes") || t == "1" {
                        Some(true)
                    } else if t.eq_ignore_ascii_case("false")
                        || t.eq_ignore_ascii_case("no")
                        || t == "0"
                    {
                        Some(false)
                    } else {
                        None
                    },
                ))
            }
            fn visit_none<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Flag, E> {
                Ok(Flag(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Flag, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// An integer written as a number or a string (`"ResultType": "50126"`); null or empty is `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Int(pub Option<i64>);

impl<'de> Deserialize<'de> for Int {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Int;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an integer")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Int, E> {
                Ok(Int(i64::try_from(v).ok()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Int, E> {
                Ok(Int(Some(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Int, E> {
                Ok(Int((v.fract() == 0.0).then_some(v as i64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Int, E> {
                Ok(Int(v.trim().parse().ok()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Int, E> {
                Ok(Int(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Int, D::Error> {
                d.deserialize_any(V)
            }
        }
        d.deserialize_any(V)
    }
}

/// A vocabulary: values read from log text (see `values`).
pub trait Vocab: Sized + Copy {
    fn read(text: &str) -> Option<Self>;
}

/// A logged value read through a vocabulary: absent, known, or unmapped (kept verbatim so that
/// the report can name it; only unmapped values allocate).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Classified<T> {
    #[default]
    Absent,
    Known(T),
    Unmapped(Box<str>),
}

impl<T: Copy> Classified<T> {
    pub fn known(&self) -> Option<T> {
        match self {
            Classified::Known(v) => Some(*v),
            _ => None,
        }
    }
    pub fn is_absent(&self) -> bool {
        matches!(self, Classified::Absent)
    }
}

impl<T: Vocab> Classified<T> {
    pub fn from_text(text: &str) -> Self {
        let t = text.trim();
        if t.is_empty() {
            Classified::Absent
        } else {
            match T::read(t) {
                Some(v) => Classified::Known(v),
                None => Classified::Unmapped(t.into()),
            }
        }
    }
}

impl<'de, T: Vocab> Deserialize<'de> for Classified<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Vocab> Visitor<'de> for V<T> {
            type Value = Classified<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Classified::from_text(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Classified::from_text(&v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Classified::from_text(&v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(Classified::from_text(if v { "true" } else { "false" }))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Classified::Absent)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Classified::Absent)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(V(PhantomData))
            }
            // A list where one value was expected (some exports write `["browser"]`): the
            // values joined, so that the report shows what was there.
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut parts = Vec::new();
                while let Some(t) = seq.next_element::<Option<Text<'_>>>()? {
                    parts.extend(t.map(|t| t.0.into_owned()));
                }
                Ok(match parts.as_slice() {
                    [one] => Classified::from_text(one),
                    [] => Classified::Absent,
                    _ => Classified::Unmapped(parts.join(",").into()),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Classified::Unmapped("(an object)".into()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// An object or list that Graph writes as JSON and Log Analytics (and CSV exports of it) as a
/// JSON string; null, absent and empty are `None`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Nested<T>(pub Option<T>);

impl<'de, T: DeserializeOwned> Deserialize<'de> for Nested<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Nested<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object, a list, or either written as a JSON string")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(|v| Nested(Some(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                T::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(|v| Nested(Some(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                let t = v.trim();
                if t.is_empty() || t == "null" || t == "[]" || t == "{}" {
                    return Ok(Nested(None));
                }
                serde_json::from_str::<T>(t)
                    .map(|v| Nested(Some(v)))
                    .map_err(|e| {
                        E::custom(format!("a JSON string that does not hold valid JSON: {e}"))
                    })
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Nested(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(V(PhantomData))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A CSV cell as a deserializer: empty is `None`, anything else a borrowed string, so that the
/// record type reads CSV rows through the same decoders as JSON.
pub struct Cell<'a>(pub &'a str);

impl<'de> Deserializer<'de> for Cell<'de> {
    type Error = de::value::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_str(self.0)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.0.trim().is_empty() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'de> de::IntoDeserializer<'de, de::value::Error> for Cell<'de> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

/// A property name as raw bytes (serde_json hands them out unvalidated and unescaped only when
/// asked for bytes; the names replay looks for are ASCII).
pub struct RawKey<'de>(pub Cow<'de, [u8]>);

impl<'de> Deserialize<'de> for RawKey<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a property name")
            }
            fn visit_borrowed_bytes<E: de::Error>(self, v: &'de [u8]) -> Result<Self::Value, E> {
                Ok(RawKey(Cow::Borrowed(v)))
            }
            fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
                Ok(RawKey(Cow::Owned(v.to_vec())))
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(RawKey(Cow::Borrowed(v.as_bytes())))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(RawKey(Cow::Owned(v.as_bytes().to_vec())))
            }
        }
        d.deserialize_bytes(V)
    }
}

/// `Deserialize` for a small record type whose fields are found by byte keys, any other key
/// skipped: `byte_keyed!(Type { field: [b"name", b"Name"], ... })`, or `Type<'a>` for one that
/// borrows. The type must be `Default`.
macro_rules! byte_keyed {
    ($ty:ident { $($field:ident: [$($key:literal),+]),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> serde::de::Visitor<'de> for V {
                    type Value = $ty;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        let mut out = <$ty>::default();
                        while let Some(k) = map.next_key::<$crate::replay::fields::RawKey<'de>>()? {
                            match &*k.0 {
                                $( $( $key )|+ => out.$field = map.next_value()?, )*
                                _ => { map.next_value::<serde::de::IgnoredAny>()?; }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V)
            }
        }
    };
    ($ty:ident<'a> { $($field:ident: [$($key:literal),+]),* $(,)? }) => {
        impl<'de: 'a, 'a> serde::Deserialize<'de> for $ty<'a> {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V<'a>(std::marker::PhantomData<&'a ()>);
                impl<'de: 'a, 'a> serde::de::Visitor<'de> for V<'a> {
                    type Value = $ty<'a>;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$ty<'a>, A::Error> {
                        let mut out = <$ty<'a>>::default();
                        while let Some(k) = map.next_key::<$crate::replay::fields::RawKey<'de>>()? {
                            match &*k.0 {
                                $( $( $key )|+ => out.$field = map.next_value()?, )*
                                _ => { map.next_value::<serde::de::IgnoredAny>()?; }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V(std::marker::PhantomData))
            }
        }
    };
}
pub(crate) use byte_keyed;

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Copy, PartialEq)]
    struct Yes;
    impl Vocab for Yes {
        fn read(text: &str) -> Option<Self> {
            (text == "yes").then_some(Yes)
        }
    }

    #[derive(Deserialize, Default, Debug)]
    #[serde(default)]
    struct Probe<'a> {
        #[serde(borrow, deserialize_with = "opt_text")]
        text: Option<Text<'a>>,
        flag: Flag,
        int: Int,
        word: Classified<Yes>,
        nested: Nested<Vec<u32>>,
    }

    #[test]
    fn json_values_and_json_strings_read_alike() {
        let a: Probe = serde_json::from_str(
            r#"{"text":"abc","flag":true,"int":50126,"word":"yes","nested":[1,2]}"#,
        )
        .unwrap();
        let b: Probe = serde_json::from_str(
            r#"{"text":"abc","flag":"True","int":"50126","word":"yes","nested":"[1,2]"}"#,
        )
        .unwrap();
        for p in [&a, &b] {
            assert_eq!(p.text.as_ref().map(Text::as_str), Some("abc"));
            assert_eq!(p.flag, Flag(Some(true)));
            assert_eq!(p.int, Int(Some(50126)));
            assert_eq!(p.word, Classified::Known(Yes));
            assert_eq!(p.nested, Nested(Some(vec![1, 2])));
        }
        assert!(
            matches!(a.text.unwrap().0, Cow::Borrowed(_)),
            "text without escapes is borrowed"
        );
        let c: Probe =
            serde_json::from_str(r#"{"text":"","flag":null,"word":"no","nested":""}"#).unwrap();
        assert_eq!(c.text, None);
        assert_eq!(c.flag, Flag(None));
        assert_eq!(c.word, Classified::Unmapped("no".into()));
        assert_eq!(c.nested, Nested(None));
        let e = serde_json::from_str::<Probe>(r#"{"nested":"[1,"}"#).unwrap_err();
        assert!(e.to_string().contains("does not hold valid JSON"), "{e}");
    }

    #[test]
    fn csv_cells_read_through_the_same_decoders() {
        let cells = [
            ("text", "abc"),
            ("flag", "FALSE"),
            ("int", "0"),
            ("word", ""),
            ("nested", "[3]"),
        ];
        let map = de::value::MapDeserializer::new(cells.iter().map(|(k, v)| (*k, Cell(v))));
        let p = Probe::deserialize(map).unwrap();
        assert_eq!(p.text.map(|t| t.0.into_owned()), Some("abc".into()));
        assert_eq!(p.flag, Flag(Some(false)));
        assert_eq!(p.int, Int(Some(0)));
        assert_eq!(p.word, Classified::Absent);
        assert_eq!(p.nested, Nested(Some(vec![3])));
    }
}
