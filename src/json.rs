//! JSON values and their text: the reader and writer behind stored drafts, settings, the
//! speaker registry and the codec worker's messages. Pure.
//!
//! Objects keep their keys in the order they were read and numbers keep their text, so data
//! this version does not know is written back as it came. Typed data goes through
//! [`FromJson`] and [`ToJson`], written for each stored type (most through `open_record!`),
//! which costs the app far less code than a generic serialisation framework.

use std::collections::HashMap;
use std::fmt;

/// How deeply arrays and objects may nest: deeper text is refused instead of exhausting the
/// stack (hostile or damaged data).
const MAX_DEPTH: usize = 128;

/// A JSON value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Value>),
    Object(Map),
}

/// A number, kept as its JSON text.
#[derive(Clone, Debug, PartialEq)]
pub struct Number(String);

impl Number {
    pub fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|value| value.is_finite())
    }

    /// A finite float as JSON (infinities and NaN have no JSON form).
    pub fn from_f64(value: f64) -> Option<Number> {
        value.is_finite().then(|| Number(format!("{value:?}")))
    }

    pub fn as_text(&self) -> &str {
        &self.0
    }
}

impl From<u64> for Number {
    fn from(value: u64) -> Number {
        Number(value.to_string())
    }
}

impl From<i64> for Number {
    fn from(value: i64) -> Number {
        Number(value.to_string())
    }
}

/// An object's members in the order they were read or inserted; a key occurs once.
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

/// Objects are equal when they hold the same members, in whatever order.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len()
            && self
                .iter()
                .all(|(key, value)| other.get(key) == Some(value))
    }
}

