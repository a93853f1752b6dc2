//! JSON for stored structs that keep the fields they do not know. Pure.
//!
//! Each listed field is read straight into place and every other member goes to `extra`, so
//! data written by another version keeps what this one cannot show.

/// Implements [`FromJson`](crate::json::FromJson) and [`ToJson`](crate::json::ToJson) for a
/// struct with an `extra: Extra` field: each listed field is read when present (else it takes
/// its default) and written unless its `skip if` test says it holds the default; any other
/// member goes to and comes from `extra`. A field named in `requires(…)` must be present.
macro_rules! open_record {
    ($name:ident $(requires($required:ident))? { $($field:ident = $default:expr $(, skip if $skip:path)?;)* }) => {
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
                let required = open_record!(@required $($required)?);
                let extra = $crate::json::read_members(reader, required, &mut |key, reader| {
                    let _ = &reader; // Unused by records without fields.
                    match key {
                        $(stringify!($field) => {
                            record.$field = $crate::json::FromJson::read_json(reader)?
                        })*
                        _ => return Ok(false),
                    }
                    #[allow(unreachable_code)]
                    Ok(true)
                })?;
                record.extra = extra;
                Ok(record)
            }
        }
    };
    (@required) => { None };
    (@required $required:ident) => { Some(stringify!($required)) };
    (@skip $value:expr) => { false };
    (@skip $value:expr, $skip:path) => { $skip(&$value) };
}

pub(crate) use open_record;
