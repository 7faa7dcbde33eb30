//! Showing changes: a readable report (word-level, like `git diff --word-diff`), JSON, and a
//! summary line.
//!
//! The JSON report, version 1:
//!
//! ```json
//! {"version": 1, "old": "a.xml", "new": "b.xml",
//!  "changes": [{"kind": "text", "context": "div d59 › p 4", "path": "/TEI/text/body/div/p[4]",
//!               "old": {"line": 12, "column": 7}, "new": {"line": 12, "column": 9},
//!               "old_text": "…", "new_text": "…"}],
//!  "summary": {"changes": 1, "text": 1, "attribute": 0, "inserted": 0, "deleted": 0,
//!              "moved": 0, "renamed": 0, "split": 0, "joined": 0}}
//! ```
//!
//! Per kind: `text` has `old_text`/`new_text`; `attribute` has `name`, `old_value`, `new_value`
//! (null when absent); `inserted`/`deleted` have `what`; `moved` has `what` and `from`;
//! `renamed` has `old_name`, `new_name`; `split` and `joined` (added within version 1) have
//! `what` and `after` (the last words before the split, or of the first element joined).
//! `old`/`new` are null where the change has no place in that file. Within a version, kinds
//! and fields are only ever added.

use super::{Change, ChangeKind, Position};
use serde_json::{json, Value};
use similar::{ChangeTag, TextDiff};

/// "3 changes: 1 text, 1 attribute, 1 moved" (kinds with none left out); "no changes".
pub fn stat(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes".to_string();
    }
    let kinds = [
        "text",
        "attribute",
        "inserted",
        "deleted",
        "moved",
        "renamed",
        "split",
        "joined",
    ];
    let counts: Vec<String> = kinds
        .iter()
        .filter_map(|k| {
            let n = changes.iter().filter(|c| c.kind.name() == *k).count();
            (n > 0).then(|| format!("{n} {k}"))
        })
        .collect();
    let s = if changes.len() == 1 { "" } else { "s" };
    format!("{} change{s}: {}", changes.len(), counts.join(", "))
}

/// The words of `old` and `new` compared: unchanged words one by one, and each run of edited
/// words as one deletion and one insertion (`United States`, not `United`, ` `, `States`), the
/// spaces between the edited words inside the run on each side that goes on.
pub(super) fn word_runs<'a>(old: &'a str, new: &'a str) -> Vec<(ChangeTag, String)> {
    let diff = TextDiff::from_words(old, new);
    let tokens: Vec<(ChangeTag, &str)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value()))
        .collect();
    let mut runs = Vec::new();
    let (mut deleted, mut inserted) = (String::new(), String::new());
    for (i, (tag, value)) in tokens.iter().enumerate() {
        match tag {
            ChangeTag::Equal => {
                let next = tokens
                    .get(i + 1)
                    .map(|t| t.0)
                    .filter(|t| *t != ChangeTag::Equal);
                let goes_on = |text: &str, own: ChangeTag, other: &str| {
                    !text.is_empty() && (next == Some(own) || (next.is_some() && !other.is_empty()))
                };
                let deleted_goes_on = goes_on(&deleted, ChangeTag::Delete, &inserted);
                let inserted_goes_on = goes_on(&inserted, ChangeTag::Insert, &deleted);
                if value.trim().is_empty() && (deleted_goes_on || inserted_goes_on) {
                    if deleted_goes_on {
                        deleted.push_str(value);
                    }
                    if inserted_goes_on {
                        inserted.push_str(value);
                    }
                } else {
                    flush_edits(&mut runs, &mut deleted, &mut inserted);
                    runs.push((ChangeTag::Equal, value.to_string()));
                }
            }
            ChangeTag::Delete => deleted.push_str(value),
            ChangeTag::Insert => inserted.push_str(value),
        }
    }
    flush_edits(&mut runs, &mut deleted, &mut inserted);
    runs
}

/// Ends a run of edits: the deleted and the inserted words, the spaces around them (which
/// stand in both texts) shown once, outside the marks.
fn flush_edits(runs: &mut Vec<(ChangeTag, String)>, deleted: &mut String, inserted: &mut String) {
    let edited = |text: &str| !text.trim().is_empty();
    let side = if edited(deleted) {
        &*deleted
    } else {
        &*inserted
    };
    let (lead, trail) = (side.len() - side.trim_start().len(), side.trim_end().len());
    if !edited(deleted) && !edited(inserted) {
        if !side.is_empty() {
            runs.push((ChangeTag::Equal, side.to_string()));
        }
    } else {
        if lead > 0 {
            runs.push((ChangeTag::Equal, side[..lead].to_string()));
        }
        let trailing = side[trail..].to_string();
        for (tag, text) in [
            (ChangeTag::Delete, &*deleted),
            (ChangeTag::Insert, &*inserted),
        ] {
            if edited(text) {
                runs.push((tag, text.trim().to_string()));
            }
        }
        if !trailing.is_empty() {
            runs.push((ChangeTag::Equal, trailing));
        }
    }
    deleted.clear();
    inserted.clear();
}

