//! The pseudo-random block numbers of the random-read workload (splitmix64), the same sequence
//! as `bench_next_random` in `c/peer.h`.

/// The seed every implementation starts from.
pub const SEED: u64 = 0x5EED;

/// A splitmix64 generator.
#[derive(Clone, Debug)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator starting at `seed`.
    pub fn new(seed: u64) -> SplitMix {
        SplitMix(seed)
    }

    /// The next number of the sequence.
    #[inline]
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The checksum a random-read run of `ops` reads over `blocks` blocks must report: the sum of
/// the block numbers read (each block starts with its own number).
pub fn expected_read_check(blocks: u64, ops: u64) -> u64 {
    let mut rng = SplitMix::new(SEED);
    (0..ops).fold(0u64, |sum, _| sum.wrapping_add(rng.next_u64() % blocks))
}

/// The block numbers a random-read run of `ops` reads over `blocks` blocks, drawn up front
/// (for loops whose readers run on several tasks or threads; the checksum does not depend on
/// which reader reads which block).
pub fn random_blocks(blocks: u64, ops: u64) -> Vec<u64> {
    let mut rng = SplitMix::new(SEED);
    (0..ops).map(|_| rng.next_u64() % blocks).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_reference_values() {
        // splitmix64 from seed 0 (the published reference sequence).
        let mut r = SplitMix::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn check_is_a_sum_of_in_range_blocks() {
        let c = expected_read_check(8, 100);
        assert!(c <= 7 * 100);
        assert_eq!(expected_read_check(1, 100), 0);
        let drawn = random_blocks(8, 100);
        assert_eq!(drawn.iter().sum::<u64>(), c);
    }
}
