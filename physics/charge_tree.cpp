// Building the k-d tree over the charges and its Taylor moments (ChargeTree).
#include "physics/charge_tree.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace psc::physics {

namespace {

constexpr int kLanes = 8; // the SIMD width leaves are padded to (simd::kLanes)
constexpr std::size_t kLeafSize = 64;
// Every node carries moments, leaves included: expanding a leaf (N+1 dot products of at most
// 165 terms in 2-D) is cheaper than summing its 32–64 charges once it is a few radii away
// (with moments from 64 charges on, a point at σ = 0.1 among 10⁶ charges took 1.5× as long).
constexpr std::uint32_t kExpandFrom = 32;
constexpr int kFrontierDepth = 5;
// The highest expansion order by dimension (each node takes the lowest that meets its budget);
// the term count grows as p^(N+1), so 3-D stops lower.
int orderFor(int n) {
    return n <= 2 ? 8 : 6;
}

std::unique_ptr<ChargeTree::Terms> makeTerms(int n, int p) {
    auto t = std::make_unique<ChargeTree::Terms>();
    const int top = p + 1;
    std::vector<std::array<int, 3>> exps;
    std::vector<int> degree;
    // Graded order, so a monomial's parent (one degree lower) comes before it.
    for (int g = 0; g <= top; ++g)
        for (int a = g; a >= 0; --a)
            for (int b = (n >= 2 ? g - a : 0); b >= 0; --b) {
                const int c = g - a - b;
                if ((n < 3 && c != 0) || (n < 2 && b != 0)) continue;
                exps.push_back({a, b, c});
                degree.push_back(g);
            }
    const auto code = [](const std::array<int, 3>& e) { return e[0] + 16 * e[1] + 256 * e[2]; };
    std::vector<int> lookup(16 * 16 * 16, -1);
    for (std::size_t i = 0; i < exps.size(); ++i) lookup[code(exps[i])] = static_cast<int>(i);
    t->monoCount = static_cast<int>(exps.size());
    t->monoCountZ = static_cast<int>(
        std::count_if(degree.begin(), degree.end(), [p](int g) { return g <= p; }));
    t->parent.assign(exps.size(), 0);
    t->across.assign(exps.size(), 0);
    for (std::size_t i = 1; i < exps.size(); ++i) {
        auto e = exps[i];
        const int c = e[0] ? 0 : (e[1] ? 1 : 2);
        --e[c];
        t->parent[i] = lookup[code(e)];
        t->across[i] = c;
    }
    std::vector<int> momentIndex(exps.size() * (top + 1), -1);
    for (std::size_t i = 0; i < exps.size(); ++i)
        for (int m = 0; degree[i] + m <= top; ++m) {
            if (degree[i] == 0 && m == top) continue; // only U needs degree p + 1, and |β| ≥ 1
            momentIndex[i * (top + 1) + m] = static_cast<int>(t->momentMono.size());
            t->momentMono.push_back(static_cast<int>(i));
            t->momentPower.push_back(m);
        }
    double factorial[20] = {1};
    for (int i = 1; i < 20; ++i) factorial[i] = factorial[i - 1] * i;
    // Block by block in k = |α| + m, and within block k monomial by monomial (graded): block k
    // holds the monomials of degree ≤ k, so its sum is the dot product of a prefix of the
    // query's powers of z with the block, times f^(k)(s₀); order q takes blocks 0..q.
    for (int k = 0; k <= p; ++k) {
        t->blockStart.push_back(static_cast<int>(t->terms.size()));
        for (std::size_t i = 0; i < exps.size() && degree[i] <= k; ++i) {
            const int m = k - degree[i];
            ChargeTree::Terms::Term term{};
            term.scale =
                std::pow(-2.0, degree[i]) / (factorial[m] * factorial[exps[i][0]] *
                                             factorial[exps[i][1]] * factorial[exps[i][2]]);
            term.gS = momentIndex[i * (top + 1) + m];
            for (int c = 0; c < n; ++c) {
                auto e = exps[i];
                ++e[c];
                term.gU[c] = momentIndex[lookup[code(e)] * (top + 1) + m];
                assert(term.gU[c] >= 0);
            }
            t->terms.push_back(term);
        }
    }
    t->blockStart.push_back(static_cast<int>(t->terms.size()));
    return t;
}

} // namespace

