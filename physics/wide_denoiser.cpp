// Large-N exact denoiser. Why the shape: at N ≥ 64 the two matrix products are 4N flops per
// pair and dominate, so they go to sgemm; the log-weights between them cost O(1) per pair and
// run eight lanes wide. Float's error in |x|² + |y|² − 2x·y is absolute, so it ruins the
// log-weights exactly where σ is small and x is near a charge; those pairs are few and are
// recomputed in double (wide_denoiser.h has the error bound).
#include "physics/wide_denoiser.h"

#include "physics/extra_dims.h"
#include "physics/simd_math.h"
#include "physics/thread_pool.h"

#include <cblas.h>

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdint>
#include <mutex>

namespace psc::physics {
namespace {

using simd::VDouble;
using simd::VFloat;
using simd::VInt;
constexpr float kUnit = 0x1p-24f;
constexpr float kNegligibleLogWeight = -80.0f;
constexpr double kGaussianAboveD = 1e12; // as fast_denoiser.cpp

// OpenBLAS 0.3.21 has no per-thread setting: the count is process-wide. The first concurrent
// call saves it and sets 1, the last restores it (wide_denoiser.h).
class SingleThreadedBlas {
public:
    SingleThreadedBlas() {
        std::lock_guard lock(s_mutex);
        if (s_users++ == 0) {
            s_saved = openblas_get_num_threads();
            if (s_saved != 1) openblas_set_num_threads(1);
        }
    }
    ~SingleThreadedBlas() {
        std::lock_guard lock(s_mutex);
        if (--s_users == 0 && s_saved != 1) openblas_set_num_threads(s_saved);
    }
    SingleThreadedBlas(const SingleThreadedBlas&) = delete;
    SingleThreadedBlas& operator=(const SingleThreadedBlas&) = delete;

private:
    static inline std::mutex s_mutex;
    static inline int s_users = 0;
    static inline int s_saved = 1;
};

struct Candidate {
    std::uint32_t index;
    float upper; // ℓ̃ + Δ: the most its exact log-weight can be
};

struct RowState {
    float top = -INFINITY;   // reference maximum of the float-weighted log-weights
    float lower = -INFINITY; // max_j (ℓ̃_j − Δ_j): the exact maximum is at least this
    double sum = 0;          // Σ e^(ℓ̃ − top) over the float-weighted charges
    bool exactOnly = false;  // too many charges to re-evaluate: the whole point goes to double
    std::vector<Candidate> exact;
};

struct BlockArgs {
    float* g; // rows × width: x·y in, float weights out
    std::size_t width, first;
    const float* norm2; // of the block's charges
    const float* logQ;
    const float* xNorm2;
    RowState* rows;
    double* scale; // per row: factor for the accumulated Σ w·y before this block is added
    float* delta;  // width floats of scratch
    bool infinite;
    float a, invR2, inv2S2;
    float errScale; // (8√N + 5)·u: E = errScale·(|x|² + |y|²)
    float tau, margin, lqError, maxNorm2;
    std::size_t maxExact;
};

template <bool Infinite>
[[gnu::always_inline]] inline VFloat logWeight(const BlockArgs& k, VFloat d2, VFloat lq) {
    if constexpr (Infinite)
        return lq - d2 * k.inv2S2;
    else
        return lq - k.a * simd::log1p(d2 * k.invR2);
}

// NaN-ignoring maximum (padding lanes can produce −inf − inf).
[[gnu::always_inline]] inline VFloat maxKeep(VFloat best, VFloat v) {
    return v > best ? v : best;
}

[[gnu::always_inline]] inline VFloat loadF(const float* p) {
    VFloat v;
    __builtin_memcpy(&v, p, sizeof v);
    return v;
}

[[gnu::always_inline]] inline void storeF(float* p, VFloat v) {
    __builtin_memcpy(p, &v, sizeof v);
}

void prune(RowState& st, float margin) {
    const float floor = st.lower - margin;
    std::erase_if(st.exact, [&](const Candidate& c) { return !(c.upper >= floor); });
}

// Turns the row's log-weights (in g) into weights relative to the running top and adds them
// to the row's sum.
[[gnu::always_inline]] inline void weighRow(const BlockArgs& k, float* g, std::size_t r,
                                            float blockMax) {
    RowState& st = k.rows[r];
    const std::size_t vectors = k.width / simd::kLanes;
    if (!(blockMax > -INFINITY)) { // nothing here carries weight
        std::fill(g, g + k.width, 0.0f);
        k.scale[r] = 1;
        return;
    }
    double scale = 1;
    if (blockMax > st.top) {
        scale = std::exp(static_cast<double>(st.top) - blockMax); // 0 on the first block
        st.top = blockMax;
    }
    const VFloat top = simd::splat(st.top);
    VDouble sum = VDouble{};
    for (std::size_t v = 0; v < vectors; ++v) {
        const VFloat shifted = loadF(g + v * simd::kLanes) - top;
        const VFloat e = shifted < kNegligibleLogWeight ? simd::splat(0.0f) : simd::exp(shifted);
        storeF(g + v * simd::kLanes, e);
        sum += simd::widenPairs(e);
    }
    st.sum = st.sum * scale + simd::horizontalSum(sum);
    k.scale[r] = scale;
}

template <bool Infinite>
[[gnu::always_inline]] inline void easyRow(const BlockArgs& k, std::size_t r) {
    float* g = k.g + r * k.width;
    const VFloat xn = simd::splat(k.xNorm2[r]);
    VFloat best = simd::splat(-INFINITY);
    for (std::size_t v = 0; v < k.width / simd::kLanes; ++v) {
        const std::size_t o = v * simd::kLanes;
        VFloat d2 = xn + loadF(k.norm2 + o) - 2.0f * loadF(g + o);
        d2 = d2 > 0.0f ? d2 : simd::splat(0.0f);
        const VFloat lw = logWeight<Infinite>(k, d2, loadF(k.logQ + o));
        storeF(g + o, lw);
        best = maxKeep(best, lw);
    }
    weighRow(k, g, r, simd::horizontalMax(best));
}

// A row whose float error bound exceeds τ: charges that may matter and may be wrong are taken
// out of the float sums and listed for the exact pass.
template <bool Infinite>
[[gnu::always_inline]] inline void hardRow(const BlockArgs& k, std::size_t r) {
    float* g = k.g + r * k.width;
    RowState& st = k.rows[r];
    const std::size_t vectors = k.width / simd::kLanes;
    const float xnS = k.xNorm2[r];
    const VFloat xn = simd::splat(xnS);
    VFloat lowest = simd::splat(-INFINITY);
    for (std::size_t v = 0; v < vectors; ++v) {
        const std::size_t o = v * simd::kLanes;
        const VFloat yn = loadF(k.norm2 + o);
        VFloat d2 = xn + yn - 2.0f * loadF(g + o);
        d2 = d2 > 0.0f ? d2 : simd::splat(0.0f);
        const VFloat lq = loadF(k.logQ + o);
        const VFloat lw = logWeight<Infinite>(k, d2, lq);
        const VFloat e = k.errScale * (xn + yn);
        VFloat slope;
        if constexpr (Infinite) {
            slope = simd::splat(k.inv2S2);
        } else {
            VFloat low = d2 - e;
            low = low > 0.0f ? low : simd::splat(0.0f);
            slope = (k.a * k.invR2) / (1.0f + low * k.invR2);
        }
        const VFloat absLq = lq < 0.0f ? -lq : lq;
        const VFloat delta = e * slope + (8.0f * kUnit) * (lq - lw) + (4.0f * kUnit) * absLq;
        storeF(g + o, lw);
        storeF(k.delta + o, delta);
        lowest = maxKeep(lowest, lw - delta);
    }
    const float lower = simd::horizontalMax(lowest);
    if (lower > st.lower) {
        st.lower = lower;
        prune(st, k.margin);
    }
    const VFloat floor = simd::splat(st.lower - k.margin);
    VFloat best = simd::splat(-INFINITY);
    for (std::size_t v = 0; v < vectors; ++v) {
        const std::size_t o = v * simd::kLanes;
        VFloat lw = loadF(g + o);
        const VFloat delta = loadF(k.delta + o);
        const VInt exact = (delta > k.tau) & (lw + delta >= floor);
        bool any = false;
        for (int l = 0; l < simd::kLanes; ++l) any |= exact[l] != 0;
        if (any) {
            for (int l = 0; l < simd::kLanes; ++l)
                if (exact[l])
                    st.exact.push_back(
                        {static_cast<std::uint32_t>(k.first + o + l), lw[l] + delta[l]});
            lw = exact ? simd::splat(-INFINITY) : lw;
            storeF(g + o, lw);
        }
        best = maxKeep(best, lw);
    }
    if (st.exact.size() > k.maxExact) {
        prune(st, k.margin);
        if (st.exact.size() > k.maxExact) {
            st.exactOnly = true;
            st.exact.clear();
            st.exact.shrink_to_fit();
        }
    }
    if (st.exactOnly) {
        std::fill(g, g + k.width, 0.0f);
        k.scale[r] = 1;
        return;
    }
    weighRow(k, g, r, simd::horizontalMax(best));
}

template <bool Infinite>
[[gnu::always_inline]] inline void weighBlockOf(const BlockArgs& k, std::size_t rows) {
    const float slopeMax = Infinite ? k.inv2S2 : k.a * k.invR2;
    for (std::size_t r = 0; r < rows; ++r) {
        if (k.rows[r].exactOnly) {
            std::fill(k.g + r * k.width, k.g + (r + 1) * k.width, 0.0f);
            k.scale[r] = 1;
            continue;
        }
        // |ℓ̃ − log q| ≤ slope(0)·d² ≤ 2·slope(0)·(|x|² + |y|²): the row's largest Δ.
        const float rowDelta =
            (k.errScale + 16.0f * kUnit) * (k.xNorm2[r] + k.maxNorm2) * slopeMax + k.lqError;
        if (rowDelta > k.tau)
            hardRow<Infinite>(k, r);
        else
            easyRow<Infinite>(k, r);
    }
}

// Compiled twice (AVX2+FMA and baseline); the loader picks one, as for fast_denoiser.cpp.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX2__) &&       \
    !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
void weighBlock(const BlockArgs& k, std::size_t rows) {
    const simd::DenormalsAreZero guard;
    if (k.infinite)
        weighBlockOf<true>(k, rows);
    else
        weighBlockOf<false>(k, rows);
}

double squaredDistance(const double* x, const double* y, int n) {
    double s[4] = {0, 0, 0, 0}; // four chains, so the loop vectorises without reassociation
    int k = 0;
    for (; k + 4 <= n; k += 4)
        for (int l = 0; l < 4; ++l) {
            const double d = x[k + l] - y[k + l];
            s[l] += d * d;
        }
    for (; k < n; ++k) s[0] += (x[k] - y[k]) * (x[k] - y[k]);
    return (s[0] + s[1]) + (s[2] + s[3]);
}

} // namespace

struct WideDenoiser::Scratch {
    std::vector<double> x;          // rows × N, centred
    std::vector<float> xf;          // rows × N
    std::vector<float> xNorm2;      // rows
    std::vector<float> g;           // rows × kChargeBlock
    std::vector<float> delta;       // kChargeBlock
    std::vector<float> t;           // rows × N: this block's Σ w·y
    std::vector<double> acc;        // rows × N: all blocks' Σ w·y
    std::vector<double> scale;      // rows
    std::vector<RowState> rows;     // rows
    std::vector<std::size_t> dense; // rows that go to the double products
    std::vector<double> dx, dg, dt, dacc, dsum;
};

WideDenoiser::WideDenoiser(const ChargeSet& charges, double d)
    : m_dim(charges.dim()), m_d(d), m_infinite(isInfiniteD(d) || d > kGaussianAboveD),
      m_count(charges.size()) {
    m_padded = (m_count + simd::kLanes - 1) / simd::kLanes * simd::kLanes;
    m_center = charges.mean();
    const auto n = static_cast<std::size_t>(m_dim);
    m_rows.resize(m_count * n);
    m_coords.assign(m_padded * n, 0.0f);
    m_norm2.assign(m_padded, 0.0f);
    m_norm2d.resize(m_count);
    m_logQ.assign(m_padded, -INFINITY);
    m_logQd.assign(charges.logWeights().begin(), charges.logWeights().end());
    for (std::size_t i = 0; i < m_count; ++i) {
        double norm2 = 0;
        for (std::size_t c = 0; c < n; ++c) {
            const double v = charges.position(i)[c] - m_center[c];
            m_rows[i * n + c] = v;
            m_coords[i * n + c] = static_cast<float>(v);
            norm2 += v * v;
        }
        m_norm2[i] = static_cast<float>(norm2);
        m_norm2d[i] = norm2;
        m_logQ[i] = static_cast<float>(m_logQd[i]);
        m_maxNorm2 = std::max(m_maxNorm2, m_norm2[i]);
        m_maxAbsLogQ = std::max(m_maxAbsLogQ, std::abs(m_logQ[i]));
    }
}

void WideDenoiser::denoise(std::span<const double> points, double sigma, std::span<double> out,
                           ThreadPool& pool) const {
    assert(points.size() == out.size() && points.size() % m_dim == 0);
    const std::size_t count = points.size() / m_dim;
    const SingleThreadedBlas blas;
    // Threads take whole point blocks, so a point's block, and with it sgemm's summation order,
    // does not depend on the thread count.
    const std::size_t blocks = (count + kPointBlock - 1) / kPointBlock;
    pool.parallelFor(blocks, 1, [&](std::size_t begin, std::size_t end) {
        Scratch s;
        for (std::size_t b = begin; b < end; ++b) {
            const std::size_t p = b * kPointBlock;
            const std::size_t rows = std::min(kPointBlock, count - p);
            denoiseBlock(points.data() + p * m_dim, rows, sigma, out.data() + p * m_dim, s);
        }
    });
}

void WideDenoiser::denoiseBlock(const double* points, std::size_t rows, double sigma, double* out,
                                Scratch& s) const {
    const auto n = static_cast<std::size_t>(m_dim);
    s.x.resize(rows * n);
    s.xf.resize(rows * n);
    s.xNorm2.resize(rows);
    s.g.resize(rows * kChargeBlock);
    s.delta.resize(kChargeBlock);
    s.t.resize(rows * n);
    s.acc.assign(rows * n, 0.0);
    s.scale.resize(rows);
    s.rows.assign(rows, RowState{});
    for (std::size_t r = 0; r < rows; ++r) {
        double norm2 = 0;
        for (std::size_t c = 0; c < n; ++c) {
            const double v = points[r * n + c] - m_center[c];
            s.x[r * n + c] = v;
            s.xf[r * n + c] = static_cast<float>(v);
            norm2 += v * v;
        }
        s.xNorm2[r] = static_cast<float>(norm2);
    }
    const double a = 0.5 * (m_dim + m_d);
    const double invR2 = m_infinite ? 0.0 : 1.0 / (sigma * sigma * m_d);
    const double inv2S2 = 1.0 / (2.0 * sigma * sigma);
    BlockArgs k{};
    k.g = s.g.data();
    k.xNorm2 = s.xNorm2.data();
    k.rows = s.rows.data();
    k.scale = s.scale.data();
    k.delta = s.delta.data();
    k.infinite = m_infinite;
    k.a = static_cast<float>(a);
    k.invR2 = static_cast<float>(invR2);
    k.inv2S2 = static_cast<float>(inv2S2);
    k.errScale = static_cast<float>((8.0 * std::sqrt(static_cast<double>(m_dim)) + 5.0) * kUnit);
    k.tau = static_cast<float>(kExactAbove);
    k.margin = static_cast<float>(kMargin);
    k.lqError = 4.0f * kUnit * m_maxAbsLogQ;
    k.maxNorm2 = m_maxNorm2;
    k.maxExact = kMaxExact;
    // Where σ is so small that the slopes leave float's range, float has nothing to offer.
    const double slopeMax = m_infinite ? inv2S2 : a * invR2;
    if (!(slopeMax * (m_maxNorm2 + 1.0) < 1e30))
        for (auto& st : s.rows) st.exactOnly = true;
    const int ni = m_dim;
    for (std::size_t j0 = 0; j0 < m_padded; j0 += kChargeBlock) {
        const std::size_t width = std::min(kChargeBlock, m_padded - j0);
        const float* y = m_coords.data() + j0 * n;
        const int w = static_cast<int>(width), ri = static_cast<int>(rows);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ri, w, ni, 1.0f, s.xf.data(), ni, y,
                    ni, 0.0f, s.g.data(), w);
        k.width = width;
        k.first = j0;
        k.norm2 = m_norm2.data() + j0;
        k.logQ = m_logQ.data() + j0;
        weighBlock(k, rows);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ri, ni, w, 1.0f, s.g.data(), w, y,
                    ni, 0.0f, s.t.data(), ni);
        for (std::size_t r = 0; r < rows; ++r) {
            if (s.rows[r].exactOnly) continue;
            const double scale = s.scale[r];
            double* acc = s.acc.data() + r * n;
            const float* t = s.t.data() + r * n;
            for (std::size_t c = 0; c < n; ++c) acc[c] = acc[c] * scale + t[c];
        }
    }
    s.dense.clear();
    for (std::size_t r = 0; r < rows; ++r)
        if (s.rows[r].exactOnly) s.dense.push_back(r);
    if (!s.dense.empty()) denoiseDense(s, sigma, out);
    std::vector<double> sum(n);
    for (std::size_t r = 0; r < rows; ++r) {
        RowState& st = s.rows[r];
        const double* x = s.x.data() + r * n;
        double* o = out + r * n;
        if (st.exactOnly) continue;
        prune(st, k.margin);
        // The exact log-weights of the listed charges, then one softmax over both parts.
        std::vector<double> lw(st.exact.size());
        double top = st.top;
        for (std::size_t e = 0; e < st.exact.size(); ++e) {
            const std::size_t i = st.exact[e].index;
            const double d2 = squaredDistance(x, m_rows.data() + i * n, m_dim);
            lw[e] = m_logQd[i] - (m_infinite ? d2 * inv2S2 : a * std::log1p(d2 * invR2));
            top = std::max(top, lw[e]);
        }
        const double floatScale = st.top > -INFINITY ? std::exp(st.top - top) : 0.0;
        double total = st.sum * floatScale;
        for (std::size_t c = 0; c < n; ++c) sum[c] = s.acc[r * n + c] * floatScale;
        for (std::size_t e = 0; e < st.exact.size(); ++e) {
            const double w = std::exp(lw[e] - top);
            total += w;
            const double* yi = m_rows.data() + st.exact[e].index * n;
            for (std::size_t c = 0; c < n; ++c) sum[c] += w * yi[c];
        }
        if (!(total > 0 && std::isfinite(total))) {
            denoiseExact(x, sigma, o);
            for (std::size_t c = 0; c < n; ++c) o[c] += m_center[c];
            continue;
        }
        for (std::size_t c = 0; c < n; ++c) o[c] = sum[c] / total + m_center[c];
    }
}

