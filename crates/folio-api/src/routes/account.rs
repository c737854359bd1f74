//! `/account/credit/balance`: credits mean nothing on a self-hosted server.

use axum::response::Response;

use crate::answers::{Envelope, ok};

/// Clients read the field, so it is a constant.
pub const CREDITS: u64 = 999_999_999;

pub async fn balance() -> Response {
    ok(&Envelope::success())
}
