//! The Language Server Protocol's base protocol: JSON-RPC messages framed by a `Content-Length`
//! header, read so that no byte stream ends the server.
//!
//! A message that cannot be read is answered and passed over, as JSON-RPC 2.0 asks: a body that
//! is not JSON (or not UTF-8) is a parse error (−32700); JSON that is no message — an array (LSP
//! has no batches), a request whose id is neither a number nor a string, an object with neither
//! a method nor a result — is an invalid request (−32600), answered with the request's id where
//! it has a usable one and `null` otherwise. A message larger than the reader's limit is read
//! past without being held. Bytes that are not a header (a body sent without one) are skipped
//! up to the next `Content-Length` header, with one answer for the lot. Only the end of the
//! input ends the reader.

use serde_json::{json, Value};
use std::io::{BufRead, Read, Write};

/// JSON-RPC's error codes that the reader and the server answer with.
pub mod code {
    /// The body is not JSON.
    pub const PARSE_ERROR: i64 = -32700;
    /// The JSON is not a request, a notification or a response.
    pub const INVALID_REQUEST: i64 = -32600;
    /// No such method.
    pub const METHOD_NOT_FOUND: i64 = -32601;
    /// The parameters do not fit the method.
    pub const INVALID_PARAMS: i64 = -32602;
    /// A request before `initialize`.
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
    /// The request was understood but failed.
    pub const REQUEST_FAILED: i64 = -32803;
}

/// One message from the client, or what stood in its place.
#[derive(Debug, Clone, PartialEq)]
pub enum Incoming {
    /// A request, to be answered with its `id` (a number or a string, kept as sent).
    Request {
        /// The request's id.
        id: Value,
        /// The method.
        method: String,
        /// The parameters (`null` when absent).
        params: Value,
    },
    /// A notification: no answer.
    Notification {
        /// The method.
        method: String,
        /// The parameters (`null` when absent).
        params: Value,
    },
    /// A response to a request of the server's (teikit sends none that need one).
    Response,
    /// Something that could not be read as a message: to be answered with this error.
    Invalid {
        /// The id to answer with: the request's when it could be read, else `null`.
        id: Value,
        /// The JSON-RPC error code.
        code: i64,
        /// What was wrong.
        message: String,
    },
}

/// The longest header line read as one; longer is not a header.
const MAX_HEADER_LINE: u64 = 8 * 1024;

/// Reads messages from a byte stream.
pub struct Reader<R> {
    input: R,
    max_message: u64,
    /// A header block found after bytes that were no header: read on the next call.
    resume: Option<Result<u64, String>>,
}

impl<R: BufRead> Reader<R> {
    /// A reader of `input` that refuses (and reads past) bodies over `max_message` bytes.
    pub fn new(input: R, max_message: u64) -> Self {
        Reader {
            input,
            max_message,
            resume: None,
        }
    }

    /// One line (at most [`MAX_HEADER_LINE`] bytes), without its line end, and whether it had
    /// one; `None` at the end of the input.
    fn line(&mut self) -> Option<(String, bool)> {
        let mut line = Vec::new();
        let read = (&mut self.input)
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)
            .ok()?;
        if read == 0 {
            return None;
        }
        let complete = line.ends_with(b"\n");
        let text = String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_string();
        Some((text, complete))
    }

    /// Reads a header block: the body's length, or what was wrong with the bytes read instead.
    fn headers(&mut self) -> Option<Headers> {
        let mut length: Option<Result<u64, String>> = None;
        let mut garbage = 0usize;
        let mut seen = false;
        loop {
            let (text, complete) = self.line()?;
            if text.is_empty() && complete {
                if !seen {
                    // Blank lines between messages are tolerated.
                    continue;
                }
                return Some(match (garbage, length) {
                    (0, Some(Ok(n))) => Headers::Length(n),
                    (0, Some(Err(what))) => Headers::Garbage(what),
                    (0, None) => Headers::Garbage("a header without Content-Length".into()),
                    (bytes, _) => Headers::Garbage(no_header(bytes)),
                });
            }
            seen = true;
            match find_ignoring_case(&text, CONTENT_LENGTH) {
                Some(0) if garbage == 0 => length = Some(content_length(&text)),
                // A header after bytes that were none (a body sent without its header): that
                // garbage is answered now, and the block read on the next call.
                Some(at) => {
                    self.resume = Some(content_length(&text[at..]));
                    return Some(Headers::Garbage(no_header(garbage + at)));
                }
                None if complete && is_header(&text) && garbage == 0 => {}
                None => garbage += text.len() + 1,
            }
        }
    }

    /// The rest of a header block whose `Content-Length` was read: its length at the blank line.
    fn finish_block(&mut self, mut length: Result<u64, String>) -> Option<Headers> {
        loop {
            let (text, complete) = self.line()?;
            if text.is_empty() && complete {
                return Some(match length {
                    Ok(n) => Headers::Length(n),
                    Err(what) => Headers::Garbage(what),
                });
            }
            if find_ignoring_case(&text, CONTENT_LENGTH) == Some(0) {
                length = content_length(&text);
            }
        }
    }
}

