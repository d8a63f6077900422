#include "app/scene/image_tiles.h"

#include "app/scene/scene_geometry_builder.h"

#include <algorithm>
#include <cmath>

namespace psc::app {

ImageTiles imageTiles(const SceneData& scene, double logSigma) {
    ImageTiles out;
    const ProjectedScene* p = scene.projected.get();
    if (!p || p->imageWidth == 0) return out;
    out.width = p->imageWidth;
    out.height = p->imageHeight;
    const int n = p->charges.dim();
    const double range = p->pixelHi - p->pixelLo;
    const auto grey = [&](double v) {
        return static_cast<float>(std::clamp((v - p->pixelLo) / range, 0.0, 1.0));
    };
    std::vector<double> x(static_cast<std::size_t>(n));
    for (std::size_t k = 0; k < p->landedNearest.size(); ++k) {
        const ParticlePath& path = p->paths[k];
        if (path.sigma.empty()) continue;
        ImageTile tile;
        pathPointAt(scene, path, n, logSigma, x.data());
        const auto y = p->charges.position(p->landedNearest[k]);
        const double* landed = &path.x[path.x.size() - static_cast<std::size_t>(n)];
        double squared = 0;
        for (int c = 0; c < n; ++c) {
            tile.particle.push_back(grey(x[c]));
            tile.nearest.push_back(grey(y[c]));
            squared += (landed[c] - y[c]) * (landed[c] - y[c]);
        }
        tile.landedDifference = std::sqrt(squared / n) / range;
        out.tiles.push_back(std::move(tile));
    }
    return out;
}

} // namespace psc::app
