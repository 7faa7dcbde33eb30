//! The function library: XPath's functions the Schematron schemas of TEI and FRUS use, and
//! XSLT's `current()` and `generate-id()`. A function not here is refused when the
//! expression is compiled, by name and arity.

use super::eval::{context_item, untyped_to_double, Env, Evaluator, Focus, Value};
use super::value::{is_xml_space, normalize_space, Atomic, AtomicType, Item, Moment, XNode};
use super::XPathError;
use std::rc::Rc;

macro_rules! library {
    ($($variant:ident = $name:literal [$($arity:pat),+] $($boolean:ident)?;)*) => {
        /// A library function.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Function {
            $($variant,)*
            /// A function the schema declares (`xsl:function`), by index.
            User(usize),
        }

        impl Function {
            /// The function `local` of the standard namespace with `arity` arguments.
            pub fn resolve(local: &str, arity: usize) -> Option<Function> {
                match (local, arity) {
                    $($(($name, $arity))|+ => Some(Function::$variant),)*
                    _ => None,
                }
            }

            /// Whether a function `local` exists with some arity.
            pub fn resolve_any_arity(local: &str) -> bool {
                matches!(local, $($name)|*)
            }

            /// Whether the function's value is always a boolean.
            pub fn returns_boolean(self) -> bool {
                match self {
                    $(Function::$variant => library!(@boolean $($boolean)?),)*
                    Function::User(_) => false,
                }
            }
        }
    };
    (@boolean boolean) => { true };
    (@boolean) => { false };
}

library! {
    Not = "not" [1] boolean;
    True = "true" [0] boolean;
    False = "false" [0] boolean;
    Boolean = "boolean" [1] boolean;
    Exists = "exists" [1] boolean;
    Empty = "empty" [1] boolean;
    Contains = "contains" [2] boolean;
    StartsWith = "starts-with" [2] boolean;
    EndsWith = "ends-with" [2] boolean;
    Matches = "matches" [2, 3] boolean;
    ContainsToken = "contains-token" [2] boolean;
    DocAvailable = "doc-available" [1] boolean;
    Doc = "doc" [1];
    // `analyze-string(…)/fn:match`, which the parser turns the call and its step into, and
    AnalyzeStringMatches = "analyze-string#match" [2, 3];
    // `…/fn:non-match`: names no one can write, so only the parser makes them.
    AnalyzeStringNonMatches = "analyze-string#non-match" [2, 3];
    Count = "count" [1];
    Sum = "sum" [1, 2];
    Avg = "avg" [1];
    Min = "min" [1];
    Max = "max" [1];
    DistinctValues = "distinct-values" [1];
    Reverse = "reverse" [1];
    Subsequence = "subsequence" [2, 3];
    IndexOf = "index-of" [2];
    InsertBefore = "insert-before" [3];
    Remove = "remove" [2];
    Head = "head" [1];
    Tail = "tail" [1];
    ExactlyOne = "exactly-one" [1];
    ZeroOrOne = "zero-or-one" [1];
    OneOrMore = "one-or-more" [1];
    Last = "last" [0];
    Position = "position" [0];
    String = "string" [0, 1];
    Data = "data" [0, 1];
    NormalizeSpace = "normalize-space" [0, 1];
    StringLength = "string-length" [0, 1];
    Concat = "concat" [2..=usize::MAX];
    StringJoin = "string-join" [1, 2];
    Substring = "substring" [2, 3];
    SubstringBefore = "substring-before" [2];
    SubstringAfter = "substring-after" [2];
    UpperCase = "upper-case" [1];
    LowerCase = "lower-case" [1];
    Translate = "translate" [3];
    Tokenize = "tokenize" [1, 2, 3];
    Replace = "replace" [3, 4];
    Compare = "compare" [2];
    CodepointsToString = "codepoints-to-string" [1];
    StringToCodepoints = "string-to-codepoints" [1];
    Number = "number" [0, 1];
    Abs = "abs" [1];
    Floor = "floor" [1];
    Ceiling = "ceiling" [1];
    Round = "round" [1];
    Name = "name" [0, 1];
    LocalName = "local-name" [0, 1];
    NamespaceUri = "namespace-uri" [0, 1];
    Root = "root" [0, 1];
    Path = "path" [0, 1];
    Id = "id" [1, 2];
    GenerateId = "generate-id" [0, 1];
    Current = "current" [0];
    BaseUri = "base-uri" [0, 1];
    CurrentDate = "current-date" [0];
    CurrentDateTime = "current-dateTime" [0];
    YearFromDate = "year-from-date" [1];
    MonthFromDate = "month-from-date" [1];
    DayFromDate = "day-from-date" [1];
}

