//! Substitute fonts for text whose font the PDF does not embed.
//!
//! When a CID font (the kind Chinese, Japanese, Korean and most Unicode text uses) is not
//! embedded, the engine asks a resolver for a stand-in and maps each character to it through
//! Unicode. The engine's own answer is one of the 14 Latin standard fonts, which draws nothing for
//! "あいうえお". The [`FontBook`] answers instead with an installed font that covers the script
//! the PDF font asks for: by its character collection (Adobe-Japan1, -GB1, -CNS1, -Korea1) first,
//! then by its name (MS-Mincho, SimSun, Batang, Traditional Arabic, David, Angsana…), serif or
//! sans and bold from its flags and name. Simple (non-CID) fonts keep the engine's standard
//! fonts, metric-compatible with the fonts such files name.
//!
//! Fonts come from the directories given with `--font-dir` (tried first, matched by what their
//! character maps cover) and from the system's font directories (Debian's `fonts-noto-cjk`,
//! `fonts-noto-core`, `fonts-liberation`, `fonts-dejavu`, matched by file and family name).
//! Nothing is read until a document needs it; each font file is read once per process.
//!
//! No font is built into the binary: the smallest one that covers the CJK collections (Droid
//! Sans Fallback, 3.9 MB, sans only, no Japanese/Chinese distinction) would grow it by a sixth,
//! while the Debian packages give region-correct serif and sans faces. A glyph that no font
//! has is never dropped silently: the conversion answers with a warning (see `raster.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use hayro::hayro_interpret::font::{FallbackFontQuery, FontData, FontQuery};
use hayro::hayro_interpret::hayro_cmap::CidFamily;
use skrifa::MetadataProvider;
use skrifa::raw::FileRef;
use skrifa::string::StringId;

/// The writing systems a substitute is chosen for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Latin, Greek and Cyrillic: one face covers all three.
    Latin,
    Japanese,
    ChineseSimplified,
    ChineseTraditional,
    Korean,
    Arabic,
    Hebrew,
    Thai,
}

impl Script {
    /// Characters a face must map to count as covering the script.
    fn probes(self) -> &'static [char] {
        match self {
            Self::Latin => &['A', 'é', 'Ω', 'Ж'],
            Self::Japanese => &['あ', 'ア', '漢'],
            Self::ChineseSimplified => &['们', '国'],
            Self::ChineseTraditional => &['們', '國'],
            Self::Korean => &['한', '글'],
            Self::Arabic => &['ب', 'ع'],
            Self::Hebrew => &['א', 'ש'],
            Self::Thai => &['ก', 'ข'],
        }
    }

    /// The Debian package that brings fonts for the script, for warnings.
    pub fn package(self) -> &'static str {
        match self {
            Self::Japanese | Self::ChineseSimplified | Self::ChineseTraditional | Self::Korean => {
                "fonts-noto-cjk"
            }
            Self::Latin | Self::Arabic | Self::Hebrew | Self::Thai => "fonts-noto-core",
        }
    }

    /// Region suffix of the Noto CJK family names.
    fn cjk_region(self) -> Option<&'static str> {
        match self {
            Self::Japanese => Some("JP"),
            Self::ChineseSimplified => Some("SC"),
            Self::ChineseTraditional => Some("TC"),
            Self::Korean => Some("KR"),
            _ => None,
        }
    }
}

/// What a PDF font asks for, read from its query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Want {
    pub script: Script,
    pub serif: bool,
    pub bold: bool,
    pub italic: bool,
    pub mono: bool,
}

