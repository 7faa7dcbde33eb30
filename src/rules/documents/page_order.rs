//! `page-order`: page breaks in order, each page once.

use crate::base::pages::PageNumber;
use crate::rules::{Context, RuleId};

/// Page breaks in order, each page once (arabic and roman numbers each in their own sequence).
pub(super) fn check(cx: &mut Context, pages: &[(roxmltree::Node, PageNumber)]) {
    let mut last: Option<(&PageNumber, usize)> = None;
    for (pb, number) in pages {
        if let Some((previous, offset)) = last {
            if previous.roman == number.roman && number.value <= previous.value {
                let (line, column) = cx.line_column(offset);
                let what = if number.value == previous.value {
                    "repeats"
                } else {
                    "comes before"
                };
                cx.report(
                    RuleId::PageOrder,
                    pb.range().start,
                    *pb,
                    format!("page {} {what} page {} (at {line}:{column}); pages must be in order, each once", number.label, previous.label),
                );
            }
        }
        last = Some((number, pb.range().start));
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::GOOD;
    use crate::rules::tests::check;

    #[test]
    fn pages_out_of_order_or_repeated() {
        let found = check(&GOOD.replace(r#"<pb n="3"/>"#, r#"<pb n="1"/>"#));
        assert_eq!(
            found,
            ["t.xml:1:213: error[page-order]: page 1 comes before page 2 (at 1:201); pages must be in order, each once (in /TEI/text/body/div/p/pb[2])"]
        );
        let found = check(&GOOD.replace(r#"<pb n="3"/>"#, r#"<pb n="2"/>"#));
        assert_eq!(
            found,
            ["t.xml:1:213: error[page-order]: page 2 repeats page 2 (at 1:201); pages must be in order, each once (in /TEI/text/body/div/p/pb[2])"]
        );
    }
}