impl Map {
    pub fn new() -> Map {
        Map::default()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn position(&self, key: &str) -> Option<usize> {
        self.entries.iter().position(|(name, _)| name == key)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.entries
            .iter_mut()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key`, in its place if it is there already (returning the value it had), else last.
    pub fn insert(&mut self, key: impl Into<String>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.position(&key) {
            Some(at) => Some(std::mem::replace(&mut self.entries[at].1, value)),
            None => {
                self.entries.push((key, value));
                None
            }
        }
    }

    /// [`Map::insert`] for building: `Map::new().with("a", 1.into())`.
    pub fn with(mut self, key: &str, value: Value) -> Map {
        self.insert(key, value);
        self
    }

    /// Removes `key`, keeping the order of the rest.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.position(key)?;
        Some(self.entries.remove(at).1)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.entries.iter().map(|(key, value)| (key, value))
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.entries.iter().map(|(key, _)| key)
    }

    /// Adds a member whose key is known not to be there (copying one object's members into
    /// another that starts empty).
    pub(crate) fn push_new(&mut self, key: String, value: Value) {
        self.entries.push((key, value));
    }
}

/// Collects members; a repeated key keeps its last value.
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Map {
        let mut map = Map::new();
        for (key, value) in members {
            map.insert(key, value);
        }
        map
    }
}

impl IntoIterator for Map {
    type Item = (String, Value);
    type IntoIter = std::vec::IntoIter<(String, Value)>;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(key, value)| (key, value))
    }
}

impl Value {
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Value::Number(number) => number.as_u64(),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(number) => number.as_f64(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// An object's member (`None` for a value that is not an object).
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.as_object()?.get(key)
    }

    /// The compact JSON text of this value.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    /// The JSON text indented by two spaces a level, for files people may read.
    pub fn to_pretty_text(&self) -> String {
        let mut out = String::new();
        self.write_pretty(&mut out, 0);
        out
    }

    fn write_pretty(&self, out: &mut String, level: usize) {
        let indent = |out: &mut String, level: usize| {
            out.push('\n');
            for _ in 0..level {
                out.push_str("  ");
            }
        };
        match self {
            Value::Array(items) if !items.is_empty() => {
                out.push('[');
                for (at, item) in items.iter().enumerate() {
                    if at > 0 {
                        out.push(',');
                    }
                    indent(out, level + 1);
                    item.write_pretty(out, level + 1);
                }
                indent(out, level);
                out.push(']');
            }
            Value::Object(map) if !map.is_empty() => {
                out.push('{');
                for (at, (key, value)) in map.iter().enumerate() {
                    if at > 0 {
                        out.push(',');
                    }
                    indent(out, level + 1);
                    write_string(out, key);
                    out.push_str(": ");
                    value.write_pretty(out, level + 1);
                }
                indent(out, level);
                out.push('}');
            }
            other => other.write_json(out),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Value {
        Value::String(text.to_owned())
    }
}

impl From<String> for Value {
    fn from(text: String) -> Value {
        Value::String(text)
    }
}

impl From<bool> for Value {
    fn from(value: bool) -> Value {
        Value::Bool(value)
    }
}

impl From<u64> for Value {
    fn from(value: u64) -> Value {
        Value::Number(value.into())
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Value {
        Value::Array(items)
    }
}

impl From<Map> for Value {
    fn from(map: Map) -> Value {
        Value::Object(map)
    }
}

// ---- reading ----

/// Why JSON could not be read, or could not be read as the type asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    message: String,
    /// Line and column (from 1) in the text, for syntax errors.
    at: Option<(usize, usize)>,
}

impl Error {
    /// The data is JSON but not shaped as expected.
    pub fn shape(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            at: None,
        }
    }

    pub fn missing(field: &str) -> Error {
        Error::shape(format!("missing field `{field}`"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "{} at line {line} column {column}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Reads JSON text (RFC 8259: one value, with whitespace around it).
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

/// Reads JSON text as `T`.
pub fn from_text<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(&parse(text)?)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn error(&self, message: &str) -> Error {
        let before = &self.bytes[..self.at.min(self.bytes.len())];
        let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        // At the end of the text, the column is that of its last character.
        let column = if self.at >= self.bytes.len() {
            (self.at - line_start).max(1)
        } else {
            self.at - line_start + 1
        };
        Error {
            message: message.to_owned(),
            at: Some((line, column)),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, Error> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn value(&mut self) -> Result<Value, Error> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.literal("null", Value::Null),
            Some(b't') => self.literal("true", Value::Bool(true)),
            Some(b'f') => self.literal("false", Value::Bool(false)),
            Some(b'"') => self.string().map(Value::String),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b'[') => self.nested(Reader::array),
            Some(b'{') => self.nested(Reader::object),
            Some(_) => Err(self.error("expected a value")),
        }
    }

    fn nested(&mut self, read: fn(&mut Self) -> Result<Value, Error>) -> Result<Value, Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn array(&mut self) -> Result<Value, Error> {
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        match self.peek() {
            Some(b']') => {
                self.at += 1;
                return Ok(Value::Array(items));
            }
            None => return Err(self.error("EOF while parsing a list")),
            Some(_) => {}
        }
        loop {
            items.push(self.value()?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self) -> Result<Value, Error> {
        // Past this many members, keys are looked up in an index instead of one by one, so
        // an object with very many keys reads in linear time.
        const INDEXED_FROM: usize = 16;
        self.at += 1;
        let mut map = Map::new();
        let mut index: Option<HashMap<String, usize>> = None;
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(map));
        }
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected a key")),
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            let value = self.value()?;
            // A repeated key keeps its first place and its last value.
            let existing = match &index {
                Some(index) => index.get(&key).copied(),
                None => map.position(&key),
            };
            match existing {
                Some(at) => map.entries[at].1 = value,
                None => {
                    if let Some(index) = &mut index {
                        index.insert(key.clone(), map.len());
                    }
                    map.entries.push((key, value));
                    if index.is_none() && map.len() >= INDEXED_FROM {
                        index = Some(
                            map.keys()
                                .enumerate()
                                .map(|(at, key)| (key.clone(), at))
                                .collect(),
                        );
                    }
                }
            }
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(map));
                }
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Value, Error> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("invalid number"));
            }
        }
        Ok(Value::Number(Number(self.text[start..self.at].to_owned())))
    }

    fn hex4(&mut self) -> Result<u32, Error> {
        let digits = self
            .text
            .get(self.at..self.at + 4)
            .filter(|digits| digits.bytes().all(|byte| byte.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid escape"))
    }

    fn string(&mut self) -> Result<String, Error> {
        self.at += 1;
        let mut out = String::new();
        loop {
            // Plain characters are copied a stretch at a time (the text is UTF-8 already).
            let start = self.at;
            while let Some(byte) = self.peek() {
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(&self.text[start..self.at]);
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("EOF while parsing a string"))?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let first = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&first) {
                                if !self.bytes[self.at..].starts_with(b"\\u") {
                                    return Err(self.error("lone leading surrogate in hex escape"));
                                }
                                self.at += 2;
                                let second = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&second) {
                                    return Err(self.error("lone leading surrogate in hex escape"));
                                }
                                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                            } else {
                                first
                            };
                            let character = char::from_u32(code).ok_or_else(|| {
                                self.error("lone trailing surrogate in hex escape")
                            })?;
                            out.push(character);
                        }
                        _ => return Err(self.error("invalid escape")),
                    }
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
    }
}

// ---- writing ----

/// Writes `text` as a JSON string: quoted, with `"`, `\` and control characters escaped.
pub fn write_string(out: &mut String, text: &str) {
    out.push('"');
    let mut start = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[start..at]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        } else {
            out.push_str(escape);
        }
        start = at + 1;
    }
    out.push_str(&text[start..]);
    out.push('"');
}

/// Writes an object a member at a time.
pub struct ObjectWriter<'a> {
    out: &'a mut String,
    empty: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut String) -> ObjectWriter<'a> {
        out.push('{');
        ObjectWriter { out, empty: true }
    }

    fn key(&mut self, key: &str) {
        if !self.empty {
            self.out.push(',');
        }
        self.empty = false;
        write_string(self.out, key);
        self.out.push(':');
    }

    pub fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.key(key);
        value.write_json(self.out);
    }

    /// The members of `extra` not named in `known` (those were written from their fields).
    pub fn rest(&mut self, extra: &Map, known: &[&str]) {
        for (key, value) in extra {
            if !known.contains(&key.as_str()) {
                self.field(key, value);
            }
        }
    }

    pub fn end(self) {
        self.out.push('}');
    }
}

