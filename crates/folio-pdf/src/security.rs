//! Password protection: add it (`/pdf/security/add`) or take it off (`/pdf/security/remove`),
//! with lopdf's standard security handler (RC4 40/128-bit, AES-128, AES-256).

use std::collections::BTreeMap;
use std::sync::Arc;

use folio_render::Error;
use lopdf::encryption::crypt_filters::{Aes128CryptFilter, Aes256CryptFilter, CryptFilter};
use lopdf::{EncryptionState, EncryptionVersion, Object, Permissions, StringFormat};
use serde::{Deserialize, Serialize};

use crate::{Written, guarded, open, page_ids, save};

/// PDF.co's `encryptionAlgorithm`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    /// RC4 with a 40-bit key (revision 2): only for very old readers.
    Rc4_40,
    /// RC4 with a 128-bit key (revision 3).
    Rc4_128,
    /// AES with a 128-bit key (revision 4): PDF.co's default.
    #[default]
    Aes128,
    /// AES with a 256-bit key (revision 6, PDF 2.0).
    Aes256,
}

impl Algorithm {
    /// The accepted names, as PDF.co spells them.
    pub const NAMES: [&str; 4] = ["RC4_40bit", "RC4_128bit", "AES_128bit", "AES_256bit"];

    /// Parse a name, ignoring case.
    pub fn from_name(name: &str) -> Option<Self> {
        let all = [Self::Rc4_40, Self::Rc4_128, Self::Aes128, Self::Aes256];
        Self::NAMES
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name.trim()))
            .map(|i| all[i])
    }
}

/// What a reader may do without the owner password. All allowed by default, as in PDF.co.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Allowed {
    pub accessibility: bool,
    pub assembly: bool,
    pub print: bool,
    /// Print at full quality (`printQuality=HighResolution`); else degraded printing only.
    pub print_high_resolution: bool,
    pub fill_forms: bool,
    pub modify: bool,
    pub extract_content: bool,
    pub modify_annotations: bool,
}

impl Default for Allowed {
    fn default() -> Self {
        Self {
            accessibility: true,
            assembly: true,
            print: true,
            print_high_resolution: true,
            fill_forms: true,
            modify: true,
            extract_content: true,
            modify_annotations: true,
        }
    }
}

impl Allowed {
    fn permissions(&self) -> Permissions {
        let mut p = Permissions::empty();
        for (on, bit) in [
            (self.accessibility, Permissions::COPYABLE_FOR_ACCESSIBILITY),
            (self.assembly, Permissions::ASSEMBLABLE),
            (self.print, Permissions::PRINTABLE),
            (
                self.print && self.print_high_resolution,
                Permissions::PRINTABLE_IN_HIGH_QUALITY,
            ),
            (self.fill_forms, Permissions::FILLABLE),
            (self.modify, Permissions::MODIFIABLE),
            (self.extract_content, Permissions::COPYABLE),
            (self.modify_annotations, Permissions::ANNOTABLE),
        ] {
            if on {
                p |= bit;
            }
        }
        p
    }
}

/// How to protect a document.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Protection {
    /// Opens the document with every right; empty = the user password (the standard's rule).
    pub owner_password: String,
    /// Needed to open the document at all; empty = it opens without one, with `allowed` rights.
    pub user_password: String,
    pub algorithm: Algorithm,
    pub allowed: Allowed,
}

/// The passwords are not printed.
impl std::fmt::Debug for Protection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Protection")
            .field("algorithm", &self.algorithm)
            .field("allowed", &self.allowed)
            .finish_non_exhaustive()
    }
}

/// Encrypt `input` (opened with `password` if it is already encrypted: its old protection is
/// replaced).
pub fn protect(input: &[u8], password: &str, protection: &Protection) -> Result<Written, Error> {
    if protection.owner_password.is_empty() && protection.user_password.is_empty() {
        return Err(Error::InvalidOption(
            "give an ownerPassword, a userPassword or both".into(),
        ));
    }
    guarded(|| {
        let mut doc = open(input, password)?;
        let page_count = page_ids(&doc).len();
        if !doc.trailer.has(b"ID") {
            // The key of RC4 and AES-128 is derived from the file identifier.
            let id = Object::String(random::<16>()?.to_vec(), StringFormat::Hexadecimal);
            doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
        }
        let owner = match protection.owner_password.as_str() {
            "" => protection.user_password.as_str(),
            o => o,
        };
        let user = protection.user_password.as_str();
        let permissions = protection.allowed.permissions();
        let filters = |f: Arc<dyn CryptFilter>| BTreeMap::from([(b"StdCF".to_vec(), f)]);
        let key = random::<32>()?;
        let version = match protection.algorithm {
            Algorithm::Rc4_40 => EncryptionVersion::V1 {
                document: &doc,
                owner_password: owner,
                user_password: user,
                permissions,
            },
            Algorithm::Rc4_128 => EncryptionVersion::V2 {
                document: &doc,
                owner_password: owner,
                user_password: user,
                key_length: 128,
                permissions,
            },
            Algorithm::Aes128 => EncryptionVersion::V4 {
                document: &doc,
                encrypt_metadata: true,
                crypt_filters: filters(Arc::new(Aes128CryptFilter)),
                stream_filter: b"StdCF".to_vec(),
                string_filter: b"StdCF".to_vec(),
                owner_password: owner,
                user_password: user,
                permissions,
            },
            Algorithm::Aes256 => EncryptionVersion::V5 {
                encrypt_metadata: true,
                crypt_filters: filters(Arc::new(Aes256CryptFilter)),
                file_encryption_key: &key,
                stream_filter: b"StdCF".to_vec(),
                string_filter: b"StdCF".to_vec(),
                owner_password: owner,
                user_password: user,
                permissions,
            },
        };
        let state = EncryptionState::try_from(version)
            .map_err(|e| Error::InvalidOption(format!("the passwords cannot be used: {e}")))?;
        if protection.algorithm == Algorithm::Aes256 && version_below(&doc.version, 17) {
            doc.version = "1.7".into();
        }
        doc.encrypt(&state)
            .map_err(|e| Error::Output(format!("encrypting the document failed: {e}")))?;
        Ok(Written {
            pdf: save(&mut doc)?,
            page_count,
        })
    })
}

/// `input` opened with `password` (user or owner) and written without encryption.
pub fn unprotect(input: &[u8], password: &str) -> Result<Written, Error> {
    guarded(|| {
        let mut doc = open(input, password)?;
        let page_count = page_ids(&doc).len();
        Ok(Written {
            pdf: save(&mut doc)?,
            page_count,
        })
    })
}

fn random<const N: usize>() -> Result<[u8; N], Error> {
    let mut bytes = [0; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| Error::Output(format!("no random numbers for the keys: {e}")))?;
    Ok(bytes)
}

fn version_below(version: &str, than: u32) -> bool {
    let digits: String = version
        .chars()
        .filter(char::is_ascii_digit)
        .take(2)
        .collect();
    digits.parse::<u32>().is_ok_and(|v| v < than)
}
