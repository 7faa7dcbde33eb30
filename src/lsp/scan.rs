//! Reading a document as it is being typed: where the cursor stands (in content, in a start tag,
//! in an attribute value) with the elements open around it, and every attribute of every start
//! tag with the range of its value. Nothing here needs the document to be well-formed: a tag
//! left open, an unknown prefix or a stray `<` costs nothing but precision.

use crate::base::ns;
use crate::relaxng::expect::{OpenElement, Preceding, QName};
use crate::xml::chars::is_ncname;

/// Where the cursor stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    /// After `<` in content, on an element's name typed from `typed_from`.
    ElementName {
        /// The elements open around the cursor, outermost first.
        open: Vec<OpenElement>,
        /// Where the name being typed starts.
        typed_from: usize,
    },
    /// In a start tag where an attribute's name goes, typed from `typed_from`.
    AttributeName {
        /// The elements open around the tag, then the tag's element with its attributes so far.
        open: Vec<OpenElement>,
        /// Where the name being typed starts.
        typed_from: usize,
    },
    /// In an attribute's value.
    AttributeValue {
        /// As for [`Cursor::AttributeName`].
        open: Vec<OpenElement>,
        /// The attribute.
        attribute: QName,
        /// Where the value starts (after the quote).
        value_from: usize,
    },
    /// In text, a comment, an end tag or anything else completion has nothing for.
    Elsewhere,
}

struct Frame {
    raw: String,
    name: QName,
    attributes: Vec<QName>,
    children: Vec<Preceding>,
    namespaces: Vec<(String, String)>,
}

fn resolve(frames: &[Frame], extra: &[(String, String)], prefix: &str) -> Option<String> {
    if prefix == "xml" {
        return Some(ns::XML.to_string());
    }
    extra
        .iter()
        .rev()
        .chain(frames.iter().rev().flat_map(|f| f.namespaces.iter().rev()))
        .find(|(p, _)| p == prefix)
        .map(|(_, uri)| uri.clone())
}

fn element_name(frames: &[Frame], extra: &[(String, String)], raw: &str) -> QName {
    match raw.split_once(':') {
        Some((prefix, local)) => (
            resolve(frames, extra, prefix).unwrap_or_default(),
            local.to_string(),
        ),
        None => (
            resolve(frames, extra, "").unwrap_or_default(),
            raw.to_string(),
        ),
    }
}

fn attribute_name(frames: &[Frame], extra: &[(String, String)], raw: &str) -> QName {
    match raw.split_once(':') {
        Some((prefix, local)) => (
            resolve(frames, extra, prefix).unwrap_or_default(),
            local.to_string(),
        ),
        None => (String::new(), raw.to_string()),
    }
}

fn is_name_char(c: u8) -> bool {
    !matches!(
        c,
        b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' | b'=' | b'<' | b'"' | b'\''
    )
}

fn open_elements(frames: &[Frame]) -> Vec<OpenElement> {
    frames
        .iter()
        .map(|f| OpenElement {
            name: f.name.clone(),
            attributes: f.attributes.clone(),
            children: f.children.clone(),
        })
        .collect()
}

