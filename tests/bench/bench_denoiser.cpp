// Denoiser throughput: fast CPU path vs double reference vs LibTorch (the TorchDenoiser backend,
// and the same algebra written with fused, in-place tensor ops), same charges, points and thread
// count, one process. Prints pair evaluations per second, ratios, and each method's fraction of
// this machine's fp32 matrix-product bound (a large threaded cblas_sgemm timed here), counting
// 4N flops per pair (x·y and w·y). Above N = 3 the fast path is WideDenoiser (sgemm).
//
//   bench_denoiser [M = 4096] [P = 4096] [threads = 2] [N = 2] [sigma = 0.5·sqrt(N/2)]
//
// sigma sets how much of the large-N path stays in float: at the default the posterior spreads
// over many charges and, at N = 784, float's bound on some rows' log-weights exceeds the
// tolerance (they run on double products); at larger sigma every row stays in float.
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/torch/torch_denoiser.h"

#include <cblas.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

using namespace psc::physics;

namespace {

using Clock = std::chrono::steady_clock;

struct Measurement {
    double pairsPerSecond;
    double secondsPerCall;
};

// Repeats until at least minSeconds have passed (after one warm-up call).
template <typename Call>
Measurement measureCalls(Call&& call, double pairsPerCall, double minSeconds) {
    call();
    int calls = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        call();
        ++calls;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < minSeconds);
    return {pairsPerCall * calls / elapsed, elapsed / calls};
}

Measurement measure(const Denoiser& denoiser, const std::vector<double>& x, double sigma,
                    std::size_t charges, int n, double minSeconds, std::vector<double>& out) {
    const double pairs = static_cast<double>(charges) * static_cast<double>(x.size() / n);
    return measureCalls([&] { denoiser.denoise(x, sigma, out); }, pairs, minSeconds);
}

double maxDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

// The exact denoiser as a LibTorch user would write it with care: float32, centred, chunks of
// 512 points (the chunk × M matrix stays in cache), squared distances as one addmm, the
// log-weights and the softmax in place, one matmul for the mean.
class TorchFused {
public:
    TorchFused(const ChargeSet& charges, double d) : m_n(charges.dim()), m_d(d) {
        const auto m = static_cast<int64_t>(charges.size());
        m_mean = charges.mean();
        auto pos = torch::from_blob(const_cast<double*>(charges.positions().data()), {m, m_n},
                                    torch::kFloat64);
        auto mean = torch::from_blob(m_mean.data(), {m_n}, torch::kFloat64);
        m_y = (pos - mean).to(torch::kFloat32).contiguous();
        m_yt = m_y.t().contiguous();
        m_yNorm2 = m_y.square().sum(1).unsqueeze(0);
        m_logQ =
            torch::from_blob(const_cast<double*>(charges.logWeights().data()), {m}, torch::kFloat64)
                .to(torch::kFloat32);
    }

    void denoise(const std::vector<double>& points, double sigma, std::vector<double>& out) const {
        torch::NoGradGuard noGrad;
        const auto count = static_cast<int64_t>(points.size() / m_n);
        const bool infinite = isInfiniteD(m_d);
        const double a = 0.5 * (m_n + m_d);
        const double invR2 = infinite ? 0.0 : 1.0 / (sigma * sigma * m_d);
        auto mean = torch::from_blob(const_cast<double*>(m_mean.data()), {m_n}, torch::kFloat64);
        for (int64_t begin = 0; begin < count; begin += kChunk) {
            const int64_t rows = std::min<int64_t>(kChunk, count - begin);
            auto x = (torch::from_blob(const_cast<double*>(points.data()) + begin * m_n,
                                       {rows, m_n}, torch::kFloat64) -
                      mean)
                         .to(torch::kFloat32);
            auto xNorm2 = x.square().sum(1, true);
            // |x|² + |y|² − 2 x·yᵀ in one BLAS call.
            auto lw = torch::addmm(xNorm2 + m_yNorm2, x, m_yt, 1.0, -2.0);
            lw.clamp_min_(0.0);
            if (infinite) {
                lw.mul_(-1.0 / (2.0 * sigma * sigma));
            } else {
                lw.mul_(invR2).log1p_().mul_(-a);
            }
            lw.add_(m_logQ);
            auto w = torch::softmax(lw, 1);
            auto xhat = torch::matmul(w, m_y).to(torch::kFloat64) + mean;
            std::copy_n(xhat.contiguous().data_ptr<double>(), rows * m_n, out.data() + begin * m_n);
        }
    }

private:
    static constexpr int64_t kChunk = 512;
    int m_n;
    double m_d;
    std::vector<double> m_mean;
    torch::Tensor m_y, m_yt, m_yNorm2, m_logQ;
};