const CONTENT_LENGTH: &str = "content-length:";

fn content_length(header: &str) -> Result<u64, String> {
    let value = header[CONTENT_LENGTH.len()..].trim();
    value
        .parse()
        .map_err(|_| format!("Content-Length `{value}` is no length"))
}

fn no_header(bytes: usize) -> String {
    format!("{bytes} bytes that are no message header; skipped to the next Content-Length header")
}

impl<R: BufRead> Iterator for Reader<R> {
    type Item = Incoming;

    /// The next message, or `None` at the end of the input.
    ///
    /// ```
    /// use teikit::lsp::transport::{Incoming, Reader};
    /// let bytes = b"Content-Length: 2\r\n\r\n[]Content-Length: 40\r\n\r\n{\"jsonrpc\":\"2.0\",\"method\":\"initialized\"}";
    /// let mut reader = Reader::new(&bytes[..], 1 << 20);
    /// assert!(matches!(reader.next(), Some(Incoming::Invalid { code: -32600, .. })));
    /// assert!(matches!(reader.next(), Some(Incoming::Notification { .. })));
    /// assert_eq!(reader.next(), None);
    /// ```
    fn next(&mut self) -> Option<Incoming> {
        let headers = match self.resume.take() {
            Some(first) => self.finish_block(first)?,
            None => self.headers()?,
        };
        let length = match headers {
            Headers::Length(length) => length,
            Headers::Garbage(what) => return Some(invalid(Value::Null, code::PARSE_ERROR, what)),
        };
        if length > self.max_message {
            // Read past the body without holding it; a stream that ends first ends the reader.
            let skipped =
                std::io::copy(&mut (&mut self.input).take(length), &mut std::io::sink()).ok()?;
            if skipped < length {
                return None;
            }
            return Some(invalid(
                Value::Null,
                code::INVALID_REQUEST,
                format!(
                    "a message of {length} bytes, over the {} byte limit; not read",
                    self.max_message
                ),
            ));
        }
        // Grown as the bytes come, not reserved from the header: a lying length costs nothing.
        let mut body = Vec::new();
        (&mut self.input).take(length).read_to_end(&mut body).ok()?;
        if (body.len() as u64) < length {
            return None;
        }
        Some(classify(&body))
    }
}

enum Headers {
    Length(u64),
    Garbage(String),
}

/// Whether `line` has the shape of a header, `Name: value`, the name a token.
fn is_header(line: &str) -> bool {
    line.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    })
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(needle)
        .filter(|at| haystack.is_char_boundary(*at))
}

fn invalid(id: Value, code: i64, message: String) -> Incoming {
    Incoming::Invalid { id, code, message }
}

/// What a body holds.
fn classify(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(e) => {
            let what = if std::str::from_utf8(body).is_err() {
                "the message is not UTF-8".to_string()
            } else {
                format!("the message is not JSON: {e}")
            };
            return invalid(Value::Null, code::PARSE_ERROR, what);
        }
    };
    let Value::Object(mut object) = value else {
        let what = if value.is_array() {
            "a batch (a JSON array): the Language Server Protocol sends one message at a time"
        } else {
            "JSON that is not a message object"
        };
        return invalid(Value::Null, code::INVALID_REQUEST, what.to_string());
    };
    let params = object.remove("params").unwrap_or(Value::Null);
    let method = object.remove("method");
    let id = object.remove("id");
    match (method, id) {
        (Some(Value::String(method)), None) => Incoming::Notification { method, params },
        (Some(Value::String(method)), Some(id)) => match id {
            Value::Number(_) | Value::String(_) => Incoming::Request { id, method, params },
            other => invalid(
                Value::Null,
                code::INVALID_REQUEST,
                format!("request `{method}` has the id {other}; an id is a number or a string"),
            ),
        },
        (Some(other), id) => invalid(
            usable_id(id),
            code::INVALID_REQUEST,
            format!("the method is {other}, not a string"),
        ),
        (None, _) if object.contains_key("result") || object.contains_key("error") => {
            Incoming::Response
        }
        (None, id) => invalid(
            usable_id(id),
            code::INVALID_REQUEST,
            "a message with no method, result or error".to_string(),
        ),
    }
}

fn usable_id(id: Option<Value>) -> Value {
    match id {
        Some(id @ (Value::Number(_) | Value::String(_))) => id,
        _ => Value::Null,
    }
}

