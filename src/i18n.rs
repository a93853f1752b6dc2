//! Every user-visible string, in one catalog per language (English, Japanese). Pure.
//!
//! The English accessible names are a contract with assistive technology and the tests: the
//! issues fix them exactly, so they never change. Both catalogs are exhaustive `match`es, so a
//! key missing in either is a compile error; a host test also checks none is empty.

/// A UI language.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Ja, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ja => "ja",
        }
    }

    /// The language's own name, as the language picker shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Ja => "日本語",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "en" => Some(Lang::En),
            "ja" => Some(Lang::Ja),
            _ => None,
        }
    }

    /// The language to start in, from the browser's preferred language (`ja-JP` → Japanese).
    pub fn from_browser(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("ja") {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

macro_rules! keys {
    ($($key:ident),* $(,)?) => {
        /// A user-visible string.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Key { $($key),* }
        impl Key {
            pub const ALL: &'static [Key] = &[$(Key::$key),*];
        }
    };
}

keys! {
    Format,
    MarkdownFlavor,
    WordPressFormat,
    ClassicEditor,
    BlockEditor,
    InlineStyles,
    ExportOutput,
    OutputShortened,
    ExportPreview,
    Copy,
    CopyRichText,
    Download,
    DownloadStylesheet,
    DownloadShortcodes,
    Copied,
    CopyFailed,
    Preparing,
    ImportText,
    ChooseFile,
    ImportFormat,
    ImportAsNewDraft,
    ImportFound,
    ImportHint,
    Auto,
    SearchDrafts,
    NewDraft,
    RenameDraft,
    DuplicateDraft,
    DeleteDraft,
    Trash,
    RestoreDraft,
    TrashNote,
    Untitled,
    CopySuffix,
    EditedAt,
    NoDrafts,
    DraftTitle,
    ConflictMessage,
    LoadOtherVersion,
    KeepThisVersion,
    DownloadRecovered,
    DiscardRecovered,
    ReloadToUpdate,
    UpdateReady,
    StorageUsage,
    StoragePersistent,
    StorageNotPersistent,
    UrlsBecomeCards,
    StatusBar,
    AppName,
    Title,
    AddParagraph,
    Paragraph,
    Heading,
    List,
    NumberedList,
    ListItem,
    Quote,
    Citation,
    Divider,
    Image,
    Code,
    CodeLanguage,
    LinkCard,
    SpeakerBubble,
    DeleteBlock,
    InsertBlock,
    MoveBlockUp,
    MoveBlockDown,
    DuplicateBlock,
    DragBlock,
    BlockType,
    HeadingLevel,
    Undo,
    Redo,
    Bold,
    Italic,
    Strikethrough,
    InlineCode,
    Highlight,
    Link,
    LinkAddress,
    ApplyLink,
    RemoveLink,
    Cancel,
    Close,
    Saved,
    Saving,
    ReadingPaste,
    ReadOnly,
    StorageUnavailable,
    DismissMessage,
    EditorToolbar,
    FormatToolbar,
    BlockMenu,
    FilterBlocks,
    NoMatchingBlocks,
    ParagraphPlaceholder,
    ImageAddress,
    ImageAlt,
    ImageCaption,
    ChooseImageFile,
    ImageSizeNote,
    ImageAltMissing,
    Url,
    CardTitle,
    CardDescription,
    CardImageUrl,
    SiteName,
    Speaker,
    Expression,
    BubbleText,
    SwitchSide,
    BalloonStyle,
    Talk,
    Think,
    NoSpeaker,
    Speakers,
    SpeakerName,
    ExpressionLabel,
    FaceImageUrl,
    ChooseFaceFile,
    AddSpeaker,
    AddExpression,
    DeleteSpeaker,
    DeleteExpression,
    MoveSpeakerUp,
    MoveSpeakerDown,
    DefaultSide,
    Left,
    Right,
    BorderColour,
    BackgroundColour,
    IconShape,
    Circle,
    Square,
    ShowName,
    ConfirmDeleteSpeaker,
    NewSpeakerName,
    TurnIntoCard,
    KeepAsLink,
    CardOffer,
    Export,
    Import,
    Drafts,
    Settings,
    Language,
    Theme,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    Characters,
    Words,
    ReadingTime,
    MetadataEndpoint,
    MetadataEndpointHelp,
    FetchingMetadata,
}

/// The string for a key in a language.
pub fn text(lang: Lang, key: Key) -> &'static str {
    match lang {
        Lang::En => en(key),
        Lang::Ja => ja(key),
    }
}

fn en(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "Tsuzuri",
        Title => "Title",
        AddParagraph => "Add paragraph",
        Paragraph => "Paragraph",
        Heading => "Heading",
        List => "List",
        NumberedList => "Numbered list",
        ListItem => "List item",
        Quote => "Quote",
        Citation => "Citation",
        Divider => "Divider",
        Image => "Image",
        Code => "Code",
        CodeLanguage => "Code language",
        LinkCard => "Link card",
        SpeakerBubble => "Speaker bubble",
        DeleteBlock => "Delete block",
        InsertBlock => "Insert block",
        MoveBlockUp => "Move block up",
        MoveBlockDown => "Move block down",
        DuplicateBlock => "Duplicate block",
        DragBlock => "Drag to reorder",
        BlockType => "Block type",
        HeadingLevel => "Heading level",
        Undo => "Undo",
        Redo => "Redo",
        Bold => "Bold",
        Italic => "Italic",
        Strikethrough => "Strikethrough",
        InlineCode => "Inline code",
        Highlight => "Highlight",
        Link => "Link",
        LinkAddress => "Link address",
        ApplyLink => "Apply link",
        RemoveLink => "Remove link",
        Cancel => "Cancel",
        Close => "Close",
        Saved => "Saved",
        Saving => "Saving…",
        ReadingPaste => "Reading the paste…",
        ReadOnly => "Read-only",
        StorageUnavailable => "Not saved: browser storage is unavailable",
        DismissMessage => "Dismiss message",
        EditorToolbar => "Editor",
        FormatToolbar => "Formatting",
        BlockMenu => "Blocks",
        FilterBlocks => "Filter blocks",
        NoMatchingBlocks => "No matching block",
        ParagraphPlaceholder => "Type, or press / for blocks",
        ImageAddress => "Image address",
        ImageAlt => "Alt text",
        ImageCaption => "Caption",
        ChooseImageFile => "Choose image file",
        ImageSizeNote => "Local images are downscaled to 1600 px and stored in the draft (up to 1 MB each).",
        ImageAltMissing => "Add alt text: it describes the image to people who cannot see it.",
        Url => "URL",
        CardTitle => "Card title",
        CardDescription => "Card description",
        CardImageUrl => "Image URL",
        SiteName => "Site name",
        Speaker => "Speaker",
        Expression => "Expression",
        BubbleText => "Bubble text",
        SwitchSide => "Switch side",
        BalloonStyle => "Balloon style",
        Talk => "Talk",
        Think => "Think",
        NoSpeaker => "No speaker",
        Speakers => "Speakers",
        SpeakerName => "Speaker name",
        ExpressionLabel => "Expression label",
        FaceImageUrl => "Face image URL",
        ChooseFaceFile => "Choose face image",
        AddSpeaker => "Add speaker",
        AddExpression => "Add expression",
        DeleteSpeaker => "Delete speaker",
        DeleteExpression => "Delete expression",
        MoveSpeakerUp => "Move speaker up",
        MoveSpeakerDown => "Move speaker down",
        DefaultSide => "Default side",
        Left => "Left",
        Right => "Right",
        BorderColour => "Border colour",
        BackgroundColour => "Background colour",
        IconShape => "Icon shape",
        Circle => "Circle",
        Square => "Square",
        ShowName => "Show name under the icon",
        ConfirmDeleteSpeaker => "This speaker appears in bubbles of this draft. Delete anyway? The bubbles keep their name and face.",
        NewSpeakerName => "New speaker",
        TurnIntoCard => "Turn into link card",
        KeepAsLink => "Keep as link",
        CardOffer => "This paragraph is a link.",
        Export => "Export",
        Import => "Import",
        Drafts => "Drafts",
        Settings => "Settings",
        Language => "Language",
        Theme => "Theme",
        ThemeSystem => "System",
        ThemeLight => "Light",
        ThemeDark => "Dark",
        Characters => "characters",
        Words => "words",
        ReadingTime => "min read",
        MetadataEndpoint => "Link card metadata endpoint",
        MetadataEndpointHelp => "Optional. A URL with {url} that returns JSON with title, description, image and site_name. When empty, nothing leaves the browser.",
        FetchingMetadata => "Fetching page details…",
        Format => "Format",
        MarkdownFlavor => "Markdown flavor",
        WordPressFormat => "WordPress format",
        ClassicEditor => "Classic editor (shortcodes)",
        BlockEditor => "Block editor (Gutenberg)",
        InlineStyles => "Inline styles",
        ExportOutput => "Export output",
        OutputShortened => "The box shows the beginning of a long output; Copy and Download use all of it.",
        ExportPreview => "Preview of the exported post",
        Copy => "Copy",
        CopyRichText => "Copy as rich text",
        Download => "Download",
        DownloadStylesheet => "Download stylesheet",
        DownloadShortcodes => "Download shortcode templates",
        Copied => "Copied.",
        CopyFailed => "The browser did not allow copying. Select the output and copy it by hand.",
        Preparing => "Preparing…",
        ImportText => "Import text",
        ChooseFile => "Choose file",
        ImportFormat => "Import format",
        ImportAsNewDraft => "Import as new draft",
        ImportFound => "Found",
        ImportHint => "Paste a post (WordPress, Markdown, HTML, JSON or Editor.js) or choose a file. It always becomes a new draft.",
        Auto => "Auto",
        SearchDrafts => "Search drafts",
        NewDraft => "New draft",
        RenameDraft => "Rename draft",
        DuplicateDraft => "Duplicate draft",
        DeleteDraft => "Delete draft",
        Trash => "Trash",
        RestoreDraft => "Restore draft",
        TrashNote => "Deleted drafts are kept for 30 days.",
        Untitled => "Untitled",
        CopySuffix => " (copy)",
        EditedAt => "Edited",
        NoDrafts => "No drafts match.",
        DraftTitle => "Draft title",
        ConflictMessage => "This draft was changed in another tab. Which version do you want to keep?",
        LoadOtherVersion => "Use the other tab's version",
        KeepThisVersion => "Keep this tab's version",
        DownloadRecovered => "Download the unreadable draft",
        DiscardRecovered => "Delete the kept copy",
        ReloadToUpdate => "Reload to update",
        UpdateReady => "A new version of Tsuzuri is ready.",
        StorageUsage => "Storage used",
        StoragePersistent => "Storage is persistent: the browser will not clear it on its own.",
        StorageNotPersistent => "The browser may clear storage when space runs low. Export important posts.",
        UrlsBecomeCards => "Turn a pasted URL into a link card",
        StatusBar => "Post statistics",
    }
}

