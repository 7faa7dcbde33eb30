//! XPath's data model over a roxmltree document: nodes (attributes included), atomic values,
//! and the conversions between them — atomisation, casts, comparisons, arithmetic.

use super::XPathError;
use crate::base::calendar::{days_in_month, format_utc_offset, parse_utc_offset, CivilDate};
use std::cmp::Ordering;
use std::rc::Rc;

/// A node: a roxmltree node, or one of an element's attributes.
#[derive(Clone, Copy)]
pub struct XNode<'a, 'i> {
    pub(crate) node: roxmltree::Node<'a, 'i>,
    /// The attribute's index among the element's, or `u32::MAX` for the node itself.
    pub(crate) attribute: u32,
}

const NOT_ATTRIBUTE: u32 = u32::MAX;

impl std::fmt::Debug for XNode<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "XNode({}/{:?})", self.node.id().get(), self.attribute())
    }
}

impl PartialEq for XNode<'_, '_> {
    fn eq(&self, other: &Self) -> bool {
        self.key() == other.key()
    }
}

impl Eq for XNode<'_, '_> {}

impl PartialOrd for XNode<'_, '_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for XNode<'_, '_> {
    /// Document order: an element, then its attributes, then its children.
    fn cmp(&self, other: &Self) -> Ordering {
        self.key().cmp(&other.key())
    }
}

/// What kind of node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The document node.
    Document,
    /// An element.
    Element,
    /// An attribute.
    Attribute,
    /// A text node.
    Text,
    /// A comment.
    Comment,
    /// A processing instruction.
    ProcessingInstruction,
}

impl<'a, 'i> XNode<'a, 'i> {
    /// The node itself (not an attribute).
    pub fn of(node: roxmltree::Node<'a, 'i>) -> Self {
        XNode {
            node,
            attribute: NOT_ATTRIBUTE,
        }
    }

    pub(crate) fn attribute_of(node: roxmltree::Node<'a, 'i>, index: usize) -> Self {
        XNode {
            node,
            attribute: index as u32,
        }
    }

    /// The roxmltree node: the element itself, or for an attribute its element.
    pub fn tree_node(&self) -> roxmltree::Node<'a, 'i> {
        self.node
    }

    /// The attribute, if this is one.
    pub fn attribute(&self) -> Option<roxmltree::Attribute<'a, 'i>> {
        (self.attribute != NOT_ATTRIBUTE)
            .then(|| self.node.attributes().nth(self.attribute as usize))
            .flatten()
    }

    /// A key in document order.
    pub(crate) fn key(&self) -> (usize, u32, u32) {
        // Nodes of different documents (`doc()`) in a stable order of their documents.
        (
            self.node.document() as *const roxmltree::Document as usize,
            self.node.id().get(),
            self.attribute.wrapping_add(1),
        )
    }

    /// What kind of node it is.
    pub fn kind(&self) -> NodeKind {
        if self.attribute != NOT_ATTRIBUTE {
            return NodeKind::Attribute;
        }
        match self.node.node_type() {
            roxmltree::NodeType::Root => NodeKind::Document,
            roxmltree::NodeType::Element => NodeKind::Element,
            roxmltree::NodeType::Text => NodeKind::Text,
            roxmltree::NodeType::Comment => NodeKind::Comment,
            roxmltree::NodeType::PI => NodeKind::ProcessingInstruction,
        }
    }

    /// Whether it is an element.
    pub fn is_element(&self) -> bool {
        self.attribute == NOT_ATTRIBUTE && self.node.is_element()
    }

    /// The parent: an attribute's is its element.
    pub fn parent(&self) -> Option<Self> {
        if self.attribute != NOT_ATTRIBUTE {
            Some(XNode::of(self.node))
        } else {
            self.node.parent().map(XNode::of)
        }
    }

