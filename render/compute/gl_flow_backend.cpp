// Drives GlCurves with the schedules, recording rules and stop reasons of the CPU solvers.
#include "render/compute/gl_flow_backend.h"

#include "physics/extra_dims.h"
#include "physics/kernel.h"
#include "physics/sigma_schedule.h"
#include "render/compute/compute_context.h"
#include "render/compute/gl_curves.h"
#include "render/compute/gl_field.h"

#include <QOpenGLFunctions_4_3_Core>

#include <algorithm>
#include <cmath>

namespace psc::compute {
namespace {

// The GPU denoiser behind the Denoiser interface, for rk45 (which needs x̂ at points only the
// CPU's step-size control knows).
class GlDenoiser final : public physics::Denoiser {
public:
    explicit GlDenoiser(GlField& field) : m_field(&field) {}
    int dim() const override { return m_field->dim(); }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override {
        m_field->denoise(points, sigma, out);
    }
    const char* name() const override { return "gl"; }

private:
    GlField* m_field;
};

// Which solver steps are recorded, and as which frame (the CPU Recorder's rule: every k-th
// step and the last, the start as frame 0, at most maxFrames).
struct RecordPlan {
    std::vector<int> frameOfStep; // −1: not recorded
    std::size_t frames = 0;
    bool truncated = false;
};

RecordPlan planRecording(std::size_t steps, int every, std::size_t maxFrames) {
    RecordPlan plan;
    plan.frameOfStep.assign(steps + 1, -1);
    if (every <= 0) return plan;
    for (std::size_t k = 0; k <= steps; ++k) {
        if (!(k == 0 || k == steps || k % static_cast<std::size_t>(every) == 0)) continue;
        if (maxFrames > 0 && plan.frames >= maxFrames) {
            plan.truncated = true;
            break;
        }
        plan.frameOfStep[k] = static_cast<int>(plan.frames++);
    }
    return plan;
}

// Enough for the default scenes' lines to end where the adaptive CPU tracer's do (tested).
constexpr int kFieldLineSteps = 128;

bool finite(std::span<const double> x) {
    return std::all_of(x.begin(), x.end(), [](double v) { return std::isfinite(v); });
}

} // namespace

GlFlowBackend::GlFlowBackend(const physics::ChargeSet& charges, double d)
    : GlFlowBackend(charges, d, nullptr) {}

GlFlowBackend::GlFlowBackend(const physics::ChargeSet& charges, double d,
                             std::unique_ptr<ComputeContext> context)
    : m_context(std::move(context)), m_charges(charges), m_d(d) {
    makeCurrent();
    m_field = std::make_unique<GlField>(charges, d);
    m_description = currentGlDescription();
}

std::unique_ptr<GlFlowBackend> GlFlowBackend::createHeadless(const physics::ChargeSet& charges,
                                                             double d) {
    auto context = std::make_unique<ComputeContext>();
    return std::unique_ptr<GlFlowBackend>(new GlFlowBackend(charges, d, std::move(context)));
}

GlFlowBackend::~GlFlowBackend() {
    makeCurrent();
    m_field.reset();
}

void GlFlowBackend::makeCurrent() {
    if (m_context) m_context->makeCurrent();
}

void GlFlowBackend::denoise(std::span<const double> points, double sigma, std::span<double> out) {
    makeCurrent();
    m_field->denoise(points, sigma, out);
}

physics::FlowResult GlFlowBackend::integrate(std::span<const double> start,
                                             const physics::FlowSettings& settings,
                                             const physics::ProgressFn& progress,
                                             const physics::CancelFlag* cancel) {
    makeCurrent();
    // rk45's steps and injected noise are decided on the CPU: the GPU evaluates x̂ for them.
    if (settings.solver == physics::SolverKind::Rk45 || settings.noiseAlpha > 0)
        return physics::integrateFlow(GlDenoiser(*m_field), start, settings, progress, cancel);
    const int n = m_charges.dim();
    const std::size_t count = start.size() / n;
    const bool backward = settings.direction == physics::FlowDirection::Backward;
    const double from = backward ? settings.sigmaMax : settings.sigmaMin;
    const double to = backward ? settings.sigmaMin : settings.sigmaMax;
    std::vector<double> sigmas = physics::edmSigmaSchedule(settings.sigmaMax, settings.sigmaMin,
                                                           settings.steps, settings.rho);
    if (!backward) std::reverse(sigmas.begin(), sigmas.end());
    if (backward && settings.finalStepToZero) sigmas.push_back(0.0);
    const std::size_t steps = sigmas.size() - 1;
    const RecordPlan plan = planRecording(steps, settings.recordEvery, settings.maxRecordedFrames);

    physics::FlowResult result;
    result.sigmaReached = from;
    result.framesTruncated = plan.truncated;
    GlCurves curves(*m_field, count, plan.frames);
    curves.startAtSigma(start, from);
    std::size_t stepsDone = 0;
    for (std::size_t k = 0; k < steps; ++k) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            result.status = physics::FlowStatus::Cancelled;
            break;
        }
        result.denoiserCalls += static_cast<std::size_t>(
            curves.stepSigma(settings.solver, sigmas[k], sigmas[k + 1], plan.frameOfStep[k + 1]));
        ++result.acceptedSteps;
        ++stepsDone;
        result.sigmaReached = sigmas[k + 1];
        if (progress || cancel) {
            // Without a wait the whole run would be queued at once and progress would mean nothing.
            m_field->gl().glFinish();
            const double sigma = sigmas[k + 1];
            if (progress)
                progress(sigma <= 0
                             ? 1.0
                             : std::clamp(std::log(sigma / from) / std::log(to / from), 0.0, 1.0));
        }
    }
    const auto state = curves.readState();
    result.points.resize(count * n);
    m_field->fromDevice(state, result.points);
    if (plan.frames > 0) {
        const auto track = curves.readTrack();
        for (std::size_t k = 0; k <= stepsDone; ++k) {
            const int f = plan.frameOfStep[k];
            if (f < 0) continue;
            physics::TrajectoryFrame frame{sigmas[k], std::vector<double>(count * n),
                                           static_cast<int>(k)};
            if (k == 0) {
                frame.points.assign(start.begin(),
                                    start.end()); // the exact start, not its float copy
            } else {
                std::vector<float> slice(4 * count);
                for (std::size_t p = 0; p < count; ++p)
                    std::copy_n(&track[4 * (p * plan.frames + f)], 4, &slice[4 * p]);
                m_field->fromDevice(slice, frame.points);
            }
            result.frames.push_back(std::move(frame));
        }
    }
    for (std::size_t p = 0; p < count; ++p)
        if (!finite(std::span<const double>(result.points).subspan(p * n, n)))
            ++result.nonFinitePoints;
    if (result.nonFinitePoints > 0 && result.status == physics::FlowStatus::Completed)
        result.status = physics::FlowStatus::NonFinite;
    return result;
}