fn ja(key: Key) -> &'static str {
    use Key::*;
    match key {
        AppName => "綴り",
        Title => "タイトル",
        AddParagraph => "段落を追加",
        Paragraph => "段落",
        Heading => "見出し",
        List => "箇条書き",
        NumberedList => "番号付きリスト",
        ListItem => "リスト項目",
        Quote => "引用",
        Citation => "出典",
        Divider => "区切り線",
        Image => "画像",
        Code => "コード",
        CodeLanguage => "コードの言語",
        LinkCard => "リンクカード",
        SpeakerBubble => "吹き出し",
        DeleteBlock => "ブロックを削除",
        InsertBlock => "ブロックを挿入",
        MoveBlockUp => "ブロックを上へ",
        MoveBlockDown => "ブロックを下へ",
        DuplicateBlock => "ブロックを複製",
        DragBlock => "ドラッグして並べ替え",
        BlockType => "ブロックの種類",
        HeadingLevel => "見出しのレベル",
        Undo => "元に戻す",
        Redo => "やり直す",
        Bold => "太字",
        Italic => "斜体",
        Strikethrough => "取り消し線",
        InlineCode => "インラインコード",
        Highlight => "マーカー",
        Link => "リンク",
        LinkAddress => "リンク先",
        ApplyLink => "リンクを設定",
        RemoveLink => "リンクを解除",
        Cancel => "キャンセル",
        Close => "閉じる",
        Saved => "保存済み",
        Saving => "保存中…",
        ReadingPaste => "貼り付けを読み込み中…",
        ReadOnly => "読み取り専用",
        StorageUnavailable => "保存されません：ブラウザのストレージが使えません",
        DismissMessage => "メッセージを閉じる",
        EditorToolbar => "エディタ",
        FormatToolbar => "書式",
        BlockMenu => "ブロック",
        FilterBlocks => "ブロックを絞り込む",
        NoMatchingBlocks => "該当するブロックがありません",
        ParagraphPlaceholder => "入力するか / でブロックを選択",
        ImageAddress => "画像のアドレス",
        ImageAlt => "代替テキスト",
        ImageCaption => "キャプション",
        ChooseImageFile => "画像ファイルを選ぶ",
        ImageSizeNote => "端末の画像は 1600px に縮小して下書きに保存します（1枚 1MB まで）。",
        ImageAltMissing => "代替テキストを入れてください。画像が見えない人に内容を伝えます。",
        Url => "URL",
        CardTitle => "カードのタイトル",
        CardDescription => "カードの説明",
        CardImageUrl => "画像の URL",
        SiteName => "サイト名",
        Speaker => "話し手",
        Expression => "表情",
        BubbleText => "吹き出しの本文",
        SwitchSide => "左右を入れ替え",
        BalloonStyle => "吹き出しの形",
        Talk => "会話",
        Think => "考え中",
        NoSpeaker => "話し手なし",
        Speakers => "話し手",
        SpeakerName => "話し手の名前",
        ExpressionLabel => "表情の名前",
        FaceImageUrl => "顔画像の URL",
        ChooseFaceFile => "顔画像を選ぶ",
        AddSpeaker => "話し手を追加",
        AddExpression => "表情を追加",
        DeleteSpeaker => "話し手を削除",
        DeleteExpression => "表情を削除",
        MoveSpeakerUp => "話し手を上へ",
        MoveSpeakerDown => "話し手を下へ",
        DefaultSide => "標準の位置",
        Left => "左",
        Right => "右",
        BorderColour => "枠の色",
        BackgroundColour => "背景の色",
        IconShape => "アイコンの形",
        Circle => "丸",
        Square => "四角",
        ShowName => "アイコンの下に名前を表示",
        ConfirmDeleteSpeaker => "この話し手は下書きの吹き出しで使われています。削除しますか？吹き出しの名前と顔はそのまま残ります。",
        NewSpeakerName => "新しい話し手",
        TurnIntoCard => "リンクカードにする",
        KeepAsLink => "リンクのままにする",
        CardOffer => "この段落はリンクです。",
        Export => "書き出し",
        Import => "読み込み",
        Drafts => "下書き",
        Settings => "設定",
        Language => "言語",
        Theme => "テーマ",
        ThemeSystem => "システム",
        ThemeLight => "ライト",
        ThemeDark => "ダーク",
        Characters => "文字",
        Words => "語",
        ReadingTime => "分で読めます",
        MetadataEndpoint => "リンクカード情報の取得先",
        MetadataEndpointHelp => "任意。{url} を含む URL で、title・description・image・site_name を JSON で返すもの。空なら何もブラウザの外に送りません。",
        FetchingMetadata => "ページの情報を取得中…",
        Format => "形式",
        MarkdownFlavor => "Markdown の種類",
        WordPressFormat => "WordPress の形式",
        ClassicEditor => "クラシックエディタ（ショートコード）",
        BlockEditor => "ブロックエディタ（Gutenberg）",
        InlineStyles => "インラインスタイル",
        ExportOutput => "書き出し結果",
        OutputShortened => "長い書き出し結果は冒頭だけを表示しています。コピーとダウンロードは全体を使います。",
        ExportPreview => "書き出した記事のプレビュー",
        Copy => "コピー",
        CopyRichText => "リッチテキストとしてコピー",
        Download => "ダウンロード",
        DownloadStylesheet => "スタイルシートをダウンロード",
        DownloadShortcodes => "ショートコードのテンプレートをダウンロード",
        Copied => "コピーしました。",
        CopyFailed => "ブラウザがコピーを許可しませんでした。書き出し結果を選択して手動でコピーしてください。",
        Preparing => "準備中…",
        ImportText => "読み込むテキスト",
        ChooseFile => "ファイルを選ぶ",
        ImportFormat => "読み込む形式",
        ImportAsNewDraft => "新しい下書きとして読み込む",
        ImportFound => "見つかったもの",
        ImportHint => "記事（WordPress・Markdown・HTML・JSON・Editor.js）を貼り付けるか、ファイルを選んでください。常に新しい下書きになります。",
        Auto => "自動",
        SearchDrafts => "下書きを検索",
        NewDraft => "新しい下書き",
        RenameDraft => "下書きの名前を変更",
        DuplicateDraft => "下書きを複製",
        DeleteDraft => "下書きを削除",
        Trash => "ゴミ箱",
        RestoreDraft => "下書きを元に戻す",
        TrashNote => "削除した下書きは 30 日間保管されます。",
        Untitled => "無題",
        CopySuffix => "（コピー）",
        EditedAt => "編集",
        NoDrafts => "一致する下書きはありません。",
        DraftTitle => "下書きのタイトル",
        ConflictMessage => "この下書きは別のタブで変更されました。どちらを残しますか？",
        LoadOtherVersion => "別のタブの内容を使う",
        KeepThisVersion => "このタブの内容を残す",
        DownloadRecovered => "読めなかった下書きをダウンロード",
        DiscardRecovered => "残したコピーを削除",
        ReloadToUpdate => "再読み込みして更新",
        UpdateReady => "綴りの新しいバージョンがあります。",
        StorageUsage => "使用中のストレージ",
        StoragePersistent => "ストレージは永続化されています。ブラウザが勝手に消すことはありません。",
        StorageNotPersistent => "空き容量が減るとブラウザが消すことがあります。大切な記事は書き出してください。",
        UrlsBecomeCards => "貼り付けた URL をリンクカードにする",
        StatusBar => "記事の統計",
    }
}

