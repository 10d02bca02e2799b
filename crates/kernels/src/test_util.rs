//! Helpers for kernel tests: deterministic data and a relative-error comparison.

/// Deterministic values in [-1, 1) (xorshift32), so failures reproduce.
pub fn fill(len: usize, seed: u32) -> Vec<f32> {
    let mut state = seed.max(1);
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state as f32 / u32::MAX as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Every element within `tol` relative error (absolute below 1), or bit-equal (±inf).
pub fn assert_close(name: &str, got: &[f32], want: &[f32], tol: f32) {
    assert_eq!(got.len(), want.len(), "{name}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        let ok = (g == w) || (g - w).abs() <= tol * w.abs().max(1.0);
        assert!(ok, "{name}[{i}]: fast {g}, reference {w}");
    }
}
