// Denoiser throughput: fast CPU path vs double reference vs a straightforward LibTorch version,
// same charges and points, same process; prints pair evaluations per second and ratios. N is the
// data's dimension: above 3 the fast path sums in double (physics/fast_denoiser.h).
//
//   bench_denoiser [M = 4096] [P = 4096] [threads = 2] [N = 2]
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/torch/torch_denoiser.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace psc::physics;

namespace {

struct Measurement {
    double pairsPerSecond;
    double secondsPerCall;
};

// Repeats until at least minSeconds have passed (after one warm-up call).
Measurement measure(const Denoiser& denoiser, const std::vector<double>& x, double sigma,
                    std::size_t charges, int n, double minSeconds, std::vector<double>& out) {
    denoiser.denoise(x, sigma, out);
    int calls = 0;
    const auto start = std::chrono::steady_clock::now();
    double elapsed = 0;
    do {
        denoiser.denoise(x, sigma, out);
        ++calls;
        elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    } while (elapsed < minSeconds);
    const double pairs = static_cast<double>(charges) * static_cast<double>(x.size() / n);
    return {pairs * calls / elapsed, elapsed / calls};
}

double maxDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t m = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 4096;
    const std::size_t p = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4096;
    const int threads = argc > 3 ? std::atoi(argv[3]) : 2;
    const int n = argc > 4 ? std::max(1, std::atoi(argv[4])) : 2;
    Rng rng(1);
    std::normal_distribution<double> normal;
    std::vector<double> y(n * m), x(n * p);
    for (auto& v : y) v = normal(rng);
    for (auto& v : x) v = 1.5 * normal(rng);
    const ChargeSet charges(n, y);
    // Where the posterior is neither one charge nor all of them: σ² comparable to the typical
    // squared distance per coordinate.
    const double sigma = 0.5 * std::sqrt(static_cast<double>(n) / 2.0);
    std::printf(
        "denoiser throughput: M = %zu charges, P = %zu points, N = %d, sigma = %g, %d threads\n",
        m, p, n, sigma, threads);
    std::printf("%-6s %-10s %16s %12s %14s\n", "D", "backend", "pairs/s", "ms/call", "max |diff|");
    for (double d : {1.0, 128.0, kInfiniteD}) {
        const FastDenoiser fast(charges, d, threads);
        const ReferenceDenoiser reference(charges, d);
        const TorchDenoiser torchDenoiser(charges, d, threads, p);
        std::vector<double> outRef(x.size()), outFast(x.size()), outTorch(x.size());
        const auto r = measure(reference, x, sigma, m, n, 1.0, outRef);
        const auto f = measure(fast, x, sigma, m, n, 1.0, outFast);
        const auto t = measure(torchDenoiser, x, sigma, m, n, 1.0, outTorch);
        const std::string dName = formatExtraDims(d);
        std::printf("%-6s %-10s %16.3e %12.2f %14s\n", dName.c_str(), "reference", r.pairsPerSecond,
                    1e3 * r.secondsPerCall, "-");
        std::printf("%-6s %-10s %16.3e %12.2f %14.2e\n", dName.c_str(), "fast-cpu",
                    f.pairsPerSecond, 1e3 * f.secondsPerCall, maxDiff(outFast, outRef));
        std::printf("%-6s %-10s %16.3e %12.2f %14.2e\n", dName.c_str(), "torch", t.pairsPerSecond,
                    1e3 * t.secondsPerCall, maxDiff(outTorch, outRef));
        std::printf("%-6s ratios: fast/torch = %.1fx, fast/reference = %.1fx\n", dName.c_str(),
                    f.pairsPerSecond / t.pairsPerSecond, f.pairsPerSecond / r.pairsPerSecond);
    }
    std::printf("%s\n", torchBuildSummary().c_str());
    return 0;
}