/// Where the cursor at byte `offset` of `text` stands.
pub fn cursor(text: &str, offset: usize) -> Cursor {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let mut frames: Vec<Frame> = Vec::new();
    let mut i = 0;
    loop {
        let Some(lt) = memchr::memchr(b'<', &bytes[i..offset]).map(|p| i + p) else {
            return Cursor::Elsewhere;
        };
        if !text[i..lt].trim().is_empty() {
            if let Some(top) = frames.last_mut() {
                top.children.push(Preceding::Text);
            }
        }
        let rest = &text[lt..];
        let skip_to =
            |end: &str, from: usize| rest[from..].find(end).map(|e| lt + from + e + end.len());
        if rest.starts_with("<!--")
            || rest.starts_with("<?")
            || rest.starts_with("<![CDATA[")
            || rest.starts_with("<!")
        {
            let end = if rest.starts_with("<!--") {
                skip_to("-->", 4)
            } else if rest.starts_with("<?") {
                skip_to("?>", 2)
            } else if rest.starts_with("<![CDATA[") {
                if let Some(top) = frames.last_mut() {
                    top.children.push(Preceding::Text);
                }
                skip_to("]]>", 9)
            } else {
                skip_to(">", 2)
            };
            match end {
                Some(end) if end <= offset => {
                    i = end;
                    continue;
                }
                _ => return Cursor::Elsewhere,
            }
        }
        if rest.starts_with("</") {
            let Some(end) = skip_to(">", 2).filter(|e| *e <= offset) else {
                return Cursor::Elsewhere;
            };
            let raw = text[lt + 2..end - 1].trim();
            if let Some(at) = frames.iter().rposition(|f| f.raw == raw) {
                frames.truncate(at + 1);
                let closed = frames.pop().map(|f| f.name);
                if let (Some(name), Some(parent)) = (closed, frames.last_mut()) {
                    parent.children.push(Preceding::Element(name));
                }
            }
            i = end;
            continue;
        }
        // A start tag.
        let name_start = lt + 1;
        let mut j = name_start;
        while j < offset && is_name_char(bytes[j]) {
            j += 1;
        }
        if j == offset {
            return Cursor::ElementName {
                open: open_elements(&frames),
                typed_from: name_start,
            };
        }
        let raw = text[name_start..j].to_string();
        let mut raw_attributes: Vec<(String, String)> = Vec::new();
        let mut declared: Vec<(String, String)> = Vec::new();
        let tag_open =
            |frames: &[Frame], declared: &[(String, String)], attrs: &[(String, String)]| {
                let mut open = open_elements(frames);
                open.push(OpenElement {
                    name: element_name(frames, declared, &raw),
                    attributes: attrs
                        .iter()
                        .filter(|(n, _)| n != "xmlns" && !n.starts_with("xmlns:"))
                        .map(|(n, _)| attribute_name(frames, declared, n))
                        .collect(),
                    children: Vec::new(),
                });
                open
            };
        let mut empty = false;
        loop {
            while j < offset && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j == offset {
                let mut all = raw_attributes.clone();
                all.extend(following_attributes(text, offset));
                return Cursor::AttributeName {
                    open: tag_open(&frames, &declared, &all),
                    typed_from: offset,
                };
            }
            match bytes[j] {
                b'>' => {
                    j += 1;
                    break;
                }
                b'/' => {
                    empty = true;
                    j += 1;
                    continue;
                }
                b'<' => break, // a tag left unfinished: the next one starts here
                _ => {}
            }
            let attr_start = j;
            while j < offset && is_name_char(bytes[j]) {
                j += 1;
            }
            if j == offset {
                let mut all = raw_attributes.clone();
                all.extend(following_attributes(text, offset));
                return Cursor::AttributeName {
                    open: tag_open(&frames, &declared, &all),
                    typed_from: attr_start,
                };
            }
            let attr = text[attr_start..j].to_string();
            while j < offset && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < offset && bytes[j] == b'=' {
                j += 1;
                while j < offset && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
            }
            if j < offset && matches!(bytes[j], b'"' | b'\'') {
                let quote = bytes[j];
                let value_from = j + 1;
                match memchr::memchr(quote, &bytes[value_from..offset]) {
                    Some(p) => {
                        let value = text[value_from..value_from + p].to_string();
                        if attr == "xmlns" {
                            declared.push((String::new(), value.clone()));
                        } else if let Some(prefix) = attr.strip_prefix("xmlns:") {
                            declared.push((prefix.to_string(), value.clone()));
                        }
                        raw_attributes.push((attr, value));
                        j = value_from + p + 1;
                    }
                    None => {
                        let mut all = raw_attributes.clone();
                        let closing =
                            memchr::memchr(quote, &bytes[offset..]).map(|p| offset + p + 1);
                        if let Some(after) = closing {
                            all.extend(following_attributes(text, after));
                        }
                        let open = tag_open(&frames, &declared, &all);
                        return Cursor::AttributeValue {
                            attribute: attribute_name(&frames, &declared, &attr),
                            open,
                            value_from,
                        };
                    }
                }
            } else if j == offset {
                return Cursor::Elsewhere;
            } else {
                raw_attributes.push((attr, String::new()));
            }
        }
        let name = element_name(&frames, &declared, &raw);
        let attributes = raw_attributes
            .iter()
            .filter(|(n, _)| n != "xmlns" && !n.starts_with("xmlns:"))
            .map(|(n, _)| attribute_name(&frames, &declared, n))
            .collect();
        if empty {
            if let Some(top) = frames.last_mut() {
                top.children.push(Preceding::Element(name));
            }
        } else {
            frames.push(Frame {
                raw,
                name,
                attributes,
                children: Vec::new(),
                namespaces: declared,
            });
        }
        i = j;
    }
}

/// The attributes of the rest of a start tag, from `from` (the cursor's) to its `>`: given
/// already, though after the cursor.
fn following_attributes(text: &str, from: usize) -> Vec<(String, String)> {
    // The word the cursor is in is being typed: it is no attribute yet.
    let rest = &text[from..];
    let start = rest
        .find(|c: char| !is_name_char(c as u8) || !c.is_ascii())
        .unwrap_or(rest.len());
    let end = rest.find(['>', '<']).unwrap_or(rest.len());
    if start > end {
        return Vec::new();
    }
    let tag = format!("<x {}>", &rest[start..end]);
    attributes(&tag)
        .into_iter()
        .map(|a| (a.name, tag[a.value].to_string()))
        .collect()
}

/// An attribute of a start tag, as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributeToken {
    /// The element's name as written (`persName`, `tei:div`).
    pub element: String,
    /// Where the element's start tag begins.
    pub element_start: usize,
    /// The attribute's name as written (`xml:id`, `corresp`).
    pub name: String,
    /// Where its value is, without the quotes.
    pub value: std::ops::Range<usize>,
}

