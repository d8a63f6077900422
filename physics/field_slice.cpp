// The x₁–σ slice. Every sample point shares the coordinates 2..N with `through`, so each charge's
// distance splits into (x₁ − y₁)² plus a constant, computed once; one double-precision pass per
// point then gives log Z = log Σ q_i e^(kernelLogWeight) and x − x̂ together, and from those
// |E| = e^(log Z − ((N+D)/2) log r²) · sqrt(|x − x̂|² + r²) without ever forming ρ^(N+D).
#include "physics/field_slice.h"

#include "physics/extra_dims.h"
#include "physics/kernel.h"
#include "physics/thread_pool.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>

namespace psc::physics {
namespace {

// The lines end where the log axis does, so that on it they reach its bottom edge.
constexpr double kLineEndFraction = kSliceLogBottom;

struct PointSums {
    double logZ;  // log Σ q_i exp(kernelLogWeight(d2_i, σ, D, N))
    double dx1;   // x₁ − x̂₁
    double xhat1; // x̂₁, accumulated directly so that one charge gives y₁ to the last bit
    double dist2; // |x − x̂|² over all N coordinates
};

class SliceKernel {
public:
    SliceKernel(const ChargeSet& charges, double d, const std::vector<double>& through,
                const Denoiser* field)
        : m_field(field && !std::isnan(field->fastLogDensity(through, 1.0)) ? field : nullptr),
          m_through(through), m_n(charges.dim()), m_d(d), m_infinite(isInfiniteD(d)),
          m_count(charges.size()), m_y1(m_count), m_rest2(m_count, 0.0),
          m_offsets((m_n - 1) * m_count),
          m_logQ(charges.logWeights().begin(), charges.logWeights().end()) {
        for (std::size_t i = 0; i < m_count; ++i) {
            const auto y = charges.position(i);
            m_y1[i] = y[0];
            for (int k = 1; k < m_n; ++k) {
                const double o = through[k] - y[k];
                m_offsets[(k - 1) * m_count + i] = o;
                m_rest2[i] += o * o;
            }
        }
    }

    std::size_t count() const { return m_count; }

    // scratch: count() doubles, owned by the calling thread.
    PointSums evaluate(double x1, double sigma, std::vector<double>& scratch) const {
        // kernelLogWeight's formula with its σ-dependent constants hoisted out of the loop.
        const double half = 0.5 * (m_n + m_d);
        const double r2 = sigma * sigma * m_d;
        const double inv2s2 = 1.0 / (2.0 * sigma * sigma);
        double top = -INFINITY;
        for (std::size_t i = 0; i < m_count; ++i) {
            const double u = x1 - m_y1[i];
            const double d2 = u * u + m_rest2[i];
            const double lw = m_logQ[i] + (m_infinite ? -d2 * inv2s2 : -half * std::log1p(d2 / r2));
            scratch[i] = lw;
            top = std::max(top, lw);
        }
        // Weighted sums of (x − y_i) rather than of y_i: x − x̂ keeps its digits when x ≈ x̂.
        double s = 0, v1 = 0, w1 = 0;
        double vRest[3] = {0, 0, 0};
        std::vector<double> vDyn(m_n > 4 ? m_n - 1 : 0, 0.0);
        double* v = m_n > 4 ? vDyn.data() : vRest;
        for (std::size_t i = 0; i < m_count; ++i) {
            const double e = std::exp(scratch[i] - top);
            s += e;
            v1 += e * (x1 - m_y1[i]);
            w1 += e * m_y1[i];
            for (int k = 1; k < m_n; ++k) v[k - 1] += e * m_offsets[(k - 1) * m_count + i];
        }
        PointSums out{top + std::log(s), v1 / s, w1 / s, 0};
        out.dist2 = out.dx1 * out.dx1;
        for (int k = 1; k < m_n; ++k) out.dist2 += (v[k - 1] / s) * (v[k - 1] / s);
        return out;
    }

    // log10 of the chosen quantity at one point; −inf where the D = ∞ score vanishes.
    double cellValue(SliceQuantity quantity, const PointSums& p, double sigma) const {
        if (quantity == SliceQuantity::LogDensity)
            return (kernelLogDensity(0.0, sigma, m_d, m_n) + p.logZ) / std::numbers::ln10;
        if (m_infinite)
            return (0.5 * std::log(p.dist2) - 2.0 * std::log(sigma)) / std::numbers::ln10;
        // log Σ q_i ρ_i^−(N+D) = log Z − ((N+D)/2) log r²: kernelLogWeight drops that constant.
        const double r2 = sigma * sigma * m_d;
        const double logE =
            p.logZ - 0.5 * (m_n + m_d) * std::log(r2) + 0.5 * std::log(p.dist2 + r2);
        return logE / std::numbers::ln10;
    }

private:
    // The same sums from a faster evaluator of the same field (the tree code): x̂ and log p_σ.
    PointSums evaluateByField(double x1, double sigma) const {
        std::vector<double> x = m_through, xhat(m_n);
        x[0] = x1;
        m_field->denoise(x, sigma, xhat);
        PointSums out{m_field->fastLogDensity(x, sigma) - kernelLogDensity(0.0, sigma, m_d, m_n),
                      x1 - xhat[0], xhat[0], 0};
        for (int k = 0; k < m_n; ++k) out.dist2 += (x[k] - xhat[k]) * (x[k] - xhat[k]);
        return out;
    }

