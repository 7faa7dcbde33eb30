//! `document-numbering`: a volume numbers its documents consecutively.

use super::Document;
use crate::rules::{Context, RuleId};

/// Each document whose `@n` is a number follows the number of the numbered document before it.
/// Documents numbered in brackets (`[1]`, outside the run of numbers) are not counted.
pub(super) fn check(cx: &mut Context, documents: &[Document]) {
    let mut previous: Option<(u64, &roxmltree::Node)> = None;
    for document in documents {
        let Some(n) = document
            .div
            .attribute("n")
            .and_then(|n| n.trim().parse::<u64>().ok())
        else {
            continue;
        };
        if let Some((before, div)) = previous {
            if n != before + 1 {
                let (line, column) = cx.line_column(div.range().start);
                cx.report(
                    RuleId::DocumentNumbering,
                    document.div.range().start,
                    document.div,
                    format!("document {n} follows document {before} (at {line}:{column}); a volume numbers its documents consecutively"),
                );
            }
        }
        previous = Some((n, &document.div));
    }
}
