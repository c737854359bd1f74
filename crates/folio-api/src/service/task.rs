//! What one request asks for, typed: an [`Operation`] with its settings, the page selection,
//! the input and where its results go. A synchronous request runs it at once; an async one
//! stores it as the job's parameters, and the worker reads back the same type.
//!
//! Adding an endpoint: a variant of [`OperationKind`] (what the route names) and of
//! [`Operation`] (what the job carries), its parameters read in [`Operation::from_params`], and
//! its run in [`super::conversion`]; then one row of the route table.

use folio_pdf::{Algorithm, Allowed, MergeOptions, Protection};
use folio_render::{Base, ColorMode, Format, PageSpec};
use serde::{Deserialize, Serialize};

use super::input::{Inputs, Source, sources_from_params};
use super::naming::{new_token, sanitize_name, stem};
use crate::params::Params;
use crate::{ApiError, AppState};
use sha2::Digest;

/// What a route asks for, before its parameters are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationKind {
    /// Pages to images in this format.
    Image(Format),
    Text,
    Info,
    Rotate,
    Merge,
    Split,
    DeletePages,
    Protect,
    Unprotect,
    Optimize,
    FromImage,
    Merge2,
    Fields,
    Attachments,
    Barcode,
    ReadBarcodes,
    FromTable,
}

/// An operation with its settings, as a job carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Operation {
    /// Selected pages to images: one file per page, or one TIFF.
    Render {
        format: Format,
        color: ColorMode,
        dpi: f32,
        jpeg_quality: u8,
    },
    /// Selected pages' text, joined by form feeds, in one `.txt` (or the answer's `body`).
    Text,
    /// Page count, metadata and the first page's box (a data answer).
    Info,
    /// Selected pages turned clockwise by `angle` degrees (a multiple of 90), into a new PDF.
    Rotate { angle: i64 },
    /// The sources joined into one PDF, in order.
    Merge { options: MergeOptions },
    /// One PDF per item of the 1-based `pages` (per page when empty).
    Split,
    /// The PDF without the pages of the 1-based `pages`.
    DeletePages,
    /// The PDF with password protection.
    Protect { protection: Protection },
    /// The PDF without it.
    Unprotect,
    /// The PDF in fewer bytes: losslessly, plus the image work the profiles ask for.
    Optimize { lossy: folio_pdf::Lossy },
    /// The sources (images) as one PDF, a page per image or TIFF frame.
    FromImage,
    /// The sources, PDFs and images mixed, joined into one PDF.
    Merge2 { options: MergeOptions },
    /// [`Operation::Info`] with the form's fields (a data answer).
    Fields,
    /// The embedded files, one result each.
    Attachments,
    /// A CSV or a spreadsheet's sheet (0-based) as a table in a PDF.
    FromTable { worksheet: usize },
    /// A barcode as a PNG (the source, if any, is the logo of a QR code).
    Barcode { request: folio_barcode::Request },
    /// The barcodes found on the pages of a PDF or in an image (a data answer).
    ReadBarcodes { kinds: Vec<String> },
}