/// How deep user functions may call each other: far beyond any real schema's recursion (a
/// Roman numeral, a list), well within a worker thread's stack.
const MAX_CALL_DEPTH: usize = 100;

/// Today and now, in UTC (the implicit time zone).
pub(crate) fn clock() -> (Moment, Moment) {
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let day = 86_400_000;
    (
        Moment {
            millis: millis.div_euclid(day) * day,
            zone: Some(0),
        },
        Moment {
            millis,
            zone: Some(0),
        },
    )
}

/// XPath's `round`: half up.
fn round_half_up(x: f64) -> f64 {
    (x + 0.5).floor()
}

pub(crate) fn call<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    f: Function,
    args: &[super::ast::Expr],
    focus: &Focus<'a, 'i>,
    env: &mut Env<'a, 'i>,
) -> Result<Value<'a, 'i>, XPathError> {
    use Function as F;
    // The argument's value, or the context item where the call has none.
    let arg_or_context = |env: &mut Env<'a, 'i>| -> Result<Value<'a, 'i>, XPathError> {
        match args.first() {
            Some(e) => ev.eval(e, focus, env),
            None => Ok(Value::Owned(vec![context_item(focus)?.clone()])),
        }
    };
    let string_arg = |env: &mut Env<'a, 'i>, k: usize| ev.string_of_optional(&args[k], focus, env);
    let node_arg = |env: &mut Env<'a, 'i>| -> Result<Option<XNode<'a, 'i>>, XPathError> {
        let v = arg_or_context(env)?;
        match &v[..] {
            [] => Ok(None),
            [Item::Node(n)] => Ok(Some(*n)),
            [Item::Atomic(a)] => Err(XPathError::dynamic(format!(
                "a node was expected, not a {}",
                a.type_name()
            ))),
            _ => Err(XPathError::dynamic(
                "one node was expected, not several".into(),
            )),
        }
    };
    Ok(match f {
        F::Not => Value::boolean(!ev.ebv_of(&args[0], focus, env)?),
        F::True => Value::boolean(true),
        F::False => Value::boolean(false),
        F::Boolean => Value::boolean(ev.ebv_of(&args[0], focus, env)?),
        F::Exists => Value::boolean(!ev.eval(&args[0], focus, env)?.is_empty()),
        F::Empty => Value::boolean(ev.eval(&args[0], focus, env)?.is_empty()),
        F::Contains => {
            let s = string_arg(env, 0)?;
            Value::boolean(s.contains(&string_arg(env, 1)?))
        }
        F::StartsWith => {
            let s = string_arg(env, 0)?;
            Value::boolean(s.starts_with(&string_arg(env, 1)?))
        }
        F::EndsWith => {
            let s = string_arg(env, 0)?;
            Value::boolean(s.ends_with(&string_arg(env, 1)?))
        }
        F::Matches => {
            let s = string_arg(env, 0)?;
            let (regex, _) = regex_args(ev, args, 1, 2, focus, env, None)?;
            Value::boolean(regex.is_match(&s))
        }
        F::ContainsToken => {
            let token = normalize_space(&string_arg(env, 1)?);
            let v = ev.eval(&args[0], focus, env)?;
            Value::boolean(
                v.iter()
                    .any(|item| item.string().split(is_xml_space).any(|t| t == token)),
            )
        }
        F::DocAvailable => {
            let uri = string_arg(env, 0)?;
            Value::boolean(
                ev.local_document(&uri)
                    .is_some_and(|p| documents::load(&p).is_some()),
            )
        }
        F::Doc => {
            let uri = string_arg(env, 0)?;
            let path = ev.local_document(&uri).ok_or_else(|| {
                XPathError::dynamic(format!(
                    "doc('{uri}'): not a local file (the network is never read)"
                ))
            })?;
            let doc = documents::load(&path).ok_or_else(|| {
                XPathError::dynamic(format!(
                    "doc('{uri}'): {} is not well-formed XML",
                    path.display()
                ))
            })?;
            Value::Owned(vec![Item::Node(XNode::of(doc.root()))])
        }
        F::AnalyzeStringMatches | F::AnalyzeStringNonMatches => {
            let s = string_arg(env, 0)?;
            let (regex, _) = regex_args(ev, args, 1, 2, focus, env, Some("analyze-string"))?;
            let mut pieces = Vec::new();
            let mut last = 0;
            for m in regex.find_iter(&s) {
                if f == F::AnalyzeStringNonMatches && m.start() > last {
                    pieces.push(&s[last..m.start()]);
                }
                if f == F::AnalyzeStringMatches {
                    pieces.push(m.as_str());
                }
                last = m.end();
            }
            if f == F::AnalyzeStringNonMatches && last < s.len() {
                pieces.push(&s[last..]);
            }
            Value::Owned(
                pieces
                    .into_iter()
                    .map(|p| Item::Atomic(Atomic::Untyped(p.into())))
                    .collect(),
            )
        }
        F::Count => Value::atomic(Atomic::Integer(ev.eval(&args[0], focus, env)?.len() as i64)),
        F::Sum | F::Avg => {
            let v = ev.eval(&args[0], focus, env)?;
            if v.is_empty() {
                return Ok(match (f, args.get(1)) {
                    (F::Sum, Some(zero)) => ev.eval(zero, focus, env)?,
                    (F::Sum, None) => Value::atomic(Atomic::Integer(0)),
                    _ => Value::empty(),
                });
            }
            let mut total = Atomic::Integer(0);
            for item in v.iter() {
                let a = match item.atomize() {
                    Atomic::Untyped(s) => untyped_to_double(Atomic::Untyped(s)),
                    a if a.is_numeric() => a,
                    other => {
                        return Err(XPathError::dynamic(format!(
                            "{}() of a {}",
                            if f == F::Sum { "sum" } else { "avg" },
                            other.type_name()
                        )))
                    }
                };
                total = match (&total, &a) {
                    (Atomic::Integer(x), Atomic::Integer(y)) => {
                        Atomic::Integer(x.saturating_add(*y))
                    }
                    (Atomic::Double(_), _) | (_, Atomic::Double(_)) => {
                        Atomic::Double(total.to_double() + a.to_double())
                    }
                    _ => Atomic::Decimal(total.to_double() + a.to_double()),
                };
            }
            if f == F::Avg {
                let n = v.len() as f64;
                total = match total {
                    Atomic::Double(x) => Atomic::Double(x / n),
                    other => Atomic::Decimal(other.to_double() / n),
                };
            }
            Value::atomic(total)
        }
        F::Min | F::Max => {
            let v = ev.eval(&args[0], focus, env)?;
            let mut best: Option<Atomic> = None;
            for item in v.iter() {
                let a = match item.atomize() {
                    Atomic::Untyped(s) => {
                        Atomic::Double(super::value::parse_double(s.trim()).ok_or_else(|| {
                            XPathError::dynamic(format!("cannot cast \"{s}\" to xs:double"))
                        })?)
                    }
                    a => a,
                };
                best = Some(match best {
                    None => a,
                    Some(b) => {
                        let order = super::value::compare_values(&a, &b).ok_or_else(|| {
                            XPathError::dynamic("min()/max() of values that do not compare".into())
                        })?;
                        let better = if f == F::Min {
                            order == std::cmp::Ordering::Less
                        } else {
                            order == std::cmp::Ordering::Greater
                        };
                        if better {
                            a
                        } else {
                            b
                        }
                    }
                });
            }
            best.map_or_else(Value::empty, Value::atomic)
        }
        F::DistinctValues => {
            let v = ev.eval(&args[0], focus, env)?;
            let mut seen = std::collections::HashSet::new();
            let mut out = Vec::new();
            for item in v.iter() {
                let a = match item.atomize() {
                    Atomic::Untyped(s) => Atomic::String(s),
                    a => a,
                };
                let key = if a.is_numeric() {
                    format!("n{}", a.to_double())
                } else if a.is_stringlike() {
                    format!("s{}", a.to_text())
                } else {
                    format!("{}{}", a.type_name(), a.to_text())
                };
                if seen.insert(key) {
                    out.push(Item::Atomic(a));
                }
            }
            Value::Owned(out)
        }
        F::Reverse => {
            let mut v = ev.eval(&args[0], focus, env)?.into_vec();
            v.reverse();
            Value::Owned(v)
        }
        F::Subsequence => {
            let v = ev.eval(&args[0], focus, env)?;
            let start = number_arg(ev, &args[1], focus, env)?;
            let length = match args.get(2) {
                Some(e) => number_arg(ev, e, focus, env)?,
                None => f64::INFINITY,
            };
            let start = round_half_up(start);
            let end = start + round_half_up(length);
            Value::Owned(
                v.iter()
                    .enumerate()
                    .filter(|(i, _)| {
                        let p = (*i + 1) as f64;
                        p >= start && p < end
                    })
                    .map(|(_, item)| item.clone())
                    .collect(),
            )
        }
        F::IndexOf => {
            let v = ev.eval(&args[0], focus, env)?;
            // A large variable of strings: its index, built once (`index-of($ids, .)` at
            // every id).
            if let Value::Shared(shared) = &v {
                if let Some(index) = ev.string_index(shared) {
                    if let Some(Atomic::String(t) | Atomic::Untyped(t)) =
                        ev.atomized_optional(&args[1], focus, env)?
                    {
                        return Ok(Value::Owned(
                            index
                                .get(&*t)
                                .map(|positions| {
                                    positions
                                        .iter()
                                        .map(|p| Item::Atomic(Atomic::Integer(i64::from(*p))))
                                        .collect()
                                })
                                .unwrap_or_default(),
                        ));
                    }
                }
            }
            let target = ev
                .atomized_optional(&args[1], focus, env)?
                .ok_or_else(|| XPathError::dynamic("index-of() of an empty value".into()))?;
            let target = match target {
                Atomic::Untyped(s) => Atomic::String(s),
                t => t,
            };
            let mut out = Vec::new();
            for (i, item) in v.iter().enumerate() {
                let a = match item.atomize() {
                    Atomic::Untyped(s) => Atomic::String(s),
                    a => a,
                };
                if super::value::compare_values(&a, &target) == Some(std::cmp::Ordering::Equal) {
                    out.push(Item::Atomic(Atomic::Integer(i as i64 + 1)));
                }
            }
            Value::Owned(out)
        }
        F::InsertBefore => {
            let mut v = ev.eval(&args[0], focus, env)?.into_vec();
            let position = number_arg(ev, &args[1], focus, env)? as i64;
            let inserted = ev.eval(&args[2], focus, env)?.into_vec();
            let at = (position.max(1) as usize - 1).min(v.len());
            v.splice(at..at, inserted);
            Value::Owned(v)
        }
        F::Remove => {
            let mut v = ev.eval(&args[0], focus, env)?.into_vec();
            let position = number_arg(ev, &args[1], focus, env)? as i64;
            if position >= 1 && (position as usize) <= v.len() {
                v.remove(position as usize - 1);
            }
            Value::Owned(v)
        }
        F::Head => {
            let v = ev.eval(&args[0], focus, env)?;
            Value::Owned(v.first().cloned().into_iter().collect())
        }
        F::Tail => {
            let v = ev.eval(&args[0], focus, env)?;
            Value::Owned(v.iter().skip(1).cloned().collect())
        }
        F::ExactlyOne | F::ZeroOrOne | F::OneOrMore => {
            let v = ev.eval(&args[0], focus, env)?;
            let ok = match f {
                F::ExactlyOne => v.len() == 1,
                F::ZeroOrOne => v.len() <= 1,
                _ => !v.is_empty(),
            };
            if !ok {
                return Err(XPathError::dynamic(format!(
                    "a sequence of {} items given to {}()",
                    v.len(),
                    match f {
                        F::ExactlyOne => "exactly-one",
                        F::ZeroOrOne => "zero-or-one",
                        _ => "one-or-more",
                    }
                )));
            }
            v
        }
        F::Last => Value::atomic(Atomic::Integer(focus.size as i64)),
        F::Position => Value::atomic(Atomic::Integer(focus.position as i64)),
        F::String => {
            let v = arg_or_context(env)?;
            match &v[..] {
                [] => Value::string(String::new()),
                [item] => Value::string(item.string()),
                _ => return Err(XPathError::dynamic("string() of several items".into())),
            }
        }
        F::Data => {
            let v = arg_or_context(env)?;
            Value::Owned(v.iter().map(|i| Item::Atomic(i.atomize())).collect())
        }
        F::NormalizeSpace => {
            let v = arg_or_context(env)?;
            let text = match &v[..] {
                [] => String::new(),
                [item] => item.string(),
                _ => {
                    return Err(XPathError::dynamic(
                        "normalize-space() of several items".into(),
                    ))
                }
            };
            Value::string(normalize_space(&text))
        }
        F::StringLength => {
            let v = arg_or_context(env)?;
            let n = match &v[..] {
                [] => 0,
                [item] => item.string().chars().count(),
                _ => {
                    return Err(XPathError::dynamic(
                        "string-length() of several items".into(),
                    ))
                }
            };
            Value::atomic(Atomic::Integer(n as i64))
        }
        F::Concat => {
            let mut text = String::new();
            for arg in args {
                let v = ev.eval(arg, focus, env)?;
                match &v[..] {
                    [] => {}
                    [item] => text.push_str(&item.string()),
                    _ => {
                        return Err(XPathError::dynamic(
                            "concat() of a sequence of several items".into(),
                        ))
                    }
                }
            }
            Value::string(text)
        }
        F::StringJoin => {
            let v = ev.eval(&args[0], focus, env)?;
            let separator = if args.len() > 1 {
                string_arg(env, 1)?
            } else {
                String::new()
            };
            let parts: Vec<String> = v.iter().map(Item::string).collect();
            Value::string(parts.join(&separator))
        }
        F::Substring => {
            let s = string_arg(env, 0)?;
            let start = round_half_up(number_arg(ev, &args[1], focus, env)?);
            let end = match args.get(2) {
                Some(e) => start + round_half_up(number_arg(ev, e, focus, env)?),
                None => f64::INFINITY,
            };
            Value::string(
                s.chars()
                    .enumerate()
                    .filter(|(i, _)| {
                        let p = (*i + 1) as f64;
                        p >= start && p < end
                    })
                    .map(|(_, c)| c)
                    .collect(),
            )
        }
        F::SubstringBefore => {
            let s = string_arg(env, 0)?;
            let t = string_arg(env, 1)?;
            Value::string(s.find(&t).map_or(String::new(), |at| s[..at].to_string()))
        }
        F::SubstringAfter => {
            let s = string_arg(env, 0)?;
            let t = string_arg(env, 1)?;
            Value::string(
                s.find(&t)
                    .map_or(String::new(), |at| s[at + t.len()..].to_string()),
            )
        }
        F::UpperCase => Value::string(string_arg(env, 0)?.to_uppercase()),
        F::LowerCase => Value::string(string_arg(env, 0)?.to_lowercase()),
        F::Translate => {
            let s = string_arg(env, 0)?;
            let from: Vec<char> = string_arg(env, 1)?.chars().collect();
            let to: Vec<char> = string_arg(env, 2)?.chars().collect();
            Value::string(
                s.chars()
                    .filter_map(|c| match from.iter().position(|f| *f == c) {
                        Some(i) => to.get(i).copied(),
                        None => Some(c),
                    })
                    .collect(),
            )
        }
        F::Tokenize => {
            let s = string_arg(env, 0)?;
            if args.len() == 1 {
                return Ok(Value::Owned(
                    s.split(is_xml_space)
                        .filter(|t| !t.is_empty())
                        .map(|t| Item::Atomic(Atomic::String(t.into())))
                        .collect(),
                ));
            }
            let (regex, _) = regex_args(ev, args, 1, 2, focus, env, Some("tokenize"))?;
            if s.is_empty() {
                return Ok(Value::empty());
            }
            Value::Owned(
                regex
                    .split(&s)
                    .map(|t| Item::Atomic(Atomic::String(t.into())))
                    .collect(),
            )
        }
        F::Replace => {
            let s = string_arg(env, 0)?;
            let (regex, flags) = regex_args(ev, args, 1, 3, focus, env, Some("replace"))?;
            let replacement = string_arg(env, 2)?;
            let q = flags.contains('q');
            let mut out = String::new();
            let mut last = 0;
            for caps in regex.captures_iter(&s) {
                let Some(whole) = caps.get(0) else { continue };
                out.push_str(&s[last..whole.start()]);
                expand_replacement(&replacement, &caps, q, &mut out)?;
                last = whole.end();
            }
            out.push_str(&s[last..]);
            Value::string(out)
        }
        F::Compare => {
            let a = ev.atomized_optional(&args[0], focus, env)?;
            let b = ev.atomized_optional(&args[1], focus, env)?;
            match (a, b) {
                (Some(a), Some(b)) => {
                    Value::atomic(Atomic::Integer(match a.to_text().cmp(&b.to_text()) {
                        std::cmp::Ordering::Less => -1,
                        std::cmp::Ordering::Equal => 0,
                        std::cmp::Ordering::Greater => 1,
                    }))
                }
                _ => Value::empty(),
            }
        }
        F::CodepointsToString => {
            let v = ev.eval(&args[0], focus, env)?;
            let mut text = String::new();
            for item in v.iter() {
                let n = item.atomize().cast(AtomicType::Integer)?;
                let c = u32::try_from(n.to_double() as i64)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| {
                        XPathError::dynamic("codepoints-to-string(): not a character".into())
                    })?;
                text.push(c);
            }
            Value::string(text)
        }
        F::StringToCodepoints => Value::Owned(
            string_arg(env, 0)?
                .chars()
                .map(|c| Item::Atomic(Atomic::Integer(c as i64)))
                .collect(),
        ),
        F::Number => {
            let v = arg_or_context(env)?;
            Value::atomic(Atomic::Double(match &v[..] {
                [item] => item.atomize().to_double(),
                _ => f64::NAN,
            }))
        }
        F::Abs | F::Floor | F::Ceiling | F::Round => {
            let Some(a) = ev.atomized_optional(&args[0], focus, env)? else {
                return Ok(Value::empty());
            };
            let a = match a {
                Atomic::Untyped(s) => untyped_to_double(Atomic::Untyped(s)),
                a if a.is_numeric() => a,
                other => {
                    return Err(XPathError::dynamic(format!(
                        "a number was expected, not a {}",
                        other.type_name()
                    )))
                }
            };
            let apply = |x: f64| match f {
                F::Abs => x.abs(),
                F::Floor => x.floor(),
                F::Ceiling => x.ceil(),
                _ => round_half_up(x),
            };
            Value::atomic(match a {
                Atomic::Integer(n) => Atomic::Integer(if f == F::Abs { n.abs() } else { n }),
                Atomic::Decimal(x) => Atomic::Decimal(apply(x)),
                other => Atomic::Double(apply(other.to_double())),
            })
        }
        F::Name => Value::string(node_arg(env)?.map_or(String::new(), |n| n.name())),
        F::LocalName => {
            Value::string(node_arg(env)?.map_or(String::new(), |n| n.local_name().to_string()))
        }
        F::NamespaceUri => Value::atomic(Atomic::AnyUri(
            node_arg(env)?.map_or("", |n| n.namespace()).into(),
        )),
        F::Root => match node_arg(env)? {
            Some(n) => Value::Owned(vec![Item::Node(XNode::of(n.tree_node().document().root()))]),
            None => Value::empty(),
        },
        F::Path => match node_arg(env)? {
            Some(n) => Value::string(n.path()),
            None => Value::empty(),
        },
        F::Id => {
            let v = ev.eval(&args[0], focus, env)?;
            let mut found: Vec<XNode> = Vec::new();
            for item in v.iter() {
                for id in item.string().split(is_xml_space).filter(|t| !t.is_empty()) {
                    if let Some(n) = ev.element_by_id(id) {
                        found.push(XNode::of(n));
                    }
                }
            }
            found.sort();
            found.dedup();
            Value::Owned(found.into_iter().map(Item::Node).collect())
        }
        F::GenerateId => Value::string(match node_arg(env)? {
            Some(n) => {
                let (_, node, attribute) = n.key();
                if attribute == 0 {
                    format!("d0n{node}")
                } else {
                    format!("d0n{node}a{attribute}")
                }
            }
            None => String::new(),
        }),
        F::Current => match env.current {
            Some(n) => Value::Owned(vec![Item::Node(n)]),
            None => return Err(XPathError::dynamic("current() outside a rule".into())),
        },
        F::BaseUri => match node_arg(env)? {
            Some(_) => match &ev.base {
                Some(path) => Value::atomic(Atomic::AnyUri(file_uri(path).into())),
                None => Value::empty(),
            },
            None => Value::empty(),
        },
        F::CurrentDate => Value::atomic(Atomic::Date(ev.today)),
        F::CurrentDateTime => Value::atomic(Atomic::DateTime(ev.now)),
        F::YearFromDate | F::MonthFromDate | F::DayFromDate => {
            let Some(a) = ev.atomized_optional(&args[0], focus, env)? else {
                return Ok(Value::empty());
            };
            let Atomic::Date(m) = a.cast(AtomicType::Date)? else {
                return Ok(Value::empty());
            };
            let day = crate::base::calendar::CivilDate::from_days_since_epoch(
                m.millis.div_euclid(86_400_000),
            );
            Value::atomic(Atomic::Integer(match f {
                F::YearFromDate => i64::from(day.year),
                F::MonthFromDate => i64::from(day.month),
                _ => i64::from(day.day),
            }))
        }
        F::User(index) => {
            let function = ev.functions.get(index).ok_or_else(|| {
                XPathError::dynamic("a call of a function that is not declared".into())
            })?;
            let mut values = Vec::with_capacity(args.len());
            for arg in args {
                values.push(ev.eval(arg, focus, env)?.into_rc());
            }
            // A function that calls itself without end is an error, not a stack overflow.
            if ev.calls.get() >= MAX_CALL_DEPTH {
                return Err(XPathError::dynamic(format!(
                    "functions calling functions more than {MAX_CALL_DEPTH} deep"
                )));
            }
            // The body sees its parameters over the caller's variables (the parser let it
            // name only those and the schema's global ones), and no context item.
            let count = values.len();
            for (name, value) in function.params.iter().zip(values) {
                env.bind(name.clone(), value);
            }
            let none = Focus {
                item: None,
                position: 0,
                size: 0,
            };
            ev.calls.set(ev.calls.get() + 1);
            let result = ev.eval(&function.body, &none, env);
            ev.calls.set(ev.calls.get() - 1);
            env.unbind(count);
            result?
        }
    })
}

