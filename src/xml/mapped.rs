//! Large documents mapped into memory instead of read into it, so that checking one holds no
//! more of it in memory than the part being read.
//!
//! A document read into a `String` costs its size in memory before a byte of it is checked: a
//! 1 GB file, 1 GB. [`MappedText`] maps the file read-only and hands out its text as a `&str`;
//! the pages a reader has gone past are given back with `madvise(MADV_DONTNEED)`
//! ([`MappedText::release_before`]), so the process's resident memory stays at the few pages
//! ahead of the reader whatever the file's size. Given back is not lost: the mapping is of an
//! unchanged file, so a page read again is read again from the file (the page cache), and a
//! reader that looks back (a problem's line and column, an ID defined far earlier) sees the
//! same text.
//!
//! Only UTF-8 files are mapped (UTF-16 ones are decoded into memory, as before), and only
//! where nothing needs the text rewritten: a document whose DOCTYPE declares entities is read,
//! since reading one flattens nested entity values first ([`super::decode`]).
//!
//! Mapping has the limit every tool that maps files has (ripgrep, `grep --mmap`): a file
//! changed while it is being checked may be read half old, half new, and one truncated
//! meanwhile ends the process (`SIGBUS`). teikit therefore maps only files of at least
//! [`MAP_FROM`] bytes, which are read rather than edited, and never a file it writes.

#![allow(unsafe_code)]

use crate::base::diagnostic::Diagnostic;
use std::path::Path;

/// The smallest file mapped rather than read: below this, reading costs little memory and no
/// risk.
pub const MAP_FROM: u64 = 32 << 20;

/// How much of the file is checked as UTF-8 (or searched) before what lies behind is given
/// back.
const CHUNK: usize = 16 << 20;

/// How far behind the reader pages are kept: text still to be read of the element the reader
/// is in lies just behind the tag it has reached.
const KEEP_BEHIND: usize = 1 << 20;

/// A UTF-8 file mapped read-only into memory.
pub struct MappedText {
    map: Map,
}

impl MappedText {
    /// Maps the file at `path` if it should be: `Ok(None)` when it should be read instead (too
    /// small, UTF-16, declaring entities, or on a system without mapping). The inner error
    /// refuses the file: larger than `max_bytes`, or not UTF-8. The file is checked as UTF-8
    /// a part at a time, each part given back once checked.
    pub fn open(
        path: &Path,
        max_bytes: usize,
    ) -> std::io::Result<Option<Result<MappedText, Diagnostic>>> {
        let file = std::fs::File::open(path)?;
        let size = file.metadata()?.len();
        if size > max_bytes as u64 {
            return Ok(Some(Err(super::read::too_large(path, max_bytes))));
        }
        if size < MAP_FROM || size > usize::MAX as u64 {
            return Ok(None);
        }
        let Some(map) = Map::new(&file, size as usize)? else {
            return Ok(None);
        };
        let mapped = MappedText { map };
        let bytes = mapped.map.bytes();
        if matches!(bytes.get(..2), Some([0xFF, 0xFE] | [0xFE, 0xFF])) {
            return Ok(None);
        }
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + CHUNK).min(bytes.len());
            match std::str::from_utf8(&bytes[at..end]) {
                Ok(_) => at = end,
                // A character cut by the end of the chunk: checked with the next one.
                Err(e) if e.error_len().is_none() && end < bytes.len() && e.valid_up_to() > 0 => {
                    at += e.valid_up_to();
                }
                Err(e) => {
                    let bad = at + e.valid_up_to();
                    return Ok(Some(Err(super::read::not_utf8(path, &bytes[..bad]))));
                }
            }
            mapped.release_before(at);
        }
        if super::read::declares_entities(mapped.text()) {
            return Ok(None);
        }
        Ok(Some(Ok(mapped)))
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        // SAFETY: `open` checked every byte of the mapping as UTF-8, and the mapping is of a
        // file teikit does not write (see the module's note on files changed meanwhile).
        unsafe { std::str::from_utf8_unchecked(self.map.bytes()) }
    }

    /// Whether the text holds `needle`, searched a part at a time, each part given back once
    /// searched.
    pub fn contains(&self, needle: &str) -> bool {
        let bytes = self.map.bytes();
        let needle = needle.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let end = (at + CHUNK + needle.len()).min(bytes.len());
            if memchr::memmem::find(&bytes[at..end], needle).is_some() {
                return true;
            }
            at += CHUNK;
            self.release_before(at);
        }
        false
    }

    /// Gives back the pages wholly before `offset` less a margin, where a reader has come to
    /// `offset`. All of them, each time, not only those since the last call: a reader that
    /// looked back (a problem's line counted, text read again) brought some back, and giving
    /// back pages that are not there costs the kernel next to nothing.
    pub fn release_before(&self, offset: usize) {
        let offset = offset.min(self.map.len);
        let page = self.map.page;
        let to = offset.saturating_sub(KEEP_BEHIND) / page * page;
        if to > 0 {
            self.map.release(0, to);
        }
    }
}