ChargeTree::ChargeTree(const ChargeSet& charges, int threads)
    : dim(charges.dim()), order(orderFor(charges.dim())), center(charges.mean()),
      spread(charges.rmsSpread()), count(charges.size()) {
    if (dim > kMaxDim)
        throw std::invalid_argument("the tree code takes data of at most " +
                                    std::to_string(kMaxDim) + " coordinates, not " +
                                    std::to_string(dim));
    terms = makeTerms(dim, order);
    build(charges);
    ThreadPool pool(threads);
    computeMoments(pool);
}

ChargeTree::~ChargeTree() = default;

void ChargeTree::build(const ChargeSet& charges) {
    const int n = dim;
    const std::size_t count = charges.size();
    std::vector<double> pos(count * n);
    for (std::size_t i = 0; i < count; ++i)
        for (int c = 0; c < n; ++c) pos[i * n + c] = charges.position(i)[c] - center[c];
    const auto q = charges.weights();
    const auto chargeLogQ = charges.logWeights();
    maxLogQ = *std::max_element(chargeLogQ.begin(), chargeLogQ.end());
    std::vector<std::uint32_t> perm(count);
    std::iota(perm.begin(), perm.end(), 0u);
    std::vector<std::vector<float>> rows(n);
    std::vector<float> lq;
    nodes.reserve(2 * count / kLeafSize + 2);

    // Pre-order: a subtree's leaves are stored contiguously, so every node is one range.
    auto make = [&](auto&& self, std::size_t begin, std::size_t end, int depth) -> int {
        Node node;
        for (int c = 0; c < n; ++c) {
            node.lo[c] = INFINITY;
            node.hi[c] = -INFINITY;
        }
        double moment[kMaxDim] = {};
        for (std::size_t i = begin; i < end; ++i) {
            const double* y = &pos[perm[i] * n];
            node.mass += q[perm[i]];
            for (int c = 0; c < n; ++c) {
                moment[c] += q[perm[i]] * y[c];
                node.lo[c] = std::min(node.lo[c], y[c]);
                node.hi[c] = std::max(node.hi[c], y[c]);
            }
        }
        for (int c = 0; c < n; ++c)
            node.centroid[c] = std::clamp(moment[c] / node.mass, node.lo[c], node.hi[c]);
        for (std::size_t i = begin; i < end; ++i) {
            double r2 = 0;
            for (int c = 0; c < n; ++c) {
                const double e = pos[perm[i] * n + c] - node.centroid[c];
                r2 += e * e;
            }
            node.radius = std::max(node.radius, std::sqrt(r2));
        }
        node.count = static_cast<std::uint32_t>(end - begin);
        const int id = static_cast<int>(nodes.size());
        nodes.push_back(node);
        if (depth == kFrontierDepth || (end - begin <= kLeafSize && depth < kFrontierDepth))
            frontier.push_back(id);
        if (end - begin <= kLeafSize) {
            Node& leaf = nodes[static_cast<std::size_t>(id)];
            leaf.begin = static_cast<std::uint32_t>(lq.size());
            for (std::size_t i = begin; i < end; ++i) {
                for (int c = 0; c < n; ++c)
                    rows[c].push_back(static_cast<float>(pos[perm[i] * n + c] - leaf.centroid[c]));
                lq.push_back(static_cast<float>(chargeLogQ[perm[i]]));
            }
            while (lq.size() % kLanes) {
                for (int c = 0; c < n; ++c) rows[c].push_back(0.0f);
                lq.push_back(-INFINITY);
            }
            leaf.end = static_cast<std::uint32_t>(lq.size());
            return id;
        }
        int axis = 0;
        for (int c = 1; c < n; ++c)
            if (node.hi[c] - node.lo[c] > node.hi[axis] - node.lo[axis]) axis = c;
        const std::size_t mid = begin + (end - begin) / 2;
        std::nth_element(perm.begin() + static_cast<std::ptrdiff_t>(begin),
                         perm.begin() + static_cast<std::ptrdiff_t>(mid),
                         perm.begin() + static_cast<std::ptrdiff_t>(end),
                         [&](std::uint32_t i, std::uint32_t j) {
                             return pos[i * n + axis] < pos[j * n + axis];
                         });
        const int left = self(self, begin, mid, depth + 1);
        const int right = self(self, mid, end, depth + 1);
        Node& self_ = nodes[static_cast<std::size_t>(id)];
        self_.left = left;
        self_.right = right;
        self_.begin = nodes[static_cast<std::size_t>(left)].begin;
        self_.end = nodes[static_cast<std::size_t>(right)].end;
        return id;
    };
    make(make, 0, count, 0);
    stored = lq.size();
    h.resize(static_cast<std::size_t>(n) * stored);
    for (int c = 0; c < n; ++c) std::copy(rows[c].begin(), rows[c].end(), h.begin() + c * stored);
    logQ = std::move(lq);
}