    /// The namespace name of an element or attribute (`""` for none and for other kinds).
    pub fn namespace(&self) -> &'a str {
        match self.kind() {
            NodeKind::Attribute => self.attribute().and_then(|a| a.namespace()).unwrap_or(""),
            NodeKind::Element => self.node.tag_name().namespace().unwrap_or(""),
            _ => "",
        }
    }

    /// The local name (a processing instruction's target; `""` where there is none).
    pub fn local_name(&self) -> &'a str {
        match self.kind() {
            NodeKind::Attribute => self.attribute().map_or("", |a| a.name()),
            NodeKind::Element => self.node.tag_name().name(),
            NodeKind::ProcessingInstruction => self.node.pi().map_or("", |pi| pi.target),
            _ => "",
        }
    }

    /// The name as written in the document, prefix and all (`tei:p`, `xml:id`).
    pub fn name(&self) -> String {
        let input = self.node.document().input_text();
        match self.kind() {
            NodeKind::Attribute => match self.attribute() {
                Some(a) => input
                    .get(a.range_qname())
                    .map_or_else(|| a.name().to_string(), str::to_string),
                None => String::new(),
            },
            NodeKind::Element => {
                let start = self.node.range().start + 1;
                let tag = input.get(start..).unwrap_or("");
                let end = tag
                    .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                    .unwrap_or(tag.len());
                let written = &tag[..end];
                if written.ends_with(self.local_name()) {
                    written.to_string()
                } else {
                    self.local_name().to_string()
                }
            }
            NodeKind::ProcessingInstruction => self.local_name().to_string(),
            _ => String::new(),
        }
    }

    /// The string value: an element's or the document's text, an attribute's value.
    pub fn string_value(&self) -> String {
        match self.kind() {
            NodeKind::Attribute => self.attribute().map_or(String::new(), |a| a.value().into()),
            NodeKind::Element | NodeKind::Document => {
                let mut text = String::new();
                for d in self.node.descendants() {
                    if d.is_text() {
                        text.push_str(d.text().unwrap_or(""));
                    }
                }
                text
            }
            NodeKind::Text | NodeKind::Comment => self.node.text().unwrap_or("").to_string(),
            NodeKind::ProcessingInstruction => self
                .node
                .pi()
                .and_then(|pi| pi.value)
                .unwrap_or("")
                .to_string(),
        }
    }

    /// Its path as XPath 3.1's `fn:path()` writes it: `/Q{ns}TEI[1]/Q{ns}text[1]/@n`,
    /// `…/@Q{ns}id` for an attribute in a namespace, `…/text()[2]`, `/` for the document node.
    pub fn path(&self) -> String {
        let mut steps = Vec::new();
        let mut at = Some(*self);
        while let Some(n) = at {
            let position = |same: &dyn Fn(roxmltree::Node) -> bool| {
                n.node.prev_siblings().filter(|s| same(*s)).count()
            };
            let step = match n.kind() {
                NodeKind::Document => break,
                NodeKind::Attribute if n.namespace().is_empty() => format!("@{}", n.local_name()),
                NodeKind::Attribute => format!("@Q{{{}}}{}", n.namespace(), n.local_name()),
                NodeKind::Element => {
                    let name = n.node.tag_name();
                    let k = position(&|s: roxmltree::Node| s.is_element() && s.tag_name() == name);
                    format!("Q{{{}}}{}[{k}]", n.namespace(), n.local_name())
                }
                NodeKind::Text => {
                    format!("text()[{}]", position(&|s: roxmltree::Node| s.is_text()))
                }
                NodeKind::Comment => {
                    format!(
                        "comment()[{}]",
                        position(&|s: roxmltree::Node| s.is_comment())
                    )
                }
                NodeKind::ProcessingInstruction => {
                    let target = n.local_name();
                    let k = position(&|s: roxmltree::Node| {
                        s.pi().is_some_and(|pi| pi.target == target)
                    });
                    format!("processing-instruction({target})[{k}]")
                }
            };
            steps.push(step);
            at = n.parent();
        }
        steps.reverse();
        format!("/{}", steps.join("/"))
    }

    /// Where the node stands in the source: the byte offset of its start (an attribute's name).
    pub fn offset(&self) -> usize {
        match self.attribute() {
            Some(a) => a.range().start,
            None => self.node.range().start,
        }
    }
}

