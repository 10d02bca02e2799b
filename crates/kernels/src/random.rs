//! Counter-based uniform random numbers, bit-identical to `@wattformer/core`'s `random.ts`:
//! lowbias32(x) = x ^= x>>16; x *= 0x7feb352d; x ^= x>>15; x *= 0x846ca68b; x ^= x>>16;
//! bits(seed, i) = lowbias32(lowbias32(i ^ lowbias32(seed ^ 0x9e3779b9)) + seed);
//! uniform = (bits >> 8) / 2^24, exact in f32. Value i depends only on (seed, i).

#[inline(always)]
pub fn lowbias32(mut x: u32) -> u32 {
    x ^= x >> 16;
    x = x.wrapping_mul(0x7feb_352d);
    x ^= x >> 15;
    x = x.wrapping_mul(0x846c_a68b);
    x ^= x >> 16;
    x
}

#[inline(always)]
pub fn uniform_at(seed: u32, index: u32) -> f32 {
    let key = lowbias32(seed ^ 0x9e37_79b9);
    let bits = lowbias32(lowbias32(index ^ key).wrapping_add(seed));
    (bits >> 8) as f32 / 16_777_216.0
}

/// out[i] = uniform_at(seed, offset + i) (u32 counters wrap).
pub fn random_uniform(seed: u32, offset: u32, out: &mut [f32]) {
    for (i, o) in out.iter_mut().enumerate() {
        *o = uniform_at(seed, offset.wrapping_add(i as u32));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_values_computed_by_the_typescript_oracle() {
        // Printed by core's random.ts (lowbias32, uniformAt) under tsx: cross-language vectors.
        assert_eq!(lowbias32(1), 0x6889_90c0);
        assert_eq!(lowbias32(0xdead_beef), 0xe628_c683);
        let mut out = [0.0f32; 4];
        random_uniform(42, 0, &mut out);
        assert_eq!(out, [0.490_475, 0.877_616_94, 0.029_780_924, 0.431_444_1]);
        let mut wrapped = [0.0f32; 1];
        random_uniform(7, u32::MAX, &mut wrapped);
        assert_eq!(wrapped, [0.929_646_25]);
    }
}
