//! Translating XML Schema regular expressions (XSD Part 2, Appendix F) and XPath's (F&O 3.1,
//! 5.6: XSD's, plus anchors, reluctant quantifiers, back-reference-free groups and flags) to the
//! `regex` crate. RELAX NG's `pattern` facet uses the first; Schematron's `matches`, `replace`
//! and `tokenize` the second.
//!
//! The dialects differ in ways that matter: an XSD expression matches the whole value (no
//! anchors, and `^` and `$` are ordinary characters); `.` excludes only `\n` and `\r`; `\s` is
//! exactly space, tab, newline and carriage return; `\i` and `\c` are XML name characters;
//! `\p{IsBasicLatin}` names a Unicode block; `[a-z-[aeiou]]` subtracts a class. Each construct
//! is translated, never passed through, so anything the translator does not know is an error
//! rather than a silent difference.

use std::fmt::Write;

/// Translates an XSD regular expression into an anchored `regex` pattern.
///
/// ```
/// use teikit::base::regex::translate_xsd_regex;
/// let r = regex::Regex::new(&translate_xsd_regex(r"[a-z-[aeiou]]+\d").unwrap()).unwrap();
/// assert!(r.is_match("xyz7") && !r.is_match("xaz7") && !r.is_match("xyz7 "));
/// ```
pub fn translate_xsd_regex(xsd: &str) -> Result<String, String> {
    let mut parser = Parser {
        chars: xsd.chars().collect(),
        pos: 0,
        xpath: false,
        dot_all: false,
    };
    let mut out = String::from("^(?:");
    parser.regex(&mut out, 0)?;
    if parser.pos < parser.chars.len() {
        return Err(format!("unbalanced `)` at position {}", parser.pos));
    }
    out.push_str(")$");
    Ok(out)
}

/// Translates an XPath regular expression with its flags (`s`, `m`, `i`, `x`, `q`) into a
/// `regex` pattern: unanchored, `^` and `$` anchors, groups capturing (for `replace`'s `$1`),
/// reluctant quantifiers (`*?`). Back-references (`\1`) are refused: the `regex` crate has none.
///
/// ```
/// use teikit::base::regex::translate_xpath_regex;
/// let r = regex::Regex::new(&translate_xpath_regex(r"^\d+$", "").unwrap()).unwrap();
/// assert!(r.is_match("42") && !r.is_match("4 2"));
/// let r = regex::Regex::new(&translate_xpath_regex("a b", "ix").unwrap()).unwrap();
/// assert!(r.is_match("xAB"));
/// ```
pub fn translate_xpath_regex(pattern: &str, flags: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut chars: Vec<char> = pattern.chars().collect();
    for flag in flags.chars() {
        match flag {
            's' | 'm' | 'i' | 'x' | 'q' => {}
            other => return Err(format!("unknown regular-expression flag `{other}`")),
        }
    }
    if flags.contains('i') {
        out.push_str("(?i)");
    }
    if flags.contains('m') {
        out.push_str("(?m)");
    }
    if flags.contains('q') {
        for c in chars {
            push_literal(&mut out, c);
        }
        return Ok(out);
    }
    if flags.contains('x') {
        let mut in_class = 0usize;
        let mut kept = Vec::with_capacity(chars.len());
        let mut escaped = false;
        for c in chars {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '[' => in_class += 1,
                ']' => in_class = in_class.saturating_sub(1),
                ' ' | '\t' | '\n' | '\r' if in_class == 0 => continue,
                _ => {}
            }
            kept.push(c);
        }
        chars = kept;
    }
    let mut parser = Parser {
        chars,
        pos: 0,
        xpath: true,
        dot_all: flags.contains('s'),
    };
    parser.regex(&mut out, 0)?;
    if parser.pos < parser.chars.len() {
        return Err(format!("unbalanced `)` at position {}", parser.pos));
    }
    Ok(out)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// XPath's dialect: anchors, capturing and non-capturing groups, reluctant quantifiers.
    xpath: bool,
    /// The `s` flag: `.` matches line ends too.
    dot_all: bool,
}