// fp32 matrix-product throughput of this machine: a threaded 2048³ sgemm, best of repeated
// calls for at least a second.
double sgemmGflops(int threads) {
    const int s = 2048;
    std::vector<float> a(std::size_t(s) * s), b(a.size()), c(a.size());
    Rng rng(5);
    std::uniform_real_distribution<float> uniform(-1.0f, 1.0f);
    for (auto& v : a) v = uniform(rng);
    for (auto& v : b) v = uniform(rng);
    const int saved = openblas_get_num_threads();
    openblas_set_num_threads(threads);
    auto call = [&] {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, s, s, s, 1.0f, a.data(), s, b.data(),
                    s, 0.0f, c.data(), s);
    };
    call();
    double best = 0, total = 0;
    while (total < 1.5) {
        const auto start = Clock::now();
        call();
        const double t = std::chrono::duration<double>(Clock::now() - start).count();
        total += t;
        best = std::max(best, 2.0 * s * s * double(s) / t / 1e9);
    }
    openblas_set_num_threads(saved);
    return best;
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
    const double sigma =
        argc > 5 ? std::atof(argv[5]) : 0.5 * std::sqrt(static_cast<double>(n) / 2.0);
    std::printf(
        "denoiser throughput: M = %zu charges, P = %zu points, N = %d, sigma = %g, %d threads\n", m,
        p, n, sigma, threads);
    const double bound = sgemmGflops(threads);
    const double flopsPerPair = 4.0 * n;
    std::printf("fp32 matrix-product bound (2048^3 cblas_sgemm, %d threads): %.1f GFLOP/s = "
                "%.3e pairs/s at 4N flops/pair\n",
                threads, bound, bound * 1e9 / flopsPerPair);
    std::printf("%-6s %-12s %14s %10s %12s %10s\n", "D", "backend", "pairs/s", "ms/call",
                "max |diff|", "of bound");
    auto row = [&](const std::string& dName, const char* name, const Measurement& r,
                   const char* diff) {
        std::printf("%-6s %-12s %14.3e %10.2f %12s %9.1f%%\n", dName.c_str(), name,
                    r.pairsPerSecond, 1e3 * r.secondsPerCall, diff,
                    100.0 * r.pairsPerSecond * flopsPerPair / (bound * 1e9));
    };
    char buf[3][32];
    for (double d : {1.0, 128.0, kInfiniteD}) {
        const FastDenoiser fast(charges, d, threads);
        const ReferenceDenoiser reference(charges, d);
        const TorchDenoiser torchDenoiser(charges, d, threads, p);
        const TorchFused fused(charges, d);
        std::vector<double> outRef(x.size()), outFast(x.size()), outTorch(x.size()),
            outFused(x.size());
        const double pairs = double(m) * double(p);
        const auto r = measure(reference, x, sigma, m, n, 1.0, outRef);
        const auto f = measure(fast, x, sigma, m, n, 1.0, outFast);
        const auto t = measure(torchDenoiser, x, sigma, m, n, 1.0, outTorch);
        const auto tf = measureCalls([&] { fused.denoise(x, sigma, outFused); }, pairs, 1.0);
        const std::string dName = formatExtraDims(d);
        std::snprintf(buf[0], 32, "%.2e", maxDiff(outFast, outRef));
        std::snprintf(buf[1], 32, "%.2e", maxDiff(outTorch, outRef));
        std::snprintf(buf[2], 32, "%.2e", maxDiff(outFused, outRef));
        row(dName, "reference", r, "-");
        row(dName, "fast-cpu", f, buf[0]);
        row(dName, "torch", t, buf[1]);
        row(dName, "torch-fused", tf, buf[2]);
        std::printf("%-6s ratios: fast/torch-fused = %.2fx, fast/torch = %.2fx, "
                    "fast/reference = %.1fx\n",
                    dName.c_str(), f.pairsPerSecond / tf.pairsPerSecond,
                    f.pairsPerSecond / t.pairsPerSecond, f.pairsPerSecond / r.pairsPerSecond);
    }
    std::printf("%s; OpenBLAS %s\n", torchBuildSummary().c_str(), openblas_get_config());
    return 0;
}
