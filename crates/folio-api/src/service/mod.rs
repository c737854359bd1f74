//! The operations behind the routes, shared by synchronous requests and the async workers.

pub mod conversion;
pub mod fetch;
pub mod files;
pub mod input;
pub mod naming;
pub mod secrets;
pub mod status;
pub mod storage;
pub mod task;
pub mod webhook;
