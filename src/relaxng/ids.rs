//! The IDs of a document, held compactly: the one thing a streaming validation keeps that grows
//! with the document.
//!
//! A `HashMap<String, usize>` costs about a hundred bytes an ID (the string's own allocation,
//! its header, the table's slot): 250 MB for the 2.4 million IDs of a 1 GB document. Here the
//! IDs are written one after another into one string, each entry says where its ID lies and
//! where it was defined, and an open-addressing table of entry numbers finds them: about 40
//! bytes an ID, the ID's own characters included.

use rustc_hash::FxBuildHasher;
use std::hash::BuildHasher;

/// IDs and the offsets where they were defined.
#[derive(Default)]
pub(super) struct IdTable {
    /// Every ID, one after another.
    text: String,
    entries: Vec<Entry>,
    /// Entry number + 1 for each slot (0: empty); the length is a power of two, at least twice
    /// the number of entries.
    slots: Vec<u32>,
}

struct Entry {
    start: usize,
    len: u32,
    defined_at: usize,
}

impl IdTable {
    /// Records `id`, defined at `offset`; if it was defined before, the earlier offset instead.
    pub(super) fn insert(&mut self, id: &str, offset: usize) -> Option<usize> {
        // An ID too long for an entry (4 GiB) would be no ID; it is skipped, not stored.
        let len = u32::try_from(id.len()).ok()?;
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let slot = match self.probe(id) {
            Ok(entry) => return Some(self.entries[entry].defined_at),
            Err(slot) => slot,
        };
        let number = u32::try_from(self.entries.len() + 1).ok()?;
        self.entries.push(Entry {
            start: self.text.len(),
            len,
            defined_at: offset,
        });
        self.text.push_str(id);
        self.slots[slot] = number;
        None
    }

    /// Whether `id` has been recorded.
    pub(super) fn contains(&self, id: &str) -> bool {
        !self.slots.is_empty() && self.probe(id).is_ok()
    }

    fn id_of(&self, entry: &Entry) -> &str {
        &self.text[entry.start..entry.start + entry.len as usize]
    }

    /// The entry holding `id`, or the empty slot where it would go (the table must have
    /// slots, and an empty one).
    fn probe(&self, id: &str) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut slot = FxBuildHasher.hash_one(id) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return Err(slot),
                number => {
                    let entry = number as usize - 1;
                    if self.id_of(&self.entries[entry]) == id {
                        return Ok(entry);
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(64);
        self.slots = vec![0; size];
        for k in 0..self.entries.len() {
            // Each ID is stored once, so each finds an empty slot.
            if let Err(slot) = self.probe(self.id_of(&self.entries[k])) {
                self.slots[slot] = k as u32 + 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IdTable;

    #[test]
    fn finds_every_id_and_the_first_definition_of_each() {
        let mut ids = IdTable::default();
        for k in 0..10_000 {
            assert_eq!(ids.insert(&format!("id{k}"), k), None);
        }
        for k in 0..10_000 {
            assert!(ids.contains(&format!("id{k}")));
            assert_eq!(ids.insert(&format!("id{k}"), 99_999), Some(k));
        }
        assert!(!ids.contains("id10000"));
        assert!(!ids.contains(""));
        assert_eq!(ids.insert("", 7), None);
        assert!(ids.contains(""));
    }
}
