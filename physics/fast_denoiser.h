// The exact denoiser on the fast path: float, eight-lane SIMD over charges, threads over points.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/thread_pool.h"
#include "physics/wide_denoiser.h"

#include <memory>
#include <vector>

namespace psc::physics {

// Same mathematics as ReferenceDenoiser, evaluated in float with an online (blockwise)
// log-sum-exp for N <= kFloatMaxDim; above, by WideDenoiser (float matrix products through
// OpenBLAS, with the pairs where float's |x − y|² is too coarse re-evaluated in double; its
// header has the error bound). Memory is O(M·N) for the charges plus O(block·(block + N)) per
// thread, never O(M·P).
// Coordinates are stored relative to the charges' mean so that float precision is spent on
// the data's spread, not its offset. Accuracy against the reference: within 1e-4 of the data
// spread for D in [1, 1e9] and ∞ and up to 10⁶ charges (tested; the worst case measured is
// 2.5e-5 for N <= 3; long sums are accumulated in double). Throws std::invalid_argument for an
// invalid D.
// denoise() may be called from several threads at once: calls small enough to run inline
// (a few points) proceed in parallel, larger ones take turns on the pool.
class FastDenoiser final : public Denoiser {
public:
    // threads <= 0: one per hardware thread.
    FastDenoiser(const ChargeSet& charges, double d, int threads = 0);
    ~FastDenoiser() override;

    int dim() const override { return m_dim; }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    const char* name() const override { return "fast-cpu"; }

    int threadCount() const { return m_pool->threadCount(); }
    double extraDims() const { return m_d; }

    // Up to this N the float SIMD kernel meets the tolerance; above it WideDenoiser runs.
    static constexpr int kFloatMaxDim = 3;

private:
    int m_dim;
    double m_d;
    std::size_t m_count;  // real charges
    std::size_t m_padded; // multiple of the SIMD width; padding charges carry zero weight
    std::vector<double> m_center;
    std::vector<float> m_coords; // N rows of m_padded floats (structure of arrays)
    std::vector<float> m_logQ;
    std::unique_ptr<WideDenoiser> m_wide; // N > kFloatMaxDim
    std::unique_ptr<ThreadPool> m_pool;
};

} // namespace psc::physics