// G[β][m] = Σ q h^β |h|^(2m) about each large node's centroid, from the stored charges.
void ChargeTree::computeMoments(ThreadPool& pool) {
    const Terms& table = *terms;
    const std::size_t termCount = table.terms.size();
    const std::size_t perNode = termCount * static_cast<std::size_t>(dim + 1);
    std::vector<int> expanded;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].count >= kExpandFrom) {
            nodes[i].moments = static_cast<std::int64_t>(expanded.size() * perNode);
            expanded.push_back(static_cast<int>(i));
        }
    moments.assign(expanded.size() * perNode, 0.0);
    // Which leaf each stored charge belongs to, for its absolute position.
    std::vector<int> leafOf(stored, -1);
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].left < 0)
            for (std::uint32_t j = nodes[i].begin; j < nodes[i].end; ++j)
                leafOf[j] = static_cast<int>(i);
    const int n = dim;
    const int top = order + 1;
    pool.parallelFor(expanded.size(), 1, [&](std::size_t first, std::size_t last) {
        std::vector<double> mono(table.monoCount), norm(top + 1), g(table.momentMono.size());
        for (std::size_t e = first; e < last; ++e) {
            const Node& node = nodes[static_cast<std::size_t>(expanded[e])];
            std::fill(g.begin(), g.end(), 0.0);
            for (std::uint32_t j = node.begin; j < node.end; ++j) {
                if (!(logQ[j] > -INFINITY)) continue;
                const Node& leaf = nodes[static_cast<std::size_t>(leafOf[j])];
                const double q = std::exp(static_cast<double>(logQ[j]));
                double hv[kMaxDim], h2 = 0;
                for (int c = 0; c < n; ++c) {
                    hv[c] = leaf.centroid[c] + h[c * stored + j] - node.centroid[c];
                    h2 += hv[c] * hv[c];
                }
                mono[0] = q;
                for (int i = 1; i < table.monoCount; ++i)
                    mono[i] = mono[table.parent[i]] * hv[table.across[i]];
                norm[0] = 1;
                for (int m = 1; m <= top; ++m) norm[m] = norm[m - 1] * h2;
                for (std::size_t k = 0; k < g.size(); ++k)
                    g[k] += mono[table.momentMono[k]] * norm[table.momentPower[k]];
            }
            double* out = moments.data() + node.moments;
            for (std::size_t t = 0; t < termCount; ++t) {
                const auto& term = table.terms[t];
                out[t] = term.scale * g[term.gS];
                for (int c = 0; c < n; ++c)
                    out[(c + 1) * termCount + t] = term.scale * g[term.gU[c]];
            }
        }
    });
}

double ChargeTree::estimateBytes(std::size_t count, int dim) {
    // Median splits: a power of two of leaves of at most kLeafSize charges.
    double leaves = 1;
    while (leaves * static_cast<double>(kLeafSize) < static_cast<double>(count)) leaves *= 2;
    const double nodes = 2 * leaves - 1;
    const int p = orderFor(dim);
    double terms = 0; // Σ_k (monomials of degree ≤ k in dim variables)
    for (int k = 0; k <= p; ++k) {
        double monomials = 1;
        for (int i = 1; i <= dim; ++i) monomials = monomials * (k + i) / i;
        terms += monomials;
    }
    const double m = static_cast<double>(count);
    const double stored = m + leaves * (kLanes - 1); // padding, at most
    return nodes * sizeof(Node) + nodes * terms * (dim + 1) * sizeof(double) +
           stored * (dim + 1) * sizeof(float) * 2.5 // kept, and the build's growing rows
           + m * dim * sizeof(double) + m * sizeof(std::uint32_t); // positions, permutation
}

std::size_t ChargeTree::memoryBytes() const {
    return nodes.size() * sizeof(Node) + moments.size() * sizeof(double) +
           (h.size() + logQ.size()) * sizeof(float);
}

} // namespace psc::physics
