// The exact denoiser for N > FastDenoiser::kFloatMaxDim: float matrix products (OpenBLAS) for
// the bulk of the pairs, double for the few pairs whose float log-weight could be wrong.
#pragma once

#include "physics/charge_set.h"

#include <cstddef>
#include <span>
#include <vector>

namespace psc::physics {

class ThreadPool;

// x̂ for a block of points: |x − y|² = |x|² + |y|² − 2 x·y and Σ w_i y_i as cblas_sgemm on
// coordinates centred on the charges' mean, blocked to kPointBlock × kChargeBlock (memory per
// thread is O(block · (block + N)), never O(M·P)); log-weights and an online max-subtracted
// softmax in eight-lane float between the two products; partial sums in double.
//
// Accuracy. A float log-weight ℓ̃ differs from the exact ℓ by at most
//   Δ = E · |dℓ/d(d²)| + 8u·|ℓ̃ − log q| + 4u·|log q|,   E = (8√N + 5) · u · (|x|² + |y|²),
// u = 2⁻²⁴, where E bounds the error of d² from sgemm (Higham & Mary's probabilistic bound
// λ√N·u·Σ|x_k y_k| with λ = 8, exceeded with probability below 2N·e⁻³² per dot product, plus
// the roundings of the norms and the two additions). Per point, every charge with Δ > τ
// (kExactAbove) whose weight could still be within e⁻³⁰ of the largest
// (ℓ̃ + Δ ≥ max_j (ℓ̃_j − Δ_j) − kMargin) is re-evaluated in double with exact differences; the
// others keep float weights, each within a factor e^±τ of exact, and those that cannot come
// within e⁻³⁰ of the top carry under M·e⁻³⁰ of the weight together. Hence, per coordinate,
//   |x̂ − x̂_ref| ≤ 2τ · Σ_i π_i |y_i − x̂_ref| + 2e-6 · s
// (s the data's spread; the second term is the float rounding of the block sums, about
// √512·u·4s, and M·e⁻³⁰). τ = 2e-4 nats makes this 4e-4 of the posterior's mean absolute
// deviation; measured errors are 100 times smaller (≤ 7e-6 of the spread, tst_wide_denoiser).
// τ trades accuracy for speed: Δ grows like (|x|² + |y|²)/σ², and float alone serves a point
// (D = ∞) where σ² ≥ 2·10⁴·√N·u·(|x|² + max|y|²), i.e. σ ≳ 1 at N = 64 and σ ≳ 7 at N = 784
// for unit-spread data; below, the posterior usually sits on a few charges, cheap to redo. A point
// with more than kMaxExact such charges (a broad posterior at a σ where float is too coarse) is
// redone with both products in double (dgemm, about 2.5× the float cost), or, where even double's Δ
// exceeds τ (σ ≲ 1e-5), one charge at a time with exact differences.
//
// OpenBLAS (0.3.21) has only a process-wide thread count. While denoise() runs it is set to 1,
// so that each of our pool's threads runs its own sgemm and the two never oversubscribe the
// cores; the previous count is restored when the last concurrent call returns. LibTorch shares
// that OpenBLAS, so a LibTorch matrix product running at the same moment runs single-threaded.
// denoise() may be called from several threads at once.
class WideDenoiser {
public:
    // d: validated by the caller (FastDenoiser). Keeps float and double copies of the charges.
    WideDenoiser(const ChargeSet& charges, double d);

    void denoise(std::span<const double> points, double sigma, std::span<double> out,
                 ThreadPool& pool) const;

    static constexpr std::size_t kPointBlock = 128;
    static constexpr std::size_t kChargeBlock = 512;
    static constexpr double kExactAbove = 2e-4;
    static constexpr double kMargin = 30;
    static constexpr std::size_t kMaxExact = 256;

private:
    struct Scratch;
    void denoiseBlock(const double* points, std::size_t rows, double sigma, double* out,
                      Scratch& s) const;
    void denoiseDense(Scratch& s, double sigma, double* out) const;
    void denoiseExact(const double* x, double sigma, double* out) const;

    int m_dim;
    double m_d;
    bool m_infinite;
    std::size_t m_count, m_padded;
    std::vector<double> m_center;
    std::vector<float> m_coords; // m_padded rows of N floats, centred; padding rows are 0
    std::vector<float> m_norm2;  // |y − c|², rounded from double
    std::vector<float> m_logQ;   // −inf on padding
    std::vector<double> m_rows;  // m_count rows of N doubles, centred
    std::vector<double> m_logQd, m_norm2d;
    float m_maxNorm2 = 0, m_maxAbsLogQ = 0; // over the real charges
};

} // namespace psc::physics
