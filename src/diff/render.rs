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

/// Words around each edit, the edits marked `[-old-]{+new+}` (or in red and green).
fn word_diff(old: &str, new: &str, color: bool) -> String {
    let diff = TextDiff::from_words(old, new);
    let changes: Vec<(ChangeTag, String)> = diff
        .iter_all_changes()
        .map(|c| (c.tag(), c.value().to_string()))
        .collect();
    let mut out = String::new();
    const CONTEXT: usize = 6;
    let changed: Vec<usize> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.0 != ChangeTag::Equal)
        .map(|(i, _)| i)
        .collect();
    let near = |i: usize| changed.iter().any(|c| c.abs_diff(i) <= CONTEXT);
    let mut skipped = false;
    for (i, (tag, value)) in changes.iter().enumerate() {
        match tag {
            ChangeTag::Equal if !near(i) => {
                if !skipped {
                    out.push('…');
                    skipped = true;
                }
            }
            ChangeTag::Equal => {
                out.push_str(value);
                skipped = false;
            }
            ChangeTag::Delete if color => out.push_str(&format!("\x1b[31m[-{value}-]\x1b[0m")),
            ChangeTag::Delete => out.push_str(&format!("[-{value}-]")),
            ChangeTag::Insert if color => out.push_str(&format!("\x1b[32m{{+{value}+}}\x1b[0m")),
            ChangeTag::Insert => out.push_str(&format!("{{+{value}+}}")),
        }
        if *tag != ChangeTag::Equal {
            skipped = false;
        }
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
