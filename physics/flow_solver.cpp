// Fixed-step Euler/Heun/RK4 on the EDM schedule, and adaptive Dormand–Prince, in σ time.
#include "physics/flow_solver.h"

#include "physics/dormand_prince.h"
#include "physics/named_choices.h"
#include "physics/sigma_schedule.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <random>

namespace psc::physics {

const char* solverName(SolverKind kind) {
    return solverInfo(kind).name.data();
}

std::optional<SolverKind> parseSolver(std::string_view name) {
    return parseChoice(solverTable(), name);
}

const char* directionName(FlowDirection direction) {
    return direction == FlowDirection::Backward ? "backward" : "forward";
}

std::optional<FlowDirection> parseDirection(std::string_view name) {
    if (name == "backward") return FlowDirection::Backward;
    if (name == "forward") return FlowDirection::Forward;
    return std::nullopt;
}

const char* flowStatusText(FlowStatus status) {
    switch (status) {
    case FlowStatus::Completed:
        return "completed";
    case FlowStatus::Cancelled:
        return "cancelled";
    case FlowStatus::NonFinite:
        return "stopped: a point became non-finite";
    case FlowStatus::StepLimit:
        return "stopped: adaptive step limit reached";
    }
    return "?";
}

std::optional<std::string> validateFlowSettings(const FlowSettings& s) {
    char buf[160];
    // The bounds keep σ², 1/σ² and σ^(1/ρ) inside float and double range on every path.
    if (!(std::isfinite(s.sigmaMin) && s.sigmaMin >= 1e-9))
        return std::string("sigma-min must be a number >= 1e-9");
    if (!(std::isfinite(s.sigmaMax) && s.sigmaMax > s.sigmaMin)) {
        std::snprintf(buf, sizeof buf, "sigma-max must be finite and > sigma-min (%g)", s.sigmaMin);
        return std::string(buf);
    }
    if (s.sigmaMax > 1e9) return std::string("sigma-max must be <= 1e9");
    if (s.steps < 1 || s.steps > 1000000) return std::string("steps must be in [1, 1000000]");
    if (!(std::isfinite(s.rho) && s.rho >= 0.5 && s.rho <= 50))
        return std::string("rho must be in [0.5, 50]");
    if (s.steps < 2 && !(s.direction == FlowDirection::Backward && s.finalStepToZero))
        return std::string(
            "steps must be >= 2 (one step is only the final step of a backward run)");
    if (!(std::isfinite(s.rtol) && s.rtol > 0 && s.rtol < 1))
        return std::string("rtol must be in (0, 1)");
    if (!(std::isfinite(s.atol) && s.atol > 0)) return std::string("atol must be > 0");
    if (s.maxAdaptiveSteps < 1) return std::string("the adaptive step limit must be >= 1");
    if (s.recordEvery < 0) return std::string("the record interval must be >= 0");
    if (!(std::isfinite(s.noiseAlpha) && s.noiseAlpha >= 0 && s.noiseAlpha <= 10))
        return std::string("the noise strength alpha must be in [0, 10]");
    if (s.noiseAlpha > 0 && s.solver == SolverKind::Rk45)
        return std::string(
            "noise injection needs a fixed-step solver (euler, heun or rk4), not rk45");
    return std::nullopt;
}

namespace {

// One step of a fixed-step solver from its Butcher tableau (physics/solvers.h): the stage slope,
// the next stage's point and the weighted sum of slopes are the only buffers, whatever the order.
class FixedStepper {
public:
    FixedStepper(const Denoiser& denoiser, std::size_t size, FlowResult& result)
        : m_denoiser(denoiser), m_result(result), m_k(size), m_point(size), m_sum(size) {}

    // dx/dσ at (x, σ) into out.
    void velocity(std::span<const double> x, double sigma, std::vector<double>& out) {
        m_denoiser.denoise(x, sigma, out);
        ++m_result.denoiserCalls;
        for (std::size_t i = 0; i < x.size(); ++i) out[i] = (x[i] - out[i]) / sigma;
    }