/// Lower-case name fragments that say which script a font is for. Checked in order, so the
/// more specific come first ("hygothic" is Korean before "gothic" would say Japanese).
const SCRIPT_HINTS: &[(&str, Script)] = &[
    ("hygothic", Script::Korean),
    ("hysm", Script::Korean),
    ("hygraphic", Script::Korean),
    ("batang", Script::Korean),
    ("gulim", Script::Korean),
    ("dotum", Script::Korean),
    ("gungsuh", Script::Korean),
    ("malgun", Script::Korean),
    ("myeongjo", Script::Korean),
    ("nanum", Script::Korean),
    ("hangul", Script::Korean),
    ("mingliu", Script::ChineseTraditional),
    ("msung", Script::ChineseTraditional),
    ("mhei", Script::ChineseTraditional),
    ("jhenghei", Script::ChineseTraditional),
    ("dfkai", Script::ChineseTraditional),
    ("kaiu", Script::ChineseTraditional),
    ("simsun", Script::ChineseSimplified),
    ("simhei", Script::ChineseSimplified),
    ("simkai", Script::ChineseSimplified),
    ("simfang", Script::ChineseSimplified),
    ("stsong", Script::ChineseSimplified),
    ("stheiti", Script::ChineseSimplified),
    ("stkaiti", Script::ChineseSimplified),
    ("stfangsong", Script::ChineseSimplified),
    ("yahei", Script::ChineseSimplified),
    ("dengxian", Script::ChineseSimplified),
    ("fangsong", Script::ChineseSimplified),
    ("kaiti", Script::ChineseSimplified),
    ("songti", Script::ChineseSimplified),
    ("mincho", Script::Japanese),
    ("gothic", Script::Japanese),
    ("meiryo", Script::Japanese),
    ("kozmin", Script::Japanese),
    ("kozgo", Script::Japanese),
    ("ryumin", Script::Japanese),
    ("heisei", Script::Japanese),
    ("hiragino", Script::Japanese),
    ("yugoth", Script::Japanese),
    ("yumin", Script::Japanese),
    ("osaka", Script::Japanese),
    ("ipaex", Script::Japanese),
    ("ipam", Script::Japanese),
    ("ipag", Script::Japanese),
    ("arab", Script::Arabic),
    ("naskh", Script::Arabic),
    ("kufi", Script::Arabic),
    ("andalus", Script::Arabic),
    ("akhbar", Script::Arabic),
    ("nazanin", Script::Arabic),
    ("lotus", Script::Arabic),
    ("hebrew", Script::Hebrew),
    ("david", Script::Hebrew),
    ("miriam", Script::Hebrew),
    ("narkis", Script::Hebrew),
    ("frankruehl", Script::Hebrew),
    ("aharoni", Script::Hebrew),
    ("gisha", Script::Hebrew),
    ("thai", Script::Thai),
    ("angsana", Script::Thai),
    ("cordia", Script::Thai),
    ("browallia", Script::Thai),
    ("dilleniaupc", Script::Thai),
    ("eucrosia", Script::Thai),
    ("leelawadee", Script::Thai),
    ("sarabun", Script::Thai),
];

/// Name fragments of serif faces (Mincho, Ming and Song are the serif styles of CJK type).
const SERIF_HINTS: &[&str] = &[
    "mincho",
    "ming",
    "song",
    "sung",
    "batang",
    "myeongjo",
    "serif",
    "times",
    "naskh",
    "david",
    "narkis",
    "frank",
    "angsana",
    "ryumin",
    "kozmin",
    "yumin",
    "heiseimin",
    "ipam",
    "ipaexm",
    "roman",
];

/// Name fragments of sans faces, which win over a serif flag set carelessly.
const SANS_HINTS: &[&str] = &[
    "gothic",
    "hei",
    "gulim",
    "dotum",
    "sans",
    "kaku",
    "meiryo",
    "arial",
    "helvetica",
];

