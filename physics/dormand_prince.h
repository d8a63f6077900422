// Adaptive Dormand–Prince 5(4) integration of the PFGM++ flow for a batch of points.
#pragma once

#include "physics/denoiser.h"
#include "physics/progress.h"

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace psc::physics {

// The independent variable: σ itself (a single charge's flow is then linear in it, and every
// Runge–Kutta method is exact), or log σ (natural for field lines spanning decades of σ).
enum class TimeVariable { Sigma, LogSigma };

struct AdaptiveSettings {
    double rtol = 1e-5;
    double atol = 1e-5;
    int maxSteps = 100000; // accepted + rejected
    TimeVariable time = TimeVariable::Sigma;
};

enum class AdaptiveStatus { Reached, Stopped, Cancelled, NonFinite, StepLimit };

struct AdaptiveStats {
    int accepted = 0;
    int rejected = 0;
    std::size_t denoiserCalls = 0;
};

// Called after every accepted step with the new σ and points; return false to stop early.
using StepObserver = std::function<bool(double sigma, std::span<const double> points)>;

// Integrates dx/dσ = (x − x̂)/σ in place from sigmaFrom to sigmaTo (either direction; both > 0).
// The step is shared by the batch and controlled by the worst point's RMS scaled error
// (each point of a batch is at least as accurate as it would be integrated alone).
AdaptiveStatus integrateDormandPrince(const Denoiser& denoiser, std::vector<double>& points,
                                      double sigmaFrom, double sigmaTo,
                                      const AdaptiveSettings& settings, AdaptiveStats& stats,
                                      const StepObserver& observer = {},
                                      const CancelFlag* cancel = nullptr);

} // namespace psc::physics
