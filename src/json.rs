//! JSON values and their text: the reader and writer behind stored drafts, settings, the
//! speaker registry and the codec worker's messages. Pure.
//!
//! Objects keep their keys in the order they were read and numbers keep their text, so data
//! this version does not know is written back as it came. Typed data goes through
//! [`FromJson`] and [`ToJson`], written for each stored type (most through `open_record!`),
//! which costs the app far less code than a generic serialisation framework.

use std::borrow::Cow;
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

    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse::<f64>().ok().filter(|value| value.is_finite())
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

/// An object's members in the order they were read or inserted; a key occurs once.
#[derive(Clone, Debug, Default)]
pub struct Map {
    entries: Vec<(String, Value)>,
}

/// Objects are equal when they hold the same members, in whatever order.
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        if self.len() != other.len() {
            return false;
        }
        if self.len() <= MapBuilder::INDEXED_FROM {
            return self
                .iter()
                .all(|(key, value)| other.get(key) == Some(value));
        }
        // Many members: compared in the order of their keys (each key occurs once).
        fn sorted(map: &Map) -> Vec<&(String, Value)> {
            let mut members: Vec<&(String, Value)> = map.entries.iter().collect();
            members.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            members
        }
        sorted(self) == sorted(other)
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
}

/// Collects members; a repeated key keeps its last value.
impl FromIterator<(String, Value)> for Map {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(members: I) -> Map {
        let mut map = MapBuilder::default();
        for (key, value) in members {
            map.insert(Cow::Owned(key), value);
        }
        map.finish()
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
    /// The byte in the text where reading stopped.
    offset: Option<usize>,
    /// Its line and column (from 1), once worked out (see [`locate`]).
    line_column: Option<(usize, usize)>,
}

impl Error {
    /// The data is JSON but not shaped as expected.
    pub fn shape(message: impl Into<String>) -> Error {
        Error {
            message: message.into(),
            offset: None,
            line_column: None,
        }
    }

