// The per-point traversal of TreeDenoiser with its error budget, and the direct leaf sums.
// physics/README.md §12 derives the bounds used here.
#include "physics/tree_denoiser.h"

#include "physics/extra_dims.h"
#include "physics/kernel.h"
#include "physics/simd_math.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace psc::physics {

namespace {

using simd::VFloat;
constexpr int kLanes = simd::kLanes;
constexpr double kGaussianAboveD = 1e12; // as FastDenoiser: the Student-t kernel is Gaussian there
// The share of the tolerance the summarised nodes may use; float rounding of direct sums takes
// the rest (measured below 1e-6 of the spread; tst_tree_denoiser).
constexpr double kTreeShare = 0.9;
constexpr float kNegligibleLogWeight = -80.0f;

} // namespace

// The kernel at one σ: log f(s) relative to the query's reference, and the derivatives and
// remainder coefficients of the expansion.
struct TreeDenoiser::Kernel {
    bool gaussian;
    double a;        // (N+D)/2
    double r2;       // σ²D
    double inv2s2;   // 1/(2σ²)
    double sRef;     // the nearest charge's squared distance
    double invDen;   // 1/(r² + sRef)
    double logQTop;  // max log q
    double poch[20]; // [q]: (a)_(q+1) / (q+1)!, or 1/(q+1)! for the Gaussian
    int order;

    bool halfInteger; // 2a is a whole number (≤ 512)

    // log(f(s)/f(sRef)) − max log q: every charge's scaled weight is at most 1.
    double logF(double s) const {
        return (gaussian ? -(s - sRef) * inv2s2 : -a * std::log1p((s - sRef) * invDen)) - logQTop;
    }
    // exp(logF(s)); for whole or half-whole a as ((r² + sRef)/(r² + s))^a by multiplication,
    // which the traversal asks for at every node it visits.
    double f(double s) const {
        if (!halfInteger) return std::exp(logF(s));
        const double w = (r2 + sRef) / (r2 + s);
        auto whole = static_cast<unsigned>(a);
        double power = 1, base = w;
        for (; whole; whole >>= 1, base *= base)
            if (whole & 1u) power *= base;
        if (a != std::floor(a)) power *= std::sqrt(w);
        return power * scaleQ;
    }
    double scaleQ; // exp(−max log q)
    // The lowest order q ≤ p whose bound on the truncation error of one charge's weight
    // (scaled), times reach, fits within allowed; -1 if none; the bound goes to *error.
    // f is analytic with its nearest singularity at s = −r² (none for the Gaussian), so for
    // |t| ≤ tMax the remainder is the series' own tail,
    //   |R_q| ≤ f(s₀) Σ_{k>q} (a)_k/k! ρ^k,  ρ = tMax/(r² + s₀)   (Gaussian: (tMax/2σ²)^k / k!),
    // and the ratio of consecutive terms stays below κ = ρ·max(1, (a+q+1)/(q+2)) (Gaussian:
    // ρ/(q+2)), so the tail is at most its first term over 1 − κ when κ < 1. Derivatives are
    // taken at s₀, not at the node's nearest point, which at a quarter of the distance would
    // cost the heavy D = 1 kernel a factor of 400 at order 8.
    int lowestOrder(double s0, double f0, double tMax, double reach, double allowed,
                    double* error) const {
        const double rho = gaussian ? tMax * inv2s2 : tMax / (r2 + s0);
        double power = rho;
        for (int q = 0; q <= order; ++q, power *= rho) {
            const double kappa =
                gaussian ? rho / (q + 2) : rho * std::max(1.0, (a + q + 1) / (q + 2));
            if (kappa >= 1) continue;
            const double r = f0 * poch[q] * power / (1 - kappa);
            if (r * reach <= allowed) {
                *error = r;
                return q;
            }
        }
        return -1;
    }
};

