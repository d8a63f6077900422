// The backends that drive a Denoiser through the generic solvers.
#include "physics/flow_backend.h"

#include "physics/fast_denoiser.h"
#include "physics/named_choices.h"
#include "physics/reference_denoiser.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace psc::physics {

namespace {

constexpr BackendInfo kBackends[] = {
    {BackendKind::Cpu, "cpu",
     "all cores: float SIMD over every charge, or the tree code (--field-method)"},
    {BackendKind::Gl, "gl", "OpenGL 4.3 compute shaders (needs a display or xvfb-run)"},
    {BackendKind::Torch, "torch", "LibTorch tensors"},
    {BackendKind::Reference, "reference", "the double-precision reference"},
};

} // namespace

std::span<const BackendInfo> backendTable() {
    return kBackends;
}

const char* backendName(BackendKind kind) {
    return choiceOf(kBackends, kind)->name.data();
}

std::optional<BackendKind> parseBackend(std::string_view name) {
    return parseChoice(kBackends, name);
}

DenoiserBackend::DenoiserBackend(BackendKind kind, const ChargeSet& charges, double d,
                                 std::unique_ptr<Denoiser> denoiser, std::string description,
                                 bool concurrent)
    : m_kind(kind), m_charges(charges), m_d(d), m_denoiser(std::move(denoiser)),
      m_description(std::move(description)), m_concurrent(concurrent) {}

void DenoiserBackend::denoise(std::span<const double> points, double sigma, std::span<double> out) {
    m_denoiser->denoise(points, sigma, out);
}

FlowResult DenoiserBackend::integrate(std::span<const double> start, const FlowSettings& settings,
                                      const ProgressFn& progress, const CancelFlag* cancel) {
    return integrateFlow(*m_denoiser, start, settings, progress, cancel);
}

std::vector<FieldLine> DenoiserBackend::traceFieldLines(const FieldLineSettings& settings,
                                                        const ProgressFn& progress,
                                                        const CancelFlag* cancel) {
    FieldLineSettings s = settings;
    if (!m_concurrent) s.threads = 1;
    return physics::traceFieldLines(m_charges, m_d, *m_denoiser, s, progress, cancel);
}

std::unique_ptr<FlowBackend> makeCpuBackend(const ChargeSet& charges, double d, int threads,
                                            FieldMethod method, double tolerance,
                                            std::shared_ptr<const ChargeTree> tree) {
    auto denoiser = makeExactField(charges, d, method, tolerance, threads, std::move(tree));
    const int count =
        threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    std::string description = usesTree(charges, method)
                                  ? "tree code (x-hat within " + formatFieldTolerance(tolerance) +
                                        " of the spread), " + std::to_string(count) + " threads"
                                  : "fast-cpu, " + std::to_string(count) + " threads";
    return std::make_unique<DenoiserBackend>(BackendKind::Cpu, charges, d, std::move(denoiser),
                                             std::move(description), true);
}

std::unique_ptr<FlowBackend> makeReferenceBackend(const ChargeSet& charges, double d) {
    return std::make_unique<DenoiserBackend>(BackendKind::Reference, charges, d,
                                             std::make_unique<ReferenceDenoiser>(charges, d),
                                             "double-precision reference", true);
}

} // namespace psc::physics