const NAME_START: &str = r":A-Z_a-z\x{C0}-\x{D6}\x{D8}-\x{F6}\x{F8}-\x{2FF}\x{370}-\x{37D}\x{37F}-\x{1FFF}\x{200C}-\x{200D}\x{2070}-\x{218F}\x{2C00}-\x{2FEF}\x{3001}-\x{D7FF}\x{F900}-\x{FDCF}\x{FDF0}-\x{FFFD}\x{10000}-\x{EFFFF}";
const NAME_EXTRA: &str = r"\-.0-9\x{B7}\x{300}-\x{36F}\x{203F}-\x{2040}";

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }

    fn regex(&mut self, out: &mut String, depth: usize) -> Result<(), String> {
        if depth > 100 {
            return Err("regular expression nested too deeply".into());
        }
        self.branch(out, depth)?;
        while self.peek() == Some('|') {
            self.pos += 1;
            out.push('|');
            self.branch(out, depth)?;
        }
        Ok(())
    }

    fn branch(&mut self, out: &mut String, depth: usize) -> Result<(), String> {
        while let Some(c) = self.peek() {
            if c == '|' || c == ')' {
                break;
            }
            self.piece(out, depth)?;
        }
        Ok(())
    }

    fn piece(&mut self, out: &mut String, depth: usize) -> Result<(), String> {
        let c = self.next().ok_or("unexpected end")?;
        match c {
            '(' if self.xpath && self.chars.get(self.pos..self.pos + 2) == Some(&['?', ':']) => {
                self.pos += 2;
                out.push_str("(?:");
                self.regex(out, depth + 1)?;
                if self.next() != Some(')') {
                    return Err("missing `)`".into());
                }
                out.push(')');
            }
            '(' if self.xpath => {
                out.push('(');
                self.regex(out, depth + 1)?;
                if self.next() != Some(')') {
                    return Err("missing `)`".into());
                }
                out.push(')');
            }
            '(' => {
                out.push_str("(?:");
                self.regex(out, depth + 1)?;
                if self.next() != Some(')') {
                    return Err("missing `)`".into());
                }
                out.push(')');
            }
            '[' => self.class(out)?,
            '\\' => self.escape(out, false)?,
            '.' if self.dot_all => out.push_str("(?s:.)"),
            '.' => out.push_str(r"[^\n\r]"),
            '^' | '$' if self.xpath => out.push(c),
            '^' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '?' | '*' | '+' | '{' => {
                return Err(format!("quantifier `{c}` with nothing to repeat"))
            }
            ']' | '}' => {
                out.push('\\');
                out.push(c);
            }
            other => push_literal(out, other),
        }
        self.quantifier(out)
    }

    fn quantifier(&mut self, out: &mut String) -> Result<(), String> {
        match self.peek() {
            Some(q @ ('?' | '*' | '+')) => {
                self.pos += 1;
                out.push(q);
            }
            Some('{') => {
                self.pos += 1;
                let mut body = String::new();
                loop {
                    match self.next() {
                        Some('}') => break,
                        Some(c) if c.is_ascii_digit() || c == ',' => body.push(c),
                        _ => return Err("malformed `{n,m}` quantifier".into()),
                    }
                }
                let valid = match body.split_once(',') {
                    Some((min, max)) => {
                        !min.is_empty()
                            && (max.is_empty()
                                || max.parse::<u64>().ok() >= min.parse::<u64>().ok())
                    }
                    None => !body.is_empty(),
                };
                if !valid {
                    return Err(format!("malformed quantifier `{{{body}}}`"));
                }
                let _ = write!(out, "{{{body}}}");
            }
            _ => return Ok(()),
        }
        if self.xpath && self.peek() == Some('?') {
            self.pos += 1;
            out.push('?');
        }
        if matches!(self.peek(), Some('?' | '*' | '+' | '{')) {
            return Err("a quantifier cannot follow a quantifier".into());
        }
        Ok(())
    }

    /// An escape after `\`; inside a class, multi-character escapes become nested classes.
    fn escape(&mut self, out: &mut String, in_class: bool) -> Result<(), String> {
        let c = self.next().ok_or("`\\` at the end")?;
        let class = |body: String, negated: bool| {
            if negated {
                format!("[^{body}]")
            } else {
                format!("[{body}]")
            }
        };
        let text = match c {
            'n' => r"\n".to_string(),
            'r' => r"\r".to_string(),
            't' => r"\t".to_string(),
            '\\' | '|' | '.' | '-' | '^' | '?' | '*' | '+' | '{' | '}' | '(' | ')' | '[' | ']' => {
                format!("\\{c}")
            }
            's' => class(r"\x20\t\n\r".into(), false),
            'S' => class(r"\x20\t\n\r".into(), true),
            'i' => class(NAME_START.into(), false),
            'I' => class(NAME_START.into(), true),
            'c' => class(format!("{NAME_START}{NAME_EXTRA}"), false),
            'C' => class(format!("{NAME_START}{NAME_EXTRA}"), true),
            'd' => r"\p{Nd}".to_string(),
            'D' => r"\P{Nd}".to_string(),
            'w' => r"[^\p{P}\p{Z}\p{C}]".to_string(),
            'W' => r"[\p{P}\p{Z}\p{C}]".to_string(),
            'p' | 'P' => {
                if self.next() != Some('{') {
                    return Err(format!("`\\{c}` needs `{{name}}`"));
                }
                let mut name = String::new();
                loop {
                    match self.next() {
                        Some('}') => break,
                        Some(ch) => name.push(ch),
                        None => return Err("unterminated `\\p{`".into()),
                    }
                }
                property(&name, c == 'P')?
            }
            '$' if self.xpath => r"\$".to_string(),
            '1'..='9' if self.xpath && !in_class => {
                return Err(format!("back-reference `\\{c}` is not supported"))
            }
            other => return Err(format!("unknown escape `\\{other}`")),
        };
        let _ = in_class;
        out.push_str(&text);
        Ok(())
    }

    /// A character class, from after `[` to after its `]`.
    fn class(&mut self, out: &mut String) -> Result<(), String> {
        let negated = if self.peek() == Some('^') {
            self.pos += 1;
            true
        } else {
            false
        };
        let mut body = String::new();
        let mut first = true;
        loop {
            let c = self.next().ok_or("unterminated `[`")?;
            match c {
                ']' if !first => break,
                '-' if self.peek() == Some('[') => {
                    // Subtraction: the rest is `[...]` then `]`.
                    self.pos += 1;
                    let mut subtracted = String::new();
                    self.class(&mut subtracted)?;
                    if self.next() != Some(']') {
                        return Err("a subtraction must end the class".into());
                    }
                    let base = if negated {
                        format!("[^{body}]")
                    } else {
                        format!("[{body}]")
                    };
                    let _ = write!(out, "[{base}--{subtracted}]");
                    return Ok(());
                }
                '\\' => {
                    let mut escaped = String::new();
                    self.escape(&mut escaped, true)?;
                    // A single-character escape may start a range.
                    if self.peek() == Some('-')
                        && self
                            .chars
                            .get(self.pos + 1)
                            .is_some_and(|n| *n != '[' && *n != ']')
                        && escaped.chars().count() == 2
                    {
                        self.pos += 1;
                        let end = self.range_end()?;
                        let _ = write!(body, "{escaped}-{end}");
                    } else {
                        body.push_str(&escaped);
                    }
                }
                '[' => return Err("`[` must be escaped inside a class".into()),
                other => {
                    if self.peek() == Some('-')
                        && self
                            .chars
                            .get(self.pos + 1)
                            .is_some_and(|n| *n != ']' && *n != '[')
                    {
                        self.pos += 1;
                        let end = self.range_end()?;
                        let start = class_char(other);
                        if other as u32 > end_value(&end) {
                            return Err(format!("range `{other}-…` is out of order"));
                        }
                        let _ = write!(body, "{start}-{end}");
                    } else {
                        body.push_str(&class_char(other));
                    }
                }
            }
            first = false;
        }
        if body.is_empty() {
            return Err("empty character class".into());
        }
        if negated {
            let _ = write!(out, "[^{body}]");
        } else {
            let _ = write!(out, "[{body}]");
        }
        Ok(())
    }

    fn range_end(&mut self) -> Result<String, String> {
        match self.next() {
            Some('\\') => {
                let c = self.next().ok_or("`\\` at the end")?;
                match c {
                    'n' => Ok(r"\n".into()),
                    'r' => Ok(r"\r".into()),
                    't' => Ok(r"\t".into()),
                    '\\' | '|' | '.' | '-' | '^' | '?' | '*' | '+' | '{' | '}' | '(' | ')'
                    | '[' | ']' => Ok(format!("\\{c}")),
                    _ => Err(format!("`\\{c}` cannot end a range")),
                }
            }
            Some(c) => Ok(class_char(c)),
            None => Err("unterminated range".into()),
        }
    }
}

