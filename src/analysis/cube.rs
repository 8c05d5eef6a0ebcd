//! A cube: a set of requests that is a product of class sets, one per dimension. Stored as one
//! bit vector (each dimension owns a run of words), so copying a cube is one allocation.

use super::space::{DimId, Point, Space};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cube {
    words: Vec<u64>,
}

impl Cube {
    /// Every request.
    pub fn full(space: &Space) -> Cube {
        let mut words = vec![0u64; space.words];
        for d in &space.dims {
            let n = d.classes.len();
            for (i, w) in words[d.word..d.word + d.words].iter_mut().enumerate() {
                let lo = i * 64;
                let count = n.saturating_sub(lo).min(64);
                *w = if count == 64 {
                    u64::MAX
                } else {
                    (1u64 << count) - 1
                };
            }
        }
        Cube { words }
    }

    fn span<'a>(&'a self, space: &Space, d: DimId) -> &'a [u64] {
        let dim = &space.dims[d];
        &self.words[dim.word..dim.word + dim.words]
    }

    fn span_mut<'a>(&'a mut self, space: &Space, d: DimId) -> &'a mut [u64] {
        let dim = &space.dims[d];
        &mut self.words[dim.word..dim.word + dim.words]
    }

    pub fn contains(&self, space: &Space, d: DimId, class: usize) -> bool {
        self.span(space, d)
            .get(class / 64)
            .is_some_and(|w| w & (1 << (class % 64)) != 0)
    }

    pub fn count(&self, space: &Space, d: DimId) -> usize {
        self.span(space, d)
            .iter()
            .map(|w| w.count_ones() as usize)
            .sum()
    }

    pub fn is_single(&self, space: &Space, d: DimId) -> bool {
        self.count(space, d) == 1
    }

    /// Whether the cube holds every class of the dimension.
    pub fn is_all(&self, space: &Space, d: DimId) -> bool {
        self.count(space, d) == space.dims[d].classes.len()
    }

    pub fn is_empty(&self, space: &Space) -> bool {
        (0..space.dims.len()).any(|d| self.count(space, d) == 0)
    }

    /// The classes of a dimension, in order.
    pub fn classes<'a>(&'a self, space: &Space, d: DimId) -> impl Iterator<Item = usize> + 'a {
        let dim = &space.dims[d];
        let span = &self.words[dim.word..dim.word + dim.words];
        span.iter().enumerate().flat_map(|(i, w)| {
            let mut w = *w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(i * 64 + b)
            })
        })
    }

    pub fn first(&self, space: &Space, d: DimId) -> Option<usize> {
        self.classes(space, d).next()
    }

    /// Whether any class of the dimension is in `mask` (a bit per class, the dimension's own
    /// word layout).
    pub fn meets(&self, space: &Space, d: DimId, mask: &[u64]) -> bool {
        self.span(space, d)
            .iter()
            .zip(mask)
            .any(|(a, b)| a & b != 0)
    }

    /// The same cube with the dimension restricted to the given classes.
    pub fn with_classes(&self, space: &Space, d: DimId, classes: &[usize]) -> Cube {
        let mut c = self.clone();
        let span = c.span_mut(space, d);
        span.iter_mut().for_each(|w| *w = 0);
        for class in classes {
            if let Some(w) = span.get_mut(class / 64) {
                *w |= 1 << (class % 64);
            }
        }
        c
    }

    /// Keeps only the classes `keep` accepts.
    pub fn restrict(&mut self, space: &Space, d: DimId, keep: impl Fn(usize) -> bool) {
        let kept: Vec<usize> = self.classes(space, d).filter(|c| keep(*c)).collect();
        *self = self.with_classes(space, d, &kept);
    }

    pub fn intersect(&self, other: &Cube) -> Cube {
        Cube {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a & b)
                .collect(),
        }
    }

    /// `self` without the requests of `other`, as disjoint cubes: for each dimension in turn,
    /// the part outside `other` there and inside it on every earlier dimension.
    pub fn minus(&self, other: &Cube, space: &Space) -> Vec<Cube> {
        let both = self.intersect(other);
        if both.is_empty(space) {
            return vec![self.clone()];
        }
        let mut out = Vec::new();
        let mut prefix = self.clone();
        for dim in &space.dims {
            let mut piece = prefix.clone();
            let mut any = false;
            for i in dim.word..dim.word + dim.words {
                piece.words[i] = self.words[i] & !other.words[i];
                any |= piece.words[i] != 0;
            }
            if any {
                out.push(piece);
            }
            for i in dim.word..dim.word + dim.words {
                prefix.words[i] = both.words[i];
            }
        }
        out
    }

    /// The union of two cubes that differ in one dimension at most; `None` otherwise.
    pub fn merge(&self, other: &Cube, space: &Space) -> Option<Cube> {
        let mut differing = None;
        for (d, dim) in space.dims.iter().enumerate() {
            let a = &self.words[dim.word..dim.word + dim.words];
            let b = &other.words[dim.word..dim.word + dim.words];
            if a != b {
                if differing.is_some() {
                    return None;
                }
                differing = Some(d);
            }
        }
        let Some(d) = differing else {
            return Some(self.clone());
        };
        let mut out = self.clone();
        let dim = &space.dims[d];
        for i in dim.word..dim.word + dim.words {
            out.words[i] |= other.words[i];
        }
        Some(out)
    }

    /// Whether two cubes hold the same classes of one dimension.
    pub fn same_in(&self, other: &Cube, space: &Space, d: DimId) -> bool {
        self.span(space, d) == other.span(space, d)
    }

    /// Per dimension, the classes either cube holds (the smallest cube holding both).
    pub fn hull(&self, other: &Cube) -> Cube {
        Cube {
            words: self
                .words
                .iter()
                .zip(&other.words)
                .map(|(a, b)| a | b)
                .collect(),
        }
    }

    /// Whether the cube holds the point.
    pub fn holds(&self, space: &Space, point: &[u16]) -> bool {
        point
            .iter()
            .enumerate()
            .all(|(d, c)| self.contains(space, d, *c as usize))
    }

    /// The point of the cube with the fewest non-default fields: per dimension, the lightest
    /// class (the lowest index among equals). Within a product set this is the minimum.
    pub fn lightest(&self, space: &Space) -> Point {
        (0..space.dims.len())
            .map(|d| {
                self.classes(space, d)
                    .min_by_key(|c| (space.dims[d].classes[*c].weight, *c))
                    .unwrap_or(0) as u16
            })
            .collect()
    }

    /// The number of points, saturating.
    pub fn size(&self, space: &Space) -> u128 {
        (0..space.dims.len()).fold(1u128, |n, d| n.saturating_mul(self.count(space, d) as u128))
    }
}