// The rows with too many charges to re-evaluate one by one: the same blocked scheme with both
// products in double (dgemm), whose error in |x − y|² is 2⁻²⁹ times float's. Rows where even
// that could move a log-weight by more than τ go to denoiseExact.
void WideDenoiser::denoiseDense(Scratch& s, double sigma, double* out) const {
    const auto n = static_cast<std::size_t>(m_dim);
    const std::size_t rows = s.dense.size();
    const double a = 0.5 * (m_dim + m_d);
    const double invR2 = m_infinite ? 0.0 : 1.0 / (sigma * sigma * m_d);
    const double inv2S2 = 1.0 / (2.0 * sigma * sigma);
    const double slopeMax = m_infinite ? inv2S2 : a * invR2;
    const double errScale = (8.0 * std::sqrt(static_cast<double>(m_dim)) + 21.0) * 0x1p-53;
    s.dx.resize(rows * n);
    s.dsum.assign(rows, 0.0);
    s.dacc.assign(rows * n, 0.0);
    s.dg.resize(rows * kChargeBlock);
    s.dt.resize(rows * n);
    std::vector<double> xNorm2(rows), top(rows, -INFINITY), scale(rows);
    for (std::size_t e = 0; e < rows; ++e) {
        std::copy_n(s.x.data() + s.dense[e] * n, n, s.dx.data() + e * n);
        double v = 0;
        for (std::size_t c = 0; c < n; ++c) v += s.dx[e * n + c] * s.dx[e * n + c];
        xNorm2[e] = v;
    }
    const int ni = m_dim, ri = static_cast<int>(rows);
    for (std::size_t j0 = 0; j0 < m_count; j0 += kChargeBlock) {
        const std::size_t width = std::min(kChargeBlock, m_count - j0);
        const int w = static_cast<int>(width);
        const double* y = m_rows.data() + j0 * n;
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ri, w, ni, 1.0, s.dx.data(), ni, y, ni,
                    0.0, s.dg.data(), w);
        for (std::size_t e = 0; e < rows; ++e) {
            double* g = s.dg.data() + e * width;
            double best = -INFINITY;
            for (std::size_t i = 0; i < width; ++i) {
                const double d2 = std::max(0.0, xNorm2[e] + m_norm2d[j0 + i] - 2.0 * g[i]);
                g[i] = m_logQd[j0 + i] - (m_infinite ? d2 * inv2S2 : a * std::log1p(d2 * invR2));
                best = std::max(best, g[i]);
            }
            scale[e] = 1;
            if (best > top[e]) {
                scale[e] = std::exp(top[e] - best);
                top[e] = best;
            }
            double sum = 0;
            for (std::size_t i = 0; i < width; ++i) {
                const double shifted = g[i] - top[e];
                g[i] = shifted < -745.0 ? 0.0 : std::exp(shifted);
                sum += g[i];
            }
            s.dsum[e] = s.dsum[e] * scale[e] + sum;
        }
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, ri, ni, w, 1.0, s.dg.data(), w, y,
                    ni, 0.0, s.dt.data(), ni);
        for (std::size_t e = 0; e < rows; ++e)
            for (std::size_t c = 0; c < n; ++c)
                s.dacc[e * n + c] = s.dacc[e * n + c] * scale[e] + s.dt[e * n + c];
    }
    for (std::size_t e = 0; e < rows; ++e) {
        const std::size_t r = s.dense[e];
        double* o = out + r * n;
        const double delta = errScale * (xNorm2[e] + m_maxNorm2) * slopeMax;
        if (delta > kExactAbove || !(s.dsum[e] > 0 && std::isfinite(s.dsum[e]))) {
            denoiseExact(s.dx.data() + e * n, sigma, o);
            for (std::size_t c = 0; c < n; ++c) o[c] += m_center[c];
            continue;
        }
        for (std::size_t c = 0; c < n; ++c) o[c] = s.dacc[e * n + c] / s.dsum[e] + m_center[c];
    }
}