// ---- typed data ----

/// A type read from a JSON value.
pub trait FromJson: Sized {
    fn from_json(value: &Value) -> Result<Self, Error>;
}

/// A type written as JSON text.
pub trait ToJson {
    fn write_json(&self, out: &mut String);

    fn to_json_text(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }
}

/// The object `value` must be to be read as `what`.
pub fn expect_object<'v>(value: &'v Value, what: &str) -> Result<&'v Map, Error> {
    value
        .as_object()
        .ok_or_else(|| Error::shape(format!("invalid type: expected {what} as an object")))
}

fn expected(what: &str) -> Error {
    Error::shape(format!("invalid type: expected {what}"))
}

impl FromJson for Value {
    fn from_json(value: &Value) -> Result<Value, Error> {
        Ok(value.clone())
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(value) => value.write_json(out),
            Value::Number(number) => out.push_str(&number.0),
            Value::String(text) => write_string(out, text),
            Value::Array(items) => items.write_json(out),
            Value::Object(map) => map.write_json(out),
        }
    }
}

impl FromJson for Map {
    fn from_json(value: &Value) -> Result<Map, Error> {
        expect_object(value, "a map").cloned()
    }
}

impl ToJson for Map {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        object.rest(self, &[]);
        object.end();
    }
}

impl FromJson for String {
    fn from_json(value: &Value) -> Result<String, Error> {
        value
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| expected("a string"))
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        write_string(out, self);
    }
}