/// Every attribute of every start tag of `text`, in order (comments, CDATA sections and
/// processing instructions passed over).
pub fn attributes(text: &str) -> Vec<AttributeToken> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| i + p) {
        let rest = &text[lt..];
        let skip = |end: &str| rest.find(end).map(|e| lt + e + end.len());
        let next = if rest.starts_with("<!--") {
            skip("-->")
        } else if rest.starts_with("<![CDATA[") {
            skip("]]>")
        } else if rest.starts_with("<?") {
            skip("?>")
        } else if rest.starts_with("</") || rest.starts_with("<!") {
            skip(">")
        } else {
            None
        };
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            match next {
                Some(n) => {
                    i = n;
                    continue;
                }
                None => break,
            }
        }
        let mut j = lt + 1;
        while j < bytes.len() && is_name_char(bytes[j]) {
            j += 1;
        }
        let element = text[lt + 1..j].to_string();
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || matches!(bytes[j], b'>' | b'<') {
                break;
            }
            if bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let name_start = j;
            while j < bytes.len() && is_name_char(bytes[j]) {
                j += 1;
            }
            let name = text[name_start..j].to_string();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
            }
            if j < bytes.len() && matches!(bytes[j], b'"' | b'\'') {
                let quote = bytes[j];
                let from = j + 1;
                let Some(p) = memchr::memchr(quote, &bytes[from..]) else {
                    break;
                };
                out.push(AttributeToken {
                    element: element.clone(),
                    element_start: lt,
                    name,
                    value: from..from + p,
                });
                j = from + p + 1;
            } else if name_start == j {
                j += 1;
            }
        }
        i = j.max(lt + 1);
    }
    out
}

/// The `#id` pointers in an attribute value, each with its range (of the id, after `#`).
pub fn pointers_in(
    text: &str,
    value: std::ops::Range<usize>,
) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut position = value.start;
    for token in text[value.clone()].split(|c: char| c.is_ascii_whitespace()) {
        let start = position;
        position += token.len() + 1;
        if let Some(id) = token.strip_prefix('#') {
            if is_ncname(id) {
                out.push((id.to_string(), start + 1..start + token.len()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEI: &str = "http://www.tei-c.org/ns/1.0";

    fn names(open: &[OpenElement]) -> Vec<&str> {
        open.iter().map(|o| o.name.1.as_str()).collect()
    }

    #[test]
    fn the_cursor_after_a_lt_is_on_an_element_name_with_its_ancestors_and_siblings() {
        let text = r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/><text><body><div><p>A <hi>b</hi> <"#;
        let Cursor::ElementName { open, typed_from } = cursor(text, text.len()) else {
            panic!("{:?}", cursor(text, text.len()));
        };
        assert_eq!(names(&open), ["TEI", "text", "body", "div", "p"]);
        assert_eq!(open[0].name.0, TEI);
        assert_eq!(
            open[0].children,
            [Preceding::Element((TEI.into(), "teiHeader".into()))]
        );
        assert_eq!(
            open[4].children,
            [
                Preceding::Text,
                Preceding::Element((TEI.into(), "hi".into()))
            ]
        );
        assert_eq!(typed_from, text.len());
    }

    #[test]
    fn in_a_start_tag_and_in_a_value() {
        let text =
            r#"<TEI xmlns="http://www.tei-c.org/ns/1.0"><!-- <x --><div type="a" xml:id="d1" n"#;
        let Cursor::AttributeName { open, typed_from } = cursor(text, text.len()) else {
            panic!()
        };
        assert_eq!(names(&open), ["TEI", "div"]);
        assert_eq!(open[1].attributes.len(), 2);
        assert_eq!(open[1].attributes[1].0, ns::XML);
        assert_eq!(&text[typed_from..], "n");
        let text = r#"<TEI><note place="fo"#;
        let Cursor::AttributeValue {
            attribute,
            value_from,
            ..
        } = cursor(text, text.len())
        else {
            panic!()
        };
        assert_eq!(attribute, (String::new(), "place".to_string()));
        assert_eq!(&text[value_from..], "fo");
        assert_eq!(cursor("<TEI>text", 7), Cursor::Elsewhere);
        assert_eq!(cursor("<TEI><!-- <", 11), Cursor::Elsewhere);
    }

    #[test]
    fn attributes_and_pointers_are_found_with_their_ranges() {
        let text = r##"<p xml:id="a"><!-- <x y="z"/> --><ref target="#a #b c"/></p>"##;
        let found = attributes(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].value.clone()], "a");
        assert_eq!(found[1].element, "ref");
        let pointers = pointers_in(text, found[1].value.clone());
        assert_eq!(pointers.len(), 2);
        assert_eq!(&text[pointers[1].1.clone()], "b");
    }
}
