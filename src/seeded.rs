//! Seeded generators: the same seed gives the same numbers on every platform, so a mock's seed
//! always gives one data set and a property loop in a test always walks the same inputs.
//!
//! Two algorithms, each kept exactly as the data it made was first generated: [`SplitMix64`]
//! (the CDR, Akahu and IRD mocks, and property tests) and [`Pcg32`], the PCG-XSH-RR generator
//! of the aggregator mock. The modulo bias of `below` is irrelevant for test data.

/// The splitmix64 generator: tiny, fast and good enough to pick test data.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `0..n`.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True `chance` times in a hundred.
    pub(crate) fn percent(&mut self, chance: u64) -> bool {
        self.below(100) < chance
    }

    /// One of `items`.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A permuted congruential generator (PCG-XSH-RR): small, fast, enough to pick test data.
#[derive(Debug, Clone)]
pub(crate) struct Pcg32(u64);

impl Pcg32 {
    pub(crate) fn new(seed: u64) -> Self {
        let mut rng = Pcg32(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDA3E_39CB_94B9_5BDB);
        rng.next_u32();
        rng
    }

    pub(crate) fn next_u32(&mut self) -> u32 {
        let old = self.0;
        self.0 = old
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let xorshifted = (((old >> 18) ^ old) >> 27) as u32;
        xorshifted.rotate_right((old >> 59) as u32)
    }

    /// A value in `0..n`.
    pub(crate) fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n
    }

    /// One of `items`.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u32) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first numbers of each generator, pinned: a change here changes every mock's data.
    #[test]
    fn a_seed_gives_the_same_numbers() {
        let mut s = SplitMix64::new(1);
        let first: Vec<u64> = (0..3).map(|_| s.next_u64()).collect();
        assert_eq!(
            first,
            [
                0x910A_2DEC_8902_5CC1,
                0xBEEB_8DA1_658E_EC67,
                0xF893_A2EE_FB32_555E
            ]
        );
        let mut p = Pcg32::new(1);
        let first: Vec<u32> = (0..3).map(|_| p.next_u32()).collect();
        assert_eq!(first, [3_576_573_850, 1_323_221_276, 559_355_390]);
    }
}
