//! The data of each block kind, as stored. Pure.
//!
//! Every struct keeps unknown stored fields in `extra`, so data written by a newer version
//! survives a round trip through this one.

use super::stored::open_record;
use super::{Extra, RichText};
use crate::json::{self, named_enum, Error, FromJson, ObjectWriter, Reader, ToJson, Value};

// How each kind's data is stored: its fields in order, the default of each, and which are left
// out while they hold it.
open_record!(Paragraph { text = RichText::default(); });
open_record!(Heading { level = default_heading_level(); text = RichText::default(); });
open_record!(List { ordered = false; items = Vec::new(); });
open_record!(ListItem { text = RichText::default(); indent = 0, skip if is_zero; });
open_record!(Quote { text = RichText::default(); citation = String::new(), skip if String::is_empty; });
open_record!(Divider {});
open_record!(Image {
    src = String::new();
    alt = String::new();
    caption = String::new(), skip if String::is_empty;
});
open_record!(Code { language = String::new(), skip if String::is_empty; code = String::new(); });
open_record!(LinkCard {
    url = String::new();
    title = String::new(), skip if String::is_empty;
    description = String::new(), skip if String::is_empty;
    image = String::new(), skip if String::is_empty;
    site_name = String::new(), skip if String::is_empty;
});
open_record!(Bubble {
    speaker = SpeakerLook::default();
    side = Side::default();
    style = BalloonStyle::default();
    text = RichText::default();
});

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Paragraph {
    pub text: RichText,
    pub extra: Extra,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Heading {
    /// 2, 3 or 4 (the post's title is the level-1 heading).
    pub level: u8,
    pub text: RichText,
    pub extra: Extra,
}

fn default_heading_level() -> u8 {
    2
}

impl Default for Heading {
    fn default() -> Self {
        Heading {
            level: 2,
            text: RichText::default(),
            extra: Extra::new(),
        }
    }
}

impl Heading {
    pub const LEVELS: [u8; 3] = [2, 3, 4];

    /// The level clamped to the supported range.
    pub fn clamped_level(&self) -> u8 {
        self.level.clamp(2, 4)
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct List {
    pub ordered: bool,
    pub items: Vec<ListItem>,
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ListItem {
    pub text: RichText,
    /// 0 for a top-level item, 1 for an item nested under the previous one.
    pub indent: u8,
    pub extra: Extra,
}

fn is_zero(value: &u8) -> bool {
    *value == 0
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quote {
    pub text: RichText,
    pub citation: String,
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Divider {
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Image {
    /// An http(s) URL, a relative path, or a `data:image/…` URL of a downscaled local file.
    pub src: String,
    pub alt: String,
    pub caption: String,
    pub extra: Extra,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Code {
    pub language: String,
    pub code: String,
    pub extra: Extra,
}

/// Why a metadata answer could not fill a card.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetadataError {
    NotJson,
    NotObject,
}

/// A linked page shown as a card (ブログカード). Every field but the URL is optional.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkCard {
    pub url: String,
    pub title: String,
    pub description: String,
    pub image: String,
    pub site_name: String,
    pub extra: Extra,
}

impl LinkCard {
    /// The host of the URL (`""` when the URL is not a valid http(s) URL).
    pub fn domain(&self) -> String {
        crate::sanitize::http_url_host(&self.url).unwrap_or_default()
    }

    /// The site's favicon, derived from the domain.
    pub fn favicon(&self) -> Option<String> {
        let domain = self.domain();
        (!domain.is_empty()).then(|| format!("https://{domain}/favicon.ico"))
    }

    /// The title to show: the author's, else the domain, else the URL itself.
    pub fn display_title(&self) -> String {
        if !self.title.trim().is_empty() {
            return self.title.clone();
        }
        let domain = self.domain();
        if domain.is_empty() {
            self.url.clone()
        } else {
            domain
        }
    }

    /// Fills the fields the author left empty from page metadata JSON
    /// (`{"title", "description", "image", "site_name"}`; `og:`-style names are accepted too).
    /// Returns how many fields were filled.
    pub fn fill_from_metadata(&mut self, json: &str) -> Result<usize, MetadataError> {
        let value = json::parse(json).map_err(|_| MetadataError::NotJson)?;
        let Value::Object(object) = value else {
            return Err(MetadataError::NotObject);
        };
        let pick = |names: &[&str]| -> Option<String> {
            names.iter().find_map(|name| {
                object
                    .get(name)
                    .and_then(|value| match value {
                        Value::String(text) => Some(text.trim().to_owned()),
                        Value::Object(inner) => inner
                            .get("url")
                            .and_then(Value::as_str)
                            .map(|text| text.trim().to_owned()),
                        _ => None,
                    })
                    .filter(|text| !text.is_empty())
            })
        };
        let mut filled = 0;
        let mut fill = |field: &mut String, value: Option<String>| {
            if field.trim().is_empty() {
                if let Some(value) = value {
                    *field = value;
                    filled += 1;
                }
            }
        };
        fill(&mut self.title, pick(&["title", "og:title"]));
        fill(
            &mut self.description,
            pick(&["description", "og:description"]),
        );
        let image = pick(&["image", "og:image", "thumbnail"])
            .and_then(|src| crate::sanitize::check_image_src(&src).ok());
        fill(&mut self.image, image);
        fill(
            &mut self.site_name,
            pick(&["site_name", "og:site_name", "siteName"]),
        );
        Ok(filled)
    }

    /// The site name to show: the author's, else the domain.
    pub fn display_site(&self) -> String {
        if self.site_name.trim().is_empty() {
            self.domain()
        } else {
            self.site_name.clone()
        }
    }
}

#[cfg(test)]
mod card_tests {
    use super::*;

    #[test]
    fn metadata_fills_only_empty_fields() {
        let mut card = LinkCard {
            url: "https://example.org/a".into(),
            title: "Mine".into(),
            ..Default::default()
        };
        let filled = card
            .fill_from_metadata(
                r#"{"title":"Theirs","description":"D","image":{"url":"https://example.org/i.png"},"site_name":"Ex"}"#,
            )
            .unwrap();
        assert_eq!(filled, 3);
        assert_eq!(card.title, "Mine");
        assert_eq!(card.image, "https://example.org/i.png");
        assert!(card.fill_from_metadata("<html>").is_err());
        let mut hostile = LinkCard::default();
        hostile
            .fill_from_metadata(r#"{"image":"javascript:alert(1)"}"#)
            .unwrap();
        assert_eq!(hostile.image, "");
    }

    #[test]
    fn a_card_with_only_a_url_shows_its_domain() {
        let card = LinkCard {
            url: "https://blog.example.com/post/1".into(),
            ..Default::default()
        };
        assert_eq!(card.display_title(), "blog.example.com");
        assert_eq!(
            card.favicon().as_deref(),
            Some("https://blog.example.com/favicon.ico")
        );
    }
}

/// Which side of the post a speaker sits on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Side {
    #[default]
    Left,
    Right,
}

impl Side {
    pub fn flipped(self) -> Side {
        match self {
            Side::Left => Side::Right,
            Side::Right => Side::Left,
        }
    }
}

/// A spoken balloon or a thought cloud.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum BalloonStyle {
    #[default]
    Talk,
    Think,
}

/// The balloon palette of the JIN theme, by name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Palette {
    #[default]
    Gray,
    Blue,
    Red,
    Green,
    Yellow,
    None,
}

impl Palette {
    pub const ALL: [Palette; 6] = [
        Palette::Gray,
        Palette::Blue,
        Palette::Red,
        Palette::Green,
        Palette::Yellow,
        Palette::None,
    ];

    /// Reads a palette name as the themes write it (`grey` too); unknown names are `None`.
    pub fn parse(name: &str) -> Option<Palette> {
        let name = name.trim().to_ascii_lowercase();
        Palette::ALL
            .into_iter()
            .find(|palette| palette.as_str() == name)
            .or_else(|| (name == "grey").then_some(Palette::Gray))
    }

    /// The CSS colour of a border in this palette (`None` draws no border).
    pub fn border_css(self) -> Option<&'static str> {
        match self {
            Palette::Gray => Some("#d5d5d5"),
            Palette::Blue => Some("#7cb3e9"),
            Palette::Red => Some("#ee8d8d"),
            Palette::Green => Some("#8cc98f"),
            Palette::Yellow => Some("#e6c65c"),
            Palette::None => None,
        }
    }

    /// The CSS colour of a background in this palette (`None` is white).
    pub fn background_css(self) -> &'static str {
        match self {
            Palette::Gray => "#f3f3f3",
            Palette::Blue => "#eaf4fd",
            Palette::Red => "#fdeeee",
            Palette::Green => "#edf8ee",
            Palette::Yellow => "#fdf8e4",
            Palette::None => "#ffffff",
        }
    }
}

/// The shape of a speaker's icon.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum IconShape {
    #[default]
    Circle,
    Square,
}

/// What a bubble keeps of its speaker, so an exported or imported post stays self-contained.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerLook {
    /// The registry's speaker this bubble follows (`None` once that speaker is deleted).
    pub speaker_id: Option<String>,
    pub name: String,
    /// The expression's label (`normal`, `smile`, …).
    pub expression: String,
    /// The face image: a URL, a `data:` image, or a bare filename kept for WordPress.
    pub face: String,
    pub border: Palette,
    pub background: Palette,
    pub shape: IconShape,
    pub show_name: bool,
}

