//! Which characters XML allows (XML 1.0, fifth edition, §2.2) and which make its names (§2.3),
//! shared by the converter, the scanner, the RELAX NG reader and the XSD name datatypes.

/// Whether XML allows `c` in a document: not a C0 control other than tab, line feed and
/// carriage return, nor U+FFFE or U+FFFF (surrogates cannot occur in a `char`).
///
/// ```
/// use teikit::xml::chars::is_xml_char;
/// assert!(is_xml_char('\t') && is_xml_char('é') && is_xml_char('\u{FFFD}'));
/// assert!(!is_xml_char('\0') && !is_xml_char('\u{FFFE}'));
/// ```
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Whether `c` may start an XML name (`NameStartChar`).
///
/// ```
/// use teikit::xml::chars::is_name_start;
/// assert!(is_name_start('é') && is_name_start(':') && !is_name_start('-'));
/// ```
pub fn is_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// Whether `c` may continue an XML name (`NameChar`).
///
/// ```
/// use teikit::xml::chars::is_name_char;
/// assert!(is_name_char('-') && is_name_char('·') && !is_name_char(' '));
/// ```
pub fn is_name_char(c: char) -> bool {
    is_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

/// Whether `s` is an XML name without colons, an NCName: what an `xml:id` must be.
///
/// ```
/// use teikit::xml::chars::is_ncname;
/// assert!(is_ncname("p_KHA_1") && is_ncname("d59fn1"));
/// assert!(!is_ncname("1abc") && !is_ncname("a:b") && !is_ncname(""));
/// ```
pub fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c != ':' && is_name_start(c))
        && chars.all(|c| c != ':' && is_name_char(c))
}
