//! Fused softmax cross-entropy with an ignore index, forward and backward.
//!
//! Layout: logits [N, V] row-major, targets [N] (i32), LSE [N]; the fast path also keeps
//! probabilities [N, V] = softmax(logits) for backward (core's fused kernel contract).
//! loss = mean over rows whose target ≠ ignore_index of (lse_n − logit[n, target_n]);
//! dlogits[n, v] = (softmax[n, v] − [v = target_n]) · dloss / count, and 0 on ignored rows.
//! Fast path: one exponential per logit with the simd128 `exp` of [`crate::simd_math`], sums and
//! scaling in `F32x4`; backward reads the saved probabilities.

use crate::simd::F32x4;
use crate::simd_math::exp_in_place;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CrossEntropyDims {
    pub rows: usize,
    pub vocab: usize,
    pub ignore_index: i32,
}

fn check(d: &CrossEntropyDims, logits: &[f32], targets: &[i32]) {
    assert!(
        logits.len() >= d.rows * d.vocab && targets.len() >= d.rows,
        "cross_entropy: operand buffers shorter than {d:?}"
    );
    for &t in &targets[..d.rows] {
        assert!(
            t == d.ignore_index || (t >= 0 && (t as usize) < d.vocab),
            "cross_entropy: target {t} outside 0..{}",
            d.vocab
        );
    }
}