/// A read-only private mapping of a whole file.
struct Map {
    ptr: *const u8,
    len: usize,
    page: usize,
}

#[cfg(unix)]
impl Map {
    fn new(file: &std::fs::File, len: usize) -> std::io::Result<Option<Map>> {
        use std::os::fd::AsRawFd;
        // SAFETY: a fresh read-only private mapping of `len` bytes of an open file; the kernel
        // chooses the address. It is unmapped once, on drop.
        let ptr = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                0,
            )
        };
        if ptr == libc::MAP_FAILED {
            return Ok(None);
        }
        // SAFETY: advice on the mapping just made; advice changes no content.
        unsafe { libc::madvise(ptr, len, libc::MADV_SEQUENTIAL) };
        // SAFETY: sysconf has no preconditions.
        let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        Ok(Some(Map {
            ptr: ptr as *const u8,
            len,
            page: usize::try_from(page)
                .ok()
                .filter(|p| *p > 0)
                .unwrap_or(4096),
        }))
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: `ptr` maps `len` readable bytes for as long as `self` lives.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }

    /// Drops the pages of `from..to` (page-aligned) from the process's memory; they are read
    /// from the file again if touched.
    fn release(&self, from: usize, to: usize) {
        // Outside the mapping, the advice would discard whatever else lies there.
        assert!(from <= to && to <= self.len, "a range outside the mapping");
        // SAFETY: the range lies within the mapping and is page-aligned; MADV_DONTNEED on a
        // private mapping never written to discards nothing that cannot be read again, the
        // same bytes, from the file.
        unsafe {
            libc::madvise(
                self.ptr.add(from) as *mut libc::c_void,
                to - from,
                libc::MADV_DONTNEED,
            )
        };
    }
}

#[cfg(unix)]
impl Drop for Map {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping `new` made, once.
        unsafe { libc::munmap(self.ptr as *mut libc::c_void, self.len) };
    }
}

#[cfg(not(unix))]
impl Map {
    fn new(_: &std::fs::File, _: usize) -> std::io::Result<Option<Map>> {
        Ok(None)
    }
    fn bytes(&self) -> &[u8] {
        &[]
    }
    fn release(&self, _: usize, _: usize) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &[u8]) -> std::path::PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    /// A document of `MAP_FROM` bytes and a little more, `tail` at its end.
    fn big(tail: &[u8]) -> Vec<u8> {
        let mut text = b"<r>".to_vec();
        let filler = "<p>é and more text, with a character of two bytes.</p>\n".as_bytes();
        while text.len() < MAP_FROM as usize {
            text.extend_from_slice(filler);
        }
        text.extend_from_slice(tail);
        text.extend_from_slice(b"</r>");
        text
    }

    #[test]
    fn a_large_utf8_file_is_mapped_and_read_back_whole_after_release() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = big(b"<last/>");
        let path = write(dir.path(), "big.xml", &bytes);
        let mapped = MappedText::open(&path, usize::MAX)
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(mapped.text().as_bytes(), &bytes[..]);
        assert!(mapped.contains("<last/>"));
        assert!(!mapped.contains("<never/>"));
        mapped.release_before(bytes.len());
        // Given back, read again: the same text.
        assert_eq!(mapped.text().as_bytes(), &bytes[..]);
    }

    #[test]
    fn small_utf16_and_entity_declaring_files_are_read_not_mapped() {
        let dir = tempfile::tempdir().unwrap();
        let small = write(dir.path(), "small.xml", b"<r/>");
        assert!(MappedText::open(&small, usize::MAX).unwrap().is_none());
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(big(b"").iter().flat_map(|b| [*b, 0]));
        let utf16 = write(dir.path(), "utf16.xml", &utf16);
        assert!(MappedText::open(&utf16, usize::MAX).unwrap().is_none());
        let mut entities = b"<!DOCTYPE r [<!ENTITY a 'x'>]>".to_vec();
        entities.extend(big(b""));
        let entities = write(dir.path(), "entities.xml", &entities);
        assert!(MappedText::open(&entities, usize::MAX).unwrap().is_none());
    }

    #[test]
    fn a_file_over_the_limit_or_not_utf8_is_refused_where_it_goes_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = big(b"\n<bad>\xFF</bad>");
        let path = write(dir.path(), "bad.xml", &bytes);
        let refused = MappedText::open(&path, usize::MAX)
            .unwrap()
            .unwrap()
            .err()
            .unwrap();
        assert!(
            refused.message.starts_with("invalid UTF-8"),
            "{}",
            refused.message
        );
        let lines = bytes.iter().filter(|b| **b == b'\n').count();
        assert_eq!(
            (refused.location.line, refused.location.column),
            (lines + 1, 6)
        );
        let too_large = MappedText::open(&path, 1000)
            .unwrap()
            .unwrap()
            .err()
            .unwrap();
        assert!(too_large
            .message
            .contains("larger than the 1000 byte limit"));
    }
}
