//! The PDF.co error codes, by name. Every room reports failures with one of these. The API
//! answers it as the HTTP status and as `status` in the JSON envelope, and the sandbox passes it
//! over the worker pipe as its number.

/// A PDF.co error code. 44x are PDF.co's own, sent as HTTP statuses as PDF.co does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(into = "u16", try_from = "u16")]
pub enum Code {
    BadRequest,
    Unauthorized,
    Forbidden,
    NotFound,
    MethodNotAllowed,
    RequestTimeout,
    PayloadTooLarge,
    TooManyRequests,
    InvalidPassword,
    Damaged,
    PermissionDenied,
    ProfilesParsing,
    Timeout,
    InvalidIndexRange,
    InvalidPageRange,
    InvalidUrl,
    Internal,
    NotImplemented,
    Unavailable,
    InsufficientStorage,
}

/// Every code with its number and reason phrase (the text after the status, `441 Invalid
/// Password`), in one table so that the three cannot disagree.
const TABLE: &[(Code, u16, &str)] = &[
    (Code::BadRequest, 400, "Bad Request"),
    (Code::Unauthorized, 401, "Unauthorized"),
    (Code::Forbidden, 403, "Forbidden"),
    (Code::NotFound, 404, "Not Found"),
    (Code::MethodNotAllowed, 405, "Method Not Allowed"),
    (Code::RequestTimeout, 408, "Request Timeout"),
    (Code::PayloadTooLarge, 413, "Payload Too Large"),
    (Code::TooManyRequests, 429, "Too Many Requests"),
    (Code::InvalidPassword, 441, "Invalid Password"),
    (Code::Damaged, 442, "Damaged Document"),
    (Code::PermissionDenied, 443, "Permission Denied"),
    (Code::ProfilesParsing, 444, "Profiles Parsing Error"),
    (Code::Timeout, 445, "Timeout Error"),
    (Code::InvalidIndexRange, 449, "Invalid Index Range"),
    (Code::InvalidPageRange, 450, "Invalid Page Range"),
    (Code::InvalidUrl, 452, "Invalid URL"),
    (Code::Internal, 500, "Internal Server Error"),
    (Code::NotImplemented, 501, "Not Implemented"),
    (Code::Unavailable, 503, "Service Unavailable"),
    (Code::InsufficientStorage, 507, "Insufficient Storage"),
];

impl Code {
    fn row(self) -> &'static (Code, u16, &'static str) {
        TABLE
            .iter()
            .find(|(c, _, _)| *c == self)
            .expect("every code is in the table")
    }

    /// The number, e.g. 441.
    pub fn as_u16(self) -> u16 {
        self.row().1
    }

    /// The reason phrase, e.g. "Invalid Password".
    pub fn reason(self) -> &'static str {
        self.row().2
    }

    /// Every code, for documentation.
    pub fn all() -> impl Iterator<Item = Code> {
        TABLE.iter().map(|(c, _, _)| *c)
    }
}

impl From<Code> for u16 {
    fn from(c: Code) -> u16 {
        c.as_u16()
    }
}

impl TryFrom<u16> for Code {
    type Error = String;
    fn try_from(n: u16) -> Result<Self, String> {
        TABLE
            .iter()
            .find(|(_, m, _)| *m == n)
            .map(|(c, _, _)| *c)
            .ok_or_else(|| format!("{n} is not a PDF.co error code"))
    }
}

/// Lets tests and logs compare a code with its number.
impl PartialEq<u16> for Code {
    fn eq(&self, n: &u16) -> bool {
        self.as_u16() == *n
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.as_u16())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_are_unique() {
        for c in Code::all() {
            assert_eq!(Code::try_from(c.as_u16()), Ok(c));
        }
        let mut numbers: Vec<u16> = Code::all().map(u16::from).collect();
        numbers.dedup();
        assert_eq!(numbers.len(), TABLE.len());
        assert!(Code::try_from(418).is_err());
        assert_eq!(Code::InvalidPassword.reason(), "Invalid Password");
    }
}
