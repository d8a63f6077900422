// The exact denoiser for many charges: a k-d tree whose far nodes are summarised by truncated
// Taylor expansions, with a certified bound on the error of every x̂ it returns.
#pragma once

#include "physics/charge_set.h"
#include "physics/charge_tree.h"
#include "physics/denoiser.h"
#include "physics/thread_pool.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace psc::physics {

// The default error allowed on x̂, as a fraction of the data's spread (ChargeSet::rmsSpread).
inline constexpr double kDefaultFieldTolerance = 1e-4;

// x̂ = Σ q_i K(|x − y_i|²) y_i / Σ q_i K(|x − y_i|²) with K the PFGM++ kernel (physics/README.md
// §12 has the derivation). Nodes of the tree are, per query point, either
//   dropped     — their whole weight is bounded by Q·K(d_min²), small enough to leave out;
//   expanded    — K(|x − y|²) = f(s₀ + t) expanded in t = |h|² − 2 z·h (h = y − c, z = x − c)
//                 to the lowest order q ≤ p that meets the node's budget, about its centroid c:
//                 one set of node moments serves every D and σ, and the series' own tail (f is
//                 analytic up to s = −r²) bounds the error of each charge's weight;
//   opened      — children visited, leaves summed directly (float SIMD on squared distances
//                 taken in double, in double totals).
// The errors of the summarised nodes add up to a bound on |x̃ − x̂| that is computed a posteriori
// for each point; a point whose bound exceeds 0.9 × the tolerance is redone with a better guess
// of x̂, and, if that fails too, by brute force over every charge. The remaining 0.1 covers the
// float rounding of the direct sums (tested against the double reference).
// N ≤ 3 (kMaxDim); denoise() may be called from several threads at once.
class TreeDenoiser final : public Denoiser {
public:
    static constexpr int kMaxDim = ChargeTree::kMaxDim;

    // tolerance: fraction of the data's spread. threads <= 0: one per hardware thread.
    // Throws std::invalid_argument for N > kMaxDim, an invalid D or tolerance.
    TreeDenoiser(const ChargeSet& charges, double d, double tolerance = kDefaultFieldTolerance,
                 int threads = 0);
    // On a tree already built (the tree does not depend on D: a D change rebuilds nothing).
    TreeDenoiser(std::shared_ptr<const ChargeTree> tree, double d,
                 double tolerance = kDefaultFieldTolerance, int threads = 0);
    ~TreeDenoiser() override;

    int dim() const override { return m_tree->dim; }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    const char* name() const override { return "tree"; }
    // log p_σ(x) from the same traversal: its relative error is at most the traversal's
    // Σ Q·R over Σw (at most a half by the budget; tst_field_slice measures below 2.3e-5).
    double fastLogDensity(std::span<const double> x, double sigma) const override;

    // As denoise(), also writing for each point the certified bound on |x̃ − x̂| (in data units;
    // 0 where the point fell back to brute force).
    void denoiseBounded(std::span<const double> points, double sigma, std::span<double> out,
                        std::span<double> bounds) const;

    // The error allowed on each x̂, in data units.
    double absoluteTolerance() const { return m_tolerance; }
    double extraDims() const { return m_d; }
    int threadCount() const { return m_pool->threadCount(); }
    const ChargeTree& tree() const { return *m_tree; }

    // What the queries so far have cost, summed over points.
    struct Counters {
        std::uint64_t points = 0;
        std::uint64_t directCharges = 0; // charge–point pairs summed directly
        std::uint64_t expansions = 0;    // node expansions evaluated
        std::uint64_t dropped = 0;       // nodes left out under their bound
        std::uint64_t secondPasses = 0;  // points redone with a better guess of x̂
        std::uint64_t bruteForce = 0;    // points that fell back to every charge
    };
    Counters counters() const;

    struct Query;
    struct Kernel;

private:
    double evaluate(Query& query, Kernel& kernel, double* xt, std::uint64_t& second,
                    std::uint64_t& brute) const;
    void denoiseRange(std::span<const double> points, double sigma, std::span<double> out,
                      std::span<double> bounds, std::span<const std::uint32_t> order) const;

    std::shared_ptr<const ChargeTree> m_tree;
    double m_d;
    double m_tolerance;
    std::unique_ptr<ThreadPool> m_pool;
    mutable std::atomic<std::uint64_t> m_counts[6];
};

} // namespace psc::physics