impl Want {
    /// Read what a non-embedded font asks for from the engine's query.
    pub fn of(q: &FallbackFontQuery) -> Self {
        let name = [&q.post_script_name, &q.font_name, &q.font_family]
            .into_iter()
            .flatten()
            .map(|s| s.to_lowercase().replace([' ', '-', '_'], ""))
            .collect::<Vec<_>>()
            .join(" ");
        let by_collection = q
            .character_collection
            .as_ref()
            .and_then(|cc| match cc.family {
                CidFamily::AdobeJapan1 => Some(Script::Japanese),
                CidFamily::AdobeGB1 => Some(Script::ChineseSimplified),
                CidFamily::AdobeCNS1 => Some(Script::ChineseTraditional),
                CidFamily::AdobeKorea1 => Some(Script::Korean),
                _ => None,
            });
        let by_name = SCRIPT_HINTS
            .iter()
            .find(|(hint, _)| name.contains(hint))
            .map(|&(_, s)| s);
        // Names written in a CJK legacy encoding (ＭＳ ゴシック in Shift-JIS) arrive as bytes
        // outside ASCII: most such files are Japanese.
        let non_ascii = || (!name.is_ascii()).then_some(Script::Japanese);
        let script = by_collection
            .or(by_name)
            .or_else(non_ascii)
            .unwrap_or(Script::Latin);
        let sans = SANS_HINTS.iter().any(|h| name.contains(h));
        let serif = !sans && (q.is_serif || SERIF_HINTS.iter().any(|h| name.contains(h)));
        let bold = q.is_bold
            || q.font_weight >= 600
            || ["bold", "black", "heavy", "demi"]
                .iter()
                .any(|h| name.contains(h));
        let italic = q.is_italic || name.contains("italic") || name.contains("oblique");
        let mono = q.is_fixed_pitch || name.contains("mono") || name.contains("courier");
        Self {
            script,
            serif,
            bold,
            italic,
            mono,
        }
    }
}

/// A font chosen for a [`Want`]: the file's bytes, the face in it, its family name.
#[derive(Clone)]
pub struct Chosen {
    pub data: Arc<Vec<u8>>,
    pub index: u32,
    pub family: String,
}

impl Chosen {
    /// The engine's form of the font.
    pub fn font_data(&self) -> (FontData, u32) {
        (self.data.clone(), self.index)
    }
}

/// One face of a font file in a `--font-dir`, with the scripts it covers.
struct UserFace {
    path: PathBuf,
    index: u32,
    family: String,
    scripts: Vec<Script>,
}

/// The installed fonts, searched lazily, and the substitutes chosen so far (per process).
pub struct FontBook {
    user_dirs: Vec<PathBuf>,
    system: bool,
    /// File name → path, of the system font directories.
    system_files: OnceLock<HashMap<String, PathBuf>>,
    user_faces: OnceLock<Vec<UserFace>>,
    files: Mutex<HashMap<PathBuf, Option<Arc<Vec<u8>>>>>,
    chosen: Mutex<HashMap<Want, Option<Chosen>>>,
}

/// Where Debian and most Linux systems keep fonts.
const SYSTEM_DIRS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];

/// A font file larger than this is not read (the largest CJK collections are ~30 MB).
const MAX_FONT_FILE: u64 = 64 << 20;

/// How deep font directories are searched.
const MAX_DIR_DEPTH: usize = 6;

/// Settings of the process-wide book, set once at start-up.
static CONFIG: OnceLock<(Vec<PathBuf>, bool)> = OnceLock::new();
static GLOBAL: OnceLock<Arc<FontBook>> = OnceLock::new();

/// Environment variables through which the server hands its font settings to render workers
/// (whose environment is otherwise cleared).
pub const ENV_FONT_DIRS: &str = "FOLIO_FONT_DIRS";
pub const ENV_SYSTEM_FONTS: &str = "FOLIO_SYSTEM_FONTS";

/// Set the font directories (tried before the system's) and whether system fonts are used, for
/// every conversion of this process. Only the first call counts; without one, the settings come
/// from [`ENV_FONT_DIRS`] (comma-separated, as the server's flag) and [`ENV_SYSTEM_FONTS`]
/// (`false` or `0` = off).
pub fn configure(dirs: Vec<PathBuf>, system: bool) {
    let _ = CONFIG.set((dirs, system));
}