/// Words around each edit, the edits marked `[-old-]{+new+}` (or in red and green).
fn word_diff(old: &str, new: &str, color: bool) -> String {
    let runs = word_runs(old, new);
    const CONTEXT: usize = 6;
    let changed: Vec<usize> = runs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.0 != ChangeTag::Equal)
        .map(|(i, _)| i)
        .collect();
    let near = |i: usize| changed.iter().any(|c| c.abs_diff(i) <= CONTEXT);
    let mut out = String::new();
    let mut skipped = false;
    for (i, (tag, value)) in runs.iter().enumerate() {
        match tag {
            ChangeTag::Equal if !near(i) => {
                if !skipped {
                    out.push('…');
                    skipped = true;
                }
                continue;
            }
            ChangeTag::Equal => out.push_str(value),
            ChangeTag::Delete if color => out.push_str(&format!("\x1b[31m[-{value}-]\x1b[0m")),
            ChangeTag::Delete => out.push_str(&format!("[-{value}-]")),
            ChangeTag::Insert if color => out.push_str(&format!("\x1b[32m{{+{value}+}}\x1b[0m")),
            ChangeTag::Insert => out.push_str(&format!("{{+{value}+}}")),
        }
        skipped = false;
    }
    out.trim().to_string()
}

fn position(p: Option<Position>) -> String {
    p.map_or("–".to_string(), |p| format!("{}:{}", p.line, p.column))
}

/// The readable report.
pub fn human(changes: &[Change], old: &str, new: &str, color: bool) -> String {
    let mut out = String::new();
    let (bold, reset) = if color {
        ("\x1b[1m", "\x1b[0m")
    } else {
        ("", "")
    };
    for change in changes {
        out.push_str(&format!(
            "{bold}@@ {}{reset}  ({old} {}, {new} {})\n",
            change.context,
            position(change.old),
            position(change.new)
        ));
        let line = match &change.kind {
            ChangeKind::Text { old, new } => format!("  text: {}", word_diff(old, new, color)),
            ChangeKind::Attribute { name, old, new } => match (old, new) {
                (Some(a), Some(b)) => format!("  attribute {name}: \"{a}\" → \"{b}\""),
                (None, Some(b)) => format!("  attribute {name} added: \"{b}\""),
                (Some(a), None) => format!("  attribute {name} removed (was \"{a}\")"),
                (None, None) => format!("  attribute {name}"),
            },
            ChangeKind::Inserted { what } => format!("  inserted {what}"),
            ChangeKind::Deleted { what } => format!("  deleted {what}"),
            ChangeKind::Moved { what, from } => format!("  moved {what} from {from}"),
            ChangeKind::Renamed { old, new } => format!("  renamed <{old}> → <{new}>"),
            ChangeKind::Split { what, after } => format!("  split {what} after “{after}”"),
            ChangeKind::Joined { what, after } => {
                format!("  joined into {what} after “{after}”")
            }
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The JSON report.
pub fn json(changes: &[Change], old: &str, new: &str) -> Value {
    let pos = |p: Option<Position>| p.map(|p| json!({"line": p.line, "column": p.column}));
    let items: Vec<Value> = changes
        .iter()
        .map(|c| {
            let mut item = json!({
                "kind": c.kind.name(),
                "context": c.context,
                "path": c.path,
                "old": pos(c.old),
                "new": pos(c.new),
            });
            match &c.kind {
                ChangeKind::Text { old, new } => {
                    item["old_text"] = json!(old);
                    item["new_text"] = json!(new);
                }
                ChangeKind::Attribute { name, old, new } => {
                    item["name"] = json!(name);
                    item["old_value"] = json!(old);
                    item["new_value"] = json!(new);
                }
                ChangeKind::Inserted { what } | ChangeKind::Deleted { what } => {
                    item["what"] = json!(what)
                }
                ChangeKind::Moved { what, from } => {
                    item["what"] = json!(what);
                    item["from"] = json!(from);
                }
                ChangeKind::Renamed { old, new } => {
                    item["old_name"] = json!(old);
                    item["new_name"] = json!(new);
                }
                ChangeKind::Split { what, after } | ChangeKind::Joined { what, after } => {
                    item["what"] = json!(what);
                    item["after"] = json!(after);
                }
            }
            item
        })
        .collect();
    let count = |k: &str| changes.iter().filter(|c| c.kind.name() == k).count();
    json!({
        "version": 1,
        "old": old,
        "new": new,
        "changes": items,
        "summary": {
            "changes": changes.len(),
            "text": count("text"),
            "attribute": count("attribute"),
            "inserted": count("inserted"),
            "deleted": count("deleted"),
            "moved": count("moved"),
            "renamed": count("renamed"),
            "split": count("split"),
            "joined": count("joined"),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_of_inserted_words_is_marked_once() {
        assert_eq!(
            word_diff(
                "talks with the Soviets began",
                "talks with the United States and the Soviets began",
                false
            ),
            "talks with the {+United States and the+} Soviets began"
        );
        assert_eq!(
            word_diff("a b c d e", "a x y d e", false),
            "a [-b c-]{+x y+} d e"
        );
        assert_eq!(
            word_diff("one two", "one two three", false),
            "one two {+three+}"
        );
    }
}
