//! SHA-256 that can hash two streams side by side.
//!
//! A layer's compressed and decompressed bytes are two independent
//! SHA-256 streams. One stream's rounds form a chain in which each
//! instruction waits for the one before; on the x86-64 SHA extensions
//! that leaves the SHA unit idle most of the time. Stepping a second
//! stream through the same rounds fills those gaps, so two streams
//! hashed together cost about two thirds of hashing them one after the
//! other. [`Sha256::update_pair`] does that where the CPU has the
//! extensions; elsewhere, and for a single stream, the blocks go to
//! `sha2`'s compression function, which picks the best code for the CPU.
//!
//! No maintained crate hashes two *streams* at once (the multi-buffer
//! ones take whole messages), hence the one function of intrinsics in
//! [`shani`], checked against `sha2` by the tests below.

use crate::digest::Digest;

/// Bytes in one SHA-256 block.
const BLOCK: usize = 64;

/// The initial SHA-256 state (FIPS 180-4, 5.3.3).
const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// A running SHA-256 hash.
pub(super) struct Sha256 {
    state: [u32; 8],
    /// Bytes of an unfinished block.
    block: [u8; BLOCK],
    buffered: usize,
    /// Bytes hashed so far.
    length: u64,
}

impl Sha256 {
    pub(super) fn new() -> Self {
        Sha256 {
            state: H0,
            block: [0; BLOCK],
            buffered: 0,
            length: 0,
        }
    }

    /// Feeds bytes into the hash.
    pub(super) fn update(&mut self, data: &[u8]) {
        self.length += data.len() as u64;
        self.consume(data);
    }

    /// Feeds `a_data` into `a` and `b_data` into `b`, compressing the
    /// blocks both have in the same pass.
    pub(super) fn update_pair(a: &mut Sha256, a_data: &[u8], b: &mut Sha256, b_data: &[u8]) {
        a.length += a_data.len() as u64;
        b.length += b_data.len() as u64;
        let a_rest = a.top_up(a_data);
        let b_rest = b.top_up(b_data);
        // Each stream now either has no partial block or no bytes left.
        let together = a_rest.len().min(b_rest.len()) / BLOCK * BLOCK;
        compress_pair(
            &mut a.state,
            &a_rest[..together],
            &mut b.state,
            &b_rest[..together],
        );
        a.consume(&a_rest[together..]);
        b.consume(&b_rest[together..]);
    }

    /// Finishes the hash (FIPS 180-4, 5.1.1 padding).
    pub(super) fn finish(mut self) -> Digest {
        let mut tail = [0u8; 2 * BLOCK];
        tail[..self.buffered].copy_from_slice(&self.block[..self.buffered]);
        tail[self.buffered] = 0x80;
        let end = if self.buffered < BLOCK - 8 {
            BLOCK
        } else {
            2 * BLOCK
        };
        tail[end - 8..end].copy_from_slice(&(self.length * 8).to_be_bytes());
        compress(&mut self.state, &tail[..end]);
        let mut bytes = [0u8; 32];
        for (out, word) in bytes.chunks_exact_mut(4).zip(self.state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        Digest::from_sha256_bytes(&bytes)
    }

    /// Hashes `data` (already counted in `length`).
    fn consume(&mut self, data: &[u8]) {
        let rest = self.top_up(data);
        if rest.is_empty() {
            return;
        }
        // The partial block was completed: `buffered` is 0.
        let whole = rest.len() / BLOCK * BLOCK;
        compress(&mut self.state, &rest[..whole]);
        let tail = &rest[whole..];
        self.block[..tail.len()].copy_from_slice(tail);
        self.buffered = tail.len();
    }

    /// Completes a partial block from `data` (hashing it once full) and
    /// returns the bytes left.
    fn top_up<'d>(&mut self, data: &'d [u8]) -> &'d [u8] {
        if self.buffered == 0 {
            return data;
        }
        let n = data.len().min(BLOCK - self.buffered);
        self.block[self.buffered..self.buffered + n].copy_from_slice(&data[..n]);
        self.buffered += n;
        if self.buffered == BLOCK {
            let block = self.block;
            compress(&mut self.state, &block);
            self.buffered = 0;
        }
        &data[n..]
    }
}

/// Compresses whole blocks into `state`, one stream.
fn compress(state: &mut [u32; 8], blocks: &[u8]) {
    debug_assert_eq!(blocks.len() % BLOCK, 0);
    // SAFETY: a block as `compress256` takes it (`GenericArray<u8, U64>`)
    // is `repr(transparent)` over `[u8; 64]`, alignment 1, and `blocks`
    // holds that many whole blocks. One call for all of them is worth the
    // cast: a call per block is 13% slower.
    #[allow(unsafe_code)]
    let blocks =
        unsafe { std::slice::from_raw_parts(blocks.as_ptr().cast(), blocks.len() / BLOCK) };
    sha2::compress256(state, blocks);
}

