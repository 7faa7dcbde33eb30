//! URI references as TEI's pointers and XInclude's `href` write them.

/// The scheme of an absolute URI (`https` of `https://…`), or the prefix of a private URI
/// (`psn` of `psn:kissinger`): letters, digits, `+`, `-`, `.` after a letter, before the first
/// `:` that comes before any `/`, `?` or `#`.
///
/// ```
/// use teikit::base::uri::scheme;
/// assert_eq!(scheme("https://history.state.gov/"), Some("https"));
/// assert_eq!(scheme("psn:kissinger"), Some("psn"));
/// assert_eq!(scheme("persons.xml#p1"), None);
/// assert_eq!(scheme("a/b:c"), None);
/// ```
pub fn scheme(reference: &str) -> Option<&str> {
    let end = reference.find([':', '/', '?', '#'])?;
    let scheme = &reference[..end];
    (reference[end..].starts_with(':')
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

/// A file name in a URI with its escapes decoded (`a%20b.xml` → `a b.xml`); an incomplete
/// escape is kept as written.
///
/// ```
/// assert_eq!(teikit::base::uri::percent_decoded("a%20b%zz.xml"), "a b%zz.xml");
/// ```
pub fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `file:///…` for a path (made absolute), percent-encoding what a URI cannot hold: for the
/// language server's documents and for the files a stylesheet reads with `doc()`.
///
/// ```
/// use teikit::base::uri::file_uri;
/// assert_eq!(file_uri(std::path::Path::new("/tmp/a b/é.xml")), "file:///tmp/a%20b/%C3%A9.xml");
/// ```
pub fn file_uri(path: &std::path::Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = String::from("file://");
    for byte in absolute.to_string_lossy().bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}
