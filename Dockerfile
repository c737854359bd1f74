# Folio in a container: `docker build -t folio .` then
#   docker run -p 8080:8080 -v folio-data:/data folio
# Multi-stage: the Rust toolchain stays in the build stage; the image holds one static-ish binary
# (pure Rust: no C libraries besides glibc), CA certificates for fetching `url` inputs, and the
# fonts that stand in for fonts PDFs do not embed (CJK, Arabic, Hebrew, Thai, Latin/Greek/Cyrillic).
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p folio \
 && install -D target/release/folio /out/folio

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
      fonts-noto-cjk fonts-noto-core fonts-liberation fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin folio \
 && mkdir -p /data && chown folio:folio /data
COPY --from=build /out/folio /usr/local/bin/folio
USER folio
VOLUME ["/data"]
# Listen on every interface inside the container; set FOLIO_PUBLIC_URL to the address clients use.
ENV FOLIO_LISTEN=0.0.0.0:8080 \
    FOLIO_DATA_DIR=/data
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/folio"]
CMD ["serve"]
