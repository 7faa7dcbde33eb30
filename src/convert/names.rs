//! The forms in which a text names a person, derived from the register entry's own name.
//!
//! FRUS lists persons surname first, with what the entry itself knows of other spellings in
//! parentheses: `Kissinger, Henry A.`, `Johnson, U. Alexis`, `Eliot, Theodore L., Jr.`,
//! `Hartman, Arthur A. (Art)`, `Mao Tse-tung (Mao Zedong)`. From that alone a reader knows the
//! text may say `Kissinger`, `Henry A. Kissinger`, `Henry Kissinger`, `Art Hartman` or `Mao
//! Zedong`, so an editor lists forms only for what cannot be derived. Cables drop accents, so a
//! form with accents is also looked for without them (`Monzón` → `Monzon`).

/// Titles that may open the given-name part of an entry (`Monzón, Colonel Elfego`): they are
/// not part of the name a text writes before the surname.
const TITLES: &[&str] = &[
    "Colonel",
    "Col.",
    "General",
    "Gen.",
    "Lieutenant",
    "Lt.",
    "Major",
    "Maj.",
    "Captain",
    "Capt.",
    "Admiral",
    "Adm.",
    "Ambassador",
    "Dr.",
    "Sir",
    "Lord",
    "Lady",
    "King",
    "Queen",
    "Prince",
    "Princess",
    "Sheikh",
    "Shah",
    "Father",
    "Bishop",
    "Archbishop",
    "Cardinal",
    "Mr.",
    "Mrs.",
    "Ms.",
    "Senator",
    "Judge",
    "Field",
    "Marshal",
    "Air",
    "Vice",
    "Rear",
    "Brigadier",
    "Major-General",
    "Lieutenant-General",
    "Sergeant",
    "Commodore",
    "Emperor",
    "Empress",
    "Pope",
    "Rabbi",
    "Reverend",
    "Rev.",
    "Msgr.",
    "Monsignor",
    "Crown",
];

