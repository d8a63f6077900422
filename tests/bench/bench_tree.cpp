// The tree code against brute force on the flow users run: an 18-step Heun flow of P particles
// from the prior at σ_max = 80 down to the data, for M charges. Brute force (FastDenoiser, the
// float SIMD path) is timed on a slice of the particles and scaled to P: its cost is exactly
// linear in the particle count. The worst error is measured against the double reference at
// every stage of a few particles' flows (which follow the tree's own field).
//
//   ./build/tests/bench/bench_tree [sizes=10000,100000,1000000] [D=1] [particles=10000]
//   [dataset=two-moons] [threads=0]
#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/flow_solver.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/tree_denoiser.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

using namespace psc::physics;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    return parts;
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Follows the tree's field and records how far each x̂ lies from the reference's.
class Checked final : public Denoiser {
public:
    Checked(const Denoiser& fast, const Denoiser& exact) : m_fast(fast), m_exact(exact) {}
    int dim() const override { return m_fast.dim(); }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override {
        std::vector<double> exact(points.size());
        m_exact.denoise(points, sigma, exact);
        m_fast.denoise(points, sigma, out);
        const int n = dim();
        for (std::size_t p = 0; p < exact.size() / n; ++p) {
            double e2 = 0;
            for (int c = 0; c < n; ++c) e2 += std::pow(out[p * n + c] - exact[p * n + c], 2);
            worst = std::max(worst, std::sqrt(e2));
        }
    }
    const char* name() const override { return "checked"; }
    mutable double worst = 0;

private:
    const Denoiser& m_fast;
    const Denoiser& m_exact;
};

} // namespace

int main(int argc, char** argv) {
    const auto sizes = split(argc > 1 ? argv[1] : "10000,100000,1000000");
    const double d = argc > 2 ? *parseExtraDims(argv[2]) : 1.0;
    const std::size_t particles = argc > 3 ? std::stoul(argv[3]) : 10000;
    const std::string dataset = argc > 4 ? argv[4] : "two-moons";
    const int threads = argc > 5 ? std::stoi(argv[5]) : 0;
    FlowSettings flow; // σ 80 → 0.002, 18 Heun steps, the last to σ = 0
    std::printf("18-step Heun flow of %zu particles, %s, D = %s, tolerance %.0e of the spread\n",
                particles, dataset.c_str(), formatExtraDims(d).c_str(), kDefaultFieldTolerance);
    std::printf("%9s %8s %10s %12s %8s %9s %10s %9s %11s %11s\n", "M", "build s", "tree s",
                "brute s", "ratio", "err/tol", "tree MB", "direct/x", "expans./x", "2nd/brute");
    double firstCost = 0;
    std::size_t firstM = 0;
    for (const auto& sizeText : sizes) {
        DatasetParams params;
        params.count = std::stoul(sizeText);
        const ChargeSet charges = makeDataset(dataset, params);
        const std::size_t m = charges.size();
        const auto start = samplePriorMixture(charges, flow.sigmaMax, d, particles, 11);
        const int n = charges.dim();

        auto t0 = Clock::now();
        const TreeDenoiser tree(charges, d, kDefaultFieldTolerance, threads);
        const double build = secondsSince(t0);
        t0 = Clock::now();
        integrateFlow(tree, start, flow);
        const double treeSeconds = build + secondsSince(t0);
        const auto counts = tree.counters();

        // Brute force on a slice of about 3e9 pair evaluations, scaled to all particles.
        const std::size_t slice = std::clamp<std::size_t>(
            static_cast<std::size_t>(1e8 / static_cast<double>(m)), 32, particles);
        const FastDenoiser brute(charges, d, threads);
        const std::vector<double> sliceStart(start.begin(), start.begin() + slice * n);
        t0 = Clock::now();
        integrateFlow(brute, sliceStart, flow);
        const double bruteSeconds =
            secondsSince(t0) * static_cast<double>(particles) / static_cast<double>(slice);

        // The reference is double and single-threaded: 8 particles' flows.
        const ReferenceDenoiser reference(charges, d);
        const Checked checked(tree, reference);
        integrateFlow(checked, std::vector<double>(start.begin(), start.begin() + 8 * n), flow);

        const double evaluations = static_cast<double>(counts.points);
        const double cost = treeSeconds / (static_cast<double>(m) * std::log(m));
        if (!firstM) {
            firstCost = cost;
            firstM = m;
        }
        std::printf("%9zu %8.2f %10.2f %12.1f %7.1fx %9.3f %10.1f %9.0f %11.1f %5llu/%llu\n", m,
                    build, treeSeconds, bruteSeconds, bruteSeconds / treeSeconds,
                    checked.worst / tree.absoluteTolerance(), tree.tree().memoryBytes() / 1048576.0,
                    counts.directCharges / evaluations, counts.expansions / evaluations,
                    static_cast<unsigned long long>(counts.secondPasses),
                    static_cast<unsigned long long>(counts.bruteForce));
        if (m != firstM)
            std::printf("%9s tree time / (M log M) is %.2f x that at M = %zu\n", "",
                        cost / firstCost, firstM);
    }
    return 0;
}