/// Names a block kind is found by in the insert menu: its names in both languages and aliases.
pub fn search_terms(kind: crate::model::BlockKind) -> &'static [&'static str] {
    use crate::model::BlockKind::*;
    match kind {
        Paragraph => &["paragraph", "text", "段落", "テキスト", "本文"],
        Heading => &["heading", "title", "h2", "見出し", "みだし"],
        List => &["list", "bullet", "箇条書き", "リスト"],
        NumberedList => &["numbered list", "ordered", "番号付きリスト", "番号"],
        Quote => &["quote", "blockquote", "引用"],
        Divider => &["divider", "separator", "hr", "区切り線", "区切り"],
        Image => &["image", "picture", "photo", "画像", "写真"],
        Code => &["code", "snippet", "コード"],
        LinkCard => &[
            "link card",
            "blog card",
            "embed",
            "リンクカード",
            "ブログカード",
        ],
        Bubble => &[
            "speaker bubble",
            "chat",
            "balloon",
            "吹き出し",
            "ふきだし",
            "会話",
        ],
    }
}

/// The key naming a block kind.
pub fn kind_key(kind: crate::model::BlockKind) -> Key {
    use crate::model::BlockKind::*;
    match kind {
        Paragraph => Key::Paragraph,
        Heading => Key::Heading,
        List => Key::List,
        NumberedList => Key::NumberedList,
        Quote => Key::Quote,
        Divider => Key::Divider,
        Image => Key::Image,
        Code => Key::Code,
        LinkCard => Key::LinkCard,
        Bubble => Key::SpeakerBubble,
    }
}