/// An atomic value.
#[derive(Debug, Clone, PartialEq)]
pub enum Atomic {
    /// `xs:string` and the types derived from it.
    String(Rc<str>),
    /// `xs:untypedAtomic`: a node's value.
    Untyped(Rc<str>),
    /// `xs:anyURI`.
    AnyUri(Rc<str>),
    /// `xs:boolean`.
    Boolean(bool),
    /// `xs:integer`.
    Integer(i64),
    /// `xs:decimal` (held as a double).
    Decimal(f64),
    /// `xs:double` and `xs:float`.
    Double(f64),
    /// `xs:date`.
    Date(Moment),
    /// `xs:dateTime`.
    DateTime(Moment),
    /// `xs:dayTimeDuration`, in milliseconds.
    DayTimeDuration(i64),
}

/// A date or date-time: milliseconds since 1970-01-01T00:00 in its own time, and its zone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Moment {
    pub(crate) millis: i64,
    /// Minutes east of UTC, if given.
    pub(crate) zone: Option<i32>,
}

const DAY_MILLIS: i64 = 86_400_000;

impl Moment {
    /// On the time line (an absent zone taken as UTC, the implicit zone here).
    fn instant(&self) -> i64 {
        self.millis - i64::from(self.zone.unwrap_or(0)) * 60_000
    }

    fn date_part(&self) -> String {
        let day = CivilDate::from_days_since_epoch(self.millis.div_euclid(DAY_MILLIS));
        if day.year < 0 {
            format!("-{:04}-{:02}-{:02}", -day.year, day.month, day.day)
        } else {
            day.to_string()
        }
    }

    fn zone_part(&self) -> String {
        match self.zone {
            Some(0) => "Z".into(),
            Some(z) => format_utc_offset(z),
            None => String::new(),
        }
    }

    /// Parses `YYYY-MM-DD` with an optional zone.
    pub(crate) fn parse_date(text: &str) -> Option<Moment> {
        let (date, zone) = split_zone(text)?;
        let days = parse_civil(date)?;
        Some(Moment {
            millis: days * DAY_MILLIS,
            zone,
        })
    }

    /// Parses `YYYY-MM-DDThh:mm:ss(.s*)` with an optional zone.
    pub(crate) fn parse_date_time(text: &str) -> Option<Moment> {
        let (date, time) = text.split_once('T')?;
        let (time, zone) = split_zone(time)?;
        let days = parse_civil(date)?;
        let mut parts = time.splitn(3, ':');
        let (h, m, s) = (parts.next()?, parts.next()?, parts.next()?);
        if h.len() != 2
            || m.len() != 2
            || s.len() < 2
            || !s.as_bytes()[..2].iter().all(u8::is_ascii_digit)
        {
            return None;
        }
        let hours: i64 = h.parse().ok()?;
        let minutes: i64 = m.parse().ok()?;
        let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
        if whole.len() != 2
            || !fraction.bytes().all(|b| b.is_ascii_digit())
            || (s.contains('.') && fraction.is_empty())
        {
            return None;
        }
        let seconds: i64 = whole.parse().ok()?;
        let millis: i64 = format!("{fraction:0<3}").get(..3)?.parse().ok()?;
        let valid = (hours < 24 && minutes < 60 && seconds < 60)
            || (hours == 24 && minutes == 0 && seconds == 0 && millis == 0);
        valid.then_some(Moment {
            millis: days * DAY_MILLIS + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis,
            zone,
        })
    }
}

fn split_zone(text: &str) -> Option<(&str, Option<i32>)> {
    if let Some(rest) = text.strip_suffix('Z') {
        return Some((rest, Some(0)));
    }
    if text.len() > 6 && text.is_char_boundary(text.len() - 6) {
        let (rest, zone) = text.split_at(text.len() - 6);
        if zone.starts_with(['+', '-']) && zone.as_bytes()[3] == b':' {
            return Some((rest, Some(parse_utc_offset(zone)?)));
        }
    }
    Some((text, None))
}

/// Days since the epoch of `[-]YYYY-MM-DD` (a year of four digits or more, none but 0000…).
fn parse_civil(text: &str) -> Option<i64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if y.len() < 4 || (y.len() > 4 && y.starts_with('0')) || m.len() != 2 || d.len() != 2 {
        return None;
    }
    if !digits(y) || !digits(m) || !digits(d) {
        return None;
    }
    let year: i32 = y.parse().ok()?;
    let year = if negative { -year } else { year };
    let month: u32 = m.parse().ok()?;
    let day: u32 = d.parse().ok()?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(i64::from(year), month) {
        return None;
    }
    Some(CivilDate { year, month, day }.days_since_epoch())
}

