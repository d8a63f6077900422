// The x₁–σ slice through the data: a heat map of the field, its flow directions and projected
// field lines, for the 2D slice panel.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/progress.h"

#include <array>
#include <string>
#include <vector>

namespace psc::physics {

enum class SliceQuantity {
    // log10 |E|, E(x, r) = Σ q_i (x − y_i, r) / ρ_i^(N+D), ρ_i² = |x − y_i|² + r², r = σ√D: the
    // (N+1)-vector of the x-part and the radial part, unnormalised (physics/README.md §2). At
    // D = ∞ there is no finite r: the score's magnitude log10 |x̂ − x| / σ² instead (label says
    // which).
    FieldStrength,
    // log10 p_σ(x), the normalised perturbed data density Σ q_i p_σ(x | y_i) (physics/README.md
    // §3; the flux density of the field through the plane σ = const). Defined for every D
    // including ∞.
    // Chosen over the potential because it has one formula for all D and a closed-form oracle.
    LogDensity,
};

// How the slice's rows are spaced in σ. Near the data the field changes on the scale of σ itself,
// so a linear axis squeezes that structure into its bottom rows; a logarithmic one gives every
// decade the same height.
enum class SliceAxis {
    Linear, // σ from 0 to sigmaTop
    Log,    // σ from kSliceLogBottom · sigmaTop (where the projected lines end) to sigmaTop
};
inline constexpr double kSliceLogBottom = 1e-3;

// The colour window of a slice spans at most this many decades (units of its log10 values).
inline constexpr double kSliceColourDecades = 6;

struct SliceSettings {
    double lo = -3, hi = 3; // x₁ range, finite, hi > lo
    double sigmaTop = 3;    // top of the σ range, finite, > 0
    SliceAxis sigmaAxis = SliceAxis::Log;
    std::vector<double> through; // N values: the slice's other coordinates (through[0] ignored)
    int columns = 96, rows = 64; // heat-map cells, each 1..1024
    SliceQuantity quantity = SliceQuantity::FieldStrength;
    int arrowColumns = 16, arrowRows = 10; // 0..256 each; 0 draws no arrows
    int lineCount = 24;                    // projected field lines, 0..1024
    int lineSteps = 48;                    // RK4 steps in ln σ per line, 1..100000
    int threads = 0;                       // <= 0: one per hardware thread
};

struct FieldSlice {
    int columns = 0, rows = 0;
    double lo = 0, hi = 0, sigmaTop = 0;
    SliceAxis sigmaAxis = SliceAxis::Linear;
    double sigmaBottom = 0; // σ at the bottom edge: 0 (linear) or kSliceLogBottom · sigmaTop (log)
    // rows*columns values, row-major, row 0 at small σ: cell (i, j) is sampled at its centre
    // x₁ = lo + (i + ½)(hi − lo)/columns, σ = cellSigma(j), so σ > 0 everywhere.
    // Where the D = ∞ score is exactly 0 (a point of symmetry) the cell holds minValue.
    std::vector<double> value;
    double minValue = 0, maxValue = 0; // of the finite values
    // The colours' range: all of minValue..maxValue when that spans at most kSliceColourDecades;
    // otherwise from the 98th percentile of the values down to their 2nd percentile, but no more
    // than kSliceColourDecades (a spike at a charge, or a density that is 0 to 300 digits far
    // from the data, would leave one colour for everything else). Values outside take the end's
    // colour; the panel marks a clipped end.
    double colourLo = 0, colourHi = 0;
    std::string label; // "log10 |E|", "log10 |score|" or "log10 p_σ"

    // σ at height v of the slice (0: bottom edge, 1: top edge), and back; on the log axis σ ≤ 0
    // maps to −inf.
    double sigmaAt(double v) const;
    double heightOf(double sigma) const;
    // The σ of row j's centres (cells and arrows of a grid of `of` rows; rows by default).
    double cellSigma(int j, int of = 0) const { return sigmaAt((j + 0.5) / (of > 0 ? of : rows)); }
    bool clippedLow() const { return colourLo > minValue; }
    bool clippedHigh() const { return colourHi < maxValue; }

    // The flow direction at a sample point (at cellSigma(j, arrowRows)), a unit vector in the
    // slice's own (x₁, σ) units:
    // (dx₁/dσ, 1) normalised, dx₁/dσ = (x₁ − x̂₁)/σ; it points up, away from the data.
    struct Arrow {
        double x1, sigma, dx1, dsigma;
    };
    int arrowColumns = 0, arrowRows = 0;
    std::vector<Arrow> arrows; // arrowRows*arrowColumns, sampled at cell centres like value

    // Projected field lines, (x₁, σ) points from σ = sigmaTop down: dx₁/d ln σ = x₁ − x̂₁(x, σ)
    // with the other coordinates held at `through` (so not the true N-dimensional lines), lineSteps
    // RK4 steps to kSliceLogBottom·sigmaTop, then one point at σ = 0 on x̂₁. Starts are evenly
    // spaced: x₁ = lo + (k + ½)(hi − lo)/lineCount.
    std::vector<std::vector<std::array<double, 2>>> lines;

    bool empty() const { return value.empty(); }
};

// Evaluates the slice in double precision (log-sum-exp throughout, so D up to 1e9 and beyond stays
// finite), threads over rows and lines. D as in extra_dims.h. Reentrant: no shared state.
// Cancelled (polled per row and per line step): returns an empty FieldSlice.
// Throws std::invalid_argument with a one-line message for an invalid D, `through` not of N
// values, sizes out of range, a non-finite x₁ range or hi <= lo, sigmaTop not finite and > 0.
// field: the same charges' exact field at D from an evaluator that has fastLogDensity (the tree
// code, for many charges): x̂ and the density then come from it, within its tolerance; other
// evaluators, or none, leave the direct double-precision sums.
FieldSlice computeFieldSlice(const ChargeSet& charges, double d, const SliceSettings& settings,
                             const CancelFlag* cancel = nullptr, const Denoiser* field = nullptr);

} // namespace psc::physics
