// The viewer's hemisphere particles moved by a learned field: one batched RK4 step in log σ for
// all of them (integrateLogSigmaRk4 with LearnedField::denoiseEach) against the same curves with
// one network call per particle (the Denoiser default), and against the exact field's adaptive
// trace that the window uses without a learned field. All in this process, same seeds.
//
//   ./build/tests/bench/bench_learned_flows [particles=1500] [D=128]
#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/field_line_tracer.h"
#include "physics/log_sigma_flow.h"
#include "physics/torch/learned_field.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace psc::physics;

namespace {

// The learned field seen through the interface's per-point default: one call per particle.
class PerPoint final : public Denoiser {
public:
    explicit PerPoint(const Denoiser& inner) : m_inner(inner) {}
    int dim() const override { return m_inner.dim(); }
    void denoise(std::span<const double> p, double s, std::span<double> o) const override {
        m_inner.denoise(p, s, o);
    }
    const char* name() const override { return "per-point"; }

private:
    const Denoiser& m_inner;
};

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

} // namespace

int main(int argc, char** argv) {
    const std::size_t particles = argc > 1 ? std::stoul(argv[1]) : 1500;
    const double d = argc > 2 ? *parseExtraDims(argv[2]) : 128.0;
    const ChargeSet charges = makeDataset("two-moons", {});
    TrainSettings train;
    train.d = d;
    train.steps = 1000;
    const auto model = LearnedField::train(charges, train, "two-moons");

    FieldLineSettings lines; // as the viewer's hemisphere particles
    lines.seeding = FieldLineSeeding::Hemisphere;
    lines.count = particles;
    lines.rtol = 1e-5;
    lines.atol = 1e-6;
    lines.threads = 0;
    lines.recordDensity = false;
    std::vector<double> x, sigma;
    for (const auto& seed : fieldLineSeeds(charges, d, lines)) {
        x.insert(x.end(), seed.x.begin(), seed.x.end());
        sigma.push_back(seed.sigma);
    }
    std::printf(
        "two moons (%zu charges), D = %s, %zu hemisphere particles, 96 RK4 steps in log σ\n",
        charges.size(), formatExtraDims(d).c_str(), particles);

    auto start = std::chrono::steady_clock::now();
    const auto batched = integrateLogSigmaRk4(*model, x, sigma, lines.sigmaMin, 96);
    const double batchedSeconds = secondsSince(start);

    // One call per particle is slow: time a fifth of them and scale.
    const std::size_t few = std::max<std::size_t>(1, particles / 5);
    const PerPoint perPoint(*model);
    start = std::chrono::steady_clock::now();
    const auto single = integrateLogSigmaRk4(perPoint, std::span(x).first(2 * few),
                                             std::span(sigma).first(few), lines.sigmaMin, 96);
    const double perPointSeconds = secondsSince(start) * particles / few;
    double worst = 0;
    for (std::size_t p = 0; p < few; ++p)
        for (std::size_t i = 0; i < single[p].x.size(); ++i)
            worst = std::max(worst, std::abs(single[p].x[i] - batched[p].x[i]));

    const FastDenoiser exact(charges, d);
    start = std::chrono::steady_clock::now();
    const auto traced = traceFieldLines(charges, d, exact, lines);
    const double exactSeconds = secondsSince(start);

    std::printf("learned, batched (one call per stage):  %7.3f s\n", batchedSeconds);
    std::printf("learned, one call per particle:         %7.3f s  (%.1fx the batched time; "
                "largest difference %.1e)\n",
                perPointSeconds, perPointSeconds / batchedSeconds, worst);
    std::printf("exact field, adaptive trace (viewer):   %7.3f s  (%.2fx the batched learned)\n",
                exactSeconds, exactSeconds / batchedSeconds);
    return traced.size() == particles ? 0 : 1;
}