/// XML Schema's names of the atomic types, each once: read by the parser, written in messages.
const TYPE_NAMES: &[(&str, AtomicType)] = &[
    ("anyAtomicType", AtomicType::AnyAtomic),
    ("string", AtomicType::String),
    ("normalizedString", AtomicType::NormalizedString),
    ("token", AtomicType::Token),
    ("language", AtomicType::Language),
    ("Name", AtomicType::Name),
    ("NCName", AtomicType::NcName),
    ("ID", AtomicType::Id),
    ("IDREF", AtomicType::IdRef),
    ("NMTOKEN", AtomicType::NmToken),
    ("untypedAtomic", AtomicType::UntypedAtomic),
    ("anyURI", AtomicType::AnyUri),
    ("boolean", AtomicType::Boolean),
    ("numeric", AtomicType::Numeric),
    ("integer", AtomicType::Integer),
    ("nonNegativeInteger", AtomicType::NonNegativeInteger),
    ("positiveInteger", AtomicType::PositiveInteger),
    ("nonPositiveInteger", AtomicType::NonPositiveInteger),
    ("negativeInteger", AtomicType::NegativeInteger),
    ("long", AtomicType::Long),
    ("int", AtomicType::Int),
    ("decimal", AtomicType::Decimal),
    ("double", AtomicType::Double),
    ("float", AtomicType::Float),
    ("date", AtomicType::Date),
    ("dateTime", AtomicType::DateTime),
    ("dayTimeDuration", AtomicType::DayTimeDuration),
];

/// An atomic type, as `cast as`, `castable as`, `instance of` and the constructor functions
/// name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AtomicType {
    AnyAtomic,
    String,
    NormalizedString,
    Token,
    Language,
    Name,
    NcName,
    Id,
    IdRef,
    NmToken,
    UntypedAtomic,
    AnyUri,
    Boolean,
    Numeric,
    Integer,
    NonNegativeInteger,
    PositiveInteger,
    NonPositiveInteger,
    NegativeInteger,
    Long,
    Int,
    Decimal,
    Double,
    Float,
    Date,
    DateTime,
    DayTimeDuration,
}

impl AtomicType {
    /// The type of the local name `name` in the XML Schema namespace.
    pub(crate) fn from_local_name(name: &str) -> Option<AtomicType> {
        TYPE_NAMES.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }
}

/// An item of a sequence.
#[derive(Debug, Clone)]
pub enum Item<'a, 'i> {
    /// A node.
    Node(XNode<'a, 'i>),
    /// An atomic value.
    Atomic(Atomic),
}

/// A sequence.
pub type Sequence<'a, 'i> = Vec<Item<'a, 'i>>;

impl<'a, 'i> Item<'a, 'i> {
    /// The item's typed value (a node's string value, untyped).
    pub fn atomize(&self) -> Atomic {
        match self {
            Item::Node(n) => Atomic::Untyped(n.string_value().into()),
            Item::Atomic(a) => a.clone(),
        }
    }

    /// Its string value.
    pub fn string(&self) -> String {
        match self {
            Item::Node(n) => n.string_value(),
            Item::Atomic(a) => a.to_text(),
        }
    }
}

fn format_double(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "INF" } else { "-INF" }.into();
    }
    if x == 0.0 {
        return if x.is_sign_negative() { "-0" } else { "0" }.into();
    }
    let magnitude = x.abs();
    if (1e-6..1e6).contains(&magnitude) {
        return format!("{x}");
    }
    let text = format!("{x:E}");
    let (mantissa, exponent) = text.split_once('E').unwrap_or((&text, "0"));
    if mantissa.contains('.') {
        format!("{mantissa}E{exponent}")
    } else {
        format!("{mantissa}.0E{exponent}")
    }
}