/// The environment that passes the current settings on to a worker process. An empty list is
/// left out: the worker's command line reads the same variables, and an empty one is an error.
pub fn worker_env() -> Vec<(String, String)> {
    let (dirs, system) = settings();
    let mut env = vec![(ENV_SYSTEM_FONTS.into(), system.to_string())];
    if !dirs.is_empty() {
        let joined = dirs
            .iter()
            .map(|d| d.to_string_lossy())
            .collect::<Vec<_>>()
            .join(",");
        env.push((ENV_FONT_DIRS.into(), joined));
    }
    env
}

fn settings() -> &'static (Vec<PathBuf>, bool) {
    CONFIG.get_or_init(|| {
        let dirs = std::env::var(ENV_FONT_DIRS)
            .map(|v| {
                v.split(',')
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .collect()
            })
            .unwrap_or_default();
        let system = std::env::var(ENV_SYSTEM_FONTS).map_or(true, |v| v != "0" && v != "false");
        (dirs, system)
    })
}

impl FontBook {
    /// The book of this process, as [`configure`]d.
    pub fn global() -> Arc<FontBook> {
        GLOBAL
            .get_or_init(|| {
                let (dirs, system) = settings();
                Arc::new(FontBook::new(dirs.clone(), *system))
            })
            .clone()
    }

    pub fn new(user_dirs: Vec<PathBuf>, system: bool) -> Self {
        Self {
            user_dirs,
            system,
            system_files: OnceLock::new(),
            user_faces: OnceLock::new(),
            files: Mutex::new(HashMap::new()),
            chosen: Mutex::new(HashMap::new()),
        }
    }

    /// The best installed face for `want`, `None` if no installed font covers its script.
    pub fn choose(&self, want: Want) -> Option<Chosen> {
        let mut chosen = self.chosen.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = chosen.get(&want) {
            return c.clone();
        }
        let found = self.choose_user(want).or_else(|| self.choose_system(want));
        chosen.insert(want, found.clone());
        found
    }

    fn choose_user(&self, want: Want) -> Option<Chosen> {
        let faces = self.user_faces.get_or_init(|| self.scan_user_faces());
        let style = |f: &UserFace| {
            let name = f.family.to_lowercase();
            let serif = SERIF_HINTS.iter().any(|h| name.contains(h))
                && !SANS_HINTS.iter().any(|h| name.contains(h));
            (serif == want.serif) as u8 + (name.contains("bold") == want.bold) as u8
        };
        let face = faces
            .iter()
            .filter(|f| f.scripts.contains(&want.script))
            .max_by_key(|f| style(f))?;
        Some(Chosen {
            data: self.read(&face.path)?,
            index: face.index,
            family: face.family.clone(),
        })
    }

    fn choose_system(&self, want: Want) -> Option<Chosen> {
        if !self.system {
            return None;
        }
        let files = self.system_files.get_or_init(|| {
            let mut map = HashMap::new();
            for dir in SYSTEM_DIRS {
                for path in font_files(Path::new(dir)) {
                    if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                        map.entry(name.to_string()).or_insert(path);
                    }
                }
            }
            map
        });
        candidates(want).into_iter().find_map(|(file, family)| {
            let data = self.read(files.get(&file)?)?;
            let index = face_index(&data, &family, want.script)?;
            Some(Chosen {
                data,
                index,
                family,
            })
        })
    }

    fn scan_user_faces(&self) -> Vec<UserFace> {
        let mut faces = Vec::new();
        for dir in &self.user_dirs {
            for path in font_files(dir) {
                let Some(data) = read_font_file(&path) else {
                    continue;
                };
                let Ok(file) = FileRef::new(&data) else {
                    continue;
                };
                for (index, font) in file.fonts().enumerate() {
                    let Ok(font) = font else { continue };
                    let charmap = font.charmap();
                    let scripts = ALL_SCRIPTS
                        .iter()
                        .copied()
                        .filter(|s| s.probes().iter().all(|&c| charmap.map(c).is_some()))
                        .collect::<Vec<_>>();
                    if !scripts.is_empty() {
                        faces.push(UserFace {
                            path: path.clone(),
                            index: index as u32,
                            family: family_name(&font).unwrap_or_default(),
                            scripts,
                        });
                    }
                }
            }
        }
        faces
    }

    fn read(&self, path: &Path) -> Option<Arc<Vec<u8>>> {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files
            .entry(path.to_path_buf())
            .or_insert_with(|| read_font_file(path).map(Arc::new))
            .clone()
    }
}