// One point entirely in double, one charge at a time with an online maximum; x centred, out
// centred.
void WideDenoiser::denoiseExact(const double* x, double sigma, double* out) const {
    const int n = m_dim;
    const double a = 0.5 * (m_dim + m_d);
    const double invR2 = m_infinite ? 0.0 : 1.0 / (sigma * sigma * m_d);
    const double inv2S2 = 1.0 / (2.0 * sigma * sigma);
    std::fill(out, out + n, 0.0); // Σ w·y until the end
    double top = -INFINITY, sum = 0, best = INFINITY;
    std::size_t nearest = 0;
    for (std::size_t j = 0; j < m_count; ++j) {
        const double* y = m_rows.data() + j * n;
        const double d2 = squaredDistance(x, y, n);
        if (d2 < best) best = d2, nearest = j;
        const double lw = m_logQd[j] - (m_infinite ? d2 * inv2S2 : a * std::log1p(d2 * invR2));
        if (!(lw > top - 745.0)) continue; // its weight underflows next to the largest so far
        if (lw > top) {
            const double scale = std::exp(top - lw); // 0 on the first charge
            sum *= scale;
            for (int c = 0; c < n; ++c) out[c] *= scale;
            top = lw;
        }
        const double w = std::exp(lw - top);
        sum += w;
        for (int c = 0; c < n; ++c) out[c] += w * y[c];
    }
    if (sum > 0 && std::isfinite(sum)) {
        for (int c = 0; c < n; ++c) out[c] /= sum;
        return;
    }
    // Every log-weight was -inf or NaN (absurd distances at a tiny σ): the limit is the nearest.
    std::copy(m_rows.data() + nearest * n, m_rows.data() + (nearest + 1) * n, out);
}

} // namespace psc::physics
