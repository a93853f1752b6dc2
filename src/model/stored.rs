//! JSON for stored structs that keep the fields they do not know. Pure.
//!
//! Each listed field is read straight into place and every other member goes to `extra`, so
//! data written by another version keeps what this one cannot show.

/// Implements [`FromJson`](crate::json::FromJson) and [`ToJson`](crate::json::ToJson) for a
/// struct with an `extra: Extra` field: each listed field is read when present (else it takes
/// its default) and written unless its `skip if` test says it holds the default; any other
/// member goes to and comes from `extra`. Fields named in `requires(…)` must be present.
macro_rules! open_record {
    ($name:ident $(requires($($required:ident),*))? { $($field:ident = $default:expr $(, skip if $skip:path)?;)* }) => {
        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                let mut object = $crate::json::ObjectWriter::new(out);
                $(
                    if !open_record!(@skip self.$field $(, $skip)?) {
                        object.field(stringify!($field), &self.$field);
                    }
                )*
                let known: &[&str] = &[$(stringify!($field)),*];
                object.rest(&self.extra, known);
                object.end();
            }
        }

        impl $crate::json::FromJson for $name {
            fn read_json(
                reader: &mut $crate::json::Reader<'_>,
            ) -> Result<Self, $crate::json::Error> {
                let mut record = $name {
                    $($field: $default,)*
                    extra: $crate::model::Extra::new(),
                };
                let mut extra = $crate::json::MapBuilder::default();
                // Empty for most records, so nothing is allocated.
                #[allow(unused_mut)]
                let mut missing: Vec<&str> = vec![$($(stringify!($required)),*)?];
                reader.begin_object()?;
                while let Some(key) = reader.next_key()? {
                    match key.as_ref() {
                        $(stringify!($field) => {
                            record.$field = $crate::json::FromJson::read_json(reader)?;
                            missing.retain(|required| *required != stringify!($field));
                        })*
                        _ => {
                            let value = reader.value()?;
                            extra.insert(key, value);
                        }
                    }
                }
                record.extra = extra.finish();
                match missing.first() {
                    Some(field) => Err($crate::json::Error::missing(field)),
                    None => Ok(record),
                }
            }
        }
    };
    (@skip $value:expr) => { false };
    (@skip $value:expr, $skip:path) => { $skip(&$value) };
}

pub(crate) use open_record;