/// Whether a kind matches what the author typed after `/` (any language, case-insensitive).
pub fn kind_matches(kind: crate::model::BlockKind, filter: &str) -> bool {
    let filter = crate::fold::fold_case(filter.trim());
    filter.is_empty()
        || search_terms(kind)
            .iter()
            .any(|term| crate::fold::fold_case(term).contains(&filter))
        || Lang::ALL
            .iter()
            .any(|lang| crate::fold::fold_case(text(*lang, kind_key(kind))).contains(&filter))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::BlockKind;

    #[test]
    fn every_key_has_text_in_every_language() {
        for lang in Lang::ALL {
            for key in Key::ALL {
                assert!(
                    !text(lang, *key).trim().is_empty(),
                    "{key:?} missing in {lang:?}"
                );
            }
        }
    }

    #[test]
    fn japanese_strings_are_translated() {
        let same: Vec<_> = Key::ALL
            .iter()
            .filter(|key| text(Lang::En, **key) == text(Lang::Ja, **key))
            .collect();
        // Only the URL label is the same word in both.
        assert_eq!(same, vec![&Key::Url]);
    }

    #[test]
    fn fixed_english_accessible_names() {
        let fixed = [
            (Key::Title, "Title"),
            (Key::AddParagraph, "Add paragraph"),
            (Key::Paragraph, "Paragraph"),
            (Key::DeleteBlock, "Delete block"),
            (Key::InsertBlock, "Insert block"),
            (Key::MoveBlockUp, "Move block up"),
            (Key::MoveBlockDown, "Move block down"),
            (Key::DuplicateBlock, "Duplicate block"),
            (Key::InlineCode, "Inline code"),
            (Key::LinkCard, "Link card"),
            (Key::SpeakerBubble, "Speaker bubble"),
            (Key::BubbleText, "Bubble text"),
            (Key::SwitchSide, "Switch side"),
            (Key::CardImageUrl, "Image URL"),
            (Key::FaceImageUrl, "Face image URL"),
            (Key::Saved, "Saved"),
        ];
        for (key, name) in fixed {
            assert_eq!(text(Lang::En, key), name);
        }
    }

    #[test]
    fn the_menu_filters_in_both_languages() {
        assert!(kind_matches(BlockKind::Heading, "見出し"));
        assert!(kind_matches(BlockKind::LinkCard, "リンクカード"));
        assert!(kind_matches(BlockKind::Bubble, "吹き出し"));
        assert!(kind_matches(BlockKind::Bubble, "Speak"));
        assert!(!kind_matches(BlockKind::Divider, "見出し"));
        assert!(kind_matches(BlockKind::Code, ""));
    }

    #[test]
    fn browser_language_picks_the_ui_language() {
        assert_eq!(Lang::from_browser("ja-JP"), Lang::Ja);
        assert_eq!(Lang::from_browser("en-US"), Lang::En);
        assert_eq!(Lang::from_browser("fr"), Lang::En);
    }
}