namespace {

double dot(const double* a, const double* b, std::size_t count) {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t i = 0;
    for (; i + 4 <= count; i += 4) {
        s0 += a[i] * b[i];
        s1 += a[i + 1] * b[i + 1];
        s2 += a[i + 2] * b[i + 2];
        s3 += a[i + 3] * b[i + 3];
    }
    for (; i < count; ++i) s0 += a[i] * b[i];
    return (s0 + s1) + (s2 + s3);
}

double boxDistance2(const double* lo, const double* hi, const double* x, int n) {
    double d2 = 0;
    for (int c = 0; c < n; ++c) {
        const double e = x[c] < lo[c] ? lo[c] - x[c] : (x[c] > hi[c] ? x[c] - hi[c] : 0.0);
        d2 += e * e;
    }
    return d2;
}

double boxFarthest2(const double* lo, const double* hi, const double* x, int n) {
    double d2 = 0;
    for (int c = 0; c < n; ++c) {
        const double e = std::max(std::abs(x[c] - lo[c]), std::abs(hi[c] - x[c]));
        d2 += e * e;
    }
    return d2;
}

// A leaf's charges summed directly: Σw and Σw·h (h from the leaf's centroid). The squared
// distances are taken in double and only their offset from sRef goes to float, so log1p and exp
// see small, well-conditioned arguments whatever the query's distance.
struct LeafArgs {
    const float* h; // dim rows of `stored` floats
    const float* logQ;
    std::size_t stored;
    std::uint32_t begin, end;
    double z[TreeDenoiser::kMaxDim]; // query − leaf centroid
    double sRef, scale;              // arg = (d² − sRef)·scale
    float a, top;
    bool gaussian;
};

template <int N, bool Gaussian>
[[gnu::always_inline]] inline double leafLoop(const LeafArgs& k, double* out) {
    using simd::VDouble;
    using VHalf = float __attribute__((vector_size(16)));
    VFloat sum{}, u[N];
    for (int c = 0; c < N; ++c) u[c] = VFloat{};
    VDouble zv[N];
    for (int c = 0; c < N; ++c) zv[c] = VDouble{} + k.z[c];
    for (std::uint32_t j0 = k.begin; j0 < k.end; j0 += kLanes) {
        VDouble lo{}, hi{};
        for (int c = 0; c < N; ++c) {
            VFloat hv;
            __builtin_memcpy(&hv, k.h + c * k.stored + j0, sizeof hv);
            const VDouble l = zv[c] - __builtin_convertvector(
                                          __builtin_shufflevector(hv, hv, 0, 1, 2, 3), VDouble);
            const VDouble r = zv[c] - __builtin_convertvector(
                                          __builtin_shufflevector(hv, hv, 4, 5, 6, 7), VDouble);
            lo += l * l;
            hi += r * r;
        }
        const VHalf argLo = __builtin_convertvector((lo - k.sRef) * k.scale, VHalf);
        const VHalf argHi = __builtin_convertvector((hi - k.sRef) * k.scale, VHalf);
        VFloat arg = __builtin_shufflevector(argLo, argHi, 0, 1, 2, 3, 4, 5, 6, 7);
        // Rounding may leave the nearest charge a hair below sRef.
        arg = arg < 0.0f ? simd::splat(0.0f) : arg;
        VFloat lq;
        __builtin_memcpy(&lq, k.logQ + j0, sizeof lq);
        VFloat lw;
        if constexpr (Gaussian)
            lw = lq - k.top - arg;
        else
            lw = lq - k.top - k.a * simd::log1p(arg);
        const VFloat e = lw < kNegligibleLogWeight ? simd::splat(0.0f) : simd::exp(lw);
        sum += e;
        // Loaded again rather than kept: a kept copy went through the stack, and the two
        // 16-byte stores then one 32-byte load stalled store forwarding (half the loop's time).
        for (int c = 0; c < N; ++c) {
            VFloat hv;
            __builtin_memcpy(&hv, k.h + c * k.stored + j0, sizeof hv);
            u[c] += e * hv;
        }
    }
    for (int c = 0; c < N; ++c) out[c] = simd::horizontalSum(simd::widenPairs(u[c]));
    return simd::horizontalSum(simd::widenPairs(sum));
}

// Compiled twice (AVX2+FMA and baseline), as FastDenoiser's kernel and for the same reasons.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(__AVX2__) &&       \
    !defined(__SANITIZE_THREAD__)
__attribute__((target_clones("arch=x86-64-v3", "default")))
#endif
double
leafSums(const LeafArgs& k, int n, double* out) {
    switch (n * 2 + (k.gaussian ? 1 : 0)) {
    case 2:
        return leafLoop<1, false>(k, out);
    case 3:
        return leafLoop<1, true>(k, out);
    case 4:
        return leafLoop<2, false>(k, out);
    case 5:
        return leafLoop<2, true>(k, out);
    case 6:
        return leafLoop<3, false>(k, out);
    default:
        return leafLoop<3, true>(k, out);
    }
}

} // namespace

