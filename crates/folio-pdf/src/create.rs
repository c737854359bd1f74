//! New documents from images: `/pdf/convert/from/image` and the image inputs of
//! `/pdf/merge2`. One page per image (per frame of a multi-page TIFF), the page the image's size
//! at its own resolution (72 DPI when it states none).
//!
//! JPEG goes in as it is (`/DCTDecode`): no re-encoding, no loss. Every other format is decoded
//! (the `image` crate; `tiff` for the frames of a multi-page TIFF) and written Flate-compressed,
//! grey as grey, with alpha as a soft mask. The JPEG header is read here (a few markers: size,
//! components, density, Adobe's inverted CMYK) because the decoders only say that after decoding
//! the whole image, which embedding as it is must not need.

use std::io::Cursor;

use folio_render::Error;
use lopdf::{Dictionary, Document, Object, Stream};

use crate::{Written, save};

/// The formats read, as messages name them.
pub const IMAGE_FORMATS: &str = "PNG, JPEG, GIF, BMP, TIFF or WebP";

/// Bounds on what images may make us decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageLimits {
    /// Most pixels of one image (frame).
    pub max_pixels: u64,
    /// Most pages (images and frames) of one output.
    pub max_pages: usize,
}

/// One image page, ready to be written.
struct ImagePage {
    width: u32,
    height: u32,
    dpi: (f64, f64),
    /// The image XObject's dictionary entries and data.
    image: Stream,
    mask: Option<Stream>,
}

/// A PDF with one page per image of `inputs`, in order.
pub fn images_to_pdf(inputs: &[&[u8]], limits: ImageLimits) -> Result<Written, Error> {
    crate::guarded(|| {
        let mut pages = Vec::new();
        for (n, input) in inputs.iter().enumerate() {
            image_pages(input, limits, &mut pages)
                .map_err(|e| crate::assemble::in_input("image", n, inputs.len(), e))?;
            if pages.len() > limits.max_pages {
                return Err(Error::TooManyPages {
                    requested: pages.len(),
                    limit: limits.max_pages,
                });
            }
        }
        write_pages(pages)
    })
}

