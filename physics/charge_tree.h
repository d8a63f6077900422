// A k-d tree over the charges with Taylor moments at its nodes: everything the tree code
// (TreeDenoiser) needs that depends on neither D nor σ, so one tree serves every D.
#pragma once

#include "physics/charge_set.h"
#include "physics/thread_pool.h"

#include <cstdint>
#include <memory>
#include <vector>

namespace psc::physics {

class ChargeTree {
public:
    static constexpr int kMaxDim = 3;

    // Throws std::invalid_argument for N > kMaxDim. threads <= 0: one per hardware thread
    // (the moments are computed in parallel).
    explicit ChargeTree(const ChargeSet& charges, int threads = 0);
    ~ChargeTree();
    ChargeTree(const ChargeTree&) = delete;
    ChargeTree& operator=(const ChargeTree&) = delete;

    // Bytes held by the nodes, their moments and the charges.
    std::size_t memoryBytes() const;
    // The peak while a tree over `count` charges of `dim` coordinates is built (what it keeps,
    // and the build's own copies of the positions), for memory estimates before a run.
    static double estimateBytes(std::size_t count, int dim);

    struct Node {
        double centroid[kMaxDim]{}; // Σ q y / Q
        double lo[kMaxDim]{}, hi[kMaxDim]{};
        double radius = 0;                           // max |y − centroid|
        double mass = 0;                             // Q = Σ q
        std::uint32_t begin = 0, end = 0, count = 0; // stored (padded) range; real charges
        std::int32_t left = -1, right = -1;
        std::int64_t moments = -1; // offset into m_moments, or none
    };

    // The index sets of the expansion: monomials h^β of degree ≤ p + 1, moments G[β][m] =
    // Σ q h^β |h|^(2m) for |β| + m ≤ p + 1, and the terms of S = Σ q f(s₀ + t) and U = Σ q f(s₀+t)
    // h truncated after t^p:
    //   S ≈ Σ_{|α|+m ≤ p} f^(|α|+m)(s₀) (−2)^|α| / (m! α!) z^α G[α][m],   U_c the same with
    //   G[α+e_c][m].
    struct Terms {
        struct Term {
            double scale;
            int gS;
            int gU[kMaxDim];
        };
        int monoCount = 0;               // degree ≤ p + 1
        int monoCountZ = 0;              // degree ≤ p: the powers of z a query needs
        std::vector<int> parent, across; // mono[i] = mono[parent[i]] · h[across[i]]
        std::vector<int> momentMono, momentPower;
        std::vector<Term> terms;
        // Terms come in blocks of equal k, block k holding monomials 0 .. (those of degree ≤ k)
        // in order; blockStart[k] is where it starts, blockStart[p + 1] the term count.
        std::vector<int> blockStart;
    };

    int dim;
    int order;                  // p
    std::vector<double> center; // the charges' mean: everything below is relative to it
    double spread;              // ChargeSet::rmsSpread
    std::size_t count;          // charges
    std::vector<Node> nodes;    // nodes[0] is the root
    std::vector<int> frontier;  // nodes whose lower bounds start every query's bound on Σw
    // Charges, leaf by leaf, each leaf padded to the SIMD width with zero-weight charges: the
    // offset from the leaf's centroid (dim rows of `stored` floats) and log q.
    std::vector<float> h;
    std::vector<float> logQ;
    std::size_t stored = 0;
    double maxLogQ = 0;
    // Per expanded node: one row per term for S and one per coordinate for U, scaled.
    std::vector<double> moments;
    std::unique_ptr<Terms> terms;

private:
    void build(const ChargeSet& charges);
    void computeMoments(ThreadPool& pool);
};

} // namespace psc::physics
