// Field lines of the (N+D)-dimensional field, drawn in the (x, σ) half-space, seeded for equal
// flux.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/progress.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace psc::physics {

// Field lines and flow trajectories are the same curves: E_r > 0 everywhere above the plane, so
// every line is monotone in r and can be parametrised by σ = r/√D (physics/README.md §2); in log σ
// its speed is |x − x̂|. Lines are traced with adaptive Dormand–Prince in log σ.
enum class FieldLineSeeding {
    Hemisphere, // points uniform on the hemisphere of radius σ_max√D, traced down to the data
    Charges,    // around each charge in proportion to its weight, traced up to σ_max
};

enum class FieldLineStop {
    ReachedCharge, // came down onto a charge (inward lines)
    ReachedPlane,  // came down onto the plane away from every charge (flow ends between charges)
    ReachedTop,    // climbed to σ_max or, with stopAtHemisphere, to the hemisphere (outward lines)
    LeftBounds,    // |x − centre| exceeded the bound
    StepLimit,
    NonFinite,
    Cancelled,
};
const char* fieldLineStopText(FieldLineStop stop);

struct FieldLineSettings {
    FieldLineSeeding seeding = FieldLineSeeding::Hemisphere;
    std::size_t count = 64;
    double sigmaMax = 80.0;
    double sigmaMin = 0.002;
    // Charges seeding: the σ-radius of the small hemisphere around each charge, as a fraction
    // of the data's RMS spread (the charge's own field dominates there).
    double seedRadius = 1e-3;
    double rtol = 1e-4, atol = 1e-6;
    int maxSteps = 4000;
    // Lines further than this from the data's mean stop with LeftBounds; 0 picks
    // 1000 · (σ_max·√D + spread) (σ_max + spread at D = ∞).
    double bound = 0;
    std::uint64_t seed = 7;
    // Outward lines stop where they pierce the hemisphere |x − centre|² + D σ² = D σ_max²
    // (the sphere of radius σ_max√D in (x, r), centred on the data's mean) instead of at σ_max;
    // at D = ∞ the two coincide. The last point is placed on the sphere.
    bool stopAtHemisphere = false;
    // Lines traced side by side (0: one per hardware thread). The denoiser is then called from
    // several threads at once, one point per call (FastDenoiser and ReferenceDenoiser allow it).
    int threads = 1;
    // logDensity costs O(M) per recorded point; particle paths that are never coloured by it
    // can skip it (the values are then NaN).
    bool recordDensity = true;
};

std::optional<std::string> validateFieldLineSettings(const FieldLineSettings& settings);

struct FieldLine {
    std::vector<double> x;          // K*N points along the line, in order of tracing
    std::vector<double> sigma;      // K values (monotone; the last inward point has σ = 0)
    std::vector<double> logDensity; // K values of logPerturbedDensity (−inf at σ = 0)
    FieldLineStop stop = FieldLineStop::StepLimit;
    std::size_t charge = 0; // seed charge (outward) or the charge nearest to the end (inward)
};

// Traces settings.count lines of the field of charges at D with x̂ from denoiser (which must
// describe the same charges and D; use a ReferenceDenoiser or FastDenoiser). The result does not
// depend on settings.threads. progress counts lines (called from the calling thread only).
// Cancelling returns the lines finished so far, in seed order.
std::vector<FieldLine> traceFieldLines(const ChargeSet& charges, double d, const Denoiser& denoiser,
                                       const FieldLineSettings& settings,
                                       const ProgressFn& progress = {},
                                       const CancelFlag* cancel = nullptr);

// Where a line starts: x (N values) at σ, and for lines seeded around a charge, that charge.
struct FieldLineSeed {
    std::vector<double> x;
    double sigma;
    std::size_t charge;
};

// The seeds traceFieldLines starts from, in its order (other tracers, e.g. the GPU's, reuse them).
std::vector<FieldLineSeed> fieldLineSeeds(const ChargeSet& charges, double d,
                                          const FieldLineSettings& settings);

// How an inward line that came down to end (σ = 0) stops: ReachedCharge within
// max(10·σ_min, 1e-9·spread) of the nearest charge, else ReachedPlane; charge gets the nearest.
FieldLineStop inwardLineStop(const ChargeSet& charges, std::span<const double> end, double sigmaMin,
                             std::size_t& charge);

// Splits total lines among charges in proportion to their weights (largest remainder), so each
// charge's share of lines equals its share of flux to within one line.
std::vector<std::size_t> linesPerCharge(const ChargeSet& charges, std::size_t total);

} // namespace psc::physics
