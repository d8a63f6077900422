// What an experiment over D measures, one flow at a time, and what its repetitions over seeds
// support: means with 95% intervals per setting, and which pairs of D they tell apart.
#pragma once

#include "physics/statistics.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace psc::physics {

// Which field a measurement flowed with. Data: the data-vs-data baseline (training draws scored
// against held-out data), what a perfect sampler would reach with the same number of points.
enum class FieldKind { Learned, Exact, Data };
const char* fieldKindName(FieldKind field); // "learned", "exact", "data"

// One flow of one seed: protocol "alpha" (noise α·σ_k·ε before every step), "nfe" (a Heun
// schedule of `value` evaluations), "bits" (weights quantised, learned only) or "baseline".
struct Measurement {
    double d = 0;
    FieldKind field = FieldKind::Learned;
    std::string protocol;
    double value = 0;    // α, NFE or bits (0 for the baseline)
    int seed = 0;        // repetition index: training seed, start points and noise
    std::size_t nfe = 0; // denoiser evaluations the flow took
    double sw2 = 0;      // sliced Wasserstein-2 to held-out data
    double mmd = 0;      // MMD to held-out data
    // Exact field only (NaN otherwise): the mean distance of each end point to the adaptive rk45
    // end point of the same start, in units of the data's rms spread, and the fraction of points
    // whose nearest charge is the rk45 end point's nearest charge.
    double endpointDistance = std::numeric_limits<double>::quiet_NaN();
    double landedFraction = std::numeric_limits<double>::quiet_NaN();
};

// The seeds of one setting (field, protocol, value, D) pooled.
struct SummaryPoint {
    double d = 0;
    FieldKind field = FieldKind::Learned;
    std::string protocol;
    double value = 0;
    double nfe = 0; // mean over seeds (adaptive flows differ)
    Interval sw2, mmd, endpointDistance, landedFraction;
};

// One SummaryPoint per distinct (field, protocol, value, D), in the order they first appear.
std::vector<SummaryPoint> summarize(const std::vector<Measurement>& rows, double confidence = 0.95);

// D = a against D = b at one setting, on the seeds both have: the paired difference of SW2 (or of
// another metric) and whether its interval excludes 0.
struct PairComparison {
    FieldKind field;
    std::string protocol;
    double value;
    double dA, dB;
    Interval meanA, meanB, difference; // difference = a − b, paired by seed
    bool resolved() const { return difference.excludesZero(); }
};

enum class Metric { Sw2, Mmd, EndpointDistance, LandedFraction };
double metricOf(const Measurement& row, Metric metric);
Interval metricOf(const SummaryPoint& point, Metric metric);

// Every pair of D (a listed before b) at every setting of `field` that has at least two seeds.
std::vector<PairComparison> comparePairs(const std::vector<Measurement>& rows, FieldKind field,
                                         Metric metric, double confidence = 0.95);

// D values for data of n coordinates: 1, 4, 16, … while below half of the D at which the kernel's
// radius law is within total variation 0.01 of the Gaussian's (diffusionLikeD), that D itself
// (two significant digits), and ∞. N = 2: 1, 4, 16, 53, ∞; N = 64: 1, 4, 16, 64, 256, 1500, ∞.
std::vector<double> defaultExperimentDs(int n);

} // namespace psc::physics