/// The regular expression of argument `at` of a call and its flags (argument `flags_at`, if
/// given); with `refuse_empty` naming the function, one that matches the empty string is an
/// error, as XPath has it for `tokenize`, `replace` and `analyze-string`.
fn regex_args<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    args: &[super::ast::Expr],
    at: usize,
    flags_at: usize,
    focus: &Focus<'a, 'i>,
    env: &mut Env<'a, 'i>,
    refuse_empty: Option<&str>,
) -> Result<(Rc<regex::Regex>, String), XPathError> {
    let pattern = ev.string_of_optional(&args[at], focus, env)?;
    let flags = match args.get(flags_at) {
        Some(e) => ev.string_of_optional(e, focus, env)?,
        None => String::new(),
    };
    let regex = ev.regex(&pattern, &flags)?;
    if let Some(function) = refuse_empty {
        if regex.is_match("") {
            return Err(XPathError::dynamic(format!(
                "{function}(): the expression `{pattern}` matches the empty string"
            )));
        }
    }
    Ok((regex, flags))
}

fn number_arg<'a, 'i>(
    ev: &Evaluator<'a, 'i>,
    e: &super::ast::Expr,
    focus: &Focus<'a, 'i>,
    env: &mut Env<'a, 'i>,
) -> Result<f64, XPathError> {
    Ok(ev
        .atomized_optional(e, focus, env)?
        .map_or(f64::NAN, |a| a.to_double()))
}