impl Operation {
    /// Read the settings of `kind` from the request (profiles, angle …): before the input is
    /// fetched, so that bad settings cost nothing.
    fn from_params(kind: OperationKind, state: &AppState, p: &Params) -> Result<Self, ApiError> {
        Ok(match kind {
            OperationKind::Image(format) => {
                let profiles = super::conversion::Profiles::parse(p.get("profiles"))?;
                Operation::Render {
                    format,
                    color: profiles.color.unwrap_or(ColorMode::Rgb),
                    dpi: profiles.dpi.unwrap_or(state.config.default_dpi),
                    jpeg_quality: profiles.jpeg_quality.unwrap_or(85),
                }
            }
            OperationKind::Text => {
                super::conversion::Profiles::parse(p.get("profiles"))?;
                Operation::Text
            }
            OperationKind::Info => Operation::Info,
            OperationKind::Rotate => {
                let angle = p.int("angle")?.ok_or_else(|| {
                    ApiError::bad_request(
                        "Bad request. The 'angle' parameter is required: 0, 90, 180 or 270 (degrees clockwise).",
                    )
                })?;
                if angle.rem_euclid(90) != 0 {
                    return Err(ApiError::bad_request(format!(
                        "Invalid 'angle' {angle}: use 0, 90, 180 or 270 (degrees clockwise)."
                    )));
                }
                Operation::Rotate {
                    angle: angle.rem_euclid(360),
                }
            }
            OperationKind::Merge | OperationKind::Merge2 => {
                let profiles = super::conversion::Profiles::parse(p.get("profiles"))?;
                let options = MergeOptions {
                    rename_fields: profiles.rename_fields.unwrap_or(true),
                    bookmarks: profiles.bookmarks.unwrap_or(false),
                    titles: Vec::new(),
                };
                match kind {
                    OperationKind::Merge => Operation::Merge { options },
                    _ => Operation::Merge2 { options },
                }
            }
            OperationKind::Optimize => {
                // `/v2/pdf/compress` sends its settings as `config`; both read the same way.
                let profiles = super::conversion::Profiles::parse(p.get("profiles"))?;
                let config = super::conversion::Profiles::parse(p.get("config"))?;
                let resample = profiles.resample.or(config.resample).unwrap_or(false);
                let dpi = profiles.resampling_dpi.or(config.resampling_dpi);
                Operation::Optimize {
                    lossy: folio_pdf::Lossy {
                        format: profiles.image_format.or(config.image_format),
                        jpeg_quality: profiles.jpeg_quality.or(config.jpeg_quality).unwrap_or(25),
                        resample_dpi: resample.then(|| dpi.unwrap_or(120)),
                    },
                }
            }
            OperationKind::FromImage => Operation::FromImage,
            OperationKind::Fields => Operation::Fields,
            OperationKind::Attachments => Operation::Attachments,
            OperationKind::FromTable => {
                // PDF.co counts sheets from 1; 0 is taken as the first too.
                let index = p.int("worksheetIndex")?.unwrap_or(1);
                if index < 0 {
                    return Err(ApiError::bad_request(format!(
                        "Invalid 'worksheetIndex' {index}: sheets are counted from 1."
                    )));
                }
                p.bool("autosize", true)?;
                Operation::FromTable {
                    worksheet: (index.max(1) - 1) as usize,
                }
            }
            OperationKind::Barcode => Operation::Barcode {
                request: barcode_request(p)?,
            },
            OperationKind::ReadBarcodes => {
                let kinds: Vec<String> = p
                    .get("types")
                    .unwrap_or("")
                    .split(',')
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(String::from)
                    .collect();
                for k in &kinds {
                    folio_barcode::kind(k)
                        .map_err(|e| ApiError::bad_request(format!("Invalid 'types': {e}.")))?;
                }
                Operation::ReadBarcodes { kinds }
            }
            OperationKind::Split => Operation::Split,
            OperationKind::DeletePages => {
                if p.get("pages").is_none() {
                    return Err(ApiError::bad_request(
                        "Bad request. The 'pages' parameter is required: the pages to delete, counted from 1 (e.g. '1,3-4', '!1' = the last).",
                    ));
                }
                Operation::DeletePages
            }
            OperationKind::Protect => Operation::Protect {
                protection: protection(p)?,
            },
            OperationKind::Unprotect => Operation::Unprotect,
        })
    }

    /// How the operation counts pages: `/pdf/split` and `/pdf/edit/delete-pages` from 1.
    pub fn page_base(&self) -> Base {
        match self {
            Operation::Split | Operation::DeletePages => Base::One,
            _ => Base::Zero,
        }
    }

    /// It takes several sources (a comma-separated `url`).
    /// Where its inputs come from.
    pub fn inputs(&self) -> Inputs {
        match self {
            Operation::Merge { .. } | Operation::Merge2 { .. } | Operation::FromImage => Inputs {
                many: true,
                ..Inputs::ONE
            },
            Operation::Barcode { .. } => Inputs {
                param: "decorationImage",
                many: false,
                required: false,
            },
            _ => Inputs::ONE,
        }
    }