    const Denoiser* m_field;
    std::vector<double> m_through;
    int m_n;
    double m_d;
    bool m_infinite;
    std::size_t m_count;
    std::vector<double> m_y1, m_rest2;
    std::vector<double> m_offsets; // N − 1 rows of count: through_k − y_ik
    std::vector<double> m_logQ;
};

void validate(const ChargeSet& charges, double d, const SliceSettings& s) {
    auto fail = [](const std::string& why) {
        throw std::invalid_argument("computeFieldSlice: " + why);
    };
    if (auto err = validateExtraDims(d)) fail(*err);
    if (s.through.size() != static_cast<std::size_t>(charges.dim()))
        fail("through has " + std::to_string(s.through.size()) +
             " values, the charges have N = " + std::to_string(charges.dim()));
    for (double t : s.through)
        if (!std::isfinite(t)) fail("through must be finite");
    if (s.columns < 1 || s.columns > 1024 || s.rows < 1 || s.rows > 1024)
        fail("columns and rows must be in [1, 1024]");
    if (s.arrowColumns < 0 || s.arrowColumns > 256 || s.arrowRows < 0 || s.arrowRows > 256)
        fail("arrowColumns and arrowRows must be in [0, 256]");
    if (s.lineCount < 0 || s.lineCount > 1024) fail("lineCount must be in [0, 1024]");
    if (s.lineSteps < 1 || s.lineSteps > 100000) fail("lineSteps must be in [1, 100000]");
    if (!std::isfinite(s.lo) || !std::isfinite(s.hi) || !(s.hi > s.lo))
        fail("the x1 range must be finite with hi > lo");
    if (!std::isfinite(s.sigmaTop) || !(s.sigmaTop > 0))
        fail("sigmaTop must be finite and positive");
}

// Runs body(index, scratch) for every index in [0, count) on the pool, one scratch per chunk.
template <typename Body>
void forEachIndex(ThreadPool& pool, std::size_t count, std::size_t scratchSize, Body&& body) {
    pool.parallelFor(count, 1, [&](std::size_t begin, std::size_t end) {
        std::vector<double> scratch(scratchSize);
        for (std::size_t k = begin; k < end; ++k) body(k, scratch);
    });
}

bool cancelled(const CancelFlag* cancel) {
    return cancel && cancel->load(std::memory_order_relaxed);
}

// One projected line: classic RK4 in t = ln σ on dx₁/dt = x₁ − x̂₁, every state recorded.
std::vector<std::array<double, 2>> traceLine(const SliceKernel& kernel, double x1, double sigmaTop,
                                             int steps, std::vector<double>& scratch,
                                             const CancelFlag* cancel) {
    const double sigmaEnd = kLineEndFraction * sigmaTop;
    const double t0 = std::log(sigmaTop);
    const double h = (std::log(sigmaEnd) - t0) / steps;
    auto slope = [&](double x, double t) { return kernel.evaluate(x, std::exp(t), scratch).dx1; };
    std::vector<std::array<double, 2>> line;
    line.reserve(steps + 2);
    line.push_back({x1, sigmaTop});
    for (int s = 0; s < steps; ++s) {
        if (cancelled(cancel)) return {};
        const double t = t0 + s * h;
        const double k1 = slope(x1, t);
        const double k2 = slope(x1 + 0.5 * h * k1, t + 0.5 * h);
        const double k3 = slope(x1 + 0.5 * h * k2, t + 0.5 * h);
        const double k4 = slope(x1 + h * k3, t + h);
        x1 += h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        // The last state sits on σ_end exactly, not on a rounded sum of steps.
        line.push_back({x1, s + 1 == steps ? sigmaEnd : std::exp(t + h)});
    }
    line.push_back({kernel.evaluate(x1, sigmaEnd, scratch).xhat1, 0.0});
    return line;
}

// The colour window of field_slice.h from the finite values (sorted partially, a copy).
std::pair<double, double> colourWindow(std::vector<double> finite, double lowest, double highest) {
    if (finite.empty() || highest - lowest <= kSliceColourDecades) return {lowest, highest};
    auto percentile = [&](double p) {
        const auto k = static_cast<std::ptrdiff_t>(std::floor(p * (finite.size() - 1)));
        std::nth_element(finite.begin(), finite.begin() + k, finite.end());
        return finite[k];
    };
    const double top = percentile(0.98);
    return {std::max(percentile(0.02), top - kSliceColourDecades), top};
}

const char* labelFor(SliceQuantity quantity, double d) {
    if (quantity == SliceQuantity::LogDensity) return "log10 p_σ";
    return isInfiniteD(d) ? "log10 |score|" : "log10 |E|";
}

} // namespace

FieldSlice computeFieldSlice(const ChargeSet& charges, double d, const SliceSettings& settings,
                             const CancelFlag* cancel, const Denoiser* field) {
    validate(charges, d, settings);
    const SliceKernel kernel(charges, d, settings.through, field);
    FieldSlice slice;
    slice.columns = settings.columns;
    slice.rows = settings.rows;
    slice.lo = settings.lo;
    slice.hi = settings.hi;
    slice.sigmaTop = settings.sigmaTop;
    slice.sigmaAxis = settings.sigmaAxis;
    slice.sigmaBottom =
        settings.sigmaAxis == SliceAxis::Log ? kSliceLogBottom * settings.sigmaTop : 0.0;
    slice.label = labelFor(settings.quantity, d);
    slice.arrowColumns = settings.arrowColumns;
    slice.arrowRows = settings.arrowRows;
    const double width = settings.hi - settings.lo;
    auto x1At = [&](int i, int columns) { return settings.lo + (i + 0.5) * width / columns; };
    auto sigmaAt = [&](int j, int rows) { return slice.cellSigma(j, rows); };

    const int work = std::max({settings.rows, settings.arrowRows, settings.lineCount});
    ThreadPool pool(std::min(settings.threads > 0
                                 ? settings.threads
                                 : static_cast<int>(std::thread::hardware_concurrency()),
                             work));

    slice.value.resize(static_cast<std::size_t>(settings.rows) * settings.columns);
    forEachIndex(pool, settings.rows, kernel.count(), [&](std::size_t j, std::vector<double>& s) {
        if (cancelled(cancel)) return;
        const double sigma = sigmaAt(static_cast<int>(j), settings.rows);
        for (int i = 0; i < settings.columns; ++i)
            slice.value[j * settings.columns + i] = kernel.cellValue(
                settings.quantity, kernel.evaluate(x1At(i, settings.columns), sigma, s), sigma);
    });

    slice.arrows.resize(static_cast<std::size_t>(settings.arrowRows) * settings.arrowColumns);
    forEachIndex(pool, settings.arrowRows, kernel.count(), [&](std::size_t j, auto& s) {
        if (cancelled(cancel)) return;
        const double sigma = sigmaAt(static_cast<int>(j), settings.arrowRows);
        for (int i = 0; i < settings.arrowColumns; ++i) {
            const double x1 = x1At(i, settings.arrowColumns);
            const double slope = kernel.evaluate(x1, sigma, s).dx1 / sigma;
            const double norm = std::hypot(slope, 1.0);
            slice.arrows[j * settings.arrowColumns + i] = {x1, sigma, slope / norm, 1.0 / norm};
        }
    });

    slice.lines.resize(settings.lineCount);
    forEachIndex(pool, settings.lineCount, kernel.count(), [&](std::size_t k, auto& s) {
        slice.lines[k] = traceLine(kernel, x1At(static_cast<int>(k), settings.lineCount),
                                   settings.sigmaTop, settings.lineSteps, s, cancel);
    });
    if (cancelled(cancel)) return {};

    // A vanishing D = ∞ score (−inf) takes the floor of the finite values.
    double lowest = INFINITY, highest = -INFINITY;
    std::vector<double> finite;
    finite.reserve(slice.value.size());
    for (double v : slice.value)
        if (std::isfinite(v)) {
            lowest = std::min(lowest, v);
            highest = std::max(highest, v);
            finite.push_back(v);
        }
    if (!(lowest <= highest)) lowest = highest = 0;
    for (double& v : slice.value)
        if (!std::isfinite(v)) v = lowest;
    slice.minValue = lowest;
    slice.maxValue = highest;
    std::tie(slice.colourLo, slice.colourHi) = colourWindow(std::move(finite), lowest, highest);
    return slice;
}

double FieldSlice::sigmaAt(double v) const {
    if (sigmaAxis == SliceAxis::Log) return sigmaBottom * std::pow(sigmaTop / sigmaBottom, v);
    return v * sigmaTop;
}

double FieldSlice::heightOf(double sigma) const {
    if (sigmaAxis == SliceAxis::Log)
        return sigma > 0 ? std::log(sigma / sigmaBottom) / std::log(sigmaTop / sigmaBottom)
                         : -INFINITY;
    return sigma / sigmaTop;
}

} // namespace psc::physics
