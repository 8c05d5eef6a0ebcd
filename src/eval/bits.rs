//! A small bit set over dense indexes (interned groups, roles, locations).

/// Bits over `0..len`; reading past the end is `false`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub fn with_len(len: usize) -> Self {
        Bits {
            words: vec![0; len.div_ceil(64)],
        }
    }

    pub fn set(&mut self, i: usize) {
        let w = i / 64;
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << (i % 64);
    }

    pub fn get(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn set_and_get() {
        let mut b = Bits::with_len(3);
        b.set(2);
        b.set(130);
        assert!(b.get(2) && b.get(130));
        assert!(!b.get(1) && !b.get(1000));
    }
}
