// The numbers of the laws panel: how far the particles are from the data at the clock's σ, against
// the exact law of the PFGM++ kernel, and where on the (N, D) plane the kernel is diffusion's.
#pragma once

#include "app/scene/scene_data.h"

#include <cstddef>
#include <optional>
#include <vector>

namespace psc::app {

// The particles' distances R to their nearest charges (in the data's N coordinates) at the clock,
// as t = R/σ, binned, beside the law of t for a point drawn from the kernel around one charge
// (physics/radial_law.h) and χ_N (D = ∞). Where σ is small against the charges' spacing the
// nearest charge is the one the point came from, and the histogram follows the law; at larger σ
// other charges lie nearer than the particle's own, and it falls short of it.
struct DistanceHistogram {
    double sigma = 0;
    int n = 0;
    double d = 0;
    std::size_t particles = 0;      // paths that reach the clock's σ
    std::vector<double> edges;      // bins + 1 values of t
    std::vector<double> density;    // per bin: fraction / width (integrates to 1)
    std::vector<double> curveT;     // a fine grid over the edges
    std::vector<double> lawDensity; // the kernel's law of t at D
    std::vector<double> chiDensity; // χ_N
};

// Null when the clock is at σ = 0 (t is undefined there) or no kept path reaches its σ. Uses the
// kept paths (kKeptPaths) and at most about 5e7 multiply-adds: fewer particles for large M·N.
std::optional<DistanceHistogram> nearestDistanceHistogram(const SceneData& scene, double logSigma,
                                                          int bins = 24);

// The total-variation distance between the kernel's law of R/σ and χ_N over a grid of N and D:
// rows of D (log-spaced from 1 to 1e8, four per decade), columns of N (1 to 16,384, two per
// octave, rounded). Computed once, on first use.
struct DiffusionDistanceMap {
    std::vector<double> ns, ds;
    std::vector<double> tv; // ds.size() rows of ns.size()
    // Per column: the smallest D within kDiffusionLikeTv of D = ∞ (physics::diffusionLikeD).
    std::vector<double> diffusionLike;
    double at(std::size_t row, std::size_t column) const { return tv[row * ns.size() + column]; }
};
inline constexpr double kDiffusionLikeTv = 0.05;
const DiffusionDistanceMap& diffusionDistanceMap();

} // namespace psc::app