fn end_value(escaped: &str) -> u32 {
    let mut chars = escaped.chars();
    match (chars.next(), chars.next()) {
        (Some('\\'), Some('n')) => 10,
        (Some('\\'), Some('r')) => 13,
        (Some('\\'), Some('t')) => 9,
        (Some('\\'), Some(c)) => c as u32,
        (Some(c), _) => c as u32,
        _ => 0,
    }
}

/// A character as it may stand inside a `regex` class.
fn class_char(c: char) -> String {
    if c.is_ascii_punctuation() || c.is_whitespace() {
        format!("\\x{{{:X}}}", c as u32)
    } else {
        c.to_string()
    }
}

fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() {
        out.push('\\');
    }
    out.push(c);
}

/// `\p{…}`: a general category (`L`, `Lu`, …) or a block (`IsBasicLatin`).
fn property(name: &str, negated: bool) -> Result<String, String> {
    let p = if negated { 'P' } else { 'p' };
    const CATEGORIES: &[&str] = &[
        "L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc",
        "Pd", "Ps", "Pe", "Pi", "Pf", "Po", "Z", "Zs", "Zl", "Zp", "S", "Sm", "Sc", "Sk", "So",
        "C", "Cc", "Cf", "Co", "Cn",
    ];
    if CATEGORIES.contains(&name) {
        return Ok(format!("\\{p}{{{name}}}"));
    }
    if let Some(block) = name.strip_prefix("Is") {
        let ranges: Vec<&(&str, u32, u32)> =
            BLOCKS.iter().filter(|(n, _, _)| *n == block).collect();
        if ranges.is_empty() {
            return Err(format!("unknown Unicode block `{block}`"));
        }
        let mut body = String::new();
        for (_, from, to) in ranges {
            // Surrogates are no characters: a block of them matches nothing.
            let (from, to) = (*from, *to);
            if (0xD800..=0xDFFF).contains(&from) {
                continue;
            }
            let _ = write!(body, "\\x{{{from:X}}}-\\x{{{to:X}}}");
        }
        if body.is_empty() {
            return Ok(if negated {
                r"[\x{0}-\x{10FFFF}]".into()
            } else {
                r"[^\x{0}-\x{10FFFF}]".into()
            });
        }
        return Ok(if negated {
            format!("[^{body}]")
        } else {
            format!("[{body}]")
        });
    }
    Err(format!("unknown character property `{name}`"))
}