// One point's evaluation: the reference scale, the bound on Σw, and the sums.
struct TreeDenoiser::Query {
    const ChargeTree& tree;
    const Kernel& kernel;
    double x[kMaxDim]; // centred
    double s = 0;      // Σ w (scaled)
    double t[kMaxDim]{};
    double errA = 0, errB = 0; // Σ Q·R·(ℓ + |c − g|), Σ Q·R
    std::uint64_t direct = 0, expansions = 0, dropped = 0;
    std::vector<double> zPow;
    std::vector<int> stack;

    Query(const ChargeTree& tr, const Kernel& k) : tree(tr), kernel(k) {
        zPow.resize(tr.terms->monoCountZ);
        stack.reserve(128);
    }

    void reset() {
        s = errA = errB = 0;
        std::fill(std::begin(t), std::end(t), 0.0);
    }

    void sumLeafAnyDim(const ChargeTree::Node& node) {
        LeafArgs k{};
        k.h = tree.h.data();
        k.logQ = tree.logQ.data();
        k.stored = tree.stored;
        k.begin = node.begin;
        k.end = node.end;
        for (int c = 0; c < tree.dim; ++c) k.z[c] = x[c] - node.centroid[c];
        k.sRef = kernel.sRef;
        k.scale = kernel.gaussian ? kernel.inv2s2 : kernel.invDen;
        k.a = static_cast<float>(kernel.a);
        k.top = static_cast<float>(kernel.logQTop);
        k.gaussian = kernel.gaussian;
        double u[kMaxDim] = {};
        const double leafSum = leafSums(k, tree.dim, u);
        s += leafSum;
        for (int c = 0; c < tree.dim; ++c) t[c] += u[c] + node.centroid[c] * leafSum;
        direct += node.count;
    }

    // The expansion of a node about its centroid (z = x − c, s₀ = |z|²).
    void expand(const ChargeTree::Node& node, const double* z, double s0, double f0, int q) {
        const ChargeTree::Terms& terms = *tree.terms;
        const int n = tree.dim;
        zPow[0] = 1;
        for (int i = 1; i < terms.monoCountZ; ++i)
            zPow[i] = zPow[terms.parent[i]] * z[terms.across[i]];
        double f[20];
        f[0] = f0;
        const double step = kernel.gaussian ? -kernel.inv2s2 : -1.0 / (kernel.r2 + s0);
        for (int k = 1; k <= q; ++k)
            f[k] = f[k - 1] * step * (kernel.gaussian ? 1.0 : kernel.a + k - 1);
        // The node's moments lie term by term, scaled, one row for S and one per coordinate of
        // U, block k against a prefix of the powers of z: contiguous dot products.
        const std::size_t stride = terms.terms.size();
        const double* g = tree.moments.data() + node.moments;
        double sum = 0, u[kMaxDim] = {};
        for (int k = 0; k <= q; ++k) {
            const auto start = static_cast<std::size_t>(terms.blockStart[k]);
            const auto length = static_cast<std::size_t>(terms.blockStart[k + 1]) - start;
            sum += f[k] * dot(zPow.data(), g + start, length);
            for (int c = 0; c < n; ++c)
                u[c] += f[k] * dot(zPow.data(), g + (c + 1) * stride + start, length);
        }
        s += sum;
        for (int k = 0; k < n; ++k) t[k] += u[k] + node.centroid[k] * sum;
        ++expansions;
    }