/// What the engine reported about fonts while interpreting pages: how many characters found no
/// glyph, and which substitutes were handed out (the engine asks once per font and document).
#[derive(Default)]
pub(crate) struct FontWatch {
    missing: std::sync::atomic::AtomicUsize,
    standard_used: std::sync::atomic::AtomicBool,
    substitutes: Mutex<Vec<Substitute>>,
}

/// One non-embedded CID font and what stood in for it.
#[derive(Clone)]
pub(crate) struct Substitute {
    pub(crate) pdf_name: String,
    pub(crate) want: Want,
    pub(crate) family: Option<String>,
}

impl FontWatch {
    /// Interpreter settings that resolve fonts from the process's [`FontBook`] and report to
    /// this watch.
    pub(crate) fn settings(self: &Arc<Self>) -> hayro::hayro_interpret::InterpreterSettings {
        use hayro::hayro_interpret::{InterpreterSettings, InterpreterWarning};
        use std::sync::atomic::Ordering;
        // Standard fonts as the engine has them; substitutes for non-embedded CID fonts from
        // the book (the engine's standard font when nothing fits). The engine asks once per font
        // and cache, so the second look at a page (missing.rs) asks again: kept once.
        let book = FontBook::global();
        let watch = self.clone();
        let font_resolver: hayro::hayro_interpret::FontResolverFn =
            Arc::new(move |query: &FontQuery| match query {
                FontQuery::Standard(s) => {
                    watch.standard_used.store(true, Ordering::Relaxed);
                    Some(s.get_font_data())
                }
                FontQuery::Fallback(q) => {
                    let want = Want::of(q);
                    let chosen = book.choose(want);
                    let pdf_name = q.post_script_name.clone().unwrap_or_default();
                    let mut subs = watch.substitutes.lock().unwrap_or_else(|e| e.into_inner());
                    if subs.len() < 256 && !subs.iter().any(|s| s.pdf_name == pdf_name) {
                        subs.push(Substitute {
                            pdf_name,
                            want,
                            family: chosen.as_ref().map(|c| c.family.clone()),
                        });
                    }
                    Some(match chosen {
                        Some(c) => c.font_data(),
                        None => q.pick_standard_font().get_font_data(),
                    })
                }
            });
        let on_warning = self.clone();
        InterpreterSettings {
            font_resolver,
            warning_sink: Arc::new(move |w| {
                if matches!(w, InterpreterWarning::MissingGlyph) {
                    on_warning.missing.fetch_add(1, Ordering::Relaxed);
                }
            }),
            ..Default::default()
        }
    }

