//! Schemas named by `http(s)` URL: downloaded once into the user's cache and read from there
//! afterwards, so that CI and editors work offline once a schema has been fetched
//! (`teikit schema fetch URL` warms the cache; `--offline` forbids the network).
//!
//! The download runs the system's `curl` (on every CI image, macOS and Windows 10+): teikit
//! carries no TLS stack of its own.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Why a remote schema could not be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Not in the cache, and the network may not be used.
    #[error("not in the schema cache ({cache}) and --offline forbids downloading it; run `teikit schema fetch {url}` where the network is reachable, or map it to a local copy in an XML catalog", cache = .cache.display())]
    Offline {
        /// The URL.
        url: String,
        /// Where it was looked for.
        cache: PathBuf,
    },
    /// No cache directory (`TEIKIT_CACHE_DIR=off`, or no home directory).
    #[error("no schema cache to download into (TEIKIT_CACHE_DIR=off or no home directory); map it to a local copy in an XML catalog")]
    NoCache,
    /// The download failed.
    #[error("cannot download it: {0}")]
    Download(String),
}

/// The URL as it is meant: TEI's release URLs are written every way projects write them
/// (`http:` or `https:`, with or without `www.`), and all of them name the same file.
///
/// ```
/// use teikit::schemas::canonical_url;
/// assert_eq!(
///     canonical_url("http://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"),
///     "https://tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng"
/// );
/// assert_eq!(canonical_url("https://example.org/a.rng"), "https://example.org/a.rng");
/// ```
pub fn canonical_url(url: &str) -> String {
    for prefix in [
        "http://www.tei-c.org/",
        "https://www.tei-c.org/",
        "http://tei-c.org/",
    ] {
        if let Some(path) = url.strip_prefix(prefix) {
            return format!("https://tei-c.org/{path}");
        }
    }
    url.to_string()
}

/// Whether `href` is a URL to download (`http:` or `https:`).
pub fn is_remote(href: &str) -> bool {
    let lower = href.get(..8).unwrap_or(href).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Where the cache keeps the schema at `url` (by its canonical form).
pub fn cached_path(cache: &Path, url: &str) -> PathBuf {
    use std::hash::Hasher;
    let canonical = canonical_url(url);
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(canonical.as_bytes());
    let name = canonical
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("schema")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>();
    cache
        .join("schemas")
        .join(format!("{:016x}-{name}", hasher.finish()))
}

/// The local copy of the schema at `url`: from the cache, or downloaded into it unless
/// `offline`.
pub fn fetch(url: &str, cache: Option<&Path>, offline: bool) -> Result<PathBuf, FetchError> {
    let cache = cache.ok_or(FetchError::NoCache)?;
    let path = cached_path(cache, url);
    if path.is_file() {
        return Ok(path);
    }
    if offline {
        return Err(FetchError::Offline {
            url: url.to_string(),
            cache: cache.join("schemas"),
        });
    }
    download(url, &path)?;
    Ok(path)
}

/// Downloads `url` to `path`, whatever is there, written atomically.
pub fn download(url: &str, path: &Path) -> Result<(), FetchError> {
    let output = Command::new("curl")
        .args(["--fail", "--silent", "--show-error", "--location", "--max-time", "120", "--"])
        .arg(url)
        .output()
        .map_err(|e| FetchError::Download(format!("cannot run curl ({e}); install curl, or map the URL to a local copy in an XML catalog")))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr).trim().to_string();
        return Err(FetchError::Download(if why.is_empty() {
            format!("curl exited with {}", output.status)
        } else {
            why
        }));
    }
    if output.stdout.is_empty() {
        return Err(FetchError::Download("the server sent nothing".into()));
    }
    crate::output::write_atomically(path, &output.stdout, &[])
        .map_err(|e| FetchError::Download(e.to_string()))
}
