//! Datatype libraries: RELAX NG's built-in library (`string`, `token`) and XML Schema Part 2
//! (`http://www.w3.org/2001/XMLSchema-datatypes`) with its facets.
//!
//! A [`Datatype`] is compiled once per schema, its `pattern` facets translated and compiled to
//! `regex` once (and shared between the types that use the same expression).

mod xsd;

pub use crate::base::regex::translate_xsd_regex;
pub use xsd::{DecimalValue, WhiteSpace, XsdType};

use regex::Regex;
use std::collections::HashMap;
use std::sync::Arc;

/// The XML Schema datatype library URI.
pub const XSD_LIBRARY: &str = "http://www.w3.org/2001/XMLSchema-datatypes";

/// A value in a datatype's value space, for `value` patterns and facets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Value {
    /// Strings, names, URIs, dates (compared as normalised text).
    Text(String),
    /// Decimal numbers.
    Decimal(DecimalValue),
    /// Float and double, by bit pattern (0 and -0 made equal).
    Float(u64),
    /// Booleans.
    Bool(bool),
    /// Qualified names: namespace URI and local name.
    QName(String, String),
    /// Binary data.
    Bytes(Vec<u8>),
    /// Lists of values.
    List(Vec<Value>),
}

/// Which library and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Built-in `string`: the value as is.
    BuiltinString,
    /// Built-in `token`: whitespace collapsed.
    BuiltinToken,
    /// An XML Schema type.
    Xsd(XsdType),
}

#[derive(Debug, Clone, Default)]
struct Facets {
    length: Option<usize>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    patterns: Vec<(String, Arc<Regex>)>,
    min_inclusive: Option<Value>,
    max_inclusive: Option<Value>,
    min_exclusive: Option<Value>,
    max_exclusive: Option<Value>,
    total_digits: Option<usize>,
    fraction_digits: Option<usize>,
}

/// A datatype with its facets, ready to check values.
#[derive(Debug, Clone)]
pub struct Datatype {
    kind: Kind,
    name: String,
    facets: Facets,
    /// What it was compiled from: library, type name, parameters.
    source: (String, String, Vec<(String, String)>),
}

/// Compiled `pattern` facets, shared across a schema.
pub type RegexCache = HashMap<String, Arc<Regex>>;

impl Datatype {
    /// Compiles the type `name` of `library` with `params`, or says why it cannot be.
    pub fn compile(
        library: &str,
        name: &str,
        params: &[(String, String)],
        regexes: &mut RegexCache,
    ) -> Result<Self, String> {
        let kind = match library {
            "" => match name {
                "string" => Kind::BuiltinString,
                "token" => Kind::BuiltinToken,
                _ => return Err(format!("the built-in datatype library has no type `{name}`; expected `string` or `token`")),
            },
            XSD_LIBRARY => Kind::Xsd(
                XsdType::from_name(name)
                    .ok_or_else(|| format!("XML Schema has no datatype `{name}`"))?,
            ),
            other => return Err(format!("unknown datatype library `{other}`")),
        };
        let mut datatype = Datatype {
            kind,
            name: match kind {
                Kind::Xsd(_) => format!("xsd:{name}"),
                _ => name.to_string(),
            },
            facets: Facets::default(),
            source: (library.to_string(), name.to_string(), params.to_vec()),
        };
        let Kind::Xsd(xsd) = kind else {
            if let Some((param, _)) = params.first() {
                return Err(format!(
                    "the built-in type `{name}` takes no parameters, found `{param}`"
                ));
            }
            return Ok(datatype);
        };
        for (param, value) in params {
            datatype.add_facet(xsd, param, value, regexes)?;
        }
        Ok(datatype)
    }