    /// Characters without a glyph since the last call.
    pub(crate) fn take_missing(&self) -> usize {
        self.missing.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    pub(crate) fn substitute(&self, pdf_name: &str) -> Option<Substitute> {
        let subs = self.substitutes.lock().unwrap_or_else(|e| e.into_inner());
        subs.iter().find(|s| s.pdf_name == pdf_name).cloned()
    }

    pub(crate) fn standard_used(&self) -> bool {
        self.standard_used
            .load(std::sync::atomic::Ordering::Relaxed)
    }
}

const ALL_SCRIPTS: &[Script] = &[
    Script::Latin,
    Script::Japanese,
    Script::ChineseSimplified,
    Script::ChineseTraditional,
    Script::Korean,
    Script::Arabic,
    Script::Hebrew,
    Script::Thai,
];

/// System font files to try for `want`, best first: (file name, family name).
fn candidates(want: Want) -> Vec<(String, String)> {
    let weight = if want.bold { "Bold" } else { "Regular" };
    let mut out = Vec::new();
    let mut push = |file: String, family: &str| out.push((file, family.to_string()));
    if let Some(region) = want.script.cjk_region() {
        let kinds: &[&str] = if want.serif {
            &["Serif", "Sans"]
        } else {
            &["Sans", "Serif"]
        };
        for kind in kinds {
            for w in [weight, "Regular"] {
                push(
                    format!("Noto{kind}CJK-{w}.ttc"),
                    &format!("Noto {kind} CJK {region}"),
                );
            }
        }
        push("DroidSansFallbackFull.ttf".into(), "Droid Sans Fallback");
        return out;
    }
    let (sans, serif) = match want.script {
        Script::Arabic => (
            ("NotoSansArabic", "Noto Sans Arabic"),
            ("NotoNaskhArabic", "Noto Naskh Arabic"),
        ),
        Script::Hebrew => (
            ("NotoSansHebrew", "Noto Sans Hebrew"),
            ("NotoSerifHebrew", "Noto Serif Hebrew"),
        ),
        Script::Thai => (
            ("NotoSansThai", "Noto Sans Thai"),
            ("NotoSerifThai", "Noto Serif Thai"),
        ),
        _ => (("", ""), ("", "")),
    };
    if !sans.0.is_empty() {
        let order = if want.serif {
            [serif, sans]
        } else {
            [sans, serif]
        };
        for (base, family) in order {
            for w in [weight, "Regular"] {
                push(format!("{base}-{w}.ttf"), family);
            }
        }
        push("DejaVuSans.ttf".into(), "DejaVu Sans");
        return out;
    }
    // Latin, Greek, Cyrillic: Liberation is metric-compatible with Arial, Times and Courier.
    let style = match (want.bold, want.italic) {
        (true, true) => "BoldItalic",
        (true, false) => "Bold",
        (false, true) => "Italic",
        (false, false) => "Regular",
    };
    let (liberation, dejavu, dejavu_file, noto) = if want.mono {
        ("Mono", "DejaVu Sans Mono", "DejaVuSansMono", "NotoSansMono")
    } else if want.serif {
        ("Serif", "DejaVu Serif", "DejaVuSerif", "NotoSerif")
    } else {
        ("Sans", "DejaVu Sans", "DejaVuSans", "NotoSans")
    };
    push(
        format!("Liberation{liberation}-{style}.ttf"),
        &format!("Liberation {liberation}"),
    );
    push(
        format!("Liberation{liberation}-Regular.ttf"),
        &format!("Liberation {liberation}"),
    );
    let dejavu_style = match (want.bold, want.italic) {
        (true, _) => "-Bold",
        _ => "",
    };
    push(format!("{dejavu_file}{dejavu_style}.ttf"), dejavu);
    push(format!("{dejavu_file}.ttf"), dejavu);
    push(
        format!("{noto}-Regular.ttf"),
        &noto.replace("Noto", "Noto "),
    );
    out
}

/// The face of `data` named `family` (any face of a single-font file) that covers `script`.
fn face_index(data: &[u8], family: &str, script: Script) -> Option<u32> {
    let file = FileRef::new(data).ok()?;
    let single = matches!(file, FileRef::Font(_));
    file.fonts().enumerate().find_map(|(i, font)| {
        let font = font.ok()?;
        let squeeze = |f: &str| f.replace(' ', "").to_ascii_lowercase();
        let named = single || family_name(&font).is_some_and(|f| squeeze(&f) == squeeze(family));
        let charmap = font.charmap();
        let covers = script.probes().iter().all(|&c| charmap.map(c).is_some());
        (named && covers).then_some(i as u32)
    })
}

fn family_name(font: &skrifa::FontRef<'_>) -> Option<String> {
    font.localized_strings(StringId::TYPOGRAPHIC_FAMILY_NAME)
        .english_or_first()
        .or_else(|| {
            font.localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
        })
        .map(|s| s.to_string())
}

fn read_font_file(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    (meta.len() <= MAX_FONT_FILE)
        .then(|| std::fs::read(path).ok())
        .flatten()
}

/// Font files (`.ttf`, `.otf`, `.ttc`, `.otc`) under `dir`, depth-first, sorted for a stable
/// choice.
fn font_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, 0, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > MAX_DIR_DEPTH {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            walk(&path, depth + 1, out);
        } else {
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase);
            if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                out.push(path);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hayro::hayro_interpret::hayro_cmap::CharacterCollection;