/// Messages the author sees when something goes wrong, in both languages. The core's error
/// types display their English message from here, so one wording serves UI and logs alike.
pub mod messages {
    use super::Lang;
    use crate::codec::import::ImportError;
    use crate::codec::json::LoadError;
    use crate::model::speakers::RegistryError;
    use crate::sanitize::UrlError;
    use crate::storage::StoreError;

    pub fn url(lang: Lang, error: &UrlError) -> String {
        match (lang, error) {
            (Lang::En, UrlError::Empty) => "Enter a URL.".into(),
            (Lang::En, UrlError::SchemeNotAllowed(scheme)) => format!(
                "Links starting with “{scheme}:” are not allowed. Use http, https or mailto."
            ),
            (Lang::En, UrlError::MissingHost) => {
                "The URL has no site name, e.g. https://example.com/page.".into()
            }
            (Lang::En, UrlError::Malformed) => "That is not a valid URL.".into(),
            (Lang::Ja, UrlError::Empty) => "URL を入力してください。".into(),
            (Lang::Ja, UrlError::SchemeNotAllowed(scheme)) => format!(
                "「{scheme}:」で始まるリンクは使えません。http・https・mailto を使ってください。"
            ),
            (Lang::Ja, UrlError::MissingHost) => {
                "URL にサイト名がありません（例：https://example.com/page）。".into()
            }
            (Lang::Ja, UrlError::Malformed) => "URL の形式が正しくありません。".into(),
        }
    }

