// Hot loop of the exact denoiser. Why the shape: log1p and exp dominate, so they run eight lanes
// wide from simd_math.h; the running maximum is updated once per block of 64 charges so the
// rescaling cost of the online log-sum-exp is amortised.
#include "physics/fast_denoiser.h"

#include "physics/extra_dims.h"
#include "physics/simd_math.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <memory>
#include <stdexcept>

namespace psc::physics {
namespace {

using simd::VFloat;
constexpr int kBlockVectors = 8;
constexpr int kFlushBlocks = 4;
// Padding lanes weigh e^-inf = 0 exactly: a block of padding only is skipped, and within a
// block the flush below zeroes them.
constexpr float kPaddingLogWeight = -INFINITY;
constexpr float kNegligibleLogWeight = -80.0f;
constexpr double kGaussianAboveD = 1e12;

struct KernelArgs {
    const float* coords; // dim rows of padded floats
    const float* logQ;
    std::size_t padded;
    int dim;
    bool infinite;
    float a;      // (N+D)/2
    float invR2;  // 1 / (σ² D)
    float inv2S2; // 1 / (2σ²)
};

// N is 1, 2 or 3 (kFloatMaxDim): larger N go to WideDenoiser.
template <int N, bool Infinite>
[[gnu::always_inline]] inline void denoiseOne(const KernelArgs& k, const float* x, float* out) {
    static_assert(N >= 1 && N <= FastDenoiser::kFloatMaxDim);
    constexpr int n = N;
    const std::size_t vectors = k.padded / simd::kLanes;
    float top = -INFINITY;
    // Running totals in double, fed every kFlushBlocks blocks by float partial sums: a float
    // total of 10⁶ heavy-tailed weights swallows addends below 6e-8 of it, which biased x̂ by
    // ~7e-4 of the spread at M = 10⁶, D = 1 (tst_extremes); 32 terms per float lane lose ~1e-6.
    // Flushing every block instead costs ~10% of the throughput.
    using simd::VDouble;
    VDouble sum = VDouble{};
    VDouble accum[n];
    VFloat blockAccum[n];
    VFloat xv[n];
    for (int c = 0; c < n; ++c) accum[c] = sum;
    VFloat blockSum = simd::splat(0.0f);
    for (int c = 0; c < n; ++c) blockAccum[c] = blockSum;
    int pending = 0; // blocks in the float partials
    auto flush = [&] {
        sum += simd::widenPairs(blockSum);
        blockSum = simd::splat(0.0f);
        for (int c = 0; c < n; ++c) {
            accum[c] += simd::widenPairs(blockAccum[c]);
            blockAccum[c] = blockSum;
        }
        pending = 0;
    };
    for (int c = 0; c < n; ++c) xv[c] = simd::splat(x[c]);

    for (std::size_t v0 = 0; v0 < vectors; v0 += kBlockVectors) {
        const std::size_t vEnd = std::min(vectors, v0 + kBlockVectors);
        VFloat lw[kBlockVectors];
        VFloat blockMax = simd::splat(-INFINITY);
        for (std::size_t v = v0; v < vEnd; ++v) {
            VFloat d2 = simd::splat(0.0f);
            for (int c = 0; c < n; ++c) {
                VFloat y;
                __builtin_memcpy(&y, k.coords + c * k.padded + v * simd::kLanes, sizeof y);
                const VFloat diff = xv[c] - y;
                d2 += diff * diff;
            }
            VFloat lq;
            __builtin_memcpy(&lq, k.logQ + v * simd::kLanes, sizeof lq);
            VFloat value;
            if constexpr (Infinite)
                value = lq - d2 * k.inv2S2;
            else
                value = lq - k.a * simd::log1p(d2 * k.invR2);
            lw[v - v0] = value;
            blockMax = simd::max(blockMax, value);
        }
        const float bm = simd::horizontalMax(blockMax);
        if (!(bm > -INFINITY)) continue; // nothing in this block carries weight (or it is NaN)
        if (bm > top) {
            const double scale = std::exp(static_cast<double>(top) - bm); // 0 on the first block
            sum *= scale;
            blockSum *= static_cast<float>(scale);
            for (int c = 0; c < n; ++c) {
                accum[c] *= scale;
                blockAccum[c] *= static_cast<float>(scale);
            }
            top = bm;
        }
        const VFloat topV = simd::splat(top);
        for (std::size_t v = v0; v < vEnd; ++v) {
            // Weights below e^-80 of the largest are dropped: they cannot move a float sum, and
            // their products with coordinates would be denormals, which cost ~100 cycles each.
            const VFloat shifted = lw[v - v0] - topV;
            const VFloat e =
                shifted < kNegligibleLogWeight ? simd::splat(0.0f) : simd::exp(shifted);
            blockSum += e;
            for (int c = 0; c < n; ++c) {
                VFloat y;
                __builtin_memcpy(&y, k.coords + c * k.padded + v * simd::kLanes, sizeof y);
                blockAccum[c] += e * y;
            }
        }
        if (++pending == kFlushBlocks) flush();
    }
    flush();
    const double total = simd::horizontalSum(sum);
    if (total > 0 && std::isfinite(total)) {
        for (int c = 0; c < n; ++c)
            out[c] = static_cast<float>(simd::horizontalSum(accum[c]) / total);
        return;
    }
    // Every log-weight overflowed to -inf (a point absurdly far from all charges at a tiny σ):
    // the limit of the softmax is the nearest charge.
    float best = INFINITY;
    for (std::size_t j = 0; j < k.padded; ++j) {
        if (!(k.logQ[j] > -INFINITY)) continue;
        float d2 = 0;
        for (int c = 0; c < n; ++c)
            d2 += (x[c] - k.coords[c * k.padded + j]) * (x[c] - k.coords[c * k.padded + j]);
        if (d2 < best) {
            best = d2;
            for (int c = 0; c < n; ++c) out[c] = k.coords[c * k.padded + j];
        }
    }
}

template <int N, bool Infinite>
[[gnu::always_inline]] inline void denoiseSpan(const KernelArgs& k, const float* x, float* out,
                                               std::size_t count) {
    for (std::size_t p = 0; p < count; ++p)
        denoiseOne<N, Infinite>(k, x + p * N, out + p * N);
}

// Compiled twice (AVX2+FMA and baseline SSE2); the loader picks one for the running CPU. Not
// under ThreadSanitizer: the loader runs the instrumented resolver before TSan's runtime exists.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX2__) &&       \
    !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void denoiseKernel(const KernelArgs& k, const float* x, float* out, std::size_t count) {
    const simd::DenormalsAreZero guard;
    switch (k.dim * 2 + (k.infinite ? 1 : 0)) {
    case 2:
        return denoiseSpan<1, false>(k, x, out, count);
    case 3:
        return denoiseSpan<1, true>(k, x, out, count);
    case 4:
        return denoiseSpan<2, false>(k, x, out, count);
    case 5:
        return denoiseSpan<2, true>(k, x, out, count);
    case 6:
        return denoiseSpan<3, false>(k, x, out, count);
    default:
        return denoiseSpan<3, true>(k, x, out, count);
    }
}

} // namespace

FastDenoiser::FastDenoiser(const ChargeSet& charges, double d, int threads)
    : m_dim(charges.dim()), m_d(d), m_count(charges.size()),
      m_pool(std::make_unique<ThreadPool>(threads)) {
    if (auto err = validateExtraDims(d)) throw std::invalid_argument(*err);
    m_padded = (m_count + simd::kLanes - 1) / simd::kLanes * simd::kLanes;
    m_center = charges.mean();
    if (m_dim > kFloatMaxDim) {
        m_wide = std::make_unique<WideDenoiser>(charges, d);
        return;
    }
    m_coords.assign(static_cast<std::size_t>(m_dim) * m_padded, 0.0f);
    m_logQ.assign(m_padded, kPaddingLogWeight);
    for (std::size_t i = 0; i < m_count; ++i) {
        for (int c = 0; c < m_dim; ++c)
            m_coords[c * m_padded + i] = static_cast<float>(charges.position(i)[c] - m_center[c]);
        m_logQ[i] = static_cast<float>(charges.logWeights()[i]);
    }
}

FastDenoiser::~FastDenoiser() = default;

void FastDenoiser::denoise(std::span<const double> points, double sigma,
                           std::span<double> out) const {
    assert(points.size() == out.size() && points.size() % m_dim == 0);
    const std::size_t count = points.size() / m_dim;
    if (m_wide) {
        m_wide->denoise(points, sigma, out, *m_pool);
        return;
    }
    KernelArgs k{};
    k.coords = m_coords.data();
    k.logQ = m_logQ.data();
    k.padded = m_padded;
    k.dim = m_dim;
    // Above 1e12 the Student-t kernel differs from the Gaussian by O(1/D), far below float
    // precision, while (N+D)/2 and 1/(σ²D) start to leave float's range: use the limit.
    k.infinite = isInfiniteD(m_d) || m_d > kGaussianAboveD;
    k.a = static_cast<float>(0.5 * (m_dim + m_d));
    k.invR2 = k.infinite ? 0.0f : static_cast<float>(1.0 / (sigma * sigma * m_d));
    k.inv2S2 = static_cast<float>(1.0 / (2.0 * sigma * sigma));
    // Enough points per chunk that a chunk costs far more than the pool's hand-off.
    const std::size_t minChunk =
        std::max<std::size_t>(1, 65536 / std::max<std::size_t>(1, m_padded));
    m_pool->parallelFor(count, minChunk, [&](std::size_t begin, std::size_t end) {
        std::vector<float> xs((end - begin) * m_dim), res((end - begin) * m_dim);
        for (std::size_t p = begin; p < end; ++p)
            for (int c = 0; c < m_dim; ++c)
                xs[(p - begin) * m_dim + c] =
                    static_cast<float>(points[p * m_dim + c] - m_center[c]);
        denoiseKernel(k, xs.data(), res.data(), end - begin);
        for (std::size_t p = begin; p < end; ++p)
            for (int c = 0; c < m_dim; ++c)
                out[p * m_dim + c] =
                    static_cast<double>(res[(p - begin) * m_dim + c]) + m_center[c];
    });
}

} // namespace psc::physics
