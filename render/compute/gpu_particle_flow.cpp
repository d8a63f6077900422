// Step bookkeeping for the viewer's GPU particles; the steps themselves are GlCurves'.
#include "render/compute/gpu_particle_flow.h"

#include "physics/sigma_schedule.h"
#include "render/compute/gl_curves.h"
#include "render/compute/gl_field.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace psc::compute {
namespace {

int stagesOf(physics::SolverKind solver) {
    const auto& info = physics::solverInfo(solver);
    if (info.adaptive)
        throw std::invalid_argument("the GPU particles take euler, heun or rk4 steps");
    return info.tableau.stages;
}

} // namespace

std::unique_ptr<GpuParticleFlow> GpuParticleFlow::alongFieldLines(const physics::ChargeSet& charges,
                                                                  double d,
                                                                  std::span<const double> x,
                                                                  std::span<const double> sigma,
                                                                  double sigmaMin, int steps) {
    std::unique_ptr<GpuParticleFlow> flow(new GpuParticleFlow);
    flow->m_field = std::make_unique<GlField>(charges, d);
    flow->m_logTime = true;
    flow->m_steps = steps + 1; // the last one lands on x̂
    const std::size_t count = sigma.size();
    flow->m_curves = std::make_unique<GlCurves>(*flow->m_field, count,
                                                static_cast<std::size_t>(flow->m_steps) + 1);
    std::vector<double> logSteps(count);
    for (std::size_t p = 0; p < count; ++p)
        logSteps[p] = std::min(std::log(sigmaMin / sigma[p]), 0.0) / steps;
    flow->m_curves->startInLogSigma(x, sigma, logSteps);
    flow->m_logStart.resize(count);
    for (std::size_t p = 0; p < count; ++p) flow->m_logStart[p] = std::log(sigma[p]);
    flow->m_logStep = std::move(logSteps);
    return flow;
}

std::unique_ptr<GpuParticleFlow>
GpuParticleFlow::onSchedule(const physics::ChargeSet& charges, double d, std::span<const double> x,
                            const physics::FlowSettings& settings) {
    std::unique_ptr<GpuParticleFlow> flow(new GpuParticleFlow);
    stagesOf(settings.solver); // refuses rk45 before any GL work
    flow->m_field = std::make_unique<GlField>(charges, d);
    flow->m_solver = settings.solver;
    flow->m_sigmas = physics::edmSigmaSchedule(settings.sigmaMax, settings.sigmaMin, settings.steps,
                                               settings.rho);
    flow->m_sigmas.push_back(0.0);
    flow->m_steps = static_cast<int>(flow->m_sigmas.size()) - 1;
    const std::size_t count = x.size() / charges.dim();
    flow->m_curves = std::make_unique<GlCurves>(*flow->m_field, count,
                                                static_cast<std::size_t>(flow->m_steps) + 1);
    flow->m_curves->startAtSigma(x, settings.sigmaMax);
    return flow;
}

GpuParticleFlow::~GpuParticleFlow() {
    m_curves.reset();
    m_field.reset();
}

double GpuParticleFlow::pairsPerStage() const {
    return static_cast<double>(m_field->chargeCount()) * static_cast<double>(m_curves->count());
}

bool GpuParticleFlow::advance(double pairBudget) {
    double spent = 0;
    while (!finished()) {
        // Every flow ends with the landing step, one evaluation whatever the solver.
        const double cost = pairsPerStage() * (m_next + 1 == m_steps ? 1 : stagesOf(m_solver));
        if (spent > 0 && spent + cost > pairBudget) break;
        const int frame = m_next + 1;
        if (m_logTime) {
            if (m_next + 1 == m_steps)
                m_curves->landLogSigma(frame);
            else
                m_curves->stepLogSigma(m_solver, frame);
        } else {
            m_curves->stepSigma(m_solver, m_sigmas[m_next], m_sigmas[m_next + 1], frame);
        }
        spent += cost;
        ++m_next;
    }
    return finished();
}

void GpuParticleFlow::trailWindows(double lower, double upper, double clockBottom,
                                   std::vector<int>& firsts, std::vector<int>& counts) const {
    const int count = this->count(), frames = this->frames(), last = framesDone() - 1;
    firsts.resize(static_cast<std::size_t>(count));
    counts.resize(static_cast<std::size_t>(count));
    // State k's clock value decreases with k; the landing state (k = m_steps) sits at clockBottom.
    auto window = [&](auto clockOf, int p) {
        int first = 0;
        while (first <= last && clockOf(first) > upper) ++first;
        int end = first;
        while (end <= last && clockOf(end) >= lower) ++end;
        const int a = std::max(0, first - 1), b = std::min(last, end);
        firsts[p] = p * frames + a;
        counts[p] = b >= a ? b - a + 1 : 0;
    };
    if (!m_logTime) {
        auto clockOf = [&](int k) {
            return m_sigmas[k] > 0 ? std::max(std::log(m_sigmas[k]), clockBottom) : clockBottom;
        };
        window(clockOf, 0);
        for (int p = 1; p < count; ++p) firsts[p] = firsts[0] + p * frames, counts[p] = counts[0];
        return;
    }
    for (int p = 0; p < count; ++p) {
        const double t0 = m_logStart[p], h = m_logStep[p];
        // Closed form for the affine part, so a frame costs O(P), not O(P · frames).
        int first = 0, end = last + 1;
        if (h < 0) {
            if (t0 > upper) first = static_cast<int>(std::ceil((upper - t0) / h));
            if (lower > clockBottom)
                end = std::min(end, static_cast<int>(std::floor((lower - t0) / h)) + 1);
            end = std::min(end,
                           m_steps); // the landing state only while the window reaches the bottom
            if (lower <= clockBottom) end = last + 1;
        }
        first = std::clamp(first, 0, last + 1);
        const int a = std::max(0, first - 1), b = std::min(last, end);
        firsts[p] = p * frames + a;
        counts[p] = b >= a ? b - a + 1 : 0;
    }
}

std::vector<float> GpuParticleFlow::readTrack() {
    return m_curves->readTrack();
}

unsigned GpuParticleFlow::trackBuffer() const {
    return m_curves->trackBuffer();
}
int GpuParticleFlow::count() const {
    return static_cast<int>(m_curves->count());
}
int GpuParticleFlow::frames() const {
    return static_cast<int>(m_curves->frames());
}
std::span<const double> GpuParticleFlow::center() const {
    return m_field->center();
}
int GpuParticleFlow::dim() const {
    return m_field->dim();
}

} // namespace psc::compute