/// Returns the mean loss (NaN-free: 0 when every row is ignored) and fills `lse`.
pub fn cross_entropy_forward_reference(
    d: &CrossEntropyDims,
    logits: &[f32],
    targets: &[i32],
    lse: &mut [f32],
) -> f32 {
    check(d, logits, targets);
    let (mut total, mut count) = (0.0f64, 0usize);
    for n in 0..d.rows {
        let row = &logits[n * d.vocab..][..d.vocab];
        let max = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
        let sum: f32 = row.iter().map(|v| (v - max).exp()).sum();
        lse[n] = max + sum.ln();
        if targets[n] != d.ignore_index {
            total += (lse[n] - row[targets[n] as usize]) as f64;
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        (total / count as f64) as f32
    }
}

pub fn cross_entropy_backward_reference(
    d: &CrossEntropyDims,
    logits: &[f32],
    targets: &[i32],
    lse: &[f32],
    d_loss: f32,
    d_logits: &mut [f32],
) {
    let count = targets[..d.rows]
        .iter()
        .filter(|&&t| t != d.ignore_index)
        .count()
        .max(1);
    for n in 0..d.rows {
        for v in 0..d.vocab {
            let i = n * d.vocab + v;
            d_logits[i] = if targets[n] == d.ignore_index {
                0.0
            } else {
                let onehot = if v as i32 == targets[n] { 1.0 } else { 0.0 };
                ((logits[i] - lse[n]).exp() - onehot) * d_loss / count as f32
            };
        }
    }
}

fn row_max(row: &[f32]) -> f32 {
    let body = row.len() - row.len() % 4;
    let mut lanes = [f32::NEG_INFINITY; 4];
    for chunk in row[..body].chunks_exact(4) {
        for (l, &v) in lanes.iter_mut().zip(chunk) {
            *l = l.max(v);
        }
    }
    row[body..].iter().cloned().fold(
        lanes.into_iter().fold(f32::NEG_INFINITY, f32::max),
        f32::max,
    )
}

/// The fast forward, one pass per row: exp(logit − max) once (simd128) into `probabilities`,
/// whose sum gives the LSE; then the row is normalised to softmax(logits) for backward.
/// Returns the mean loss (0 when every row is ignored).
pub fn cross_entropy_probabilities(
    d: &CrossEntropyDims,
    logits: &[f32],
    targets: &[i32],
    lse: &mut [f32],
    probabilities: &mut [f32],
) -> f32 {
    check(d, logits, targets);
    let body = d.vocab - d.vocab % 4;
    let (mut total, mut count) = (0.0f64, 0usize);
    for n in 0..d.rows {
        let row = &logits[n * d.vocab..][..d.vocab];
        let out = &mut probabilities[n * d.vocab..][..d.vocab];
        let max = row_max(row);
        for (o, &v) in out.iter_mut().zip(row) {
            *o = v - max;
        }
        exp_in_place(out);
        let mut lanes = F32x4::zero();
        for i in (0..body).step_by(4) {
            // SAFETY: i + 4 <= body <= vocab.
            lanes = lanes + unsafe { F32x4::load(out.as_ptr().add(i)) };
        }
        let sum = lanes.horizontal_sum() + out[body..].iter().sum::<f32>();
        lse[n] = max + sum.ln();
        let inverse = F32x4::splat(1.0 / sum);
        for i in (0..body).step_by(4) {
            // SAFETY: as above.
            unsafe { (F32x4::load(out.as_ptr().add(i)) * inverse).store(out.as_mut_ptr().add(i)) };
        }
        for o in &mut out[body..] {
            *o /= sum;
        }
        if targets[n] != d.ignore_index {
            total += (lse[n] - row[targets[n] as usize]) as f64;
            count += 1;
        }
    }
    if count == 0 {
        0.0
    } else {
        (total / count as f64) as f32
    }
}

/// Backward from saved probabilities: (p − onehot) · dLoss / count; 0 on ignored rows.
pub fn cross_entropy_backward_from_probabilities(
    d: &CrossEntropyDims,
    probabilities: &[f32],
    targets: &[i32],
    d_loss: f32,
    d_logits: &mut [f32],
) {
    let count = targets[..d.rows]
        .iter()
        .filter(|&&t| t != d.ignore_index)
        .count()
        .max(1);
    let factor = d_loss / count as f32;
    for n in 0..d.rows {
        let out = &mut d_logits[n * d.vocab..][..d.vocab];
        if targets[n] == d.ignore_index {
            out.fill(0.0);
            continue;
        }
        for (o, &p) in out.iter_mut().zip(&probabilities[n * d.vocab..][..d.vocab]) {
            *o = p * factor;
        }
        out[targets[n] as usize] -= factor;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_util::{assert_close, fill};

    #[test]
    fn fast_matches_reference_with_ignored_rows() {
        for (rows, vocab) in [(1, 1), (4, 7), (6, 256), (3, 1001)] {
            let d = CrossEntropyDims {
                rows,
                vocab,
                ignore_index: -100,
            };
            let logits: Vec<f32> = fill(rows * vocab, 5).iter().map(|v| v * 8.0).collect();
            let targets: Vec<i32> = (0..rows)
                .map(|n| {
                    if n % 3 == 1 {
                        -100
                    } else {
                        ((n * 37) % vocab) as i32
                    }
                })
                .collect();
            let (mut l0, mut l1) = (vec![0.0; rows], vec![0.0; rows]);
            let loss0 = cross_entropy_forward_reference(&d, &logits, &targets, &mut l0);
            let mut probabilities = vec![0.0; rows * vocab];
            let loss1 =
                cross_entropy_probabilities(&d, &logits, &targets, &mut l1, &mut probabilities);
            assert!(
                (loss0 - loss1).abs() <= 1e-5 * loss0.abs().max(1.0),
                "loss {loss1} vs {loss0}"
            );
            assert_close("lse", &l1, &l0, 1e-6);
            let (mut g0, mut g2) = (vec![0.0; rows * vocab], vec![0.0; rows * vocab]);
            cross_entropy_backward_reference(&d, &logits, &targets, &l0, 0.5, &mut g0);
            cross_entropy_backward_from_probabilities(&d, &probabilities, &targets, 0.5, &mut g2);
            assert_close("dlogits from probabilities", &g2, &g0, 1e-5);
        }
    }

    #[test]
    fn uniform_logits_give_log_vocab() {
        let d = CrossEntropyDims {
            rows: 2,
            vocab: 50,
            ignore_index: -1,
        };
        let mut lse = vec![0.0; 2];
        let loss =
            cross_entropy_probabilities(&d, &[0.3; 100], &[4, 49], &mut lse, &mut [0.0; 100]);
        assert!((loss - (50f32).ln()).abs() < 1e-5);
    }

    #[test]
    #[should_panic(expected = "target 50 outside 0..50")]
    fn out_of_range_targets_are_refused() {
        let d = CrossEntropyDims {
            rows: 1,
            vocab: 50,
            ignore_index: -1,
        };
        cross_entropy_probabilities(&d, &[0.0; 50], &[50], &mut [0.0], &mut [0.0; 50]);
    }
}
