//! Page numbers as a printed volume has them: arabic for the text, roman for front matter.

/// A page number as printed: arabic ("287") or roman ("XXIII").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageNumber {
    /// As printed.
    pub label: String,
    /// Its value, for ordering.
    pub value: u32,
    /// Whether it is a roman numeral (front matter).
    pub roman: bool,
}

impl PageNumber {
    /// Parses "287" or "xxiii"/"XXIII".
    ///
    /// ```
    /// use teikit::base::pages::PageNumber;
    /// assert_eq!(PageNumber::parse("287").unwrap().value, 287);
    /// assert_eq!(PageNumber::parse("XIV").unwrap().value, 14);
    /// assert!(PageNumber::parse("28a").is_none());
    /// ```
    pub fn parse(label: &str) -> Option<Self> {
        if let Ok(value) = label.parse::<u32>() {
            return Some(PageNumber {
                label: label.to_string(),
                value,
                roman: false,
            });
        }
        roman_value(label).map(|value| PageNumber {
            label: label.to_string(),
            value,
            roman: true,
        })
    }

    /// The page before this one, for documents that begin on the page before their first marker.
    pub fn previous(&self) -> Option<PageNumber> {
        if self.roman || self.value <= 1 {
            return None;
        }
        let value = self.value - 1;
        Some(PageNumber {
            label: value.to_string(),
            value,
            roman: false,
        })
    }
}

fn roman_value(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 15 {
        return None;
    }
    let digit = |c: char| match c.to_ascii_uppercase() {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Option<Vec<u32>> = s.chars().map(digit).collect();
    let values = values?;
    let mut total = 0;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= *v as i64;
        } else {
            total += *v as i64;
        }
    }
    u32::try_from(total).ok().filter(|v| *v > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_numbers() {
        assert_eq!(PageNumber::parse("XXIII").unwrap().value, 23);
        assert_eq!(PageNumber::parse("iv").unwrap().value, 4);
        assert_eq!(
            PageNumber::parse("287").unwrap().previous().unwrap().label,
            "286"
        );
    }
}