    pub fn missing(field: &str) -> Error {
        Error::shape(format!("missing field `{field}`"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line_column, self.offset) {
            (Some((line, column)), _) => {
                write!(f, "{} at line {line} column {column}", self.message)
            }
            (None, Some(offset)) => write!(f, "{} at byte {offset}", self.message),
            (None, None) => f.write_str(&self.message),
        }
    }
}

/// Gives an error from reading `text` its line and column. Done once, where an error leaves
/// the reading: a reader that meets many errors it recovers from (a draft's damaged blocks)
/// would otherwise count the lines before each.
pub fn locate(text: &str, mut error: Error) -> Error {
    if let (Some(offset), None) = (error.offset, error.line_column) {
        let before = &text.as_bytes()[..offset.min(text.len())];
        let line = before.iter().filter(|&&byte| byte == b'\n').count() + 1;
        let line_start = before
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        // At the end of the text, the column is that of its last character.
        let column = if offset >= text.len() {
            (offset - line_start).max(1)
        } else {
            offset - line_start + 1
        };
        error.line_column = Some((line, column));
    }
    error
}

/// Reads JSON text (RFC 8259: one value, with whitespace around it).
pub fn parse(text: &str) -> Result<Value, Error> {
    let mut reader = Reader::new(text);
    let value = reader
        .value()
        .and_then(|value| reader.end().map(|()| value));
    value.map_err(|error| locate(text, error))
}

/// Reads JSON text as `T`, straight into place.
pub fn from_text<T: FromJson>(text: &str) -> Result<T, Error> {
    let mut reader = Reader::new(text);
    let value = T::read_json(&mut reader).and_then(|value| reader.end().map(|()| value));
    value.map_err(|error| locate(text, error))
}

/// `value` as a JSON value, through its text (for the rare places that nest typed data in a
/// value, such as backups).
pub fn to_value<T: ToJson + ?Sized>(value: &T) -> Value {
    // Our own writer's text always reads back.
    parse(&value.to_json_text()).unwrap_or_default()
}

/// Reads a value already parsed as `T`, through its text (values are read so only on rare
/// paths, such as drafts of older versions).
pub fn from_value<T: FromJson>(value: &Value) -> Result<T, Error> {
    from_text(&value.to_text())
}

/// Reads JSON text a piece at a time: typed data straight into place, anything else as a
/// [`Value`]. An object is read with [`Reader::begin_object`] and then [`Reader::next_key`]
/// before each member's value; an array with [`Reader::begin_array`] and
/// [`Reader::next_item`].
pub struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    /// Just inside an array or object: no `,` comes before its first member.
    first: bool,
}

/// Where a reader was, to go back to (see [`Reader::rewind`]).
#[derive(Clone, Copy)]
pub struct Position {
    at: usize,
    depth: usize,
    first: bool,
}

impl<'a> Reader<'a> {
    pub fn new(text: &'a str) -> Reader<'a> {
        Reader {
            text,
            bytes: text.as_bytes(),
            at: 0,
            depth: 0,
            first: false,
        }
    }

    /// Only whitespace may follow.
    pub fn end(&mut self) -> Result<(), Error> {
        self.skip_space();
        if self.at < self.bytes.len() {
            return Err(self.error("trailing characters"));
        }
        Ok(())
    }

    pub fn position(&self) -> Position {
        Position {
            at: self.at,
            depth: self.depth,
            first: self.first,
        }
    }

    /// Goes back to where the reader was, to read the same text another way.
    pub fn rewind(&mut self, position: Position) {
        self.at = position.at;
        self.depth = position.depth;
        self.first = position.first;
    }

    /// An error here, for data that is JSON but not what was expected.
    pub fn error(&self, message: &str) -> Error {
        Error {
            message: message.to_owned(),
            offset: Some(self.at),
            line_column: None,
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

    /// The first character of what comes next (`{` for an object, `[` for a list, …).
    pub fn peek_token(&mut self) -> Option<u8> {
        self.next_byte()
    }

    /// The next byte after whitespace.
    fn next_byte(&mut self) -> Option<u8> {
        self.skip_space();
        self.peek()
    }

    fn literal(&mut self, word: &str) -> Result<(), Error> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// Reads `null` if that is what comes next.
    pub fn null(&mut self) -> Result<bool, Error> {
        if self.next_byte() == Some(b'n') {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    pub fn boolean(&mut self) -> Result<bool, Error> {
        match self.next_byte() {
            Some(b't') => self.literal("true").map(|()| true),
            Some(b'f') => self.literal("false").map(|()| false),
            _ => Err(self.error("invalid type: expected a boolean")),
        }
    }

    /// A number's text.
    pub fn number(&mut self) -> Result<&'a str, Error> {
        if !matches!(self.next_byte(), Some(b'-' | b'0'..=b'9')) {
            return Err(self.error("invalid type: expected a number"));
        }
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
        Ok(&self.text[start..self.at])
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// A string, borrowed from the text when it has no escapes.
    pub fn text(&mut self) -> Result<Cow<'a, str>, Error> {
        if self.next_byte() != Some(b'"') {
            return Err(self.error("invalid type: expected a string"));
        }
        self.at += 1;
        let mut owned: Option<String> = None;
        loop {
            // Plain characters are taken a stretch at a time (the text is UTF-8 already).
            let start = self.at;
            let rest = &self.bytes[start..];
            self.at += rest
                .iter()
                .position(|&byte| byte == b'"' || byte == b'\\' || byte < 0x20)
                .unwrap_or(rest.len());
            let stretch = &self.text[start..self.at];
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(stretch),
                        Some(mut owned) => {
                            owned.push_str(stretch);
                            Cow::Owned(owned)
                        }
                    });
                }
                Some(b'\\') => {
                    let out = owned.get_or_insert_with(String::new);
                    out.push_str(stretch);
                    self.at += 1;
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("EOF while parsing a string"))?;
                    self.at += 1;
                    let character = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("invalid escape")),
                    };
                    if let Some(out) = &mut owned {
                        out.push(character);
                    }
                }
                Some(_) => return Err(self.error("control character in a string")),
                None => return Err(self.error("EOF while parsing a string")),
            }
        }
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

    /// The character of a `\u` escape (two, for one beyond the Basic Multilingual Plane).
    fn unicode_escape(&mut self) -> Result<char, Error> {
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
        char::from_u32(code).ok_or_else(|| self.error("lone trailing surrogate in hex escape"))
    }

    fn enter(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.at += 1;
        self.first = true;
        Ok(())
    }

    /// Starts an object; each member follows its [`Reader::next_key`].
    pub fn begin_object(&mut self) -> Result<(), Error> {
        if self.next_byte() != Some(b'{') {
            return Err(self.error("invalid type: expected an object"));
        }
        self.enter()
    }

    /// The next member's key (its value is next to read), or `None` at the object's end.
    pub fn next_key(&mut self) -> Result<Option<Cow<'a, str>>, Error> {
        let first = std::mem::take(&mut self.first);
        match self.next_byte() {
            Some(b'}') => {
                self.at += 1;
                self.depth -= 1;
                return Ok(None);
            }
            Some(b',') if !first => {
                self.at += 1;
            }
            Some(b'"') if first => {}
            None => return Err(self.error("EOF while parsing an object")),
            Some(_) if first => return Err(self.error("expected a key")),
            Some(_) => return Err(self.error("expected `,` or `}`")),
        }
        match self.next_byte() {
            Some(b'"') => {}
            None => return Err(self.error("EOF while parsing an object")),
            Some(_) => return Err(self.error("expected a key")),
        }
        let key = self.text()?;
        if self.next_byte() != Some(b':') {
            return Err(self.error("expected `:`"));
        }
        self.at += 1;
        Ok(Some(key))
    }

    /// Starts an array; each item follows a [`Reader::next_item`] that returned `true`.
    pub fn begin_array(&mut self) -> Result<(), Error> {
        if self.next_byte() != Some(b'[') {
            return Err(self.error("invalid type: expected a list"));
        }
        self.enter()
    }

    /// Whether another item follows (to be read next); `false` at the array's end.
    pub fn next_item(&mut self) -> Result<bool, Error> {
        let first = std::mem::take(&mut self.first);
        match self.next_byte() {
            Some(b']') => {
                self.at += 1;
                self.depth -= 1;
                Ok(false)
            }
            Some(b',') if !first => {
                self.at += 1;
                Ok(true)
            }
            None => Err(self.error("EOF while parsing a list")),
            Some(_) if first => Ok(true),
            Some(_) => Err(self.error("expected `,` or `]`")),
        }
    }

    /// Any value, as a [`Value`].
    pub fn value(&mut self) -> Result<Value, Error> {
        match self.next_byte() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'n') => self.literal("null").map(|()| Value::Null),
            Some(b't' | b'f') => self.boolean().map(Value::Bool),
            Some(b'"') => self.text().map(|text| Value::String(text.into_owned())),
            Some(b'-' | b'0'..=b'9') => self
                .number()
                .map(|text| Value::Number(Number(text.to_owned()))),
            Some(b'[') => {
                self.begin_array()?;
                let mut items = Vec::new();
                while self.next_item()? {
                    items.push(self.value()?);
                }
                Ok(Value::Array(items))
            }
            Some(b'{') => {
                self.begin_object()?;
                self.object_members().map(Value::Object)
            }
            Some(_) => Err(self.error("expected a value")),
        }
    }

    /// The members of an object just begun.
    fn object_members(&mut self) -> Result<Map, Error> {
        let mut map = MapBuilder::default();
        while let Some(key) = self.next_key()? {
            let value = self.value()?;
            map.insert(key, value);
        }
        Ok(map.finish())
    }
}

