//! XPath's tokens. Names are read whole (`tei:div`, `child::`, `*:p`, `Q{uri}local`), so a
//! keyword such as `div` or `and` is a name to the lexer and an operator only where the parser
//! expects one.

use super::XPathError;

/// A token and the character offset it starts at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    pub kind: Tok,
    pub at: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tok {
    /// A string literal, its quotes undone.
    Str(String),
    Integer(i64),
    Decimal(f64),
    Double(f64),
    /// A QName or NCName as written (`tei:div`, `div`), or a wildcard with a prefix or a
    /// local part (`tei:*`, `*:div`).
    Name(String),
    /// `Q{uri}local`: the namespace and the local part.
    UriName(String, String),
    /// `$` then a name.
    Var(String),
    /// An operator or punctuation: `/`, `//`, `::`, `(`, `<=`, `||`, `*`, …
    Sym(&'static str),
    End,
}

const SYMBOLS: &[&str] = &[
    "//", "::", "..", "!=", "<=", ">=", "<<", ">>", "||", ":=", "=>", "/", "(", ")", "[", "]", ",",
    ".", "@", "|", "=", "<", ">", "+", "-", "*", "?", "!", "#", "{", "}", ":",
];

fn is_name_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || (c as u32 >= 0xC0 && !c.is_whitespace())
}

fn is_name_char(c: char) -> bool {
    is_name_start(c) || c.is_ascii_digit() || c == '-' || c == '.' || c == '\u{B7}'
}

/// The tokens of `text`, ending with [`Tok::End`].
pub(crate) fn tokens(text: &str) -> Result<Vec<Token>, XPathError> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    let error = |at: usize, message: String| XPathError::syntax(text, at, message);
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c == '(' && chars.get(i + 1) == Some(&':') {
            // A comment, which may nest.
            let mut depth = 0usize;
            let start = i;
            loop {
                match (chars.get(i), chars.get(i + 1)) {
                    (Some('('), Some(':')) => {
                        depth += 1;
                        i += 2;
                    }
                    (Some(':'), Some(')')) => {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    }
                    (Some(_), _) => i += 1,
                    (None, _) => return Err(error(start, "unterminated comment `(:`".into())),
                }
            }
            continue;
        }
        let at = i;
        if c == '"' || c == '\'' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    Some(&q) if q == c => {
                        if chars.get(i + 1) == Some(&c) {
                            value.push(c);
                            i += 2;
                        } else {
                            i += 1;
                            break;
                        }
                    }
                    Some(&other) => {
                        value.push(other);
                        i += 1;
                    }
                    None => return Err(error(at, "unterminated string literal".into())),
                }
            }
            out.push(Token {
                kind: Tok::Str(value),
                at,
            });
            continue;
        }
        if c.is_ascii_digit() || (c == '.' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) {
            let start = i;
            while chars.get(i).is_some_and(char::is_ascii_digit) {
                i += 1;
            }
            let mut decimal = false;
            if chars.get(i) == Some(&'.') && chars.get(i + 1) != Some(&'.') {
                decimal = true;
                i += 1;
                while chars.get(i).is_some_and(char::is_ascii_digit) {
                    i += 1;
                }
            }
            let mut double = false;
            if matches!(chars.get(i), Some('e' | 'E')) {
                let mut j = i + 1;
                if matches!(chars.get(j), Some('+' | '-')) {
                    j += 1;
                }
                if chars.get(j).is_some_and(char::is_ascii_digit) {
                    double = true;
                    i = j;
                    while chars.get(i).is_some_and(char::is_ascii_digit) {
                        i += 1;
                    }
                }
            }
            if chars.get(i).is_some_and(|c| is_name_start(*c)) {
                return Err(error(i, "a number runs into a name".into()));
            }
            let literal: String = chars[start..i].iter().collect();
            let kind = if double {
                Tok::Double(
                    literal
                        .parse()
                        .map_err(|_| error(at, "bad number".into()))?,
                )
            } else if decimal {
                Tok::Decimal(
                    literal
                        .parse()
                        .map_err(|_| error(at, "bad number".into()))?,
                )
            } else {
                match literal.parse() {
                    Ok(n) => Tok::Integer(n),
                    Err(_) => Tok::Decimal(literal.parse().unwrap_or(f64::INFINITY)),
                }
            };
            out.push(Token { kind, at });
            continue;
        }
        if c == 'Q' && chars.get(i + 1) == Some(&'{') {
            let close = chars[i..]
                .iter()
                .position(|c| *c == '}')
                .map(|p| p + i)
                .ok_or_else(|| error(at, "unterminated `Q{`".into()))?;
            let uri: String = chars[i + 2..close].iter().collect();
            i = close + 1;
            let start = i;
            while chars.get(i).is_some_and(|c| is_name_char(*c)) {
                i += 1;
            }
            let local: String = chars[start..i].iter().collect();
            let local = if local.is_empty() && chars.get(i) == Some(&'*') {
                i += 1;
                "*".to_string()
            } else {
                local
            };
            out.push(Token {
                kind: Tok::UriName(uri, local),
                at,
            });
            continue;
        }
        if is_name_start(c) {
            let name = read_name(&chars, &mut i);
            out.push(Token {
                kind: Tok::Name(name),
                at,
            });
            continue;
        }
        if c == '$' {
            i += 1;
            while chars.get(i).is_some_and(|c| c.is_whitespace()) {
                i += 1;
            }
            if !chars.get(i).is_some_and(|c| is_name_start(*c)) {
                return Err(error(
                    at,
                    "`$` must be followed by a variable's name".into(),
                ));
            }
            let name = read_name(&chars, &mut i);
            out.push(Token {
                kind: Tok::Var(name),
                at,
            });
            continue;
        }
        if c == '*'
            && chars.get(i + 1) == Some(&':')
            && chars.get(i + 2).is_some_and(|c| is_name_start(*c))
        {
            i += 2;
            let start = i;
            while chars.get(i).is_some_and(|c| is_name_char(*c)) {
                i += 1;
            }
            let local: String = chars[start..i].iter().collect();
            out.push(Token {
                kind: Tok::Name(format!("*:{local}")),
                at,
            });
            continue;
        }
        let rest: String = chars[i..chars.len().min(i + 2)].iter().collect();
        match SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            Some(symbol) => {
                i += symbol.chars().count();
                out.push(Token {
                    kind: Tok::Sym(symbol),
                    at,
                });
            }
            None => return Err(error(at, format!("unexpected character `{c}`"))),
        }
    }
    out.push(Token {
        kind: Tok::End,
        at: chars.len(),
    });
    Ok(out)
}