    // One traversal with x̂ guessed at g to within gamma. Each summarised node may spend
    // budget × (a lower bound on Σw) per unit of charge; that lower bound starts at floor and
    // grows with what the traversal has summed (nearest first), certified at every moment: exact
    // leaf sums plus expansions less their remainders. lever keeps Σ Q·R below half of Σw,
    // which the certificate's denominator needs.
    void traverse(const double* g, double gamma, double budget, double lever, double floor) {
        reset();
        const int n = tree.dim;
        double summed = 0; // certified part of Σw seen so far
        stack.clear();
        stack.push_back(0);
        while (!stack.empty()) {
            const ChargeTree::Node& node = tree.nodes[static_cast<std::size_t>(stack.back())];
            stack.pop_back();
            double z[kMaxDim], cg2 = 0, s0 = 0;
            for (int c = 0; c < n; ++c) {
                z[c] = x[c] - node.centroid[c];
                s0 += z[c] * z[c];
                cg2 += (node.centroid[c] - g[c]) * (node.centroid[c] - g[c]);
            }
            const double zn = std::sqrt(s0), l = node.radius;
            const double dMin =
                std::max(std::sqrt(boxDistance2(node.lo, node.hi, x, n)), std::max(0.0, zn - l));
            const double dMax = std::min(std::sqrt(boxFarthest2(node.lo, node.hi, x, n)), zn + l);
            const double sMin = dMin * dMin, sMax = dMax * dMax;
            const double arm = l + std::sqrt(cg2);
            const double reach = arm + gamma + lever;
            const double allowed = budget * std::max(floor, summed);
            const double bound = kernel.f(sMin); // every charge's weight, scaled
            if (bound * reach <= allowed) {
                errA += node.mass * bound * arm;
                errB += node.mass * bound;
                ++dropped;
                continue;
            }
            if (node.moments >= 0) {
                const double tMax = std::min(l * l + 2 * zn * l, std::max(s0 - sMin, sMax - s0));
                const double f0 = kernel.f(s0);
                double r = 0;
                if (const int q = kernel.lowestOrder(s0, f0, tMax, reach, allowed, &r); q >= 0) {
                    const double before = s;
                    expand(node, z, s0, f0, q);
                    summed += std::max(0.0, s - before - node.mass * r);
                    errA += node.mass * r * arm;
                    errB += node.mass * r;
                    continue;
                }
            }
            if (node.left < 0) {
                const double before = s;
                sumLeafAnyDim(node);
                summed += s - before;
                continue;
            }
            pushChildren(node);
        }
    }

    // The nearer child last, so that it is taken first.
    void pushChildren(const ChargeTree::Node& node) {
        const int n = tree.dim;
        const ChargeTree::Node& left = tree.nodes[static_cast<std::size_t>(node.left)];
        const ChargeTree::Node& right = tree.nodes[static_cast<std::size_t>(node.right)];
        const bool leftNear =
            boxDistance2(left.lo, left.hi, x, n) <= boxDistance2(right.lo, right.hi, x, n);
        stack.push_back(leftNear ? node.right : node.left);
        stack.push_back(leftNear ? node.left : node.right);
    }

    // The squared distance to the nearest charge.
    double nearest() {
        const int n = tree.dim;
        const std::size_t stored = tree.stored;
        double best = INFINITY;
        stack.clear();
        stack.push_back(0);
        while (!stack.empty()) {
            const int id = stack.back();
            stack.pop_back();
            const ChargeTree::Node& node = tree.nodes[static_cast<std::size_t>(id)];
            if (boxDistance2(node.lo, node.hi, x, n) >= best) continue;
            if (node.left >= 0) {
                pushChildren(node);
                continue;
            }
            for (std::uint32_t j = node.begin; j < node.end; ++j) {
                if (!(tree.logQ[j] > -INFINITY)) continue;
                double d2 = 0;
                for (int c = 0; c < n; ++c) {
                    const double e = x[c] - node.centroid[c] - tree.h[c * stored + j];
                    d2 += e * e;
                }
                best = std::min(best, d2);
            }
        }
        return best;
    }
};

TreeDenoiser::TreeDenoiser(const ChargeSet& charges, double d, double tolerance, int threads)
    : TreeDenoiser(std::make_shared<const ChargeTree>(charges, threads), d, tolerance, threads) {}

TreeDenoiser::TreeDenoiser(std::shared_ptr<const ChargeTree> tree, double d, double tolerance,
                           int threads)
    : m_tree(std::move(tree)), m_d(d), m_pool(std::make_unique<ThreadPool>(threads)) {
    if (auto err = validateExtraDims(d)) throw std::invalid_argument(*err);
    if (!(tolerance > 0 && tolerance < 1))
        throw std::invalid_argument("the field tolerance must lie in (0, 1)");
    for (auto& c : m_counts) c = 0;
    // A single point (or coincident ones) has no spread: its x̂ is exact anyway.
    m_tolerance = tolerance * (m_tree->spread > 0 ? m_tree->spread : 1.0);
}

