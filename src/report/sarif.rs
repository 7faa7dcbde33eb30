//! The SARIF 2.1.0 log, for code-scanning tools.

use super::{severity, FileResult};
use crate::rules::{RuleId, RULES};
use serde_json::{json, Value};

/// The SARIF 2.1.0 log.
pub fn sarif(results: &[FileResult]) -> Value {
    let rules: Vec<Value> = RULES
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "shortDescription": {"text": r.summary},
                "help": {"text": r.explanation, "markdown": r.explanation},
                "defaultConfiguration": {"level": severity(r.severity)},
            })
        })
        .collect();
    let mut sarif_results = Vec::new();
    for r in results {
        let uri = r.path.to_string_lossy().replace('\\', "/");
        if let Some(why) = r.unreadable {
            sarif_results.push(json!({
                "ruleId": RuleId::WellFormed.code(),
                "level": "error",
                "message": {"text": format!("cannot read: {why}")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri}}}],
            }));
        }
        for d in r.problems {
            let rule = d.rule.unwrap_or(RuleId::Schema);
            let mut result = json!({
                "ruleId": rule.code(),
                "level": severity(d.severity),
                "message": {"text": d.message},
                "locations": [{"physicalLocation": {
                    "artifactLocation": {"uri": uri},
                    "region": {"startLine": d.location.line.max(1), "startColumn": d.location.column.max(1)},
                }}],
            });
            if let Some(index) = RULES.iter().position(|x| x.id == rule) {
                result["ruleIndex"] = json!(index);
            }
            if let Some(path) = &d.path {
                result["locations"][0]["logicalLocations"] =
                    json!([{"fullyQualifiedName": path, "kind": "element"}]);
            }
            sarif_results.push(result);
        }
    }
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "teikit",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/teikit/teikit",
                "rules": rules,
            }},
            "results": sarif_results,
        }]
    })
}