/// Reads an object member by member: `field` reads the value of a member it knows and says
/// so; the others are returned, in order. `required` names a member that must be there. One
/// copy of this loop serves every stored record.
pub fn read_members<'a>(
    reader: &mut Reader<'a>,
    required: Option<&str>,
    field: &mut dyn FnMut(&str, &mut Reader<'a>) -> Result<bool, Error>,
) -> Result<Map, Error> {
    let mut others = MapBuilder::default();
    let mut has_required = required.is_none();
    reader.begin_object()?;
    while let Some(key) = reader.next_key()? {
        has_required |= required == Some(key.as_ref());
        if !field(&key, reader)? {
            let value = reader.value()?;
            others.insert(key, value);
        }
    }
    match required {
        Some(name) if !has_required => Err(Error::missing(name)),
        _ => Ok(others.finish()),
    }
}

/// Builds a [`Map`] from members as they are read: a repeated key keeps its first place and
/// its last value. Past a few members, keys are found through an index instead of one by one,
/// so an object with very many keys is read in linear time.
#[derive(Default)]
pub struct MapBuilder {
    map: Map,
    index: Option<HashMap<String, usize>>,
}

impl MapBuilder {
    const INDEXED_FROM: usize = 16;

    pub fn insert(&mut self, key: Cow<'_, str>, value: Value) {
        let existing = match &self.index {
            Some(index) => index.get(key.as_ref()).copied(),
            None => self.map.position(&key),
        };
        if let Some(at) = existing {
            self.map.entries[at].1 = value;
            return;
        }
        let key = key.into_owned();
        if let Some(index) = &mut self.index {
            index.insert(key.clone(), self.map.len());
        }
        self.map.entries.push((key, value));
        if self.index.is_none() && self.map.len() >= Self::INDEXED_FROM {
            let index = self
                .map
                .keys()
                .enumerate()
                .map(|(at, key)| (key.clone(), at));
            self.index = Some(index.collect());
        }
    }