/// Whether `data` looks like a PDF (its header within the first kilobyte, as readers allow).
pub fn is_pdf(data: &[u8]) -> bool {
    data[..data.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

fn image_pages(data: &[u8], limits: ImageLimits, out: &mut Vec<ImagePage>) -> Result<(), Error> {
    let format = image::guess_format(data).map_err(|_| not_an_image())?;
    match format {
        image::ImageFormat::Jpeg => out.push(jpeg_page(data, limits)?),
        image::ImageFormat::Tiff => tiff_pages(data, limits, out)?,
        image::ImageFormat::Png
        | image::ImageFormat::Gif
        | image::ImageFormat::Bmp
        | image::ImageFormat::WebP => {
            let dpi = match format {
                image::ImageFormat::Png => png_dpi(data),
                _ => None,
            };
            out.push(decoded_page(data, format, dpi, limits)?);
        }
        other => {
            return Err(Error::InvalidOption(format!(
                "{other:?} images are not read; send {IMAGE_FORMATS}"
            )));
        }
    }
    Ok(())
}

fn not_an_image() -> Error {
    Error::InvalidOption(format!("the file is not an image ({IMAGE_FORMATS})"))
}

fn too_large(w: u64, h: u64, limits: ImageLimits) -> Error {
    Error::InvalidOption(format!(
        "the image is {w} × {h} pixels, more than the limit of {} pixels",
        limits.max_pixels
    ))
}

/// Decode with the `image` crate, within the pixel limit.
fn decoded_page(
    data: &[u8],
    format: image::ImageFormat,
    dpi: Option<(f64, f64)>,
    limits: ImageLimits,
) -> Result<ImagePage, Error> {
    let mut reader = image::ImageReader::with_format(Cursor::new(data), format);
    let mut decode_limits = image::Limits::default();
    decode_limits.max_alloc = Some(limits.max_pixels.saturating_mul(8));
    reader.limits(decode_limits.clone());
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| Error::InvalidOption(format!("the {format:?} image cannot be read: {e}")))?;
    if u64::from(w) * u64::from(h) > limits.max_pixels {
        return Err(too_large(w.into(), h.into(), limits));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(data), format);
    reader.limits(decode_limits);
    let img = reader
        .decode()
        .map_err(|e| Error::InvalidOption(format!("the {format:?} image cannot be read: {e}")))?;
    let color = img.color();
    let gray = matches!(
        color,
        image::ColorType::L8
            | image::ColorType::L16
            | image::ColorType::La8
            | image::ColorType::La16
    );
    let alpha = color.has_alpha().then(|| {
        let a: Vec<u8> = img.to_rgba8().pixels().map(|p| p.0[3]).collect();
        a
    });
    let (pixels, space) = if gray {
        (img.to_luma8().into_raw(), "DeviceGray")
    } else {
        (img.to_rgb8().into_raw(), "DeviceRGB")
    };
    let mask = alpha
        .filter(|a| a.iter().any(|&v| v != 255))
        .map(|a| flate_image(w, h, "DeviceGray", 8, &a))
        .transpose()?;
    Ok(ImagePage {
        width: w,
        height: h,
        dpi: dpi.unwrap_or((72.0, 72.0)),
        image: flate_image(w, h, space, 8, &pixels)?,
        mask,
    })
}

/// An image XObject of raw samples, Flate-compressed.
fn flate_image(w: u32, h: u32, space: &str, bits: i64, samples: &[u8]) -> Result<Stream, Error> {
    let data = crate::zlib(samples, flate2::Compression::default())
        .ok_or_else(|| Error::Output("compressing the image data failed".into()))?;
    let dict = image_dict(w, h, space, bits, "FlateDecode");
    Ok(Stream::new(dict, data).with_compression(false))
}

fn image_dict(w: u32, h: u32, space: &str, bits: i64, filter: &str) -> Dictionary {
    Dictionary::from_iter([
        ("Type", Object::Name(b"XObject".to_vec())),
        ("Subtype", Object::Name(b"Image".to_vec())),
        ("Width", Object::Integer(w.into())),
        ("Height", Object::Integer(h.into())),
        ("ColorSpace", Object::Name(space.as_bytes().to_vec())),
        ("BitsPerComponent", Object::Integer(bits)),
        ("Filter", Object::Name(filter.as_bytes().to_vec())),
    ])
}

/// A JPEG page: the file itself as the image's data.
fn jpeg_page(data: &[u8], limits: ImageLimits) -> Result<ImagePage, Error> {
    let header = jpeg_header(data).ok_or_else(|| {
        Error::InvalidOption("the JPEG image is damaged (no frame header)".into())
    })?;
    if u64::from(header.width) * u64::from(header.height) > limits.max_pixels {
        return Err(too_large(header.width.into(), header.height.into(), limits));
    }
    let space = match header.components {
        1 => "DeviceGray",
        3 => "DeviceRGB",
        4 => "DeviceCMYK",
        n => {
            return Err(Error::InvalidOption(format!(
                "the JPEG image has {n} colour components; 1, 3 or 4 are read"
            )));
        }
    };
    let mut dict = image_dict(header.width, header.height, space, 8, "DCTDecode");
    if header.components == 4 && header.adobe {
        // Adobe writes CMYK JPEGs inverted; viewers undo it with this Decode array.
        dict.set(
            "Decode",
            Object::Array([1, 0, 1, 0, 1, 0, 1, 0].map(Object::Integer).to_vec()),
        );
    }
    Ok(ImagePage {
        width: header.width,
        height: header.height,
        dpi: header.dpi.unwrap_or((72.0, 72.0)),
        image: Stream::new(dict, data.to_vec()).with_compression(false),
        mask: None,
    })
}

struct JpegHeader {
    width: u32,
    height: u32,
    components: u8,
    dpi: Option<(f64, f64)>,
    adobe: bool,
}

/// The frame header, JFIF density and Adobe marker of a JPEG, read up to its first scan.
fn jpeg_header(data: &[u8]) -> Option<JpegHeader> {
    if data.get(..2)? != [0xff, 0xd8] {
        return None;
    }
    let (mut pos, mut dpi, mut adobe) = (2usize, None, false);
    while pos + 4 <= data.len() {
        if data[pos] != 0xff {
            return None;
        }
        let marker = data[pos + 1];
        if marker == 0xff {
            pos += 1;
            continue;
        }
        let len = usize::from(u16::from_be_bytes([data[pos + 2], data[pos + 3]]));
        let body = data.get(pos + 4..pos + 2 + len)?;
        match marker {
            0xe0 if body.starts_with(b"JFIF\0") && body.len() >= 12 => {
                let x = f64::from(u16::from_be_bytes([body[8], body[9]]));
                let y = f64::from(u16::from_be_bytes([body[10], body[11]]));
                dpi = match body[7] {
                    1 if x > 0.0 && y > 0.0 => Some((x, y)),
                    2 if x > 0.0 && y > 0.0 => Some((x * 2.54, y * 2.54)),
                    _ => dpi,
                };
            }
            0xee if body.starts_with(b"Adobe") => adobe = true,
            0xc0..=0xcf if !matches!(marker, 0xc4 | 0xc8 | 0xcc) && body.len() >= 6 => {
                return Some(JpegHeader {
                    height: u16::from_be_bytes([body[1], body[2]]).into(),
                    width: u16::from_be_bytes([body[3], body[4]]).into(),
                    components: body[5],
                    dpi,
                    adobe,
                })
                .filter(|h| h.width > 0 && h.height > 0);
            }
            0xda => return None,
            _ => {}
        }
        pos += 2 + len;
    }
    None
}

/// A PNG's `pHYs` resolution, when it gives one in pixels per metre.
fn png_dpi(data: &[u8]) -> Option<(f64, f64)> {
    let reader = png::Decoder::new(Cursor::new(data)).read_info().ok()?;
    let dims = reader.info().pixel_dims?;
    (dims.unit == png::Unit::Meter && dims.xppu > 0 && dims.yppu > 0)
        .then(|| (f64::from(dims.xppu) * 0.0254, f64::from(dims.yppu) * 0.0254))
}

/// Every frame of a TIFF, one page each.
fn tiff_pages(data: &[u8], limits: ImageLimits, out: &mut Vec<ImagePage>) -> Result<(), Error> {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let bad =
        |e: tiff::TiffError| Error::InvalidOption(format!("the TIFF image cannot be read: {e}"));
    let mut decoder = Decoder::new(Cursor::new(data)).map_err(bad)?;
    let mut tiff_limits = tiff::decoder::Limits::default();
    tiff_limits.decoding_buffer_size =
        usize::try_from(limits.max_pixels.saturating_mul(8)).unwrap_or(usize::MAX);
    decoder = decoder.with_limits(tiff_limits);
    loop {
        if out.len() > limits.max_pages {
            return Ok(());
        }
        let (w, h) = decoder.dimensions().map_err(bad)?;
        if u64::from(w) * u64::from(h) > limits.max_pixels {
            return Err(too_large(w.into(), h.into(), limits));
        }
        let dpi = tiff_dpi(&mut decoder);
        let white_is_zero = decoder
            .find_tag_unsigned::<u16>(Tag::PhotometricInterpretation)
            .ok()
            .flatten()
            == Some(0);
        let color = decoder.colortype().map_err(bad)?;
        let samples = match decoder.read_image().map_err(bad)? {
            DecodingResult::U8(v) => v,
            DecodingResult::U16(v) => v.iter().map(|s| (s >> 8) as u8).collect(),
            _ => {
                return Err(Error::InvalidOption(
                    "the TIFF image's samples are not 8 or 16-bit integers".into(),
                ));
            }
        };
        use tiff::ColorType as C;
        let (space, bits, channels, alpha) = match color {
            C::Gray(1) => ("DeviceGray", 1, 1, false),
            C::Gray(8 | 16) => ("DeviceGray", 8, 1, false),
            C::GrayA(8 | 16) => ("DeviceGray", 8, 2, true),
            C::RGB(8 | 16) => ("DeviceRGB", 8, 3, false),
            C::RGBA(8 | 16) => ("DeviceRGB", 8, 4, true),
            C::CMYK(8 | 16) => ("DeviceCMYK", 8, 4, false),
            other => {
                return Err(Error::InvalidOption(format!(
                    "TIFF images of colour type {other:?} are not read"
                )));
            }
        };
        let (image, mask) = if alpha {
            let colour: Vec<u8> = samples
                .chunks_exact(channels)
                .flat_map(|p| p[..channels - 1].to_vec())
                .collect();
            let a: Vec<u8> = samples
                .chunks_exact(channels)
                .map(|p| p[channels - 1])
                .collect();
            (
                flate_image(w, h, space, bits, &colour)?,
                Some(flate_image(w, h, "DeviceGray", 8, &a)?),
            )
        } else {
            (flate_image(w, h, space, bits, &samples)?, None)
        };
        let mut image = image;
        if white_is_zero && space == "DeviceGray" {
            image.dict.set(
                "Decode",
                Object::Array(vec![Object::Integer(1), Object::Integer(0)]),
            );
        }
        out.push(ImagePage {
            width: w,
            height: h,
            dpi: dpi.unwrap_or((72.0, 72.0)),
            image,
            mask,
        });
        if !decoder.more_images() {
            return Ok(());
        }
        decoder.next_image().map_err(bad)?;
    }
}

fn tiff_dpi<R: std::io::Read + std::io::Seek>(
    decoder: &mut tiff::decoder::Decoder<R>,
) -> Option<(f64, f64)> {
    use tiff::decoder::ifd::Value;
    use tiff::tags::Tag;
    let rational = |v: Value| match v {
        Value::Rational(n, d) if d > 0 && n > 0 => Some(f64::from(n) / f64::from(d)),
        _ => None,
    };
    let x = rational(decoder.find_tag(Tag::XResolution).ok()??)?;
    let y = decoder
        .find_tag(Tag::YResolution)
        .ok()
        .flatten()
        .and_then(rational)
        .unwrap_or(x);
    let unit = decoder
        .find_tag_unsigned::<u16>(Tag::ResolutionUnit)
        .ok()
        .flatten()
        .unwrap_or(2);
    match unit {
        2 => Some((x, y)),
        3 => Some((x * 2.54, y * 2.54)),
        _ => None,
    }
}

fn write_pages(pages: Vec<ImagePage>) -> Result<Written, Error> {
    let mut doc = Document::with_version("1.4");
    let pages_id = doc.new_object_id();
    let mut kids = Vec::with_capacity(pages.len());
    for page in pages {
        let (pw, ph) = (
            f64::from(page.width) * 72.0 / page.dpi.0.clamp(1.0, 10_000.0),
            f64::from(page.height) * 72.0 / page.dpi.1.clamp(1.0, 10_000.0),
        );
        let mut image = page.image;
        if let Some(mask) = page.mask {
            let mask_id = doc.add_object(Object::Stream(mask));
            image.dict.set("SMask", Object::Reference(mask_id));
        }
        let image_id = doc.add_object(Object::Stream(image));
        let content = format!("q {pw:.4} 0 0 {ph:.4} 0 0 cm /Im0 Do Q");
        let content_id = doc.add_object(Object::Stream(Stream::new(
            Dictionary::new(),
            content.into_bytes(),
        )));
        let resources = Dictionary::from_iter([(
            "XObject",
            Object::Dictionary(Dictionary::from_iter([(
                "Im0",
                Object::Reference(image_id),
            )])),
        )]);
        let page_dict = Dictionary::from_iter([
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages_id)),
            (
                "MediaBox",
                Object::Array(vec![
                    Object::Integer(0),
                    Object::Integer(0),
                    Object::Real(pw as f32),
                    Object::Real(ph as f32),
                ]),
            ),
            ("Resources", Object::Dictionary(resources)),
            ("Contents", Object::Reference(content_id)),
        ]);
        kids.push(Object::Reference(
            doc.add_object(Object::Dictionary(page_dict)),
        ));
    }
    let page_count = kids.len();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(Dictionary::from_iter([
            ("Type", Object::Name(b"Pages".to_vec())),
            ("Kids", Object::Array(kids)),
            ("Count", Object::Integer(page_count as i64)),
        ])),
    );
    let catalog = doc.add_object(Object::Dictionary(Dictionary::from_iter([
        ("Type", Object::Name(b"Catalog".to_vec())),
        ("Pages", Object::Reference(pages_id)),
    ])));
    doc.trailer.set("Root", Object::Reference(catalog));
    doc.compress();
    Ok(Written {
        pdf: save(&mut doc)?,
        page_count,
    })
}
