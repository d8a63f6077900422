#include "physics/exact_protocols.h"

#include "physics/fast_denoiser.h"
#include "physics/flow_solver.h"
#include "physics/metrics.h"
#include "physics/samplers.h"

#include <cmath>

namespace psc::physics {

std::optional<Measurement> protocolFlow(const Denoiser& field, std::span<const double> start,
                                        double sigmaMax, int steps, double alpha,
                                        std::uint64_t seed, std::span<const double> heldOut,
                                        const CancelFlag* cancel, std::vector<double>* endPoints) {
    FlowSettings flow;
    flow.sigmaMax = sigmaMax;
    flow.steps = steps;
    flow.noiseAlpha = alpha;
    flow.noiseSeed = seed + 1;
    auto result = integrateFlow(field, start, flow, {}, cancel);
    if (result.status != FlowStatus::Completed) return std::nullopt;
    Measurement m;
    m.nfe = result.denoiserCalls;
    m.sw2 = slicedWasserstein2(result.points, heldOut, field.dim());
    m.mmd = mmdRbf(result.points, heldOut, field.dim());
    if (endPoints) *endPoints = std::move(result.points);
    return m;
}

std::vector<Measurement> runExactProtocols(const ChargeSet& train, std::span<const double> heldOut,
                                           double d, const ProtocolLists& lists,
                                           std::size_t samples, double sigmaMax, int seedIndex,
                                           std::uint64_t seed, const CancelFlag* cancel) {
    const int n = train.dim();
    const FastDenoiser field(train, d);
    const auto start = samplePriorCentred(train, sigmaMax, d, samples, seed);
    auto stopped = [&] { return cancel && cancel->load(); };

    FlowSettings adaptive;
    adaptive.sigmaMax = sigmaMax;
    adaptive.solver = SolverKind::Rk45;
    adaptive.rtol = adaptive.atol = 1e-6;
    const auto reference = integrateFlow(field, start, adaptive, {}, cancel);
    if (reference.status != FlowStatus::Completed) return {};
    std::vector<std::size_t> referenceCharge(samples);
    for (std::size_t p = 0; p < samples; ++p)
        referenceCharge[p] =
            nearestCharge(train, std::span<const double>(reference.points).subspan(p * n, n));
    const double spread = train.rmsSpread() > 0 ? train.rmsSpread() : 1.0;

    std::vector<Measurement> rows;
    auto measure = [&](const char* protocol, double value, int steps, double alpha) {
        if (stopped()) return;
        std::vector<double> end;
        auto m = protocolFlow(field, start, sigmaMax, steps, alpha, seed, heldOut, cancel, &end);
        if (!m) return;
        double distance = 0;
        std::size_t landed = 0;
        for (std::size_t p = 0; p < samples; ++p) {
            const std::span<const double> x(end.data() + p * n, n);
            double d2 = 0;
            for (int k = 0; k < n; ++k) {
                const double e = x[k] - reference.points[p * n + k];
                d2 += e * e;
            }
            distance += std::sqrt(d2);
            landed += nearestCharge(train, x) == referenceCharge[p];
        }
        m->d = d;
        m->field = FieldKind::Exact;
        m->protocol = protocol;
        m->value = value;
        m->seed = seedIndex;
        m->endpointDistance = distance / samples / spread;
        m->landedFraction = static_cast<double>(landed) / samples;
        rows.push_back(std::move(*m));
    };
    for (double alpha : lists.alphas) measure("alpha", alpha, 18, alpha);
    for (int steps : lists.stepCounts) measure("nfe", 2.0 * steps - 1, steps, 0.0);
    return rows;
}

} // namespace psc::physics