fn format_duration(millis: i64) -> String {
    if millis == 0 {
        return "PT0S".into();
    }
    let sign = if millis < 0 { "-" } else { "" };
    let mut rest = millis.unsigned_abs();
    let days = rest / DAY_MILLIS as u64;
    rest %= DAY_MILLIS as u64;
    let hours = rest / 3_600_000;
    rest %= 3_600_000;
    let minutes = rest / 60_000;
    rest %= 60_000;
    let mut out = format!("{sign}P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if rest > 0 || hours > 0 || minutes > 0 {
        out.push('T');
        if hours > 0 {
            out.push_str(&format!("{hours}H"));
        }
        if minutes > 0 {
            out.push_str(&format!("{minutes}M"));
        }
        if rest > 0 {
            let seconds = rest as f64 / 1000.0;
            out.push_str(&format!("{seconds}S"));
        }
    }
    out
}

fn parse_duration(text: &str) -> Option<i64> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let text = text.strip_prefix('P')?;
    let (days, time) = match text.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return None;
            }
            (d, t)
        }
        None => (text, ""),
    };
    if days.is_empty() && time.is_empty() {
        return None;
    }
    let mut total = 0f64;
    if !days.is_empty() {
        let n = days.strip_suffix('D')?;
        if n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        total += n.parse::<f64>().ok()? * DAY_MILLIS as f64;
    }
    let mut rest = time;
    for (unit, scale) in [('H', 3_600_000.0), ('M', 60_000.0), ('S', 1000.0)] {
        if let Some(at) = rest.find(unit) {
            let n = &rest[..at];
            let ok = !n.is_empty()
                && n.bytes()
                    .all(|b| b.is_ascii_digit() || (unit == 'S' && b == b'.'));
            if !ok {
                return None;
            }
            total += n.parse::<f64>().ok()? * scale;
            rest = &rest[at + 1..];
        }
    }
    if !rest.is_empty() {
        return None;
    }
    let millis = total.round() as i64;
    Some(if negative { -millis } else { millis })
}

/// XSD whitespace: space, tab, newline, carriage return.
pub(crate) fn is_xml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// Strings as XPath collapses them (`normalize-space`, the `xs:token` family): XML
/// whitespace runs become one space, ends trimmed.
pub(crate) fn normalize_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split(is_xml_space).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

fn is_ncname(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '\u{B7}'))
}

impl Atomic {
    /// The value's string form (its canonical lexical form).
    pub fn to_text(&self) -> String {
        match self {
            Atomic::String(s) | Atomic::Untyped(s) | Atomic::AnyUri(s) => s.to_string(),
            Atomic::Boolean(b) => b.to_string(),
            Atomic::Integer(n) => n.to_string(),
            Atomic::Decimal(x) => {
                if x.fract() == 0.0 && x.abs() < 1e18 {
                    format!("{}", *x as i64)
                } else {
                    format!("{x}")
                }
            }
            Atomic::Double(x) => format_double(*x),
            Atomic::Date(m) => format!("{}{}", m.date_part(), m.zone_part()),
            Atomic::DateTime(m) => {
                let in_day = m.millis.rem_euclid(DAY_MILLIS);
                let (h, mi, s, ms) = (
                    in_day / 3_600_000,
                    in_day / 60_000 % 60,
                    in_day / 1000 % 60,
                    in_day % 1000,
                );
                let fraction = if ms > 0 {
                    format!(".{ms:03}").trim_end_matches('0').to_string()
                } else {
                    String::new()
                };
                format!(
                    "{}T{h:02}:{mi:02}:{s:02}{fraction}{}",
                    m.date_part(),
                    m.zone_part()
                )
            }
            Atomic::DayTimeDuration(ms) => format_duration(*ms),
        }
    }