TreeDenoiser::~TreeDenoiser() = default;

TreeDenoiser::Counters TreeDenoiser::counters() const {
    Counters c;
    c.points = m_counts[0];
    c.directCharges = m_counts[1];
    c.expansions = m_counts[2];
    c.dropped = m_counts[3];
    c.secondPasses = m_counts[4];
    c.bruteForce = m_counts[5];
    return c;
}

void TreeDenoiser::denoise(std::span<const double> points, double sigma,
                           std::span<double> out) const {
    denoiseBounded(points, sigma, out, {});
}

void TreeDenoiser::denoiseBounded(std::span<const double> points, double sigma,
                                  std::span<double> out, std::span<double> bounds) const {
    assert(points.size() == out.size() && points.size() % m_tree->dim == 0);
    const std::size_t count = points.size() / m_tree->dim;
    assert(bounds.empty() || bounds.size() == count);
    // A few points (the field-line tracer's calls, from several threads at once) run inline:
    // the pool takes one caller at a time.
    if (count <= 4) {
        std::uint32_t order[4] = {0, 1, 2, 3};
        denoiseRange(points, sigma, out, bounds, std::span<const std::uint32_t>(order, count));
        return;
    }
    // Points in Morton order of their place in the data's box: neighbours walk nearly the same
    // nodes, which then stay in cache (at 10⁶ charges the moments are far larger than it).
    const ChargeTree::Node& root = m_tree->nodes[0];
    const int bits = 60 / m_tree->dim;
    std::vector<std::pair<std::uint64_t, std::uint32_t>> keyed(count);
    for (std::size_t p = 0; p < count; ++p) {
        std::uint64_t key = 0;
        for (int c = 0; c < m_tree->dim; ++c) {
            const double extent = root.hi[c] - root.lo[c];
            const double unit =
                extent > 0 ? (points[p * m_tree->dim + c] - m_tree->center[c] - root.lo[c]) / extent
                           : 0.0;
            const auto cell = static_cast<std::uint64_t>(std::clamp(unit, 0.0, 1.0) *
                                                         static_cast<double>((1ull << bits) - 1));
            for (int b = 0; b < bits; ++b) key |= ((cell >> b) & 1ull) << (b * m_tree->dim + c);
        }
        keyed[p] = {key, static_cast<std::uint32_t>(p)};
    }
    std::sort(keyed.begin(), keyed.end());
    std::vector<std::uint32_t> order(count);
    for (std::size_t p = 0; p < count; ++p) order[p] = keyed[p].second;
    m_pool->parallelFor(count, 4, [&](std::size_t begin, std::size_t end) {
        denoiseRange(points, sigma, out, bounds,
                     std::span<const std::uint32_t>(order).subspan(begin, end - begin));
    });
}

namespace {

TreeDenoiser::Kernel kernelAt(const ChargeTree& tree, double d, double sigma) {
    TreeDenoiser::Kernel kernel{};
    kernel.gaussian = isInfiniteD(d) || d > kGaussianAboveD;
    kernel.a = 0.5 * (tree.dim + d);
    kernel.r2 = sigma * sigma * d;
    kernel.inv2s2 = 1.0 / (2.0 * sigma * sigma);
    kernel.logQTop = tree.maxLogQ;
    kernel.order = tree.order;
    double poch = 1;
    for (int k = 0; k <= tree.order; ++k) {
        poch *= (kernel.gaussian ? 1.0 : kernel.a + k) / (k + 1);
        kernel.poch[k] = poch;
    }
    // (N+D)/2 is a whole or half number for whole D: powers by multiplication, no log or exp.
    const double twice = 2 * kernel.a;
    kernel.halfInteger = !kernel.gaussian && twice <= 512 && twice == std::floor(twice);
    kernel.scaleQ = std::exp(-tree.maxLogQ);
    return kernel;
}

} // namespace