named_enum!(Side { Left = "left", Right = "right" });
named_enum!(BalloonStyle { Talk = "talk", Think = "think" });
named_enum!(Palette {
    Gray = "gray",
    Blue = "blue",
    Red = "red",
    Green = "green",
    Yellow = "yellow",
    None = "none",
});
named_enum!(IconShape { Circle = "circle", Square = "square" });

/// A bubble's copy of its speaker: fields it does not know are dropped (the registry keeps
/// the speaker's own).
impl ToJson for SpeakerLook {
    fn write_json(&self, out: &mut String) {
        let mut object = ObjectWriter::new(out);
        if let Some(id) = &self.speaker_id {
            object.field("speaker_id", id);
        }
        object.field("name", &self.name);
        for (key, text) in [("expression", &self.expression), ("face", &self.face)] {
            if !text.is_empty() {
                object.field(key, text);
            }
        }
        object.field("border", &self.border);
        object.field("background", &self.background);
        object.field("shape", &self.shape);
        object.field("show_name", &self.show_name);
        object.end();
    }
}

impl FromJson for SpeakerLook {
    fn read_json(reader: &mut Reader<'_>) -> Result<SpeakerLook, Error> {
        let mut look = SpeakerLook::default();
        json::read_members(reader, None, &mut |key, reader| {
            match key {
                "speaker_id" => look.speaker_id = FromJson::read_json(reader)?,
                "name" => look.name = FromJson::read_json(reader)?,
                "expression" => look.expression = FromJson::read_json(reader)?,
                "face" => look.face = FromJson::read_json(reader)?,
                "border" => look.border = FromJson::read_json(reader)?,
                "background" => look.background = FromJson::read_json(reader)?,
                "shape" => look.shape = FromJson::read_json(reader)?,
                "show_name" => look.show_name = FromJson::read_json(reader)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(look)
    }
}

impl Default for SpeakerLook {
    fn default() -> Self {
        SpeakerLook {
            speaker_id: None,
            name: String::new(),
            expression: String::new(),
            face: String::new(),
            border: Palette::Gray,
            background: Palette::Gray,
            shape: IconShape::Circle,
            show_name: true,
        }
    }
}

/// A speech bubble (吹き出し): a speaker's face and name beside a balloon of text.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bubble {
    pub speaker: SpeakerLook,
    pub side: Side,
    pub style: BalloonStyle,
    /// The balloon's text; a blank line separates paragraphs, a single newline breaks a line.
    pub text: RichText,
    pub extra: Extra,
}

/// A stored block of a type this version does not know.
#[derive(Clone, Debug, PartialEq)]
pub struct UnknownBlock {
    pub type_name: String,
    pub data: Value,
}