    pub fn store(lang: Lang, error: &StoreError) -> String {
        match (lang, error) {
            (Lang::En, StoreError::Unavailable) => "Browser storage is unavailable: your writing is kept in this tab only and will be lost when it closes.".into(),
            (Lang::En, StoreError::QuotaExceeded) => "Not saved: storage is full. Export this post, remove large images, or empty the trash; saving will be retried.".into(),
            (Lang::En, StoreError::Other(detail)) => format!("Not saved: {detail}. Saving will be retried."),
            (Lang::Ja, StoreError::Unavailable) => "ブラウザのストレージが使えません。書いた内容はこのタブの中だけにあり、閉じると消えます。".into(),
            (Lang::Ja, StoreError::QuotaExceeded) => "保存できません：ストレージがいっぱいです。記事を書き出す、大きな画像を削除する、ゴミ箱を空にする、のいずれかをしてください。保存は自動で再試行します。".into(),
            (Lang::Ja, StoreError::Other(detail)) => {
                format!("保存できません：{detail}。保存は自動で再試行します。")
            }
        }
    }

    pub fn load(lang: Lang, error: &LoadError) -> String {
        match (lang, error) {
            (Lang::En, LoadError::Syntax(detail)) => format!("The data is not valid JSON ({detail})."),
            (Lang::En, LoadError::Shape(detail)) => format!("The data is not a Tsuzuri document ({detail})."),
            (Lang::En, LoadError::NewerVersion(version)) => format!("This was saved by a newer version of Tsuzuri (format {version}); update to edit it."
            ),
            (Lang::Ja, LoadError::Syntax(detail)) => {
                format!("データが正しい JSON ではありません（{detail}）。")
            }
            (Lang::Ja, LoadError::Shape(detail)) => {
                format!("綴りの下書きとして読めないデータです（{detail}）。")
            }
            (Lang::Ja, LoadError::NewerVersion(version)) => format!(
                "新しいバージョンの綴りで保存されたデータです（形式 {version}）。編集するには綴りを更新してください。"
            ),
        }
    }

    pub fn import(lang: Lang, error: &ImportError) -> String {
        match (lang, error) {
            (Lang::En, ImportError::Empty) => "The text is empty.".into(),
            (Lang::En, ImportError::InvalidJson(detail)) => {
                format!("This is not valid JSON: {detail}.")
            }
            (Lang::En, ImportError::Unreadable(reason)) => reason.clone(),
            (Lang::En, ImportError::NoBlocks(format)) => {
                format!("No blocks were found in this {} text.", format.label())
            }
            (Lang::Ja, ImportError::Empty) => "テキストが空です。".into(),
            (Lang::Ja, ImportError::InvalidJson(detail)) => {
                format!("正しい JSON ではありません：{detail}。")
            }
            (Lang::Ja, ImportError::Unreadable(reason)) => {
                format!("読み込めない内容です（{reason}）。")
            }
            (Lang::Ja, ImportError::NoBlocks(format)) => {
                format!(
                    "この {} のテキストにはブロックが見つかりませんでした。",
                    format.label()
                )
            }
        }
    }

    /// A registry error as a sentence (no final period: callers add it in running text).
    pub fn registry_text(lang: Lang, error: &RegistryError) -> String {
        match (lang, error) {
            (Lang::En, RegistryError::NoSuchSpeaker(id)) => format!("there is no speaker {id}"),
            (Lang::En, RegistryError::EmptyName) => "a speaker needs a name".into(),
            (Lang::En, RegistryError::DuplicateName(name)) => {
                format!("there is already a speaker named “{name}”")
            }
            (Lang::Ja, RegistryError::NoSuchSpeaker(id)) => format!("話し手 {id} は存在しません"),
            (Lang::Ja, RegistryError::EmptyName) => "話し手には名前が必要です".into(),
            (Lang::Ja, RegistryError::DuplicateName(name)) => {
                format!("「{name}」という話し手はすでにいます")
            }
        }
    }

    pub fn registry(lang: Lang, error: &RegistryError) -> String {
        match lang {
            Lang::En => format!("{}.", registry_text(lang, error)),
            Lang::Ja => format!("{}。", registry_text(lang, error)),
        }
    }

    /// A stored draft was set aside because it could not be read.
    pub fn set_aside(lang: Lang, reason: &str, recovery_key: &str) -> String {
        match lang {
            Lang::En => format!("A draft could not be read ({reason}). Its text is kept under “{recovery_key}” in browser storage; download it below."),
            Lang::Ja => format!("下書きを読めませんでした（{reason}）。元のテキストはブラウザのストレージの「{recovery_key}」に残してあります。下のボタンからダウンロードできます。"),
        }
    }

    /// A draft that could not be read, with no room to set it aside.
    pub fn left_in_place(lang: Lang, reason: &str) -> String {
        match lang {
            Lang::En => format!("A draft could not be read ({reason}), and storage is too full to set it aside: it is left as it was, and a new draft is open."),
            Lang::Ja => format!("下書きを読めませんでした（{reason}）。ストレージに空きがないため別の場所に移せず、そのまま残してあります。新しい下書きを開いています。"),
        }
    }