    fn query(name: &str, family: Option<CidFamily>) -> FallbackFontQuery {
        FallbackFontQuery {
            post_script_name: Some(name.into()),
            character_collection: family.map(|family| CharacterCollection {
                family,
                supplement: 0,
            }),
            ..Default::default()
        }
    }

    #[test]
    fn script_and_style_come_from_collection_then_name() {
        let w = Want::of(&query("MS-Mincho", Some(CidFamily::AdobeJapan1)));
        assert_eq!((w.script, w.serif), (Script::Japanese, true));
        let w = Want::of(&query("MS-Gothic", Some(CidFamily::AdobeJapan1)));
        assert_eq!((w.script, w.serif), (Script::Japanese, false));
        // The collection wins over a name that says otherwise.
        let w = Want::of(&query("SimSun", Some(CidFamily::AdobeKorea1)));
        assert_eq!(w.script, Script::Korean);
        let w = Want::of(&query("SimSun", Some(CidFamily::AdobeIdentity)));
        assert_eq!(w.script, Script::ChineseSimplified);
        let w = Want::of(&query("HYGoThic-Medium", None));
        assert_eq!((w.script, w.serif), (Script::Korean, false));
        let w = Want::of(&query("PMingLiU", None));
        assert_eq!((w.script, w.serif), (Script::ChineseTraditional, true));
        let w = Want::of(&query("TraditionalArabic-Bold", None));
        assert_eq!((w.script, w.bold), (Script::Arabic, true));
        assert_eq!(Want::of(&query("David", None)).script, Script::Hebrew);
        assert_eq!(Want::of(&query("AngsanaNew", None)).script, Script::Thai);
        assert_eq!(Want::of(&query("Verdana", None)).script, Script::Latin);
        assert_eq!(
            Want::of(&query("\u{ff2d}\u{ff33}", None)).script,
            Script::Japanese
        );
    }

    #[test]
    fn candidates_put_the_asked_style_first() {
        let want = Want {
            script: Script::Japanese,
            serif: true,
            bold: false,
            italic: false,
            mono: false,
        };
        let c = candidates(want);
        assert_eq!(
            c[0],
            (
                "NotoSerifCJK-Regular.ttc".to_string(),
                "Noto Serif CJK JP".to_string()
            )
        );
        let c = candidates(Want {
            script: Script::Arabic,
            serif: false,
            bold: true,
            ..want
        });
        assert_eq!(c[0].0, "NotoSansArabic-Bold.ttf");
        assert_eq!(c[0].1, "Noto Sans Arabic");
        let c = candidates(Want {
            script: Script::Latin,
            ..want
        });
        assert_eq!(c[0].0, "LiberationSerif-Regular.ttf");
    }

    #[test]
    fn a_book_without_fonts_chooses_nothing() {
        let empty = tempfile_dir();
        let book = FontBook::new(vec![empty.clone()], false);
        let want = Want::of(&query("MS-Mincho", Some(CidFamily::AdobeJapan1)));
        assert!(book.choose(want).is_none());
        let _ = std::fs::remove_dir_all(empty);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("folio-fonts-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
