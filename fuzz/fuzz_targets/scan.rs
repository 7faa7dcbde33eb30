//! The differ's scanner against roxmltree on arbitrary text: both must accept or both refuse,
//! and where both accept, see the same elements, names and attributes in the same order
//! (`tests/xml_scan.rs` compares text, comments and processing instructions as well, on real
//! documents and their broken variants).
#![no_main]

use libfuzzer_sys::fuzz_target;
use teikit::xml::scan::{scan, Chars, Handler, StartTag};
use teikit::xml::ReadLimits;

#[derive(Default)]
struct Elements(Vec<String>);

impl Handler for Elements {
    fn start_element(&mut self, tag: &StartTag<'_>) {
        let mut attributes: Vec<String> = tag
            .attributes
            .iter()
            .map(|a| format!("{{{}}}{}={:?}", a.namespace, a.local, a.value))
            .collect();
        attributes.sort();
        self.0.push(format!("{{{}}}{} {attributes:?}", tag.namespace, tag.local));
    }
    fn end_element(&mut self) {
        self.0.push("end".into());
    }
    fn text(&mut self, _: Chars<'_>, _: usize) {}
    fn comment(&mut self, _: Chars<'_>, _: usize) {}
    fn processing_instruction(&mut self, _: &str, _: Chars<'_>, _: usize) {}
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let mut ours = Elements::default();
    let verdict = scan(text, ReadLimits::default(), &mut ours);
    let options = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..roxmltree::ParsingOptions::default()
    };
    let theirs = roxmltree::Document::parse_with_options(text, options);
    match (&verdict, &theirs) {
        (Ok(()), Ok(doc)) => {
            let mut elements = Vec::new();
            let mut stack = vec![(doc.root_element(), false)];
            while let Some((node, done)) = stack.pop() {
                if done {
                    elements.push("end".to_string());
                } else if node.is_element() {
                    let mut attributes: Vec<String> = node
                        .attributes()
                        .map(|a| format!("{{{}}}{}={:?}", a.namespace().unwrap_or(""), a.name(), a.value()))
                        .collect();
                    attributes.sort();
                    elements.push(format!(
                        "{{{}}}{} {attributes:?}",
                        node.tag_name().namespace().unwrap_or(""),
                        node.tag_name().name()
                    ));
                    stack.push((node, true));
                    let children: Vec<_> = node.children().filter(|c| c.is_element()).collect();
                    stack.extend(children.into_iter().rev().map(|c| (c, false)));
                }
            }
            assert_eq!(ours.0, elements);
        }
        (Err(_), Err(_)) => {}
        _ => panic!("scanner {verdict:?}, roxmltree {:?}", theirs.map(|_| ())),
    }
});