/// `replace()`'s replacement: `$n` a group, `\$` and `\\` themselves.
fn expand_replacement(
    template: &str,
    caps: &regex::Captures,
    literal: bool,
    out: &mut String,
) -> Result<(), XPathError> {
    if literal {
        out.push_str(template);
        return Ok(());
    }
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('\\' | '$')) => out.push(e),
                _ => {
                    return Err(XPathError::dynamic(
                        "replace(): `\\` must be followed by `\\` or `$`".into(),
                    ))
                }
            },
            '$' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    // The longest group number that exists.
                    let candidate = format!("{digits}{d}");
                    if !digits.is_empty()
                        && candidate.parse::<usize>().map_or(true, |n| n >= caps.len())
                    {
                        break;
                    }
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    return Err(XPathError::dynamic(
                        "replace(): `$` must be followed by a digit".into(),
                    ));
                }
                if let Some(m) = digits.parse::<usize>().ok().and_then(|n| caps.get(n)) {
                    out.push_str(m.as_str());
                }
            }
            other => out.push(other),
        }
    }
    Ok(())
}

fn file_uri(path: &std::path::Path) -> String {
    let absolute = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    format!("file:{}", absolute.display())
}

impl<'a, 'i> Evaluator<'a, 'i> {
    /// A compiled regular expression, cached by pattern and flags.
    pub(crate) fn regex(&self, pattern: &str, flags: &str) -> Result<Rc<regex::Regex>, XPathError> {
        let key = (pattern.to_string(), flags.to_string());
        if let Some(r) = self.regexes.borrow().get(&key) {
            return Ok(r.clone());
        }
        let translated = crate::base::regex::translate_xpath_regex(pattern, flags)
            .map_err(|e| XPathError::dynamic(format!("the regular expression `{pattern}`: {e}")))?;
        let compiled = regex::Regex::new(&translated)
            .map_err(|e| XPathError::dynamic(format!("the regular expression `{pattern}`: {e}")))?;
        let compiled = Rc::new(compiled);
        self.regexes.borrow_mut().insert(key, compiled.clone());
        Ok(compiled)
    }

