//! Serde for stored structs that keep the fields they do not know. Pure.
//!
//! `#[serde(flatten)]` would do the same, but it buffers every field of every block and run
//! before reading it: opening or saving a long draft spent most of its time there. These impls
//! read each field straight into place and put the rest in `extra`.

use serde::de::{self, Visitor};
use std::borrow::Cow;
use std::fmt;

/// A map key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub Cow<'de, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }
            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_owned())))
            }
            fn visit_string<E: de::Error>(self, key: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Implements `Serialize` and `Deserialize` for a struct with an `extra: Extra` field: each
/// listed field is read when present (else it takes its default) and written unless its
/// `skip if` test says it holds the default; any other field goes to and comes from `extra`.
macro_rules! open_record {
    ($name:ident { $($field:ident = $default:expr $(, skip if $skip:path)?;)* }) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(
                    if !open_record!(@skip self.$field $(, $skip)?) {
                        map.serialize_entry(stringify!($field), &self.$field)?;
                    }
                )*
                for (key, value) in &self.extra {
                    if ![$(stringify!($field)),*].contains(&key.as_str()) {
                        map.serialize_entry(key, value)?;
                    }
                }
                map.end()
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Fields;
                impl<'de> serde::de::Visitor<'de> for Fields {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the fields of ", stringify!($name)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$name, A::Error> {
                        let mut record = $name {
                            $($field: $default,)*
                            extra: $crate::model::Extra::new(),
                        };
                        while let Some(key) = map.next_key::<$crate::model::stored::Key<'de>>()? {
                            match key.0.as_ref() {
                                $(stringify!($field) => record.$field = map.next_value()?,)*
                                _ => {
                                    record.extra.insert(key.0.into_owned(), map.next_value()?);
                                }
                            }
                        }
                        Ok(record)
                    }
                }
                deserializer.deserialize_map(Fields)
            }
        }
    };
    (@skip $value:expr) => { false };
    (@skip $value:expr, $skip:path) => { $skip(&$value) };
}

pub(crate) use open_record;