/// The Unicode blocks XML Schema 1.0 names (Unicode 3.1).
const BLOCKS: &[(&str, u32, u32)] = &[
    ("BasicLatin", 0x0000, 0x007F),
    ("Latin-1Supplement", 0x0080, 0x00FF),
    ("LatinExtended-A", 0x0100, 0x017F),
    ("LatinExtended-B", 0x0180, 0x024F),
    ("IPAExtensions", 0x0250, 0x02AF),
    ("SpacingModifierLetters", 0x02B0, 0x02FF),
    ("CombiningDiacriticalMarks", 0x0300, 0x036F),
    ("Greek", 0x0370, 0x03FF),
    ("Cyrillic", 0x0400, 0x04FF),
    ("Armenian", 0x0530, 0x058F),
    ("Hebrew", 0x0590, 0x05FF),
    ("Arabic", 0x0600, 0x06FF),
    ("Syriac", 0x0700, 0x074F),
    ("Thaana", 0x0780, 0x07BF),
    ("Devanagari", 0x0900, 0x097F),
    ("Bengali", 0x0980, 0x09FF),
    ("Gurmukhi", 0x0A00, 0x0A7F),
    ("Gujarati", 0x0A80, 0x0AFF),
    ("Oriya", 0x0B00, 0x0B7F),
    ("Tamil", 0x0B80, 0x0BFF),
    ("Telugu", 0x0C00, 0x0C7F),
    ("Kannada", 0x0C80, 0x0CFF),
    ("Malayalam", 0x0D00, 0x0D7F),
    ("Sinhala", 0x0D80, 0x0DFF),
    ("Thai", 0x0E00, 0x0E7F),
    ("Lao", 0x0E80, 0x0EFF),
    ("Tibetan", 0x0F00, 0x0FFF),
    ("Myanmar", 0x1000, 0x109F),
    ("Georgian", 0x10A0, 0x10FF),
    ("HangulJamo", 0x1100, 0x11FF),
    ("Ethiopic", 0x1200, 0x137F),
    ("Cherokee", 0x13A0, 0x13FF),
    ("UnifiedCanadianAboriginalSyllabics", 0x1400, 0x167F),
    ("Ogham", 0x1680, 0x169F),
    ("Runic", 0x16A0, 0x16FF),
    ("Khmer", 0x1780, 0x17FF),
    ("Mongolian", 0x1800, 0x18AF),
    ("LatinExtendedAdditional", 0x1E00, 0x1EFF),
    ("GreekExtended", 0x1F00, 0x1FFF),
    ("GeneralPunctuation", 0x2000, 0x206F),
    ("SuperscriptsandSubscripts", 0x2070, 0x209F),
    ("CurrencySymbols", 0x20A0, 0x20CF),
    ("CombiningMarksforSymbols", 0x20D0, 0x20FF),
    ("LetterlikeSymbols", 0x2100, 0x214F),
    ("NumberForms", 0x2150, 0x218F),
    ("Arrows", 0x2190, 0x21FF),
    ("MathematicalOperators", 0x2200, 0x22FF),
    ("MiscellaneousTechnical", 0x2300, 0x23FF),
    ("ControlPictures", 0x2400, 0x243F),
    ("OpticalCharacterRecognition", 0x2440, 0x245F),
    ("EnclosedAlphanumerics", 0x2460, 0x24FF),
    ("BoxDrawing", 0x2500, 0x257F),
    ("BlockElements", 0x2580, 0x259F),
    ("GeometricShapes", 0x25A0, 0x25FF),
    ("MiscellaneousSymbols", 0x2600, 0x26FF),
    ("Dingbats", 0x2700, 0x27BF),
    ("BraillePatterns", 0x2800, 0x28FF),
    ("CJKRadicalsSupplement", 0x2E80, 0x2EFF),
    ("KangxiRadicals", 0x2F00, 0x2FDF),
    ("IdeographicDescriptionCharacters", 0x2FF0, 0x2FFF),
    ("CJKSymbolsandPunctuation", 0x3000, 0x303F),
    ("Hiragana", 0x3040, 0x309F),
    ("Katakana", 0x30A0, 0x30FF),
    ("Bopomofo", 0x3100, 0x312F),
    ("HangulCompatibilityJamo", 0x3130, 0x318F),
    ("Kanbun", 0x3190, 0x319F),
    ("BopomofoExtended", 0x31A0, 0x31BF),
    ("EnclosedCJKLettersandMonths", 0x3200, 0x32FF),
    ("CJKCompatibility", 0x3300, 0x33FF),
    ("CJKUnifiedIdeographsExtensionA", 0x3400, 0x4DB5),
    ("CJKUnifiedIdeographs", 0x4E00, 0x9FFF),
    ("YiSyllables", 0xA000, 0xA48F),
    ("YiRadicals", 0xA490, 0xA4CF),
    ("HangulSyllables", 0xAC00, 0xD7A3),
    ("HighSurrogates", 0xD800, 0xDB7F),
    ("HighPrivateUseSurrogates", 0xDB80, 0xDBFF),
    ("LowSurrogates", 0xDC00, 0xDFFF),
    ("PrivateUse", 0xE000, 0xF8FF),
    ("PrivateUse", 0xF0000, 0x10FFFF),
    ("CJKCompatibilityIdeographs", 0xF900, 0xFAFF),
    ("AlphabeticPresentationForms", 0xFB00, 0xFB4F),
    ("ArabicPresentationForms-A", 0xFB50, 0xFDFF),
    ("CombiningHalfMarks", 0xFE20, 0xFE2F),
    ("CJKCompatibilityForms", 0xFE30, 0xFE4F),
    ("SmallFormVariants", 0xFE50, 0xFE6F),
    ("ArabicPresentationForms-B", 0xFE70, 0xFEFE),
    ("Specials", 0xFEFF, 0xFEFF),
    ("Specials", 0xFFF0, 0xFFFD),
    ("HalfwidthandFullwidthForms", 0xFF00, 0xFFEF),
    ("OldItalic", 0x10300, 0x1032F),
    ("Gothic", 0x10330, 0x1034F),
    ("Deseret", 0x10400, 0x1044F),
    ("ByzantineMusicalSymbols", 0x1D000, 0x1D0FF),
    ("MusicalSymbols", 0x1D100, 0x1D1FF),
    ("MathematicalAlphanumericSymbols", 0x1D400, 0x1D7FF),
    ("CJKUnifiedIdeographsExtensionB", 0x20000, 0x2A6D6),
    ("CJKCompatibilityIdeographsSupplement", 0x2F800, 0x2FA1F),
    ("Tags", 0xE0000, 0xE007F),
];

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn matches(xsd: &str, s: &str) -> bool {
        Regex::new(&translate_xsd_regex(xsd).unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn whole_value_and_literal_anchors() {
        assert!(matches("a+", "aaa"));
        assert!(!matches("a+", "baaa"));
        assert!(matches("^a$", "^a$"));
        assert!(matches("a|b", "b") && !matches("a|b", "ab"));
    }

    #[test]
    fn xsd_escapes() {
        assert!(matches(r"\i\c*", "xml:id-1"));
        assert!(!matches(r"\i\c*", "1abc"));
        assert!(matches(r"\S+", "a\u{a0}b"), "NBSP is not XSD whitespace");
        assert!(!matches(r"\S+", "a b"));
        assert!(matches(r"\p{IsBasicLatin}+", "abc") && !matches(r"\p{IsBasicLatin}+", "é"));
        assert!(matches(r"[^\p{C}\p{Z}]+", "ab-c") && !matches(r"[^\p{C}\p{Z}]+", "a b"));
        assert!(matches(r".", "é") && !matches(r".", "\n"));
        assert!(matches(r"[\d]+(\.[\d]+){0,2}", "1.2.3"));
        assert!(matches(r"[0-9.,DHMPRSTWYZ/:+\-]+", "P1Y2M"));
        assert!(matches(r"[\-+]?\d+(\.\d+)?(%|cm|mm)", "-1.5cm"));
    }

    #[test]
    fn class_subtraction() {
        assert!(matches("[a-z-[aeiou]]", "b"));
        assert!(!matches("[a-z-[aeiou]]", "a"));
    }

    #[test]
    fn errors() {
        assert!(translate_xsd_regex("(a").is_err());
        assert!(translate_xsd_regex("*a").is_err());
        assert!(translate_xsd_regex(r"\p{IsNoSuchBlock}").is_err());
        assert!(translate_xsd_regex("[z-a]").is_err());
        assert!(translate_xsd_regex(r"\q").is_err());
    }

    fn xpath_matches(pattern: &str, flags: &str, s: &str) -> bool {
        Regex::new(&translate_xpath_regex(pattern, flags).unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn xpath_dialect() {
        assert!(xpath_matches("a+", "", "baaa"), "unanchored");
        assert!(!xpath_matches("^a+$", "", "baaa"));
        assert!(xpath_matches("^b$", "m", "a\nb\nc"));
        assert!(xpath_matches("A.B", "is", "a\nb"));
        assert!(!xpath_matches("a.b", "", "a\nb"));
        assert!(xpath_matches("a b", "x", "ab"));
        assert!(xpath_matches("[a b]", "x", " "), "x keeps class whitespace");
        assert!(xpath_matches("a.b", "q", "a.b") && !xpath_matches("a.b", "q", "axb"));
        assert!(xpath_matches(r"(?:ab)+\$", "", "abab$"));
        let r = Regex::new(&translate_xpath_regex("(a+?)(b)", "").unwrap()).unwrap();
        assert_eq!(&r.captures("aab").unwrap()[1], "aa");
        assert!(translate_xpath_regex(r"(a)\1", "").is_err());
        assert!(translate_xpath_regex("a", "z").is_err());
    }
}