/// The titles at the head of the given names of a surname-first entry: `General` in
/// `Sawaeng Senanarong, General`, `Field Marshal` in `Thanom Kittikachorn, Field Marshal`.
pub fn leading_title(name: &str) -> Option<String> {
    let (bare, _) = split_parentheses(name);
    let (_, given) = bare.split_once(',')?;
    let words: Vec<&str> = given
        .split_whitespace()
        .take_while(|w| TITLES.contains(w))
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The commonest Vietnamese family names, as FRUS spells them (without diacritics).
const VIETNAMESE_FAMILY_NAMES: &[&str] = &[
    "Nguyen", "Tran", "Le", "Pham", "Hoang", "Huynh", "Phan", "Vu", "Vo", "Dang", "Bui", "Do",
    "Ho", "Ngo", "Duong", "Ly", "Truong", "Dinh", "Doan", "Lam", "Mai", "Ton", "Cao", "Thich",
];

/// Suffixes written after the name: `Eliot, Theodore L., Jr.` → `Theodore L. Eliot, Jr.`.
const SUFFIXES: &[&str] = &["Jr.", "Sr.", "II", "III", "IV"];

/// The forms a text may use for the person registered as `name`, the surname alone first.
///
/// ```
/// use teikit::convert::names::derived_forms;
/// assert_eq!(
///     derived_forms("Kissinger, Henry A."),
///     ["Kissinger", "Henry A. Kissinger", "Henry Kissinger", "H. A. Kissinger", "H. Kissinger"]
/// );
/// assert_eq!(derived_forms("Mao Tse-tung (Mao Zedong)"), ["Mao Tse-tung", "Mao Zedong"]);
/// assert_eq!(
///     derived_forms("Hartman, Arthur A. (Art)"),
///     ["Hartman", "Arthur A. Hartman", "Arthur Hartman", "A. A. Hartman", "A. Hartman", "Art Hartman"]
/// );
/// ```
pub fn derived_forms(name: &str) -> Vec<String> {
    let (bare, variants) = split_parentheses(name);
    let mut forms: Vec<String> = Vec::new();
    let mut push = |form: String| {
        let form = form.trim().to_string();
        if !form.is_empty() && !forms.contains(&form) {
            forms.push(form);
        }
    };
    let Some((surname, rest)) = bare.split_once(',') else {
        push(bare.to_string());
        // Vietnamese names are written family name first, and a person is referred to by the
        // last, personal name: "Ngo Dinh Diem" is "Diem", "Le Duc Tho" is "Tho".
        let words: Vec<&str> = bare.split_whitespace().collect();
        if words.len() >= 3 && VIETNAMESE_FAMILY_NAMES.contains(&words[0]) {
            push(words[words.len() - 1].to_string());
        }
        for variant in variants {
            push(variant);
        }
        return forms;
    };
    let surname = surname.trim();
    let mut parts: Vec<&str> = rest.split(',').map(str::trim).collect();
    let suffix = parts
        .iter()
        .position(|p| SUFFIXES.contains(p))
        .map(|i| parts.remove(i));
    let given = parts.join(" ");
    let given_words: Vec<&str> = given
        .split_whitespace()
        .skip_while(|w| TITLES.contains(w))
        .collect();
    push(surname.to_string());
    if !given_words.is_empty() {
        let full = format!("{} {surname}", given_words.join(" "));
        push(full.clone());
        // A suffix as printed after the name: "John A. Doe, Jr."; a generation number also
        // without the comma: "Richard Roe III".
        if let Some(suffix) = suffix {
            push(format!("{full}, {suffix}"));
            if suffix.chars().all(|c| c.is_ascii_uppercase()) {
                push(format!("{full} {suffix}"));
            }
        }
        // The later given names as initials: "John Herbert" → "John H.".
        if given_words.len() > 1
            && !is_initial(given_words[0])
            && given_words[1..].iter().any(|w| !is_initial(w))
        {
            let initials: Vec<String> = given_words[1..]
                .iter()
                .filter_map(|w| w.chars().next().map(|c| format!("{c}.")))
                .collect();
            push(format!(
                "{} {} {surname}",
                given_words[0],
                initials.join(" ")
            ));
        }
        // The first given name that is no initial: "Henry A." → "Henry", "U. Alexis" → "Alexis".
        if let Some(first) = given_words.iter().find(|w| !is_initial(w)) {
            push(format!("{first} {surname}"));
        }
        // All the given names as initials: "John A." → "J. A. Doe", and the first alone, "J. Doe"
        // (names of one letter or honorifics such as the Burmese "U" are no given names to
        // abbreviate).
        let abbreviable = given_words
            .iter()
            .any(|w| !is_initial(w) && w.chars().count() > 2);
        if abbreviable {
            let initials: Vec<String> = given_words
                .iter()
                .filter_map(|w| {
                    w.chars()
                        .next()
                        .filter(|c| c.is_uppercase())
                        .map(|c| format!("{c}."))
                })
                .collect();
            if initials.len() > 1 {
                push(format!("{} {surname}", initials.join(" ")));
            }
            if let Some(first) = initials.first() {
                push(format!("{first} {surname}"));
            }
        }
    }
    for variant in variants {
        // A single word is a nickname used with the surname ("Art"); more is another spelling.
        if variant.split_whitespace().count() == 1 && bare.contains(',') {
            push(format!("{variant} {surname}"));
        } else {
            push(variant);
        }
    }
    forms
}

fn is_initial(word: &str) -> bool {
    word.ends_with('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 2
}

/// `name` without its parenthesised parts, and those parts.
fn split_parentheses(name: &str) -> (String, Vec<String>) {
    let mut bare = String::new();
    let mut variants = Vec::new();
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let Some(close) = rest[open..].find(')') else {
            break;
        };
        bare.push_str(&rest[..open]);
        variants.push(rest[open + 1..open + close].trim().to_string());
        rest = &rest[open + close + 1..];
    }
    bare.push_str(rest);
    let bare = bare.split_whitespace().collect::<Vec<_>>().join(" ");
    (bare.replace(" ,", ","), variants)
}

/// `text` with the accents of Latin letters removed, or `None` where it has none.
///
/// ```
/// use teikit::convert::names::fold_diacritics;
/// assert_eq!(fold_diacritics("Monzón").as_deref(), Some("Monzon"));
/// assert_eq!(fold_diacritics("Arbenz Guzmán").as_deref(), Some("Arbenz Guzman"));
/// assert_eq!(fold_diacritics("Nixon"), None);
/// ```
pub fn fold_diacritics(text: &str) -> Option<String> {
    const FROM: &str =
        "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿŠšŽžČčĆćŁłŃńŚśŹźŻżĞğİıŞşŘřĚěŮů";
    const TO: &str =
        "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyySsZzCcCcLlNnSsZzZzGgIiSsRrEeUu";
    let mut changed = false;
    let folded: String = text
        .chars()
        .map(|c| match FROM.chars().position(|f| f == c) {
            Some(i) => {
                changed = true;
                TO.chars().nth(i).unwrap_or(c)
            }
            None => c,
        })
        .collect();
    changed.then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surname_first_entries() {
        assert_eq!(
            derived_forms("Johnson, U. Alexis"),
            [
                "Johnson",
                "U. Alexis Johnson",
                "Alexis Johnson",
                "U. A. Johnson",
                "U. Johnson"
            ]
        );
        assert_eq!(
            derived_forms("Eliot, Theodore L., Jr."),
            [
                "Eliot",
                "Theodore L. Eliot",
                "Theodore L. Eliot, Jr.",
                "Theodore Eliot",
                "T. L. Eliot",
                "T. Eliot"
            ]
        );
        assert_eq!(
            derived_forms("Monzón, Colonel Elfego"),
            ["Monzón", "Elfego Monzón", "E. Monzón"]
        );
        assert_eq!(
            derived_forms("Thanom Kittikachorn, Field Marshal"),
            ["Thanom Kittikachorn"]
        );
        assert_eq!(
            leading_title("Thanom Kittikachorn, Field Marshal").as_deref(),
            Some("Field Marshal")
        );
        assert_eq!(leading_title("Kissinger, Henry A."), None);
        assert_eq!(
            derived_forms("Bundy, McGeorge"),
            ["Bundy", "McGeorge Bundy", "M. Bundy"]
        );
        assert_eq!(
            derived_forms("Holdridge, John Herbert"),
            [
                "Holdridge",
                "John Herbert Holdridge",
                "John H. Holdridge",
                "John Holdridge",
                "J. H. Holdridge",
                "J. Holdridge"
            ]
        );
    }

    #[test]
    fn suffixes_generations_and_honorifics() {
        assert_eq!(
            derived_forms("Doe, John A., Jr."),
            [
                "Doe",
                "John A. Doe",
                "John A. Doe, Jr.",
                "John Doe",
                "J. A. Doe",
                "J. Doe"
            ]
        );
        let roe = derived_forms("Roe, Richard, III");
        assert!(
            roe.contains(&"Richard Roe III".to_string())
                && roe.contains(&"Richard Roe, III".to_string()),
            "{roe:?}"
        );
        // A Burmese honorific after the comma: "U Tun", and no initial made of it.
        assert_eq!(derived_forms("Tun, U"), ["Tun", "U Tun"]);
    }

    #[test]
    fn entries_in_the_order_of_the_language_keep_their_form() {
        assert_eq!(
            derived_forms("Kim Il Sung (Kim Il-sung)"),
            ["Kim Il Sung", "Kim Il-sung"]
        );
        assert_eq!(
            derived_forms("Nguyen Dinh Thuan"),
            ["Nguyen Dinh Thuan", "Thuan"]
        );
        assert_eq!(derived_forms("Le Duc Tho"), ["Le Duc Tho", "Tho"]);
        assert_eq!(
            derived_forms("Arbenz Guzmán, Jacobo"),
            ["Arbenz Guzmán", "Jacobo Arbenz Guzmán", "J. Arbenz Guzmán"]
        );
    }
}