    fn add_facet(
        &mut self,
        xsd: XsdType,
        param: &str,
        value: &str,
        regexes: &mut RegexCache,
    ) -> Result<(), String> {
        let facets = &mut self.facets;
        let count = |v: &str| {
            v.trim()
                .parse::<usize>()
                .map_err(|_| format!("`{param}` must be a non-negative integer, not `{v}`"))
        };
        let bound = |v: &str| -> Result<Value, String> {
            if !(xsd.is_numeric() || xsd.is_temporal()) {
                return Err(format!("`{param}` does not apply to xsd:{xsd:?}"));
            }
            xsd.parse(&collapse(v), &|_| None)
                .ok_or_else(|| format!("`{v}` is not a valid value of the type for `{param}`"))
        };
        match param {
            "length" | "minLength" | "maxLength" if !xsd.has_length() => {
                return Err(format!("`{param}` does not apply to this type"))
            }
            "length" => facets.length = Some(count(value)?),
            "minLength" => facets.min_length = Some(count(value)?),
            "maxLength" => facets.max_length = Some(count(value)?),
            "pattern" => {
                let regex = match regexes.get(value) {
                    Some(r) => r.clone(),
                    None => {
                        let translated = translate_xsd_regex(value).map_err(|e| {
                            format!("invalid XML Schema regular expression `{value}`: {e}")
                        })?;
                        let compiled = Arc::new(
                            Regex::new(&translated)
                                .map_err(|e| format!("cannot compile `{value}`: {e}"))?,
                        );
                        regexes.insert(value.to_string(), compiled.clone());
                        compiled
                    }
                };
                facets.patterns.push((value.to_string(), regex));
            }
            "minInclusive" => facets.min_inclusive = Some(bound(value)?),
            "maxInclusive" => facets.max_inclusive = Some(bound(value)?),
            "minExclusive" => facets.min_exclusive = Some(bound(value)?),
            "maxExclusive" => facets.max_exclusive = Some(bound(value)?),
            "totalDigits" | "fractionDigits" if !xsd.is_decimal() => {
                return Err(format!("`{param}` applies only to decimal types"))
            }
            "totalDigits" => {
                let n = count(value)?;
                if n == 0 {
                    return Err("`totalDigits` must be positive".into());
                }
                facets.total_digits = Some(n);
            }
            "fractionDigits" => facets.fraction_digits = Some(count(value)?),
            "enumeration" | "whiteSpace" => {
                return Err(format!(
                    "`{param}` is not allowed as a RELAX NG parameter; use `value` and `choice`"
                ))
            }
            other => return Err(format!("unknown parameter `{other}` for xsd:{xsd:?}")),
        }
        if let (Some(min), Some(max)) = (facets.min_length, facets.max_length) {
            if min > max {
                return Err("`minLength` is greater than `maxLength`".into());
            }
        }
        Ok(())
    }

    /// What the type was compiled from: library URI, type name and parameters.
    pub fn source(&self) -> (&str, &str, &[(String, String)]) {
        (&self.source.0, &self.source.1, &self.source.2)
    }

    /// The type's name for messages: `token`, `xsd:date`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether a value's validity depends on the namespaces in scope (`QName`, `NOTATION`),
    /// not on its text alone.
    pub fn depends_on_namespaces(&self) -> bool {
        matches!(self.kind, Kind::Xsd(XsdType::QName | XsdType::Notation))
    }

    /// Whether values of this type are IDs (for DTD-compatibility ID checks).
    pub fn id_type(&self) -> Option<XsdType> {
        match self.kind {
            Kind::Xsd(t @ (XsdType::Id | XsdType::IdRef | XsdType::IdRefs)) => Some(t),
            _ => None,
        }
    }