std::vector<physics::FieldLine>
GlFlowBackend::traceFieldLines(const physics::FieldLineSettings& settings,
                               const physics::ProgressFn& progress,
                               const physics::CancelFlag* cancel) {
    makeCurrent();
    const int n = m_charges.dim();
    const bool inward = settings.seeding == physics::FieldLineSeeding::Hemisphere;
    const bool infinite = physics::isInfiniteD(m_d);
    const auto seeds = physics::fieldLineSeeds(m_charges, m_d, settings);
    const std::size_t count = seeds.size();
    const int steps = kFieldLineSteps;
    const std::size_t frames = static_cast<std::size_t>(steps) + 1 + (inward ? 1 : 0);
    const double target = inward ? settings.sigmaMin : settings.sigmaMax;
    std::vector<double> points(count * n), sigmas(count), logSteps(count);
    for (std::size_t p = 0; p < count; ++p) {
        std::copy(seeds[p].x.begin(), seeds[p].x.end(), points.begin() + p * n);
        sigmas[p] = seeds[p].sigma;
        const double span = std::log(target / seeds[p].sigma);
        logSteps[p] = (inward ? std::min(span, 0.0) : std::max(span, 0.0)) / steps;
    }
    GlCurves curves(*m_field, count, frames);
    curves.startInLogSigma(points, sigmas, logSteps);
    const double sphereR2 = !inward && settings.stopAtHemisphere && !infinite
                                ? m_d * settings.sigmaMax * settings.sigmaMax
                                : 0.0;
    bool cancelled = false;
    for (int s = 1; s <= steps; ++s) {
        if (cancel && cancel->load(std::memory_order_relaxed)) {
            cancelled = true;
            break;
        }
        curves.stepLogSigma(physics::SolverKind::Rk4, s, sphereR2);
        if (progress) {
            m_field->gl().glFinish();
            progress(static_cast<double>(s) / steps);
        }
    }
    if (cancelled) return {};
    if (inward) curves.landLogSigma(steps + 1);
    const auto track = curves.readTrack();

    const auto center = m_charges.mean();
    const double bound = settings.bound > 0
                             ? settings.bound
                             : 1000.0 * (settings.sigmaMax * (infinite ? 1.0 : std::sqrt(m_d)) +
                                         m_charges.rmsSpread());
    std::vector<physics::FieldLine> lines(count);
    std::vector<double> x(n);
    for (std::size_t p = 0; p < count; ++p) {
        auto& line = lines[p];
        line.charge = seeds[p].charge;
        line.stop =
            inward ? physics::FieldLineStop::ReachedPlane : physics::FieldLineStop::ReachedTop;
        for (std::size_t f = 0; f < frames; ++f) {
            const float* v = &track[4 * (p * frames + f)];
            for (int c = 0; c < n; ++c) x[c] = static_cast<double>(v[c]) + m_field->center()[c];
            double sigma = f == 0 ? seeds[p].sigma : static_cast<double>(v[3]);
            if (f == 0) x = seeds[p].x;
            if (!finite(x) || !std::isfinite(sigma)) {
                line.stop = physics::FieldLineStop::NonFinite;
                break;
            }
            // A line stopped on the hemisphere repeats its last state; keep it once.
            if (f > 0 && sigma == line.sigma.back() &&
                std::equal(x.begin(), x.end(), line.x.end() - n))
                continue;
            double r2 = 0;
            for (int c = 0; c < n; ++c) r2 += (x[c] - center[c]) * (x[c] - center[c]);
            if (!(std::sqrt(r2) <= bound)) {
                line.stop = physics::FieldLineStop::LeftBounds;
                break;
            }
            line.x.insert(line.x.end(), x.begin(), x.end());
            line.sigma.push_back(sigma);
            line.logDensity.push_back(sigma <= 0 ? -INFINITY
                                      : settings.recordDensity
                                          ? physics::logPerturbedDensity(m_charges, x, sigma, m_d)
                                          : std::nan(""));
        }
        if (inward && line.stop == physics::FieldLineStop::ReachedPlane && !line.sigma.empty() &&
            line.sigma.back() == 0.0)
            line.stop = physics::inwardLineStop(m_charges, std::span<const double>(line.x).last(n),
                                                settings.sigmaMin, line.charge);
    }
    return lines;
}

} // namespace psc::compute