    /// The list of drafts was unreadable and was rebuilt from the stored drafts.
    pub fn index_rebuilt(lang: Lang, recovery_key: &str) -> String {
        match lang {
            Lang::En => format!("The list of drafts could not be read, so it was made again from the drafts stored (their dates are lost). The old list is kept under “{recovery_key}”; download it below."),
            Lang::Ja => format!("下書きの一覧を読めなかったため、保存されている下書きから作り直しました（日時は失われました）。元の一覧は「{recovery_key}」に残してあります。下のボタンからダウンロードできます。"),
        }
    }

    /// A draft written by a newer version is shown read-only.
    pub fn read_only(lang: Lang, reason: &str) -> String {
        match lang {
            Lang::En => format!("{reason} It is shown read-only."),
            Lang::Ja => format!("{reason}読み取り専用で表示しています。"),
        }
    }

    /// An edit refused because the draft is read-only.
    pub fn edit_refused(lang: Lang) -> &'static str {
        match lang {
            Lang::En => "This draft is read-only: it was saved by a newer version of Tsuzuri.",
            Lang::Ja => "この下書きは新しいバージョンの綴りで保存されたため、読み取り専用です。",
        }
    }

    /// Problems met in the browser shell, with what the author needs to know.
    #[derive(Clone, Debug, PartialEq)]
    pub enum Problem {
        ChangeFailed,
        UnknownBlock(String),
        NotAPicture(String),
        ImageUnreadable(String),
        ImageTooLarge {
            name: String,
            limit_kb: usize,
        },
        NoImageSupport,
        Metadata(crate::model::MetadataError),
        MetadataTimeout(u32),
        MetadataUnreachable,
        MetadataStatus(u16),
        MetadataUnreadable,
        FileUnreadable(String),
        RecordUnreadable(String),
        /// The codec worker could not start or broke (exports, imports, rich pastes).
        CodecsUnavailable,
        /// A post the codec worker could not read (the reason, in English).
        CodecFailed(String),
        /// The dialogs' module could not be loaded (drafts, export, import, speakers, settings).
        DialogsUnavailable,
        /// A formatted paste read after another post was opened.
        PasteNotAdded,
        /// The codec worker could not read a formatted paste, so its plain text went in.
        PastedAsPlainText,
        /// The open draft was not left: its latest changes are not saved.
        NotSavedYet,
        /// The open draft was not left: nothing can be stored, so it is the only copy.
        NotKeptStays,
    }

    pub fn problem(lang: Lang, problem: &Problem) -> String {
        use crate::model::MetadataError;
        use Problem::*;
        match lang {
            Lang::En => match problem {
                ChangeFailed => "That change could not be made; the editor is unchanged.".into(),
                UnknownBlock(kind) => format!("A “{kind}” block from another version of Tsuzuri. It is kept as it is."),
                NotAPicture(name) => format!("“{name}” is not a photo or picture file (PNG, JPEG, GIF or WebP)."),
                ImageUnreadable(name) => format!("“{name}” could not be read as an image."),
                ImageTooLarge { name, limit_kb } => format!("“{name}” is too large to keep in the draft even after shrinking it (limit {limit_kb} KB)."),
                NoImageSupport => "This browser cannot resize images.".into(),
                Metadata(MetadataError::NotJson) => "The metadata service did not answer with JSON.".into(),
                Metadata(MetadataError::NotObject) => "The metadata service answered with something other than an object.".into(),
                MetadataTimeout(seconds) => format!("The metadata service did not answer within {seconds} seconds."),
                MetadataUnreachable => "The metadata service could not be reached (offline, or it refused the request).".into(),
                MetadataStatus(status) => format!("The metadata service answered with error {status}."),
                MetadataUnreadable => "The metadata service's answer could not be read.".into(),
                FileUnreadable(name) => format!("“{name}” could not be read."),
                RecordUnreadable(key) => format!("Some stored settings could not be read; they were kept under “{key}” and defaults are used."),
                CodecsUnavailable => "Export, import and formatted paste could not start. Your post is unchanged; try again in a moment.".into(),
                CodecFailed(reason) => format!("The post could not be prepared: {reason}"),
                DialogsUnavailable => "That dialog could not be loaded. Your post is unchanged; check the connection and try again, or reload the page (after an update, this page's copy may be gone).".into(),
                PasteNotAdded => "The paste was not added: another post was opened while it was being read. Paste it again.".into(),
                PastedAsPlainText => "The formatting of the paste could not be read (the part of the editor that reads it could not start), so it went in as plain text.".into(),
                NotSavedYet => "This draft stays open: its latest changes are not saved yet. Free some browser storage, or choose a version in the message about the other tab, then try again.".into(),
                NotKeptStays => "This draft stays open: browser storage is unavailable, so it exists only on this page. Export or copy it first.".into(),
            },
            Lang::Ja => match problem {
                ChangeFailed => "その変更はできませんでした。内容は変わっていません。".into(),
                UnknownBlock(kind) => format!("別のバージョンの綴りの「{kind}」ブロックです。そのまま保存されます。"),
                NotAPicture(name) => format!("「{name}」は写真や画像のファイル（PNG・JPEG・GIF・WebP）ではありません。"),
                ImageUnreadable(name) => format!("「{name}」を画像として読めませんでした。"),
                ImageTooLarge { name, limit_kb } => format!("「{name}」は縮小しても大きすぎて下書きに保存できません（上限 {limit_kb} KB）。"),
                NoImageSupport => "このブラウザでは画像を縮小できません。".into(),
                Metadata(MetadataError::NotJson) => "情報の取得先が JSON を返しませんでした。".into(),
                Metadata(MetadataError::NotObject) => "情報の取得先の応答がオブジェクトではありません。".into(),
                MetadataTimeout(seconds) => format!("情報の取得先が {seconds} 秒以内に応答しませんでした。"),
                MetadataUnreachable => "情報の取得先に接続できませんでした（オフライン、または拒否されました）。".into(),
                MetadataStatus(status) => format!("情報の取得先がエラー {status} を返しました。"),
                MetadataUnreadable => "情報の取得先の応答を読めませんでした。".into(),
                FileUnreadable(name) => format!("「{name}」を読めませんでした。"),
                RecordUnreadable(key) => format!("保存された設定の一部を読めませんでした。「{key}」に残し、初期設定を使います。"),
                CodecsUnavailable => "書き出し・読み込み・書式付きの貼り付けを開始できませんでした。記事は変わっていません。少し待ってからもう一度お試しください。".into(),
                CodecFailed(reason) => format!("記事を準備できませんでした: {reason}"),
                DialogsUnavailable => "ダイアログを読み込めませんでした。記事は変わっていません。接続を確かめてもう一度お試しいただくか、ページを再読み込みしてください（更新の後は、このページの分が残っていないことがあります）。".into(),
                PasteNotAdded => "読み込み中に別の記事が開かれたため、貼り付けは追加されませんでした。もう一度貼り付けてください。".into(),
                PastedAsPlainText => "貼り付けた内容の書式を読み取れなかった（読み取る部分を開始できなかった）ため、プレーンテキストとして貼り付けました。".into(),
                NotSavedYet => "最新の変更がまだ保存されていないため、この下書きを開いたままにしています。ブラウザのストレージの空きを増やすか、別のタブに関するメッセージでどちらの版を使うか選んでから、もう一度お試しください。".into(),
                NotKeptStays => "ブラウザのストレージが使えないため、この下書きはこのページにしかありません。開いたままにしています。先に書き出すかコピーしてください。".into(),
            },
        }
    }

    /// What an import found, e.g. "12 paragraphs, 6 bubbles, 4 link cards".
    pub fn summary(lang: Lang, blocks: &[crate::model::BlockContent]) -> String {
        if lang == Lang::En {
            return crate::codec::import::summary(blocks);
        }
        const NAMES: [&str; 10] = [
            "段落",
            "見出し",
            "吹き出し",
            "リンクカード",
            "リスト",
            "引用",
            "画像",
            "コード",
            "区切り線",
            "未対応のブロック",
        ];
        let parts: Vec<String> = crate::codec::import::summary_counts(blocks)
            .iter()
            .zip(NAMES)
            .filter(|(count, _)| **count > 0)
            .map(|(count, name)| format!("{name} {count}"))
            .collect();
        if parts.is_empty() {
            "読み込めるものがありません".into()
        } else {
            parts.join("、")
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn summaries_in_both_languages() {
            let blocks = vec![
                crate::model::BlockKind::Paragraph.empty(),
                crate::model::BlockKind::Bubble.empty(),
                crate::model::BlockKind::Bubble.empty(),
            ];
            assert_eq!(summary(Lang::En, &blocks), "1 paragraph, 2 bubbles");
            assert_eq!(summary(Lang::Ja, &blocks), "段落 1、吹き出し 2");
            assert_ne!(
                problem(Lang::Ja, &Problem::ChangeFailed),
                problem(Lang::En, &Problem::ChangeFailed)
            );
        }

        #[test]
        fn every_error_has_a_japanese_message() {
            for error in [
                UrlError::Empty,
                UrlError::SchemeNotAllowed("javascript".into()),
                UrlError::MissingHost,
                UrlError::Malformed,
            ] {
                assert_ne!(url(Lang::Ja, &error), url(Lang::En, &error));
            }
            for error in [
                StoreError::Unavailable,
                StoreError::QuotaExceeded,
                StoreError::Other("x".into()),
            ] {
                assert_ne!(store(Lang::Ja, &error), store(Lang::En, &error));
            }
            assert!(
                store(Lang::En, &StoreError::QuotaExceeded).contains("Not saved: storage is full")
            );
            assert!(load(Lang::Ja, &LoadError::NewerVersion(3)).contains("新しいバージョン"));
            assert!(import(Lang::Ja, &ImportError::Empty).contains("空"));
            assert!(registry(Lang::Ja, &RegistryError::EmptyName).contains("名前"));
        }
    }
}