    fn normalise<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        let ws = match self.kind {
            Kind::BuiltinString => WhiteSpace::Preserve,
            Kind::BuiltinToken => WhiteSpace::Collapse,
            Kind::Xsd(x) => x.white_space(),
        };
        match ws {
            WhiteSpace::Preserve => text.into(),
            WhiteSpace::Replace => text.replace(['\t', '\n', '\r'], " ").into(),
            WhiteSpace::Collapse => collapse_cow(text),
        }
    }

    /// The value of `text`, if it is a valid literal of this type with its facets.
    pub fn value(&self, text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> Option<Value> {
        let normalised = self.normalise(text);
        let value = match self.kind {
            Kind::BuiltinString | Kind::BuiltinToken => Value::Text(normalised.to_string()),
            Kind::Xsd(x) => x.parse(&normalised, resolve)?,
        };
        self.facets_allow(&normalised, &value).then_some(value)
    }

    /// Whether `text` is a valid literal of this type.
    pub fn allows(&self, text: &str, resolve: &dyn Fn(&str) -> Option<String>) -> bool {
        // Strings and names (most of TEI's attributes) need no value built: check the lexical
        // form and the facets on it directly.
        let normalised = self.normalise(text);
        let textual = match self.kind {
            Kind::BuiltinString | Kind::BuiltinToken => Some(true),
            Kind::Xsd(x) => x.text_is_valid_fast(&normalised),
        };
        match textual {
            Some(valid)
                if self.facets.total_digits.is_none()
                    && self.facets.min_inclusive.is_none()
                    && self.facets.max_inclusive.is_none()
                    && self.facets.min_exclusive.is_none()
                    && self.facets.max_exclusive.is_none() =>
            {
                valid && self.lexical_facets_allow(&normalised)
            }
            _ => self.value(text, resolve).is_some(),
        }
    }

    fn lexical_facets_allow(&self, lexical: &str) -> bool {
        let f = &self.facets;
        if !f.patterns.iter().all(|(_, r)| r.is_match(lexical)) {
            return false;
        }
        if f.length.is_none() && f.min_length.is_none() && f.max_length.is_none() {
            return true;
        }
        let length = lexical.chars().count();
        !(f.length.is_some_and(|n| length != n)
            || f.min_length.is_some_and(|n| length < n)
            || f.max_length.is_some_and(|n| length > n))
    }

    fn facets_allow(&self, lexical: &str, value: &Value) -> bool {
        let f = &self.facets;
        if !f.patterns.iter().all(|(_, r)| r.is_match(lexical)) {
            return false;
        }
        let length = || match value {
            Value::List(items) => items.len(),
            Value::Bytes(b) => b.len(),
            _ => lexical.chars().count(),
        };
        if f.length.is_some_and(|n| length() != n)
            || f.min_length.is_some_and(|n| length() < n)
            || f.max_length.is_some_and(|n| length() > n)
        {
            return false;
        }
        if let Value::Decimal(d) = value {
            if f.total_digits.is_some_and(|n| d.total_digits() > n)
                || f.fraction_digits.is_some_and(|n| d.fraction_digits() > n)
            {
                return false;
            }
        }
        let order = |bound: &Value| compare(value, bound);
        use std::cmp::Ordering::*;
        f.min_inclusive
            .as_ref()
            .is_none_or(|b| matches!(order(b), Some(Greater | Equal)))
            && f.max_inclusive
                .as_ref()
                .is_none_or(|b| matches!(order(b), Some(Less | Equal)))
            && f.min_exclusive
                .as_ref()
                .is_none_or(|b| order(b) == Some(Greater))
            && f.max_exclusive
                .as_ref()
                .is_none_or(|b| order(b) == Some(Less))
    }
}

