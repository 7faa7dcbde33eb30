//! Path patterns as a project configuration writes them: `tei/**/*.xml`, `registers/*.xml`,
//! `d?.xml`.
//!
//! A pattern is matched against a path relative to the project root, with `/` between its
//! parts: `*` stands for any characters within one part, `?` for one character, and `**` as a
//! whole part for any number of parts (none included). A pattern without `/` is matched against
//! the file name alone, wherever the file is (as `.gitignore` does): `*.xml`, `d59.xml`.

use std::path::Path;

/// A compiled path pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    pattern: String,
    parts: Vec<String>,
    name_only: bool,
}

impl Glob {
    /// The pattern `pattern` (leading `./` and `/` ignored).
    ///
    /// ```
    /// use teikit::base::glob::Glob;
    /// use std::path::Path;
    /// let glob = Glob::new("tei/**/*.xml");
    /// assert!(glob.matches(Path::new("tei/frus1969-76v10/d59.xml")));
    /// assert!(glob.matches(Path::new("tei/d1.xml")));
    /// assert!(!glob.matches(Path::new("sources/d1.xml")));
    /// assert!(Glob::new("d?.xml").matches(Path::new("tei/v10/d5.xml")));
    /// ```
    pub fn new(pattern: &str) -> Self {
        let trimmed = pattern.trim_start_matches("./").trim_start_matches('/');
        Glob {
            pattern: pattern.to_string(),
            parts: trimmed.split('/').map(str::to_string).collect(),
            name_only: !trimmed.contains('/'),
        }
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the pattern has wildcards (otherwise it names one path).
    pub fn has_wildcards(&self) -> bool {
        self.pattern.contains(['*', '?'])
    }

    /// Whether `relative` (a path relative to the project root) matches.
    pub fn matches(&self, relative: &Path) -> bool {
        let parts: Vec<String> = relative
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if self.name_only {
            return parts
                .last()
                .is_some_and(|name| part_matches(&self.parts[0], name));
        }
        parts_match(&self.parts, &parts)
    }
}

fn parts_match(pattern: &[String], path: &[String]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((first, rest)) if first == "**" => {
            (0..=path.len()).any(|skip| parts_match(rest, &path[skip..]))
        }
        Some((first, rest)) => match path.split_first() {
            Some((name, path_rest)) => part_matches(first, name) && parts_match(rest, path_rest),
            None => false,
        },
    }
}

/// Whether one part of a path matches one part of a pattern (`*` and `?`).
fn part_matches(pattern: &str, name: &str) -> bool {
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    // The classic two-pointer match with backtracking to the last `*`.
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || c == name[n] => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((star_p, star_n)) => {
                    p = star_p + 1;
                    n = star_n + 1;
                    star = Some((star_p, star_n + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_names_and_double_stars() {
        let yes = |g: &str, p: &str| assert!(Glob::new(g).matches(Path::new(p)), "{g} {p}");
        let no = |g: &str, p: &str| assert!(!Glob::new(g).matches(Path::new(p)), "{g} {p}");
        yes("*.xml", "a/b/c.xml");
        no("*.xml", "a/b/c.xmlx");
        yes("tei/*.xml", "tei/d1.xml");
        no("tei/*.xml", "tei/v10/d1.xml");
        yes("tei/**", "tei/v10/d1.xml");
        yes("**/registers/*.xml", "registers/persons.xml");
        yes("**/registers/*.xml", "a/b/registers/persons.xml");
        yes("./early/**/*.xml", "early/x/y/z.xml");
        yes("d*5*.xml", "d1959.xml");
        no("d*5*.xml", "d1999.xml");
        yes("d?.xml", "d5.xml");
        no("d?.xml", "d55.xml");
        assert!(Glob::new("tei/**").has_wildcards());
        assert!(!Glob::new("tei/d1.xml").has_wildcards());
    }
}