    /// The name of its type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Atomic::String(_) => "xs:string",
            Atomic::Untyped(_) => "xs:untypedAtomic",
            Atomic::AnyUri(_) => "xs:anyURI",
            Atomic::Boolean(_) => "xs:boolean",
            Atomic::Integer(_) => "xs:integer",
            Atomic::Decimal(_) => "xs:decimal",
            Atomic::Double(_) => "xs:double",
            Atomic::Date(_) => "xs:date",
            Atomic::DateTime(_) => "xs:dateTime",
            Atomic::DayTimeDuration(_) => "xs:dayTimeDuration",
        }
    }

    pub(crate) fn is_numeric(&self) -> bool {
        matches!(
            self,
            Atomic::Integer(_) | Atomic::Decimal(_) | Atomic::Double(_)
        )
    }

    pub(crate) fn is_stringlike(&self) -> bool {
        matches!(
            self,
            Atomic::String(_) | Atomic::Untyped(_) | Atomic::AnyUri(_)
        )
    }

    /// The value as a double (numbers; `NaN` for anything else), as `number()` gives it.
    pub fn to_double(&self) -> f64 {
        match self {
            Atomic::Integer(n) => *n as f64,
            Atomic::Decimal(x) | Atomic::Double(x) => *x,
            Atomic::Boolean(b) => f64::from(u8::from(*b)),
            Atomic::String(s) | Atomic::Untyped(s) | Atomic::AnyUri(s) => {
                parse_double(s.trim_matches(is_xml_space)).unwrap_or(f64::NAN)
            }
            _ => f64::NAN,
        }
    }

    /// Whether it is an instance of `target`.
    pub(crate) fn is_instance_of(&self, target: AtomicType) -> bool {
        use AtomicType as T;
        matches!(
            (self, target),
            (_, T::AnyAtomic)
                | (Atomic::String(_), T::String)
                | (Atomic::Untyped(_), T::UntypedAtomic)
                | (Atomic::AnyUri(_), T::AnyUri)
                | (Atomic::Boolean(_), T::Boolean)
                | (Atomic::Integer(_), T::Integer | T::Decimal | T::Numeric)
                | (Atomic::Decimal(_), T::Decimal | T::Numeric)
                | (Atomic::Double(_), T::Double | T::Numeric)
                | (Atomic::Date(_), T::Date)
                | (Atomic::DateTime(_), T::DateTime)
                | (Atomic::DayTimeDuration(_), T::DayTimeDuration)
        )
    }

    /// The value cast to `target`, or why it cannot be.
    pub(crate) fn cast(&self, target: AtomicType) -> Result<Atomic, XPathError> {
        use AtomicType as T;
        let fail = || {
            XPathError::dynamic(format!(
                "cannot cast {} \"{}\" to {}",
                self.type_name(),
                self.to_text(),
                type_label(target)
            ))
        };
        let text = || self.to_text();
        Ok(match target {
            T::AnyAtomic => self.clone(),
            T::Numeric => match self {
                Atomic::String(_) | Atomic::Untyped(_) => Atomic::Double(
                    parse_double(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                n if n.is_numeric() => n.clone(),
                _ => return Err(fail()),
            },
            T::String => Atomic::String(text().into()),
            T::UntypedAtomic => Atomic::Untyped(text().into()),
            T::AnyUri => match self {
                a if a.is_stringlike() => Atomic::AnyUri(normalize_space(&text()).into()),
                _ => return Err(fail()),
            },
            T::NormalizedString
            | T::Token
            | T::Language
            | T::Name
            | T::NcName
            | T::Id
            | T::IdRef
            | T::NmToken => {
                if !self.is_stringlike() {
                    return Err(fail());
                }
                let value = if target == T::NormalizedString {
                    text().replace(['\t', '\n', '\r'], " ")
                } else {
                    normalize_space(&text())
                };
                let ok = match target {
                    T::NcName | T::Id | T::IdRef => is_ncname(&value),
                    T::Name => value.split(':').all(is_ncname) && value.split(':').count() <= 2,
                    T::NmToken => {
                        !value.is_empty()
                            && value.chars().all(|c| {
                                c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '\u{B7}')
                            })
                    }
                    T::Language => {
                        let mut parts = value.split('-');
                        parts.next().is_some_and(|p| {
                            (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic())
                        }) && parts.all(|p| {
                            (1..=8).contains(&p.len())
                                && p.bytes().all(|b| b.is_ascii_alphanumeric())
                        })
                    }
                    _ => true,
                };
                if !ok {
                    return Err(fail());
                }
                Atomic::String(value.into())
            }
            T::Boolean => match self {
                Atomic::Boolean(b) => Atomic::Boolean(*b),
                Atomic::Integer(_) | Atomic::Decimal(_) | Atomic::Double(_) => {
                    let x = self.to_double();
                    Atomic::Boolean(x != 0.0 && !x.is_nan())
                }
                a if a.is_stringlike() => match text().trim_matches(is_xml_space) {
                    "true" | "1" => Atomic::Boolean(true),
                    "false" | "0" => Atomic::Boolean(false),
                    _ => return Err(fail()),
                },
                _ => return Err(fail()),
            },
            T::Integer
            | T::NonNegativeInteger
            | T::PositiveInteger
            | T::NonPositiveInteger
            | T::NegativeInteger
            | T::Long
            | T::Int => {
                let n = match self {
                    Atomic::Integer(n) => *n,
                    Atomic::Decimal(x) | Atomic::Double(x) => {
                        if !x.is_finite() || x.abs() >= 9.2e18 {
                            return Err(fail());
                        }
                        x.trunc() as i64
                    }
                    Atomic::Boolean(b) => i64::from(*b),
                    a if a.is_stringlike() => {
                        parse_integer(text().trim_matches(is_xml_space)).ok_or_else(fail)?
                    }
                    _ => return Err(fail()),
                };
                let in_range = match target {
                    T::NonNegativeInteger => n >= 0,
                    T::PositiveInteger => n > 0,
                    T::NonPositiveInteger => n <= 0,
                    T::NegativeInteger => n < 0,
                    T::Int => i32::try_from(n).is_ok(),
                    _ => true,
                };
                if !in_range {
                    return Err(fail());
                }
                Atomic::Integer(n)
            }
            T::Decimal => match self {
                Atomic::Integer(n) => Atomic::Decimal(*n as f64),
                Atomic::Decimal(x) => Atomic::Decimal(*x),
                Atomic::Double(x) if x.is_finite() => Atomic::Decimal(*x),
                Atomic::Boolean(b) => Atomic::Decimal(f64::from(u8::from(*b))),
                a if a.is_stringlike() => Atomic::Decimal(
                    parse_decimal(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                _ => return Err(fail()),
            },
            T::Double | T::Float => match self {
                Atomic::Integer(_)
                | Atomic::Decimal(_)
                | Atomic::Double(_)
                | Atomic::Boolean(_) => Atomic::Double(self.to_double()),
                a if a.is_stringlike() => Atomic::Double(
                    parse_double(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                _ => return Err(fail()),
            },
            T::Date => match self {
                Atomic::Date(m) => Atomic::Date(*m),
                Atomic::DateTime(m) => Atomic::Date(Moment {
                    millis: m.millis.div_euclid(DAY_MILLIS) * DAY_MILLIS,
                    zone: m.zone,
                }),
                a if a.is_stringlike() => Atomic::Date(
                    Moment::parse_date(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                _ => return Err(fail()),
            },
            T::DateTime => match self {
                Atomic::DateTime(m) | Atomic::Date(m) => Atomic::DateTime(*m),
                a if a.is_stringlike() => Atomic::DateTime(
                    Moment::parse_date_time(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                _ => return Err(fail()),
            },
            T::DayTimeDuration => match self {
                Atomic::DayTimeDuration(d) => Atomic::DayTimeDuration(*d),
                a if a.is_stringlike() => Atomic::DayTimeDuration(
                    parse_duration(text().trim_matches(is_xml_space)).ok_or_else(fail)?,
                ),
                _ => return Err(fail()),
            },
        })
    }
}

/// The type's name as XPath writes it.
pub(crate) fn type_label(t: AtomicType) -> String {
    let local = TYPE_NAMES
        .iter()
        .find(|(_, u)| *u == t)
        .map_or("anyAtomicType", |(n, _)| n);
    format!("xs:{local}")
}

fn parse_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.strip_prefix('+').unwrap_or(text).parse().ok()
}

fn parse_decimal(text: &str) -> Option<f64> {
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !(whole.is_empty() && fraction.is_empty())
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| text.parse().ok()).flatten()
}

/// An `xs:double` literal: a decimal with an optional exponent, `INF`, `-INF`, `NaN`.
pub(crate) fn parse_double(text: &str) -> Option<f64> {
    match text {
        "INF" | "+INF" => return Some(f64::INFINITY),
        "-INF" => return Some(f64::NEG_INFINITY),
        "NaN" => return Some(f64::NAN),
        _ => {}
    }
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    parse_decimal(mantissa)?;
    if let Some(e) = exponent {
        parse_integer(e)?;
    }
    text.parse().ok()
}

/// Compares two atomic values for a value comparison (`eq`, `lt`, …); untyped values compare
/// as strings. `None`: the two cannot be compared (a type error, as XPath has it).
pub(crate) fn compare_values(a: &Atomic, b: &Atomic) -> Option<Ordering> {
    match (a, b) {
        (x, y) if x.is_numeric() && y.is_numeric() => {
            match (x, y) {
                (Atomic::Integer(m), Atomic::Integer(n)) => Some(m.cmp(n)),
                // NaN is the caller's to settle (`is_nan_pair`).
                _ => Some(
                    x.to_double()
                        .partial_cmp(&y.to_double())
                        .unwrap_or(Ordering::Less),
                ),
            }
        }
        (
            Atomic::String(x) | Atomic::Untyped(x) | Atomic::AnyUri(x),
            Atomic::String(y) | Atomic::Untyped(y) | Atomic::AnyUri(y),
        ) => Some(x.as_ref().cmp(y.as_ref())),
        (Atomic::Boolean(x), Atomic::Boolean(y)) => Some(x.cmp(y)),
        (Atomic::Date(x), Atomic::Date(y)) | (Atomic::DateTime(x), Atomic::DateTime(y)) => {
            Some(x.instant().cmp(&y.instant()))
        }
        (Atomic::DayTimeDuration(x), Atomic::DayTimeDuration(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// NaN compares as unequal to everything, including itself.
pub(crate) fn is_nan_pair(a: &Atomic, b: &Atomic) -> bool {
    (a.is_numeric() && a.to_double().is_nan()) || (b.is_numeric() && b.to_double().is_nan())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_print_as_xpath_prints_them() {
        assert_eq!(format_double(1.5), "1.5");
        assert_eq!(format_double(100.0), "100");
        assert_eq!(format_double(1e7), "1.0E7");
        assert_eq!(format_double(1.25e-7), "1.25E-7");
        assert_eq!(format_double(f64::NAN), "NaN");
    }

    #[test]
    fn casts_follow_the_lexical_rules() {
        let s = |t: &str| Atomic::Untyped(t.into());
        assert_eq!(
            s(" 12 ").cast(AtomicType::Integer).unwrap(),
            Atomic::Integer(12)
        );
        assert!(s("1.0").cast(AtomicType::Integer).is_err());
        assert!(s("1e3").cast(AtomicType::Decimal).is_err());
        assert_eq!(
            s("1e3").cast(AtomicType::Double).unwrap(),
            Atomic::Double(1000.0)
        );
        assert!(s("inf").cast(AtomicType::Double).is_err());
        assert!(s("1973-02-29").cast(AtomicType::Date).is_err());
        assert!(
            s("1973-05-2éé").cast(AtomicType::Date).is_err(),
            "no panic inside a character"
        );
        assert_eq!(
            s("1973-05-23Z").cast(AtomicType::Date).unwrap().to_text(),
            "1973-05-23Z"
        );
        assert_eq!(
            s("1973-05-23T09:30:00.50-05:00")
                .cast(AtomicType::DateTime)
                .unwrap()
                .to_text(),
            "1973-05-23T09:30:00.5-05:00"
        );
        assert_eq!(
            s("P60D")
                .cast(AtomicType::DayTimeDuration)
                .unwrap()
                .to_text(),
            "P60D"
        );
        assert_eq!(
            s("PT90M")
                .cast(AtomicType::DayTimeDuration)
                .unwrap()
                .to_text(),
            "PT1H30M"
        );
        assert!(s("a b").cast(AtomicType::NcName).is_err());
        assert_eq!(
            Atomic::Double(2.7).cast(AtomicType::Integer).unwrap(),
            Atomic::Integer(2)
        );
    }

    #[test]
    fn every_type_is_named_as_xml_schema_names_it() {
        for (name, t) in TYPE_NAMES {
            assert_eq!(AtomicType::from_local_name(name), Some(*t));
            assert_eq!(type_label(*t), format!("xs:{name}"));
        }
    }

    #[test]
    fn comparisons_by_type() {
        let d = |t: &str| Atomic::Date(Moment::parse_date(t).unwrap());
        assert_eq!(
            compare_values(&d("2020-01-02"), &d("2020-01-01")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare_values(&Atomic::Integer(2), &Atomic::Double(2.0)),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare_values(&Atomic::Integer(2), &Atomic::String("2".into())),
            None
        );
    }
}