fn compare(a: &Value, b: &Value) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Value::Decimal(x), Value::Decimal(y)) => Some(x.cmp(y)),
        (Value::Float(x), Value::Float(y)) => f64::from_bits(*x).partial_cmp(&f64::from_bits(*y)),
        // Dates and times of the same form order as text when both have, or lack, a zone.
        (Value::Text(x), Value::Text(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// The XML Schema types TEI's `teidata.temporal.w3c` allows.
const W3C_TEMPORAL: [XsdType; 8] = [
    XsdType::Date,
    XsdType::GYear,
    XsdType::GYearMonth,
    XsdType::GMonth,
    XsdType::GMonthDay,
    XsdType::GDay,
    XsdType::Time,
    XsdType::DateTime,
];

/// Whether `value` is a `teidata.temporal.w3c` value (an ISO 8601 year, year-month, date,
/// date-time, time, or a recurring month, day or month-day), as the schema judges one:
/// surrounding whitespace collapsed away, as for any attribute of that type. The one judge of
/// TEI dates that the rules, the differ and the converter share.
///
/// ```
/// use teikit::relaxng::datatype::is_w3c_temporal;
/// assert!(is_w3c_temporal("1973-05-22T10:30:00+01:00"));
/// assert!(is_w3c_temporal("1973-05"));
/// assert!(!is_w3c_temporal("1973-13-01"));
/// assert!(!is_w3c_temporal("May 1973"));
/// ```
pub fn is_w3c_temporal(value: &str) -> bool {
    let value = value.trim_matches([' ', '\t', '\n', '\r']);
    W3C_TEMPORAL
        .iter()
        .any(|t| t.parse(value, &|_| None).is_some())
}

/// Like [`collapse`], without copying text that is already collapsed.
pub fn collapse_cow(s: &str) -> std::borrow::Cow<'_, str> {
    // One pass: no tab or line end, no space first, last, or after another.
    let mut after_space = true;
    let mut clean = true;
    for &b in s.as_bytes() {
        match b {
            b'\t' | b'\n' | b'\r' => clean = false,
            b' ' => {
                clean &= !after_space;
                after_space = true;
            }
            _ => after_space = false,
        }
    }
    if s.is_empty() || (clean && !after_space) {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(collapse(s))
    }
}

/// XML whitespace collapsed: runs become one space, ends trimmed.
pub fn collapse(s: &str) -> String {
    s.split([' ', '\t', '\n', '\r'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsing_borrows_what_is_already_collapsed() {
        use std::borrow::Cow;
        for clean in ["", "a", "a b", "teidata word"] {
            assert!(
                matches!(collapse_cow(clean), Cow::Borrowed(s) if s == clean),
                "{clean:?}"
            );
        }
        for (messy, collapsed) in [
            (" a", "a"),
            ("a ", "a"),
            ("a  b", "a b"),
            ("a\tb", "a b"),
            ("\n a \r\n b ", "a b"),
            (" ", ""),
        ] {
            let got = collapse_cow(messy);
            assert!(matches!(got, Cow::Owned(_)), "{messy:?}");
            assert_eq!(got, collapsed, "{messy:?}");
        }
    }

    fn compile(name: &str, params: &[(&str, &str)]) -> Result<Datatype, String> {
        let params: Vec<(String, String)> = params
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        Datatype::compile(XSD_LIBRARY, name, &params, &mut RegexCache::new())
    }

    #[test]
    fn facets() {
        let cert = compile("double", &[("minInclusive", "0"), ("maxInclusive", "1")]).unwrap();
        assert!(cert.allows("0.5", &|_| None) && !cert.allows("1.5", &|_| None));
        let short = compile("token", &[("maxLength", "3"), ("pattern", "[a-z]+")]).unwrap();
        assert!(
            short.allows(" abc ", &|_| None)
                && !short.allows("abcd", &|_| None)
                && !short.allows("AB", &|_| None)
        );
        assert!(compile("boolean", &[("maxLength", "3")]).is_err());
        assert!(compile("token", &[("enumeration", "a")]).is_err());
        assert!(compile("token", &[("pattern", "(")]).is_err());
        assert!(Datatype::compile(
            "",
            "token",
            &[("minLength".into(), "2".into())],
            &mut RegexCache::new()
        )
        .is_err());
        assert!(Datatype::compile(
            "http://www.example.com/x",
            "token",
            &[],
            &mut RegexCache::new()
        )
        .is_err());
    }

    #[test]
    fn values_compare_in_value_space() {
        let d = compile("decimal", &[]).unwrap();
        assert_eq!(d.value("1.50", &|_| None), d.value(" 01.5 ", &|_| None));
        let t = Datatype::compile("", "token", &[], &mut RegexCache::new()).unwrap();
        assert_eq!(
            t.value(" a  b ", &|_| None),
            Some(Value::Text("a b".into()))
        );
        let s = Datatype::compile("", "string", &[], &mut RegexCache::new()).unwrap();
        assert_ne!(s.value(" a", &|_| None), s.value("a", &|_| None));
    }
}
