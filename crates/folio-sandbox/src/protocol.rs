//! The pipe protocol between the server and a worker process.
//!
//! A frame is a little-endian `u32` length, that many bytes of JSON header ([`Frame`]), a
//! little-endian `u64` length and that many payload bytes (the PDF of a request, the image of a
//! page, nothing otherwise). JSON keeps the headers readable in a trace; page data, the bulk,
//! travels raw. Both ends check lengths before allocating.

use std::io::{Read, Write};

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

use crate::RenderJob;

/// Longest header accepted; a page list of 10,000 pages is well under it.
const MAX_HEADER: u32 = 4 << 20;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Frame {
    /// Server → worker: run this job; the payload is the PDF.
    Request {
        job: RenderJob,
        cpu_seconds: u64,
    },
    /// Worker → server, in answer:
    Started {
        pages: Vec<usize>,
    },
    /// The payload is the encoded image.
    Page {
        seq: usize,
        page: usize,
        width: u32,
        height: u32,
    },
    FileProgress {
        done: usize,
    },
    /// The payload is the page's text, UTF-8.
    Text {
        seq: usize,
        page: usize,
    },
    /// The payload is one output file of several (a split's PDF, an embedded file).
    Document {
        seq: usize,
        page_count: usize,
        name: Option<String>,
    },
    /// Something the next page (or TIFF page, or text) could not show.
    Warning {
        message: String,
    },
    /// The answer of an info job.
    Info {
        info: Box<crate::DocumentInfo>,
    },
    /// The payload is a data answer, JSON.
    Data,
    Done,
    Failed {
        code: folio_render::Code,
        message: String,
    },
}

fn invalid(msg: String) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, msg)
}

fn header_of(frame: &Frame) -> std::io::Result<Vec<u8>> {
    serde_json::to_vec(frame).map_err(|e| invalid(e.to_string()))
}

fn parse_header(bytes: &[u8]) -> std::io::Result<Frame> {
    serde_json::from_slice(bytes).map_err(|e| invalid(format!("bad frame header: {e}")))
}

fn check_lengths(header: u32, payload: u64, max_payload: u64) -> std::io::Result<()> {
    if header > MAX_HEADER || payload > max_payload {
        return Err(invalid(format!(
            "frame too large: header {header} bytes, payload {payload} bytes"
        )));
    }
    Ok(())
}

/// Write one frame (worker side, blocking).
pub fn write_frame(out: &mut impl Write, frame: &Frame, payload: &[u8]) -> std::io::Result<()> {
    let header = header_of(frame)?;
    out.write_all(&(header.len() as u32).to_le_bytes())?;
    out.write_all(&header)?;
    out.write_all(&(payload.len() as u64).to_le_bytes())?;
    out.write_all(payload)?;
    out.flush()
}

/// Read one frame (worker side, blocking). `Ok(None)` at a clean end of input.
pub fn read_frame(
    input: &mut impl Read,
    max_payload: u64,
) -> std::io::Result<Option<(Frame, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match input.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let header_len = u32::from_le_bytes(len);
    check_lengths(header_len, 0, max_payload)?;
    let mut header = vec![0; header_len as usize];
    input.read_exact(&mut header)?;
    let mut len = [0u8; 8];
    input.read_exact(&mut len)?;
    let payload_len = u64::from_le_bytes(len);
    check_lengths(header_len, payload_len, max_payload)?;
    let mut payload = vec![0; payload_len as usize];
    input.read_exact(&mut payload)?;
    Ok(Some((parse_header(&header)?, payload)))
}

/// Write one frame (server side).
pub async fn write_frame_async(
    out: &mut (impl AsyncWrite + Unpin),
    frame: &Frame,
    payload: &[u8],
) -> std::io::Result<()> {
    let header = header_of(frame)?;
    out.write_all(&(header.len() as u32).to_le_bytes()).await?;
    out.write_all(&header).await?;
    out.write_all(&(payload.len() as u64).to_le_bytes()).await?;
    out.write_all(payload).await?;
    out.flush().await
}

/// Read one frame (server side). An end of input is an error here: a worker only closes its
/// stdout when it exits, and it never exits in the middle of a job on purpose.
pub async fn read_frame_async(
    input: &mut (impl AsyncRead + Unpin),
    max_payload: u64,
) -> std::io::Result<(Frame, Vec<u8>)> {
    let header_len = input.read_u32_le().await?;
    check_lengths(header_len, 0, max_payload)?;
    let mut header = vec![0; header_len as usize];
    input.read_exact(&mut header).await?;
    let payload_len = input.read_u64_le().await?;
    check_lengths(header_len, payload_len, max_payload)?;
    let mut payload = vec![0; payload_len as usize];
    input.read_exact(&mut payload).await?;
    Ok((parse_header(&header)?, payload))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn frames_round_trip_between_sync_and_async_ends() {
        let frame = Frame::Page {
            seq: 3,
            page: 7,
            width: 10,
            height: 20,
        };
        let mut buf = Vec::new();
        write_frame(&mut buf, &frame, b"png bytes").unwrap();
        let part = Frame::Document {
            seq: 1,
            page_count: 0,
            name: Some("notes.txt".into()),
        };
        write_frame(&mut buf, &part, b"attached").unwrap();
        write_frame(&mut buf, &Frame::Data, b"[]").unwrap();
        write_frame(&mut buf, &Frame::Done, b"").unwrap();
        let mut reader = &buf[..];
        assert_eq!(
            read_frame_async(&mut reader, 1 << 20).await.unwrap(),
            (frame.clone(), b"png bytes".to_vec())
        );
        assert_eq!(
            read_frame_async(&mut reader, 1 << 20).await.unwrap(),
            (part, b"attached".to_vec())
        );
        assert_eq!(
            read_frame_async(&mut reader, 1 << 20).await.unwrap(),
            (Frame::Data, b"[]".to_vec())
        );
        assert_eq!(
            read_frame_async(&mut reader, 1 << 20).await.unwrap(),
            (Frame::Done, vec![])
        );
        assert!(read_frame_async(&mut reader, 1 << 20).await.is_err());

        let mut buf = Vec::new();
        write_frame_async(&mut buf, &frame, b"x").await.unwrap();
        let mut reader = &buf[..];
        assert_eq!(
            read_frame(&mut reader, 10).unwrap(),
            Some((frame, b"x".to_vec()))
        );
        assert_eq!(read_frame(&mut reader, 10).unwrap(), None);
    }

    #[test]
    fn oversized_or_garbled_frames_are_refused_before_allocating() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &Frame::Done, &[0; 100]).unwrap();
        assert!(read_frame(&mut &buf[..], 99).is_err());
        let huge = [0xff, 0xff, 0xff, 0xff];
        assert!(read_frame(&mut &huge[..], u64::MAX).is_err());
        let mut garbled = Vec::new();
        garbled.extend_from_slice(&3u32.to_le_bytes());
        garbled.extend_from_slice(b"{x}");
        garbled.extend_from_slice(&0u64.to_le_bytes());
        assert!(read_frame(&mut &garbled[..], 10).is_err());
    }
}
