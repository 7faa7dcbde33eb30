//! Serialisation of the tree with quick-xml.

use super::tree::{Element, Node};
use quick_xml::escape::partial_escape;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

const INDENT: &str = "  ";

/// Serialises `root` as a complete XML document (declaration, root element, final newline).
///
/// Element-only content is indented by two spaces a level; mixed content is written exactly
/// as it is in the tree, so the document's text is never altered by layout.
pub fn to_xml_string(root: &Element) -> std::io::Result<String> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    newline(&mut writer, 0)?;
    write_element(&mut writer, root, 0, false)?;
    newline(&mut writer, 0)?;
    String::from_utf8(writer.into_inner())
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
}

fn newline(writer: &mut Writer<Vec<u8>>, depth: usize) -> std::io::Result<()> {
    let mut text = String::from("\n");
    for _ in 0..depth {
        text.push_str(INDENT);
    }
    writer.write_event(Event::Text(BytesText::from_escaped(text)))
}

fn write_element(
    writer: &mut Writer<Vec<u8>>,
    element: &Element,
    depth: usize,
    inline: bool,
) -> std::io::Result<()> {
    let mut start = BytesStart::new(element.name.as_str());
    for (name, value) in &element.attributes {
        start.push_attribute((name.as_str(), value.as_str()));
    }
    if element.children.is_empty() {
        return writer.write_event(Event::Empty(start));
    }
    writer.write_event(Event::Start(start))?;
    let mixed = inline || element.has_significant_text();
    for child in &element.children {
        match child {
            Node::Text(text) if mixed => {
                // Only `&`, `<` and `>` need escaping in text; quotes stay as typed.
                writer.write_event(Event::Text(BytesText::from_escaped(partial_escape(text))))?;
            }
            // Whitespace-only text between elements is layout; the writer supplies its own.
            Node::Text(_) => {}
            Node::Element(child) => {
                if !mixed {
                    newline(writer, depth + 1)?;
                }
                write_element(writer, child, depth + 1, mixed)?;
            }
        }
    }
    if !mixed {
        newline(writer, depth)?;
    }
    writer.write_event(Event::End(BytesEnd::new(element.name.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indents_element_content_but_not_mixed_content() {
        let doc = Element::new("div")
            .with_child(Element::new("head").with_text("A & B"))
            .with_child(
                Element::new("p")
                    .with_text("x ")
                    .with_child(Element::new("pb").with_attribute("n", "2"))
                    .with_text(" y"),
            );
        let xml = to_xml_string(&doc).unwrap();
        assert_eq!(
            xml,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<div>\n  <head>A &amp; B</head>\n  <p>x <pb n=\"2\"/> y</p>\n</div>\n"
        );
    }

    #[test]
    fn escapes_attribute_quotes() {
        let e = Element::new("q").with_attribute("a", "say \"hi\" <now>");
        let xml = to_xml_string(&e).unwrap();
        assert!(
            xml.contains(r#"a="say &quot;hi&quot; &lt;now&gt;""#),
            "{xml}"
        );
    }
}