    pub fn finish(self) -> Map {
        self.map
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

/// A type read from JSON text, straight into place.
pub trait FromJson: Sized {
    fn read_json(reader: &mut Reader<'_>) -> Result<Self, Error>;
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

impl FromJson for Value {
    fn read_json(reader: &mut Reader<'_>) -> Result<Value, Error> {
        reader.value()
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
    fn read_json(reader: &mut Reader<'_>) -> Result<Map, Error> {
        reader.begin_object()?;
        reader.object_members()
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
    fn read_json(reader: &mut Reader<'_>) -> Result<String, Error> {
        reader.text().map(Cow::into_owned)
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
    fn read_json(reader: &mut Reader<'_>) -> Result<bool, Error> {
        reader.boolean()
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl FromJson for u64 {
    fn read_json(reader: &mut Reader<'_>) -> Result<u64, Error> {
        let text = reader.number()?;
        text.parse()
            .map_err(|_| reader.error("invalid type: expected a whole number"))
    }
}

impl ToJson for u64 {
    fn write_json(&self, out: &mut String) {
        out.push_str(&self.to_string());
    }
}

/// Whole numbers narrower than `u64`, read as one and checked.
macro_rules! narrow_whole_number {
    ($($type:ty),*) => {$(
        impl FromJson for $type {
            fn read_json(reader: &mut Reader<'_>) -> Result<$type, Error> {
                let wide = u64::read_json(reader)?;
                <$type>::try_from(wide).map_err(|_| reader.error("number out of range"))
            }
        }

        impl ToJson for $type {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}

narrow_whole_number!(u8, u32, usize);

/// A JSON number's value rounded to the nearest whole number (halves up), worked out on its
/// digits: below zero is 0 and past `u64` is `u64::MAX`. Parsing a float instead would bring
/// the float parser's tables (10 KB, nearly incompressible) into the app. `text` is a JSON
/// number, as [`Reader::number`] gives it.
pub fn rounded_whole(text: &str) -> u64 {
    if text.starts_with('-') {
        return 0;
    }
    let (mantissa, exponent) = text.split_once(['e', 'E']).unwrap_or((text, "0"));
    let Ok(exponent) = exponent.parse::<i64>() else {
        // An exponent past i64: a vanishing or an enormous number.
        return if exponent.starts_with('-') {
            0
        } else {
            u64::MAX
        };
    };
    let (whole_digits, fraction_digits) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits: Vec<u64> = whole_digits
        .bytes()
        .chain(fraction_digits.bytes())
        .map(|digit| u64::from(digit - b'0'))
        .collect();
    // How many of the digits stand before the decimal point.
    let point = (whole_digits.len() as i64).saturating_add(exponent);
    let mut whole: u64 = 0;
    for index in 0..point.max(0) {
        let digit = digits.get(index as usize).copied().unwrap_or(0);
        match whole
            .checked_mul(10)
            .and_then(|whole| whole.checked_add(digit))
        {
            Some(next) => whole = next,
            None => return u64::MAX,
        }
        // Zeros past the digits only scale what is there: nothing to scale is still 0.
        if whole == 0 && index as usize >= digits.len() {
            break;
        }
    }
    // Below a tenth (the point before the first digit) nothing rounds up.
    let first_dropped = usize::try_from(point)
        .ok()
        .and_then(|point| digits.get(point))
        .copied()
        .unwrap_or(0);
    if first_dropped >= 5 {
        whole.saturating_add(1)
    } else {
        whole
    }
}

impl FromJson for f64 {
    fn read_json(reader: &mut Reader<'_>) -> Result<f64, Error> {
        let text = reader.number()?;
        text.parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .ok_or_else(|| reader.error("number out of range"))
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<T>, Error> {
        if reader.null()? {
            return Ok(None);
        }
        T::read_json(reader).map(Some)
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
    fn read_json(reader: &mut Reader<'_>) -> Result<Vec<T>, Error> {
        reader.begin_array()?;
        let mut items = Vec::new();
        while reader.next_item()? {
            items.push(T::read_json(reader)?);
        }
        Ok(items)
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

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out);
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn read_json(reader: &mut Reader<'_>) -> Result<(A, B), Error> {
        reader.begin_array()?;
        let pair = match reader.next_item()? {
            true => A::read_json(reader)?,
            false => return Err(reader.error("invalid length: expected a pair")),
        };
        let pair = match reader.next_item()? {
            true => (pair, B::read_json(reader)?),
            false => return Err(reader.error("invalid length: expected a pair")),
        };
        if reader.next_item()? {
            return Err(reader.error("invalid length: expected a pair"));
        }
        Ok(pair)
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

/// Implements [`FromJson`] and [`ToJson`] for an enum stored as one of a few names, and
/// `as_str`, the name each variant is stored (and shown in markup) under.
macro_rules! named_enum {
    ($name:ident { $($variant:ident = $text:literal),* $(,)? }) => {
        impl $name {
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl $crate::json::ToJson for $name {
            fn write_json(&self, out: &mut String) {
                $crate::json::write_string(out, self.as_str());
            }
        }

        impl $crate::json::FromJson for $name {
            fn read_json(reader: &mut $crate::json::Reader<'_>) -> Result<Self, $crate::json::Error> {
                match reader.text()?.as_ref() {
                    $($text => Ok($name::$variant),)*
                    _ => Err(reader.error(concat!(
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
        // Objects are equal whatever the order of their members, few or many.
        let reversed: String = (0..40).rev().map(|n| format!("\"k{n}\":{n},")).collect();
        let forward: String = (0..40).map(|n| format!("\"k{n}\":{n},")).collect();
        let parse_all = |members: &str| parse(&format!("{{{}}}", members.trim_end_matches(',')));
        assert_eq!(parse_all(&reversed), parse_all(&forward));
        assert_ne!(
            parse_all(&reversed),
            parse_all(&forward.replace("\"k3\":3", "\"k3\":4"))
        );
        assert_eq!(parse(r#"{"a":1,"b":2}"#), parse(r#"{"b":2,"a":1}"#));
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
    fn typed_reading_says_where_the_data_went_wrong() {
        assert_eq!(
            from_text::<Vec<bool>>(" [true, false]"),
            Ok(vec![true, false])
        );
        let error = from_text::<Vec<bool>>("[true, 1]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "invalid type: expected a boolean at line 1 column 8"
        );
        assert!(from_text::<u8>("300").is_err());
        assert!(from_text::<(String, String)>(r#"["a","b","c"]"#).is_err());
        assert_eq!(
            from_text::<(String, String)>(r#"["a", "\u00e9"]"#),
            Ok(("a".into(), "é".into()))
        );
        assert_eq!(from_text::<Option<u64>>("null"), Ok(None));
        assert!(from_text::<String>(r#""a" "b""#).is_err());
    }

    #[test]
    fn a_reader_can_go_back_and_read_the_same_text_as_a_value() {
        let mut reader = Reader::new(r#"{"level": "two"}"#);
        let start = reader.position();
        reader.begin_object().unwrap();
        assert_eq!(reader.next_key().unwrap().as_deref(), Some("level"));
        assert!(u8::read_json(&mut reader).is_err());
        reader.rewind(start);
        let value = reader.value().unwrap();
        assert_eq!(value.get("level").and_then(Value::as_str), Some("two"));
        assert!(reader.end().is_ok());
    }

    #[test]
    fn whole_numbers_are_rounded_from_their_digits() {
        for (text, whole) in [
            ("0", 0),
            ("7", 7),
            ("1764500000000", 1_764_500_000_000),
            ("1764500000000.0", 1_764_500_000_000),
            ("1764500000123.6", 1_764_500_000_124),
            ("2.4", 2),
            ("2.5", 3),
            ("0.5", 1),
            ("0.49", 0),
            ("0.05", 0),
            ("1.7645e12", 1_764_500_000_000),
            ("1.5E+1", 15),
            ("15e-1", 2),
            ("4e-1", 0),
            ("5e-1", 1),
            ("5e-2", 0),
            ("0e999999999", 0),
            ("1e999999999999999999999", u64::MAX),
            ("1e-999999999999999999999", 0),
            ("18446744073709551615", u64::MAX),
            ("18446744073709551616", u64::MAX),
            ("-5", 0),
            ("-0.7", 0),
        ] {
            assert_eq!(rounded_whole(text), whole, "{text}");
        }
    }

    // proptest is a host-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #[test]
        fn whole_numbers_agree_with_rounding_a_float(whole in 0u64..(1 << 44), tenths in 0u64..10) {
            let text = format!("{whole}.{tenths}");
            let expected = text.parse::<f64>().unwrap().round() as u64;
            proptest::prop_assert_eq!(rounded_whole(&text), expected);
            let scaled = format!("{whole}{tenths}e-1");
            proptest::prop_assert_eq!(rounded_whole(&scaled), expected);
        }
    }

    #[test]
    fn numbers_keep_their_text() {
        let value = parse("[1.0, 1e2, 12345678901234567890, -0]").unwrap();
        assert_eq!(value.to_text(), "[1.0,1e2,12345678901234567890,-0]");
    }
}