    /// The results' file extension.
    pub fn extension(&self) -> &'static str {
        match self {
            Operation::Render { format, .. } => format.extension(),
            Operation::Text => "txt",
            Operation::Info | Operation::Fields | Operation::ReadBarcodes { .. } => "json",
            Operation::Barcode { .. } => "png",
            Operation::Attachments => "bin",
            Operation::Rotate { .. }
            | Operation::Merge { .. }
            | Operation::Split
            | Operation::DeletePages
            | Operation::Protect { .. }
            | Operation::Unprotect
            | Operation::Optimize { .. }
            | Operation::FromImage
            | Operation::FromTable { .. }
            | Operation::Merge2 { .. } => "pdf",
        }
    }

    /// One result file for the whole document (TIFF, text, a PDF, a data answer) rather than
    /// one per page.
    pub fn single_file(&self) -> bool {
        !matches!(
            self,
            Operation::Render {
                format: Format::Png | Format::Jpeg | Format::Webp,
                ..
            } | Operation::Split
                | Operation::Attachments
        )
    }

    /// Appended to the source's name when the request names no output (`doc-rotated.pdf`).
    fn default_suffix(&self) -> &'static str {
        match self {
            Operation::Rotate { .. } => "-rotated",
            Operation::Split => "-split",
            Operation::DeletePages => "-pages-deleted",
            Operation::Protect { .. } => "-protected",
            Operation::Unprotect => "-unprotected",
            Operation::Optimize { .. } => "-optimized",
            _ => "",
        }
    }
}

/// `/barcode/generate`'s parameters: `type`, `value`, and the profiles `Angle`,
/// `NarrowBarWidth` and `Options.QRErrorCorrectionLevel`.
fn barcode_request(p: &Params) -> Result<folio_barcode::Request, ApiError> {
    let kind = p.get("type").unwrap_or("QRCode").trim().to_string();
    folio_barcode::kind(&kind)
        .map_err(|e| ApiError::bad_request(format!("Invalid 'type': {e}.")))?;
    let value = p.get("value").unwrap_or("").to_string();
    if value.is_empty() {
        return Err(ApiError::bad_request(
            "Bad request. The 'value' parameter is required: the text to encode.",
        ));
    }
    let profiles = super::conversion::Profiles::parse(p.get("profiles"))?;
    let angle = profiles.angle.unwrap_or(0);
    if angle % 90 != 0 {
        return Err(ApiError::bad_request(format!(
            "Invalid Angle {angle}: use 0, 90, 180 or 270."
        )));
    }
    Ok(folio_barcode::Request {
        kind,
        value,
        correction: profiles.qr_correction.unwrap_or_default(),
        module: profiles.narrow_bar_width.unwrap_or(4),
        angle: angle % 360,
    })
}

/// `/pdf/security/add`'s parameters (names in any case, as some clients send them lower-case).
fn protection(p: &Params) -> Result<Protection, ApiError> {
    let owner_password = p.get("ownerPassword").unwrap_or("").to_string();
    let user_password = p.get("userPassword").unwrap_or("").to_string();
    if owner_password.is_empty() && user_password.is_empty() {
        return Err(ApiError::bad_request(
            "Bad request. Give 'ownerPassword', 'userPassword' or both: the passwords to protect the PDF with.",
        ));
    }
    let algorithm = match p.get("encryptionAlgorithm") {
        None => Algorithm::default(),
        Some(name) => Algorithm::from_name(name).ok_or_else(|| {
            ApiError::bad_request(format!(
                "Invalid 'encryptionAlgorithm' '{}': use one of {}.",
                name.chars().take(40).collect::<String>(),
                Algorithm::NAMES.join(", ")
            ))
        })?,
    };
    let print_high_resolution = match p.get("printQuality").map(str::trim) {
        None => true,
        Some(q) if q.eq_ignore_ascii_case("HighResolution") => true,
        Some(q) if q.eq_ignore_ascii_case("LowResolution") => false,
        Some(q) => {
            return Err(ApiError::bad_request(format!(
                "Invalid 'printQuality' '{}': use HighResolution or LowResolution.",
                q.chars().take(40).collect::<String>()
            )));
        }
    };
    Ok(Protection {
        owner_password,
        user_password,
        algorithm,
        allowed: Allowed {
            accessibility: p.bool("allowAccessibilitySupport", true)?,
            assembly: p.bool("allowAssemblyDocument", true)?,
            print: p.bool("allowPrintDocument", true)?,
            print_high_resolution,
            fill_forms: p.bool("allowFillForms", true)?,
            modify: p.bool("allowModifyDocument", true)?,
            extract_content: p.bool("allowContentExtraction", true)?,
            modify_annotations: p.bool("allowModifyAnnotations", true)?,
        },
    })
}

