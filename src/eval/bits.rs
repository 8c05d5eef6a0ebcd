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

/// A fixed 256-bit set for location membership: `Copy`, so stand-in requests for missing
/// signals cost no allocation. The platform allows at most 195 named locations (§3); a location
/// past the 256th is never "known", so conditions on it are undecidable (fail closed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct LocBits(pub [u64; 4]);

impl LocBits {
    pub const CAPACITY: usize = 256;

    pub fn set(&mut self, i: usize) {
        if i < Self::CAPACITY {
            self.0[i / 64] |= 1 << (i % 64);
        }
    }

    pub fn get(&self, i: usize) -> bool {
        i < Self::CAPACITY && self.0[i / 64] & (1 << (i % 64)) != 0
    }

    /// `self` outside `mask`, `other` inside it.
    pub fn replace(self, mask: LocBits, other: LocBits) -> LocBits {
        let mut out = [0u64; 4];
        for (i, w) in out.iter_mut().enumerate() {
            *w = (self.0[i] & !mask.0[i]) | (other.0[i] & mask.0[i]);
        }
        LocBits(out)
    }
}