    /// The local file a `doc()` URI names, relative to the schema (XSLT's static base) or,
    /// without one, the document; `None` for a URI the network would serve (never fetched)
    /// or that names no file.
    pub(crate) fn local_document(&self, uri: &str) -> Option<std::path::PathBuf> {
        if uri.contains("://") && !uri.starts_with("file://") {
            return None;
        }
        let path = uri
            .strip_prefix("file://")
            .or_else(|| uri.strip_prefix("file:"))
            .unwrap_or(uri);
        let path = std::path::Path::new(path);
        let resolved = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.static_base
                .as_ref()
                .or(self.base.as_ref())?
                .parent()?
                .join(path)
        };
        resolved.is_file().then_some(resolved)
    }
}

/// The documents `doc()` reads: each local file parsed once for the life of the process and
/// kept, since its nodes may stand in any value of any evaluation (a file that changes is read
/// again). What is kept is bounded by the distinct files the schemas name.
mod documents {
    use std::collections::HashMap;
    use std::path::{Path, PathBuf};
    use std::sync::{Mutex, OnceLock};

    type Key = (PathBuf, u64, Option<std::time::SystemTime>);
    type Kept = Option<&'static roxmltree::Document<'static>>;

    static DOCUMENTS: OnceLock<Mutex<HashMap<Key, Kept>>> = OnceLock::new();

    /// The document at `path`, or `None` if it cannot be read or is not well-formed.
    pub(super) fn load(path: &Path) -> Kept {
        let metadata = std::fs::metadata(path).ok()?;
        let key = (path.to_path_buf(), metadata.len(), metadata.modified().ok());
        let documents = DOCUMENTS.get_or_init(Default::default);
        let mut documents = documents.lock().unwrap_or_else(|p| p.into_inner());
        *documents.entry(key).or_insert_with(|| {
            let text: &'static str =
                Box::leak(std::fs::read_to_string(path).ok()?.into_boxed_str());
            let options = roxmltree::ParsingOptions {
                allow_dtd: true,
                ..Default::default()
            };
            let doc = roxmltree::Document::parse_with_options(text, options).ok()?;
            Some(&*Box::leak(Box::new(doc)))
        })
    }
}