/// A page selection as the client wrote it, known to parse: jobs carry the text (what the render
/// workers take), and reading one back checks it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Pages(String);

impl Pages {
    /// A 0-based selection.
    pub fn parse(text: &str) -> Result<Self, folio_render::Error> {
        Self::parse_based(text, Base::Zero)
    }

    /// A selection counted from `base` (1 for split and delete-pages). A 1-based selection is
    /// also valid 0-based syntax, so reading a job back checks the syntax either way.
    pub fn parse_based(text: &str, base: Base) -> Result<Self, folio_render::Error> {
        PageSpec::parse_based(text, base)?;
        Ok(Self(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Pages {
    type Error = folio_render::Error;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<Pages> for String {
    fn from(p: Pages) -> String {
        p.0
    }
}

/// Everything one request needs; stored as an async job's parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub operation: Operation,
    /// The inputs: one, or several for a merge (the first names the results).
    pub sources: Vec<Source>,
    pub pages: Pages,
    pub password: String,
    /// Base name of the results (no extension).
    pub name: String,
    /// The input's own file name (what `/pdf/info` answers as `name`).
    pub source_name: String,
    pub expiration_minutes: u64,
    /// Token of the async placeholder file, filled when the job succeeds.
    pub placeholder: Option<String>,
    /// Where to POST the job's final state (async jobs only).
    pub callback: Option<String>,
    /// Text: answer the text itself (`body`) instead of a URL; async jobs still store it.
    pub inline: bool,
    /// Random, kept with the job: result tokens derive from it, so a re-run after a crash lands
    /// on the same URLs while neither the job id nor one page's URL tells another page's.
    pub result_seed: String,
}

impl Task {
    /// Read and check a request's parameters. Everything that can be refused without the input
    /// (operation settings, pages, expiration, callback, a full queue) is checked first: a
    /// multipart upload is stored only for a request that will run.
    pub async fn from_params(
        state: &AppState,
        kind: OperationKind,
        p: &Params,
        is_async: bool,
    ) -> Result<Self, ApiError> {
        let mut operation = Operation::from_params(kind, state, p)?;
        let pages = match p.get("pages").map(str::trim) {
            // `/pdf/split`: `*` is every page, one file each, as empty is.
            Some("*") if operation == Operation::Split => Pages::parse("")?,
            text => Pages::parse_based(text.unwrap_or(""), operation.page_base())?,
        };
        let expiration_minutes = expiration(state, p)?;
        let callback = p
            .get("callback")
            .map(|c| super::webhook::parse_callback(state, c))
            .transpose()?;
        let inline = p.bool("inline", false)?;
        if is_async {
            crate::queue::check_capacity(state).await?;
        }
        let (sources, names) = sources_from_params(state, p, operation.inputs()).await?;
        let source_name = names.first().cloned().unwrap_or_default();
        let name = match (p.get("name"), &mut operation) {
            (Some(n), _) => stem(&sanitize_name(n, "result")).to_string(),
            (None, Operation::Merge { .. } | Operation::Merge2 { .. }) => "merged".to_string(),
            (None, Operation::Barcode { .. }) => "barcode".to_string(),
            (None, _) => format!("{}{}", stem(&source_name), operation.default_suffix()),
        };
        if let Operation::Merge { options } | Operation::Merge2 { options } = &mut operation
            && options.bookmarks
        {
            options.titles = names;
        }
        Ok(Self {
            operation,
            sources,
            pages,
            password: p.get("password").unwrap_or("").to_string(),
            name,
            source_name,
            expiration_minutes,
            placeholder: None,
            callback,
            inline,
            result_seed: new_token(),
        })
    }

    /// The token of result `seq` (a page, or 0 for a single file): the first 128 bits of
    /// SHA-256 over the seed, the job id and the number.
    pub fn result_token(&self, job_id: &str, seq: usize) -> String {
        let digest = sha2::Sha256::digest(format!("{}:{job_id}:{seq}", self.result_seed));
        digest[..16].iter().map(|b| format!("{b:02x}")).collect()
    }

    /// File name of page `page` (0-based; for a split, the part counted from 1) or of the single
    /// file.
    pub fn file_name(&self, page: Option<usize>) -> String {
        let ext = self.operation.extension();
        match page {
            Some(p) => format!("{}-{p}.{ext}", self.name),
            None => format!("{}.{ext}", self.name),
        }
    }

    /// Name of the async placeholder: the URL list (`.json`) or the single file itself.
    pub fn placeholder_name(&self) -> String {
        if self.operation.single_file() {
            self.file_name(None)
        } else {
            format!("{}.json", self.name)
        }
    }

    /// Text answered in the response rather than stored (a synchronous `inline=true` text).
    pub fn answers_inline(&self) -> bool {
        self.inline
            && self.placeholder.is_none()
            && matches!(self.operation, Operation::Text | Operation::Barcode { .. })
    }
}

/// `expiration` in minutes, within the configured bounds.
pub fn expiration(state: &AppState, p: &Params) -> Result<u64, ApiError> {
    let cfg = &state.config;
    match p.int("expiration")? {
        None => Ok(cfg.default_expiration_minutes),
        Some(m) if m >= 1 => Ok((m as u64).min(cfg.max_expiration_minutes)),
        Some(m) => Err(ApiError::bad_request(format!(
            "Invalid 'expiration' {m}: give a number of minutes ≥ 1."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A job's parameters survive the queue: the operation's settings as real enums, the page
    /// selection parsed again on the way back, and a stored selection that no longer parses is
    /// refused rather than run as "all pages".
    #[test]
    fn tasks_round_trip_through_json() {
        let task = Task {
            operation: Operation::Render {
                format: Format::Webp,
                color: ColorMode::Gray,
                dpi: 150.0,
                jpeg_quality: 40,
            },
            sources: vec![Source::Stored { token: "t".into() }],
            pages: Pages::parse("0, 2-!0").unwrap(),
            password: "pw".into(),
            name: "doc".into(),
            source_name: "doc.pdf".into(),
            expiration_minutes: 60,
            placeholder: Some("p".into()),
            callback: None,
            inline: false,
            result_seed: "seed".into(),
        };
        let json = serde_json::to_value(&task).unwrap();
        assert_eq!(json["operation"]["op"], "render");
        assert_eq!(json["pages"], "0, 2-!0");
        assert_eq!(serde_json::from_value::<Task>(json.clone()).unwrap(), task);
        let mut bad = json;
        bad["pages"] = "1-x".into();
        assert!(serde_json::from_value::<Task>(bad).is_err());
        let rotate = serde_json::to_value(Operation::Rotate { angle: 90 }).unwrap();
        assert_eq!(rotate, serde_json::json!({"op": "rotate", "angle": 90}));
    }

    #[test]
    fn single_files_and_extensions() {
        let render = |format| Operation::Render {
            format,
            color: ColorMode::Rgb,
            dpi: 72.0,
            jpeg_quality: 85,
        };
        assert!(!render(Format::Png).single_file());
        assert!(render(Format::Tiff).single_file());
        assert!(Operation::Rotate { angle: 0 }.single_file());
        assert_eq!(Operation::Rotate { angle: 0 }.extension(), "pdf");
        assert_eq!(Operation::Info.extension(), "json");
        assert_eq!(render(Format::Jpeg).extension(), "jpg");
    }
}