/// Compresses `a_blocks` into `a` and `b_blocks` into `b` (the same number
/// of whole blocks).
fn compress_pair(a: &mut [u32; 8], a_blocks: &[u8], b: &mut [u32; 8], b_blocks: &[u8]) {
    #[cfg(target_arch = "x86_64")]
    if shani::available() {
        // SAFETY: the CPU has the features `shani::compress_pair` is
        // compiled for; it was just checked.
        #[allow(unsafe_code)]
        unsafe {
            shani::compress_pair(a, a_blocks, b, b_blocks)
        };
        return;
    }
    compress(a, a_blocks);
    compress(b, b_blocks);
}

/// Two streams through the x86-64 SHA extensions, rounds interleaved.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod shani {
    use std::arch::x86_64::*;

    use super::BLOCK;

    /// The round constants (FIPS 180-4, 4.2.2), four per group of rounds.
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];

    /// Whether this CPU can run [`compress_pair`].
    pub(super) fn available() -> bool {
        is_x86_feature_detected!("sha")
            && is_x86_feature_detected!("ssse3")
            && is_x86_feature_detected!("sse4.1")
    }

    /// A state as the SHA instructions hold it: words A, B, E, F and
    /// C, D, G, H.
    #[derive(Clone, Copy)]
    struct Lanes {
        abef: __m128i,
        cdgh: __m128i,
    }

    /// One stream's state and its current block's message schedule, four
    /// words per vector.
    struct Stream {
        lanes: Lanes,
        w: [__m128i; 4],
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn to_lanes(s: &[u32; 8]) -> Lanes {
        let abcd = _mm_set_epi32(s[0] as i32, s[1] as i32, s[2] as i32, s[3] as i32);
        let efgh = _mm_set_epi32(s[4] as i32, s[5] as i32, s[6] as i32, s[7] as i32);
        Lanes {
            abef: _mm_unpackhi_epi64(efgh, abcd),
            cdgh: _mm_unpacklo_epi64(efgh, abcd),
        }
    }

    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn from_lanes(l: Lanes, s: &mut [u32; 8]) {
        let words = [
            _mm_extract_epi32(l.abef, 3),
            _mm_extract_epi32(l.abef, 2),
            _mm_extract_epi32(l.cdgh, 3),
            _mm_extract_epi32(l.cdgh, 2),
            _mm_extract_epi32(l.abef, 1),
            _mm_extract_epi32(l.abef, 0),
            _mm_extract_epi32(l.cdgh, 1),
            _mm_extract_epi32(l.cdgh, 0),
        ];
        for (out, word) in s.iter_mut().zip(words) {
            *out = word as u32;
        }
    }

    /// The big-endian words `4 * I .. 4 * I + 4` of a block.
    #[inline]
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    fn load<const I: usize>(block: &[u8; BLOCK]) -> __m128i {
        const { assert!(I < 4) };
        // SAFETY: bytes 16 * I .. 16 * I + 16 are inside the block; `loadu`
        // needs no alignment.
        let v = unsafe { _mm_loadu_si128(block.as_ptr().add(16 * I).cast()) };
        let swap = _mm_set_epi64x(0x0c0d0e0f08090a0b, 0x0405060700010203);
        _mm_shuffle_epi8(v, swap)
    }

    impl Stream {
        /// Starts a block: its first 16 message words.
        #[inline]
        #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
        fn start(lanes: Lanes, block: &[u8; BLOCK]) -> Stream {
            Stream {
                lanes,
                w: [
                    load::<0>(block),
                    load::<1>(block),
                    load::<2>(block),
                    load::<3>(block),
                ],
            }
        }

        /// Extends the message schedule by words `4 * I .. 4 * I + 4`
        /// (`I >= 4`) over the words 16 before them. `I` is a constant, so
        /// every index is one too and the words stay in registers.
        #[inline]
        #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
        fn extend<const I: usize>(&mut self) {
            if I >= 4 {
                let (w0, w1, w2, w3) = (
                    self.w[I % 4],
                    self.w[(I + 1) % 4],
                    self.w[(I + 2) % 4],
                    self.w[(I + 3) % 4],
                );
                let t = _mm_add_epi32(_mm_sha256msg1_epu32(w0, w1), _mm_alignr_epi8(w3, w2, 4));
                self.w[I % 4] = _mm_sha256msg2_epu32(t, w3);
            }
        }

        /// Rounds `4 * I .. 4 * I + 4`.
        #[inline]
        #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
        fn rounds<const I: usize>(&mut self) {
            let k = _mm_set_epi32(
                K[4 * I + 3] as i32,
                K[4 * I + 2] as i32,
                K[4 * I + 1] as i32,
                K[4 * I] as i32,
            );
            let msg = _mm_add_epi32(self.w[I % 4], k);
            let l = &mut self.lanes;
            l.cdgh = _mm_sha256rnds2_epu32(l.cdgh, l.abef, msg);
            l.abef = _mm_sha256rnds2_epu32(l.abef, l.cdgh, _mm_shuffle_epi32(msg, 0x0E));
        }

        /// Ends a block: adds the state it started from.
        #[inline]
        #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
        fn end(self, from: Lanes) -> Lanes {
            Lanes {
                abef: _mm_add_epi32(self.lanes.abef, from.abef),
                cdgh: _mm_add_epi32(self.lanes.cdgh, from.cdgh),
            }
        }
    }

    /// Compresses `a_blocks` into `a` and `b_blocks` into `b`, the rounds
    /// of the two alternating.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) fn compress_pair(
        a: &mut [u32; 8],
        a_blocks: &[u8],
        b: &mut [u32; 8],
        b_blocks: &[u8],
    ) {
        debug_assert_eq!(a_blocks.len(), b_blocks.len());
        let (mut la, mut lb) = (to_lanes(a), to_lanes(b));
        let (a_blocks, b_blocks) = (a_blocks.as_chunks().0, b_blocks.as_chunks().0);
        for (block_a, block_b) in a_blocks.iter().zip(b_blocks) {
            let mut sa = Stream::start(la, block_a);
            let mut sb = Stream::start(lb, block_b);
            macro_rules! alternate {
                ($($i:literal)*) => {
                    $( sa.extend::<$i>(); sb.extend::<$i>(); sa.rounds::<$i>(); sb.rounds::<$i>(); )*
                };
            }
            alternate!(0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
            la = sa.end(la);
            lb = sb.end(lb);
        }
        from_lanes(la, a);
        from_lanes(lb, b);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic bytes that do not repeat with any short period.
    fn bytes(len: usize, seed: u64) -> Vec<u8> {
        let mut x = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn one_stream_matches_sha2_at_every_padding_length() {
        let data = bytes(300, 1);
        for len in 0..data.len() {
            let mut h = Sha256::new();
            let (first, second) = data[..len].split_at(len / 3);
            h.update(first);
            h.update(second);
            assert_eq!(h.finish(), Digest::sha256(&data[..len]), "length {len}");
        }
    }

    #[test]
    fn pairs_match_sha2_whatever_the_splits() {
        let a_data = bytes(40_000, 2);
        let b_data = bytes(25_000, 3);
        // Step sizes that leave partial blocks of every kind behind.
        for (step_a, step_b) in [(64, 64), (1000, 640), (4096, 13), (77, 5000), (0, 999)] {
            let (mut a, mut b) = (Sha256::new(), Sha256::new());
            let (mut i, mut j) = (0, 0);
            while i < a_data.len() || j < b_data.len() {
                let next_i = (i + step_a).min(a_data.len());
                let next_j = (j + step_b.max(1)).min(b_data.len());
                Sha256::update_pair(&mut a, &a_data[i..next_i], &mut b, &b_data[j..next_j]);
                (i, j) = (next_i, next_j);
                if step_a == 0 {
                    a.update(&a_data[i..]);
                    i = a_data.len();
                }
            }
            assert_eq!(a.finish(), Digest::sha256(&a_data), "{step_a}/{step_b}");
            assert_eq!(b.finish(), Digest::sha256(&b_data), "{step_a}/{step_b}");
        }
    }

    #[test]
    fn paired_compression_matches_one_stream_at_a_time() {
        let (a_blocks, b_blocks) = (bytes(64 * 37, 4), bytes(64 * 37, 5));
        let (mut a, mut b) = (H0, H0);
        compress_pair(&mut a, &a_blocks, &mut b, &b_blocks);
        let (mut a1, mut b1) = (H0, H0);
        compress(&mut a1, &a_blocks);
        compress(&mut b1, &b_blocks);
        assert_eq!((a, b), (a1, b1));
        #[cfg(target_arch = "x86_64")]
        if !shani::available() {
            eprintln!("this CPU has no SHA extensions: the paired code path was not run");
        }
    }
}
