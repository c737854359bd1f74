//! The one error type of the rendering room.
//!
//! Each variant knows its PDF.co error code ([`Error::code`]) so that the API layer maps it once,
//! at the edge, and the CLI can print the same code. Messages are written for the person who sent
//! the document: they say what is wrong and what to change.

use crate::Code;

/// Which configurable limit a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Size of the input PDF in bytes.
    InputBytes,
    /// Pixels of one rendered page (width × height).
    PagePixels,
    /// Decoded bytes of one image inside the document.
    ImageBytes,
}

/// Everything that can go wrong turning a PDF into images.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// `pages` names a page the document does not have.
    #[error(
        "Invalid index range. Page index {page} is out of range: the document has {page_count} page(s). \
         Use /pdf/info to get page count. First page is {first}."
    )]
    PageOutOfRange {
        page: String,
        page_count: usize,
        /// How the client counts: 0, or 1 for `/pdf/split` and `/pdf/edit/delete-pages`.
        first: u8,
    },

    /// `pages` is not valid syntax.
    #[error("Invalid page range specified: '{spec}': {reason}.")]
    InvalidPageRange { spec: String, reason: String },

    /// The selection is longer than the configured maximum.
    #[error(
        "Too many pages requested: {requested} pages, the limit is {limit}. \
         Select fewer pages with the 'pages' parameter."
    )]
    TooManyPages { requested: usize, limit: usize },

    /// The document is encrypted and the password is missing or wrong.
    #[error("{}", if *.supplied {
        "Invalid Password. The password given does not open this password protected document."
    } else {
        "Invalid Password. Password protected document: supply its user password in 'password'."
    })]
    InvalidPassword { supplied: bool },

    /// Not a PDF, or too damaged to read.
    #[error("Damaged document: the input is not a readable PDF ({0}).")]
    Damaged(String),

    /// A configured limit was exceeded.
    #[error("{message}")]
    LimitExceeded { limit: Limit, message: String },

    /// A rendering option is out of its valid range.
    #[error("Invalid parameter: {0}")]
    InvalidOption(String),

    /// One page could not be rendered or encoded; the other pages are unaffected.
    #[error("Page {page} could not be rendered: {reason}")]
    PageFailed { page: usize, reason: String },

    /// Writing the output failed (disk full, permissions...).
    #[error("Could not write output: {0}")]
    Output(String),
}

impl Error {
    /// The PDF.co error code for this error.
    pub fn code(&self) -> Code {
        match self {
            Error::PageOutOfRange { .. } => Code::InvalidIndexRange,
            Error::InvalidPageRange { .. } => Code::InvalidPageRange,
            Error::TooManyPages { .. } | Error::InvalidOption(_) => Code::BadRequest,
            Error::InvalidPassword { .. } => Code::InvalidPassword,
            Error::Damaged(_) | Error::PageFailed { .. } => Code::Damaged,
            Error::LimitExceeded {
                limit: Limit::InputBytes,
                ..
            } => Code::PayloadTooLarge,
            Error::LimitExceeded {
                limit: Limit::PagePixels | Limit::ImageBytes,
                ..
            } => Code::BadRequest,
            Error::Output(_) => Code::Internal,
        }
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Output(e.to_string())
    }
}