/// Writes one message with its header.
pub fn write_message(output: &mut impl Write, message: &Value) -> std::io::Result<()> {
    let body = serde_json::to_vec(message)?;
    write!(output, "Content-Length: {}\r\n\r\n", body.len())?;
    output.write_all(&body)?;
    output.flush()
}

/// A successful response.
pub fn response(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// An error response.
pub fn error_response(id: Value, code: i64, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message}})
}

/// A notification from the server.
pub fn notification(method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "method": method, "params": params})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    fn read_all(bytes: &[u8]) -> Vec<Incoming> {
        Reader::new(bytes, 1000).collect()
    }

    const NOTE: &[u8] = br#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;

    fn code_of(incoming: &Incoming) -> Option<i64> {
        match incoming {
            Incoming::Invalid { code, .. } => Some(*code),
            _ => None,
        }
    }

    #[test]
    fn every_bad_message_is_answered_and_the_next_one_read() {
        let cases: [(&[u8], i64); 6] = [
            (b"{not json", code::PARSE_ERROR),
            (b"\xff\xfe{}", code::PARSE_ERROR),
            (b"[1,2]", code::INVALID_REQUEST),
            (b"42", code::INVALID_REQUEST),
            (
                br#"{"jsonrpc":"2.0","id":{"a":1},"method":"x"}"#,
                code::INVALID_REQUEST,
            ),
            (br#"{"jsonrpc":"2.0","id":7}"#, code::INVALID_REQUEST),
        ];
        for (bad, expected) in cases {
            let mut bytes = framed(bad);
            bytes.extend(framed(NOTE));
            let read = read_all(&bytes);
            assert_eq!(read.len(), 2, "{read:?}");
            assert_eq!(code_of(&read[0]), Some(expected), "{read:?}");
            assert!(
                matches!(&read[1], Incoming::Notification { method, .. } if method == "initialized")
            );
        }
    }

    #[test]
    fn a_null_id_is_answered_with_null_and_a_usable_id_with_itself() {
        let read = read_all(&framed(br#"{"jsonrpc":"2.0","id":null,"method":"x"}"#));
        assert!(matches!(
            &read[0],
            Incoming::Invalid {
                id: Value::Null,
                code: code::INVALID_REQUEST,
                ..
            }
        ));
        let read = read_all(&framed(br#"{"jsonrpc":"2.0","id":"k","method":5}"#));
        assert!(matches!(&read[0], Incoming::Invalid { id: Value::String(k), .. } if k == "k"));
        // Ids beyond 32 bits are ids too.
        let read = read_all(&framed(
            br#"{"jsonrpc":"2.0","id":18446744073709551615,"method":"x"}"#,
        ));
        assert!(matches!(&read[0], Incoming::Request { .. }), "{read:?}");
    }

    #[test]
    fn huge_or_missing_lengths_cost_an_answer_not_the_server() {
        // Over the limit: read past, answered, and the next message read.
        let mut bytes = framed(&[b' '; 2000]);
        bytes.extend(framed(NOTE));
        let read = read_all(&bytes);
        assert_eq!(code_of(&read[0]), Some(code::INVALID_REQUEST));
        assert!(matches!(read[1], Incoming::Notification { .. }));
        // Lengths no stream will ever fill: the input ends, and so does the reader.
        for length in ["1000000000000", "18446744073709551615"] {
            let bytes = format!("Content-Length: {length}\r\n\r\n{{}}");
            assert_eq!(read_all(bytes.as_bytes()), Vec::new());
        }
        // Not a number.
        let mut bytes = b"Content-Length: lots\r\n\r\n".to_vec();
        bytes.extend(framed(NOTE));
        let read = read_all(&bytes);
        assert_eq!(code_of(&read[0]), Some(code::PARSE_ERROR));
        assert!(
            matches!(read.last(), Some(Incoming::Notification { .. })),
            "{read:?}"
        );
    }

    #[test]
    fn a_body_sent_without_its_header_is_skipped_up_to_the_next_header() {
        let mut bytes = NOTE.to_vec();
        bytes.extend(framed(NOTE));
        let read = read_all(&bytes);
        assert_eq!(read.len(), 2, "{read:?}");
        assert_eq!(code_of(&read[0]), Some(code::PARSE_ERROR));
        assert!(matches!(read[1], Incoming::Notification { .. }));
        // Other headers are allowed; a block without a length is answered.
        let mut bytes = b"Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n".to_vec();
        bytes.extend(b"Content-Type: x\r\nContent-Length: 52\r\n\r\n");
        bytes.extend(NOTE);
        let read = read_all(&bytes);
        assert_eq!(code_of(&read[0]), Some(code::PARSE_ERROR));
        assert!(matches!(read[1], Incoming::Notification { .. }), "{read:?}");
    }
}