    void step(SolverKind kind, std::vector<double>& x, double s0, double s1) {
        const std::size_t size = x.size();
        if (s1 == 0.0) {
            // The last step to σ = 0 is Euler for every solver: x + (0 − σ)(x − x̂)/σ = x̂.
            m_denoiser.denoise(x, s0, m_k);
            ++m_result.denoiserCalls;
            x.swap(m_k);
            return;
        }
        const ButcherTableau& t = solverInfo(kind).tableau;
        assert(t.stages > 0 && "physics::FixedStepper: rk45 is adaptive");
        const double h = s1 - s0;
        for (int j = 0; j < t.stages; ++j) {
            // The last stage of Heun and RK4 evaluates at s1 itself, not at a rounded s0 + h.
            const double at = t.c[j] == 1.0 ? s1 : s0 + t.c[j] * h;
            velocity(j == 0 ? std::span<const double>(x) : std::span<const double>(m_point), at,
                     m_k);
            for (std::size_t i = 0; i < size; ++i)
                m_sum[i] = (j == 0 ? 0.0 : m_sum[i]) + t.b[j] * m_k[i];
            if (j + 1 < t.stages)
                for (std::size_t i = 0; i < size; ++i) m_point[i] = x[i] + t.a[j + 1] * h * m_k[i];
        }
        for (std::size_t i = 0; i < size; ++i) x[i] += h * m_sum[i];
    }

private:
    const Denoiser& m_denoiser;
    FlowResult& m_result;
    std::vector<double> m_k, m_point, m_sum;
};

class Recorder {
public:
    Recorder(int every, std::size_t maxFrames, FlowResult& result)
        : m_every(every), m_maxFrames(maxFrames), m_result(result) {}
    void record(int stepIndex, double sigma, const std::vector<double>& x, bool force) {
        if (m_every <= 0) return;
        if (!force && stepIndex % m_every != 0) return;
        if (!m_result.frames.empty() && m_result.frames.back().sigma == sigma) return;
        if (m_maxFrames > 0 && m_result.frames.size() >= m_maxFrames) {
            m_result.framesTruncated = true;
            return;
        }
        m_result.frames.push_back({sigma, x, stepIndex});
    }

private:
    int m_every;
    std::size_t m_maxFrames;
    FlowResult& m_result;
};

double logProgress(double from, double to, double sigma) {
    if (sigma <= 0) return 1.0;
    return std::clamp(std::log(sigma / from) / std::log(to / from), 0.0, 1.0);
}

std::size_t countNonFinite(const std::vector<double>& x, int n) {
    std::size_t bad = 0;
    for (std::size_t p = 0; p < x.size() / n; ++p)
        for (int c = 0; c < n; ++c)
            if (!std::isfinite(x[p * n + c])) {
                ++bad;
                break;
            }
    return bad;
}

} // namespace

FlowResult integrateFlow(const Denoiser& denoiser, std::span<const double> start,
                         const FlowSettings& settings, const ProgressFn& progress,
                         const CancelFlag* cancel) {
    assert(!validateFlowSettings(settings));
    const int n = denoiser.dim();
    assert(start.size() % n == 0);
    FlowResult result;
    std::vector<double> x(start.begin(), start.end());
    const bool backward = settings.direction == FlowDirection::Backward;
    const double from = backward ? settings.sigmaMax : settings.sigmaMin;
    const double to = backward ? settings.sigmaMin : settings.sigmaMax;
    Recorder recorder(settings.recordEvery, settings.maxRecordedFrames, result);
    recorder.record(0, from, x, true);
    const bool finalStep = backward && settings.finalStepToZero;
    result.sigmaReached = from;

    if (settings.solver == SolverKind::Rk45) {
        AdaptiveSettings adaptive;
        adaptive.rtol = settings.rtol;
        adaptive.atol = settings.atol;
        adaptive.maxSteps = settings.maxAdaptiveSteps;
        adaptive.time = TimeVariable::Sigma;
        AdaptiveStats stats;
        int index = 0;
        const auto status = integrateDormandPrince(
            denoiser, x, from, to, adaptive, stats,
            [&](double sigma, std::span<const double>) {
                result.sigmaReached = sigma;
                recorder.record(++index, sigma, x, sigma == to && !finalStep);
                if (progress) progress(logProgress(from, to, sigma));
                return true;
            },
            cancel);
        result.acceptedSteps = stats.accepted;
        result.rejectedSteps = stats.rejected;
        result.denoiserCalls = stats.denoiserCalls;
        switch (status) {
        case AdaptiveStatus::Reached:
        case AdaptiveStatus::Stopped:
            break;
        case AdaptiveStatus::Cancelled:
            result.status = FlowStatus::Cancelled;
            break;
        case AdaptiveStatus::NonFinite:
            result.status = FlowStatus::NonFinite;
            break;
        case AdaptiveStatus::StepLimit:
            result.status = FlowStatus::StepLimit;
            break;
        }
        if (result.status == FlowStatus::Completed && finalStep) {
            FixedStepper(denoiser, x.size(), result).step(SolverKind::Euler, x, to, 0.0);
            result.sigmaReached = 0;
            ++result.acceptedSteps;
            recorder.record(index + 1, 0.0, x, true);
        }
    } else {
        std::vector<double> sigmas =
            edmSigmaSchedule(settings.sigmaMax, settings.sigmaMin, settings.steps, settings.rho);
        if (!backward) std::reverse(sigmas.begin(), sigmas.end());
        if (finalStep) sigmas.push_back(0.0);
        FixedStepper stepper(denoiser, x.size(), result);
        std::mt19937_64 noiseRng(settings.noiseSeed);
        std::normal_distribution<double> normal;
        for (std::size_t k = 0; k + 1 < sigmas.size(); ++k) {
            if (cancel && cancel->load(std::memory_order_relaxed)) {
                result.status = FlowStatus::Cancelled;
                break;
            }
            if (settings.noiseAlpha > 0)
                for (double& v : x) v += settings.noiseAlpha * sigmas[k] * normal(noiseRng);
            stepper.step(settings.solver, x, sigmas[k], sigmas[k + 1]);
            ++result.acceptedSteps;
            result.sigmaReached = sigmas[k + 1];
            recorder.record(static_cast<int>(k + 1), sigmas[k + 1], x, k + 2 == sigmas.size());
            if (progress) progress(logProgress(from, to, sigmas[k + 1]));
        }
    }
    result.nonFinitePoints = countNonFinite(x, n);
    if (result.nonFinitePoints > 0 && result.status == FlowStatus::Completed)
        result.status = FlowStatus::NonFinite;
    result.points = std::move(x);
    return result;
}

} // namespace psc::physics