// One point: the nearest charge sets the scale, the frontier a first bound on Σw; up to two
// traversals, then brute force. x̂ (centred) goes to xt; returns the certified bound.
double TreeDenoiser::evaluate(Query& query, Kernel& kernel, double* xt, std::uint64_t& second,
                              std::uint64_t& brute) const {
    const int n = m_tree->dim;
    const double target = kTreeShare * m_tolerance;
    const ChargeTree::Node& root = m_tree->nodes[0];
    kernel.sRef = query.nearest();
    kernel.invDen = 1.0 / (kernel.r2 + kernel.sRef);
    // A lower bound on Σw before anything is summed: every frontier node at its farthest
    // distance (close to Σw when σ is large against the data).
    double floor = 0;
    for (int id : m_tree->frontier) {
        const ChargeTree::Node& node = m_tree->nodes[static_cast<std::size_t>(id)];
        floor += node.mass * kernel.f(boxFarthest2(node.lo, node.hi, query.x, n));
    }
    // The first guess of x̂: the point itself, kept inside the data's box.
    double g[kMaxDim];
    for (int c = 0; c < n; ++c) g[c] = std::clamp(query.x[c], root.lo[c], root.hi[c]);
    double gamma = 0, certified = INFINITY;
    for (int pass = 0; pass < 2 && !(certified <= target); ++pass) {
        if (pass == 1) ++second;
        query.traverse(g, gamma, 0.5 * target, target, floor);
        double gap2 = 0;
        for (int c = 0; c < n; ++c) {
            xt[c] = query.t[c] / query.s;
            gap2 += (xt[c] - g[c]) * (xt[c] - g[c]);
        }
        const double denominator = query.s - query.errB;
        certified =
            denominator > 0 ? (query.errA + query.errB * std::sqrt(gap2)) / denominator : INFINITY;
        if (!std::isfinite(certified)) break;
        // The second pass guesses x̂ at the first's answer, which lies within its bound.
        for (int c = 0; c < n; ++c) g[c] = xt[c];
        gamma = certified;
    }
    if (!(certified <= target)) {
        ++brute;
        query.reset();
        for (const ChargeTree::Node& node : m_tree->nodes)
            if (node.left < 0) query.sumLeafAnyDim(node);
        for (int c = 0; c < n; ++c) xt[c] = query.t[c] / query.s;
        certified = 0;
    }
    return certified;
}

void TreeDenoiser::denoiseRange(std::span<const double> points, double sigma, std::span<double> out,
                                std::span<double> bounds,
                                std::span<const std::uint32_t> order) const {
    const simd::DenormalsAreZero guard;
    const int n = m_tree->dim;
    Kernel kernel = kernelAt(*m_tree, m_d, sigma);
    std::uint64_t secondPasses = 0, brute = 0;
    Query query(*m_tree, kernel);
    for (const std::uint32_t p : order) {
        for (int c = 0; c < n; ++c) query.x[c] = points[p * n + c] - m_tree->center[c];
        double xt[kMaxDim];
        const double certified = evaluate(query, kernel, xt, secondPasses, brute);
        for (int c = 0; c < n; ++c) out[p * n + c] = xt[c] + m_tree->center[c];
        if (!bounds.empty()) bounds[p] = certified;
    }
    m_counts[0] += order.size();
    m_counts[1] += query.direct;
    m_counts[2] += query.expansions;
    m_counts[3] += query.dropped;
    m_counts[4] += secondPasses;
    m_counts[5] += brute;
}

// Σw of the same evaluation, in the units of logPerturbedDensity: the kernel's normalised
// density at the nearest charge's distance, times the largest charge, times the scaled sum.
double TreeDenoiser::fastLogDensity(std::span<const double> x, double sigma) const {
    const simd::DenormalsAreZero guard;
    const int n = m_tree->dim;
    Kernel kernel = kernelAt(*m_tree, m_d, sigma);
    Query query(*m_tree, kernel);
    for (int c = 0; c < n; ++c) query.x[c] = x[c] - m_tree->center[c];
    double xt[kMaxDim];
    std::uint64_t second = 0, brute = 0;
    evaluate(query, kernel, xt, second, brute);
    return kernelLogDensity(kernel.sRef, sigma, m_d, n) + m_tree->maxLogQ + std::log(query.s);
}

} // namespace psc::physics