impl FromJson for bool {
    fn from_json(value: &Value) -> Result<bool, Error> {
        value.as_bool().ok_or_else(|| expected("a boolean"))
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl FromJson for u64 {
    fn from_json(value: &Value) -> Result<u64, Error> {
        value.as_u64().ok_or_else(|| expected("a whole number"))
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl FromJson for u32 {
    fn from_json(value: &Value) -> Result<u32, Error> {
        u32::try_from(u64::from_json(value)?).map_err(|_| expected("a smaller number"))
    }
}

impl ToJson for u32 {
    fn write_json(&self, out: &mut String) {
        u64::from(*self).write_json(out);
    }
}

impl FromJson for u8 {
    fn from_json(value: &Value) -> Result<u8, Error> {
        u8::try_from(u64::from_json(value)?).map_err(|_| expected("a smaller number"))
    }
}

impl ToJson for u8 {
    fn write_json(&self, out: &mut String) {
        u64::from(*self).write_json(out);
    }
}

impl FromJson for usize {
    fn from_json(value: &Value) -> Result<usize, Error> {
        usize::try_from(u64::from_json(value)?).map_err(|_| expected("a smaller number"))
    }
}

impl ToJson for usize {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value) -> Result<f64, Error> {
        value.as_f64().ok_or_else(|| expected("a number"))
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        match Number::from_f64(*self) {
            Some(number) => out.push_str(&number.0),
            None => out.push_str("null"),
        }
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value) -> Result<Option<T>, Error> {
        match value {
            Value::Null => Ok(None),
            value => T::from_json(value).map(Some),
        }
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value) -> Result<Vec<T>, Error> {
        value
            .as_array()
            .ok_or_else(|| expected("a list"))?
            .iter()
            .map(T::from_json)
            .collect()
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (at, item) in self.iter().enumerate() {
            if at > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(value: &Value) -> Result<(A, B), Error> {
        match value.as_array().map(Vec::as_slice) {
            Some([first, second]) => Ok((A::from_json(first)?, B::from_json(second)?)),
            _ => Err(expected("a pair")),
        }
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        self.0.write_json(out);
        out.push(',');
        self.1.write_json(out);
        out.push(']');
    }
}

/// Implements [`FromJson`] and [`ToJson`] for an enum stored as one of a few names.
macro_rules! named_enum {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                let name = match self {
                    $($name::$variant => $text,)*
                };
                $crate::json::write_string(out, name);
            }
        }

        impl $crate::json::FromJson for $name {
            fn from_json(value: &$crate::json::Value) -> Result<Self, $crate::json::Error> {
                match value.as_str() {
                    $(Some($text) => Ok($name::$variant),)*
                    _ => Err($crate::json::Error::shape(concat!(
                        "unknown variant: expected one of the names of ",
                        stringify!($name)
                    ))),
                }
            }
        }
    };
}

pub(crate) use named_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_writes_every_kind_of_value() {
        let text = r#"{"a":[1,-2.5e3,true,false,null],"b":"x\"\\\n\u00e9\ud83d\ude00","c":{}}"#;
        let value = parse(text).unwrap();
        assert_eq!(value.get("b").and_then(Value::as_str), Some("x\"\\\né😀"));
        assert_eq!(
            value.to_text(),
            r#"{"a":[1,-2.5e3,true,false,null],"b":"x\"\\\né😀","c":{}}"#
        );
    }

    #[test]
    fn keys_keep_their_order_and_the_last_value_of_a_repeat() {
        let value = parse(r#"{"z":1,"a":2,"z":3}"#).unwrap();
        assert_eq!(value.to_text(), r#"{"z":3,"a":2}"#);
        let many: String = (0..40).map(|n| format!("\"k{n}\":{n},")).collect();
        let value = parse(&format!("{{{many}\"k3\":99}}")).unwrap();
        assert_eq!(value.get("k3").and_then(Value::as_u64), Some(99));
        assert_eq!(value.as_object().map(Map::len), Some(40));
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            "{",
            "[1,]",
            "{\"a\" 1}",
            "01",
            "1.",
            "-",
            "\"\\x\"",
            "\"a\nb\"",
            "[1] 2",
            "tru",
            "\"\\ud800\"",
            "{a:1}",
        ] {
            assert!(parse(bad).is_err(), "{bad:?} was read");
        }
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert!(parse(&deep).is_err());
        let error = parse("{\n  \"a\": ?}").unwrap_err();
        assert_eq!(error.to_string(), "expected a value at line 2 column 8");
    }

    #[test]
    fn control_characters_are_escaped() {
        let mut out = String::new();
        write_string(&mut out, "a\u{1}\u{1f}\tb");
        assert_eq!(out, r#""a\u0001\u001f\tb""#);
        assert_eq!(parse(&out).unwrap(), Value::from("a\u{1}\u{1f}\tb"));
    }

    #[test]
    fn pretty_text_indents_two_spaces() {
        let value = parse(r#"{"a":[1,{"b":[]}],"c":{}}"#).unwrap();
        assert_eq!(
            value.to_pretty_text(),
            "{\n  \"a\": [\n    1,\n    {\n      \"b\": []\n    }\n  ],\n  \"c\": {}\n}"
        );
    }

    #[test]
    fn numbers_keep_their_text() {
        let value = parse("[1.0, 1e2, 12345678901234567890, -0]").unwrap();
        assert_eq!(value.to_text(), "[1.0,1e2,12345678901234567890,-0]");
        assert_eq!(
            Number::from_f64(0.5).map(|n| n.as_text().to_owned()),
            Some("0.5".into())
        );
        assert_eq!(Number::from_f64(f64::NAN), None);
    }
}