/// An NCName, or a QName or `prefix:*` when a `:` joins it to what follows (not `::`).
fn read_name(chars: &[char], i: &mut usize) -> String {
    let start = *i;
    while chars.get(*i).is_some_and(|c| is_name_char(*c)) {
        *i += 1;
    }
    if chars.get(*i) == Some(&':') && chars.get(*i + 1) != Some(&':') {
        match chars.get(*i + 1) {
            Some(c) if is_name_start(*c) => {
                *i += 1;
                while chars.get(*i).is_some_and(|c| is_name_char(*c)) {
                    *i += 1;
                }
            }
            Some('*') => *i += 2,
            _ => {}
        }
    }
    chars[start..*i].iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Tok> {
        tokens(text).unwrap().into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn names_keep_keywords_and_prefixes_whole() {
        assert_eq!(
            kinds("tei:div div child::*:p"),
            vec![
                Tok::Name("tei:div".into()),
                Tok::Name("div".into()),
                Tok::Name("child".into()),
                Tok::Sym("::"),
                Tok::Name("*:p".into()),
                Tok::End
            ]
        );
        assert_eq!(kinds("tei:*")[0], Tok::Name("tei:*".into()));
        assert_eq!(kinds("Q{u}p")[0], Tok::UriName("u".into(), "p".into()));
    }

    #[test]
    fn literals_numbers_and_comments() {
        assert_eq!(
            kinds("'it''s' (: a (: nested :) comment :) 1.5 2 3e2 .5"),
            vec![
                Tok::Str("it's".into()),
                Tok::Decimal(1.5),
                Tok::Integer(2),
                Tok::Double(300.0),
                Tok::Decimal(0.5),
                Tok::End
            ]
        );
        assert_eq!(kinds("1 to 2")[1], Tok::Name("to".into()));
        assert_eq!(kinds("..")[0], Tok::Sym(".."));
        assert!(tokens("'open").is_err());
        assert!(tokens("(: open").is_err());
    }
}
