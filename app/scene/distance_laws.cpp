#include "app/scene/distance_laws.h"

#include "app/scene/scene_geometry_builder.h"

#include "physics/radial_law.h"

#include <algorithm>
#include <cmath>

namespace psc::app {

std::optional<DistanceHistogram> nearestDistanceHistogram(const SceneData& scene, double logSigma,
                                                          int bins) {
    if (logSigma <= clockBottom(scene) + 1e-9) return std::nullopt;
    const physics::ChargeSet& charges = dataCharges(scene);
    const auto& paths = dataPaths(scene);
    const int n = charges.dim();
    const double work = static_cast<double>(charges.size()) * n;
    const std::size_t budget =
        std::max<std::size_t>(16, static_cast<std::size_t>(5e7 / std::max(work, 1.0)));
    DistanceHistogram h;
    h.sigma = std::exp(logSigma);
    h.n = n;
    h.d = scene.settings.d;
    std::vector<double> t, x(static_cast<std::size_t>(n));
    for (const auto& path : paths) {
        if (t.size() >= std::min(budget, kKeptPaths)) break;
        if (path.sigma.empty() || clockLogSigma(scene, path.sigma.front()) < logSigma) continue;
        pathPointAt(scene, path, n, logSigma, x.data());
        double distance = 0;
        physics::nearestCharge(charges, x, &distance);
        t.push_back(distance / h.sigma);
    }
    if (t.empty()) return std::nullopt;
    h.particles = t.size();
    // Bins over where the particles and both laws are: up to the larger of the data's reach and
    // the laws' 99.9% (χ_N's is within √N + 3.5).
    const double lawReach = std::sqrt(static_cast<double>(n)) + 3.5;
    const double hi = std::max(*std::max_element(t.begin(), t.end()), lawReach) * 1.02;
    for (int b = 0; b <= bins; ++b) h.edges.push_back(hi * b / bins);
    h.density.assign(static_cast<std::size_t>(bins), 0.0);
    const double width = hi / bins;
    for (double v : t)
        h.density[std::min<std::size_t>(static_cast<std::size_t>(v / width), bins - 1)] +=
            1.0 / (static_cast<double>(t.size()) * width);
    for (int k = 0; k <= 160; ++k) {
        const double v = hi * k / 160;
        h.curveT.push_back(v);
        h.lawDensity.push_back(physics::radialDensity(v, n, h.d));
        h.chiDensity.push_back(physics::radialDensity(v, n, INFINITY));
    }
    return h;
}

const DiffusionDistanceMap& diffusionDistanceMap() {
    static const DiffusionDistanceMap map = [] {
        DiffusionDistanceMap m;
        for (int k = 0; k <= 28; ++k) {
            const double n = std::round(std::pow(2.0, 0.5 * k));
            if (m.ns.empty() || n > m.ns.back()) m.ns.push_back(n);
        }
        for (int k = 0; k <= 32; ++k) m.ds.push_back(std::pow(10.0, 0.25 * k));
        for (double d : m.ds)
            for (double n : m.ns)
                m.tv.push_back(physics::radialTotalVariation(static_cast<int>(n), d));
        for (double n : m.ns)
            m.diffusionLike.push_back(
                physics::diffusionLikeD(static_cast<int>(n), kDiffusionLikeTv));
        return m;
    }();
    return map;
}

} // namespace psc::app
