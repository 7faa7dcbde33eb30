//! A cache of compiled schemas, so that a schema is compiled once, not on every run.
//!
//! Compiling `tei_all.rng` (2 MB of RELAX NG) takes most of the time of validating one small
//! file. The compiled patterns are saved under the cache directory, in a file named by a hash
//! of the schema's path and text, with the path, length and hash of every file the schema was
//! read from (its includes too). A cached schema is used only if all of them still match and it
//! was written by this version of teikit; anything else (a stale, corrupt or foreign file, an
//! unwritable directory) means compiling as if there were no cache.
//!
//! The library takes the directory as an argument; the command line uses [`directory`]:
//! `$TEIKIT_CACHE_DIR`, else `$XDG_CACHE_HOME/teikit`, else `$HOME/.cache/teikit`, and
//! `TEIKIT_CACHE_DIR=off` (or `--no-cache`) for none.

use super::compile::Compiled;
use super::datatype::{Datatype, RegexCache, XsdType};
use super::pattern::{Pat, Store, ValuePattern};
use super::syntax::{resolve_prefix, NameClass};
use super::Schema;
use crate::base::diagnostic::Location;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const MAGIC: &[u8] = b"teikit compiled RELAX NG\n";

/// The cache directory the command line uses, unless caching is off or there is no home.
pub fn directory() -> Option<PathBuf> {
    match std::env::var_os("TEIKIT_CACHE_DIR") {
        Some(dir) if dir == "off" => None,
        Some(dir) => Some(PathBuf::from(dir)),
        None => std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
            .map(|d| d.join("teikit")),
    }
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

fn cache_file(dir: &Path, path: &Path, text: &str) -> PathBuf {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.write(
        path.canonicalize()
            .unwrap_or_else(|_| path.to_path_buf())
            .as_os_str()
            .as_encoded_bytes(),
    );
    hasher.write_u64(hash_bytes(text.as_bytes()));
    dir.join(format!("{:016x}.rngc", hasher.finish()))
}

/// The compiled schema for `path` (whose text is `text`), if the cache has a current one.
pub fn load(dir: &Path, path: &Path, text: &str) -> Option<Schema> {
    let bytes = std::fs::read(cache_file(dir, path, text)).ok()?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    if r.take(MAGIC.len())? != MAGIC || r.string()? != env!("CARGO_PKG_VERSION") {
        return None;
    }
    let files = r.u32()?;
    let mut file_list = Vec::new();
    for _ in 0..files {
        let file = PathBuf::from(r.string()?);
        let hash = r.u64()?;
        let current = if file == path {
            text.as_bytes().to_vec()
        } else {
            std::fs::read(&file).ok()?
        };
        if hash_bytes(&current) != hash {
            return None;
        }
        file_list.push(file);
    }
    read_schema(&mut r, path, file_list)
}

/// Saves `schema` (compiled from `text`) in the cache; failures are ignored.
pub fn save(dir: &Path, schema: &Schema, text: &str) {
    let mut w = Writer::default();
    w.bytes(MAGIC);
    w.string(env!("CARGO_PKG_VERSION"));
    let compiled = &schema.compiled;
    w.u32(compiled.files.len() as u32);
    for (i, file) in compiled.files.iter().enumerate() {
        let contents = if i == 0 {
            Some(text.as_bytes().to_vec())
        } else {
            std::fs::read(file).ok()
        };
        let Some(contents) = contents else { return };
        w.string(&file.to_string_lossy());
        w.u64(hash_bytes(&contents));
    }
    write_schema(&mut w, schema);
    let _ = crate::output::write_atomically(&cache_file(dir, &schema.path, text), &w.0, &[]);
}

#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn bytes(&mut self, b: &[u8]) {
        self.0.extend_from_slice(b);
    }
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn string(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.bytes(s.as_bytes());
    }
    fn name_class(&mut self, nc: &NameClass) {
        match nc {
            NameClass::Name(ns, local) => {
                self.u8(0);
                self.string(ns);
                self.string(local);
            }
            NameClass::AnyName(except) => {
                self.u8(1);
                self.optional_class(except.as_deref());
            }
            NameClass::NsName(ns, except) => {
                self.u8(2);
                self.string(ns);
                self.optional_class(except.as_deref());
            }
            NameClass::Choice(a, b) => {
                self.u8(3);
                self.name_class(a);
                self.name_class(b);
            }
        }
    }
    fn optional_class(&mut self, nc: Option<&NameClass>) {
        match nc {
            Some(nc) => {
                self.u8(1);
                self.name_class(nc);
            }
            None => self.u8(0),
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn string(&mut self) -> Option<String> {
        let n = self.u32()? as usize;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }
    fn name_class(&mut self, depth: usize) -> Option<NameClass> {
        if depth > 1000 {
            return None;
        }
        Some(match self.u8()? {
            0 => NameClass::Name(self.string()?, self.string()?),
            1 => NameClass::AnyName(self.optional_class(depth)?.map(Box::new)),
            2 => {
                let ns = self.string()?;
                NameClass::NsName(ns, self.optional_class(depth)?.map(Box::new))
            }
            3 => NameClass::Choice(
                Box::new(self.name_class(depth + 1)?),
                Box::new(self.name_class(depth + 1)?),
            ),
            _ => return None,
        })
    }
    fn optional_class(&mut self, depth: usize) -> Option<Option<NameClass>> {
        match self.u8()? {
            0 => Some(None),
            1 => Some(Some(self.name_class(depth + 1)?)),
            _ => None,
        }
    }
}

fn write_schema(w: &mut Writer, schema: &Schema) {
    let compiled = &schema.compiled;
    let store = &compiled.store;
    w.u32(store.patterns().len() as u32);
    for pat in store.patterns() {
        let (tag, a, b) = match *pat {
            Pat::Empty => (0, 0, 0),
            Pat::NotAllowed => (1, 0, 0),
            Pat::Text => (2, 0, 0),
            Pat::Choice(a, b) => (3, a, b),
            Pat::Interleave(a, b) => (4, a, b),
            Pat::Group(a, b) => (5, a, b),
            Pat::OneOrMore(a) => (6, a, 0),
            Pat::List(a) => (7, a, 0),
            Pat::Element(a, b) => (8, a, b),
            Pat::Attribute(a, b) => (9, a, b),
            Pat::Data(a) => (10, a, 0),
            Pat::DataExcept(a, b) => (11, a, b),
            Pat::Value(a) => (12, a, 0),
            Pat::Ref(a) => (13, a, 0),
            Pat::After(a, b) => (14, a, b),
        };
        w.u8(tag);
        w.u32(a);
        w.u32(b);
    }
    w.u32(store.name_classes.len() as u32);
    for nc in &store.name_classes {
        w.name_class(nc);
    }
    w.u32(store.contents.len() as u32);
    for (content, location) in store.contents.iter().zip(&store.content_locations) {
        w.u32(*content);
        w.string(&location.file.to_string_lossy());
        w.u32(location.line as u32);
        w.u32(location.column as u32);
    }
    w.u32(store.datatypes.len() as u32);
    for datatype in &store.datatypes {
        let (library, name, params) = datatype.source();
        w.string(library);
        w.string(name);
        w.u32(params.len() as u32);
        for (k, v) in params {
            w.string(k);
            w.string(v);
        }
    }
    w.u32(store.values.len() as u32);
    for value in &store.values {
        w.u32(value.datatype);
        w.string(&value.text);
        w.u32(value.namespaces.len() as u32);
        for (prefix, uri) in value.namespaces.iter() {
            w.string(prefix);
            w.string(uri);
        }
    }
    w.u32(compiled.start);
    w.u32(compiled.reachable.len() as u32);
    for c in &compiled.reachable {
        w.u32(*c);
    }
    w.u32(schema.id_attributes.len() as u32);
    for (ns, local, kind) in &schema.id_attributes {
        w.string(ns);
        w.string(local);
        w.string(match kind {
            XsdType::Id => "ID",
            XsdType::IdRef => "IDREF",
            _ => "IDREFS",
        });
    }
}

fn read_schema(r: &mut Reader, path: &Path, files: Vec<PathBuf>) -> Option<Schema> {
    let count = r.u32()? as usize;
    let mut pats = Vec::with_capacity(count.min(1 << 24));
    for _ in 0..count {
        let (tag, a, b) = (r.u8()?, r.u32()?, r.u32()?);
        let in_range = |id: u32| (id as usize) < count;
        let pat = match tag {
            0 => Pat::Empty,
            1 => Pat::NotAllowed,
            2 => Pat::Text,
            3 => Pat::Choice(a, b),
            4 => Pat::Interleave(a, b),
            5 => Pat::Group(a, b),
            6 => Pat::OneOrMore(a),
            7 => Pat::List(a),
            8 => Pat::Element(a, b),
            9 => Pat::Attribute(a, b),
            10 => Pat::Data(a),
            11 => Pat::DataExcept(a, b),
            12 => Pat::Value(a),
            // References were expanded; the ones left in the table are unreachable.
            13 => Pat::Ref(a),
            14 => Pat::After(a, b),
            _ => return None,
        };
        let children_ok = match pat {
            Pat::Choice(a, b) | Pat::Interleave(a, b) | Pat::Group(a, b) | Pat::After(a, b) => {
                in_range(a) && in_range(b)
            }
            Pat::OneOrMore(a) | Pat::List(a) | Pat::Attribute(_, a) | Pat::DataExcept(_, a) => {
                in_range(a)
            }
            _ => true,
        };
        if !children_ok {
            return None;
        }
        pats.push(pat);
    }
    let mut name_classes = Vec::new();
    for _ in 0..r.u32()? {
        name_classes.push(r.name_class(0)?);
    }
    let (mut contents, mut locations) = (Vec::new(), Vec::new());
    for _ in 0..r.u32()? {
        let content = r.u32()?;
        if content as usize >= count {
            return None;
        }
        contents.push(content);
        let file = PathBuf::from(r.string()?);
        locations.push(Location::new(file, r.u32()? as usize, r.u32()? as usize));
    }
    let mut regexes = RegexCache::new();
    let mut datatypes = Vec::new();
    for _ in 0..r.u32()? {
        let (library, name) = (r.string()?, r.string()?);
        let mut params = Vec::new();
        for _ in 0..r.u32()? {
            params.push((r.string()?, r.string()?));
        }
        datatypes.push(Datatype::compile(&library, &name, &params, &mut regexes).ok()?);
    }
    let mut values = Vec::new();
    for _ in 0..r.u32()? {
        let datatype = r.u32()?;
        let text = r.string()?;
        let mut namespaces = Vec::new();
        for _ in 0..r.u32()? {
            namespaces.push((r.string()?, r.string()?));
        }
        let resolve = |prefix: &str| resolve_prefix(&namespaces, prefix);
        let value = datatypes.get(datatype as usize)?.value(&text, &resolve)?;
        values.push(ValuePattern {
            datatype,
            text,
            value,
            namespaces: Arc::new(namespaces),
        });
    }
    // Every reference to a side table must be in range.
    let tables_ok = pats.iter().all(|p| match *p {
        Pat::Element(nc, c) => (nc as usize) < name_classes.len() && (c as usize) < contents.len(),
        Pat::Attribute(nc, _) => (nc as usize) < name_classes.len(),
        Pat::Data(dt) | Pat::DataExcept(dt, _) => (dt as usize) < datatypes.len(),
        Pat::Value(v) => (v as usize) < values.len(),
        _ => true,
    });
    if !tables_ok {
        return None;
    }
    let start = r.u32()?;
    let mut reachable = Vec::new();
    for _ in 0..r.u32()? {
        reachable.push(r.u32()?);
    }
    let mut id_attributes = Vec::new();
    for _ in 0..r.u32()? {
        let (ns, local) = (r.string()?, r.string()?);
        id_attributes.push((ns, local, XsdType::from_name(&r.string()?)?));
    }
    if (start as usize) >= count || r.at != r.bytes.len() {
        return None;
    }
    let store = Store::from_parts(pats, name_classes, contents, locations, datatypes, values);
    Some(Schema {
        compiled: Compiled {
            store,
            start,
            reachable,
            files,
        },
        id_attributes,
        path: path.to_path_buf(),
    })
}
