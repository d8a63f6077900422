// Particles of image data shown as images at the clock's σ, each beside the training image it
// lands nearest to: an exact field visibly copies its training set, a learned one need not.
#pragma once

#include "app/scene/scene_data.h"

#include <vector>

namespace psc::app {

struct ImageTile {
    std::vector<float> particle; // grey in [0, 1], width × height, row by row, at the clock
    std::vector<float> nearest;  // the training image nearest to where the particle lands
    // Between the landed particle and that image: the RMS difference per pixel over the data's
    // value range (0: a copy).
    double landedDifference = 0;
};

struct ImageTiles {
    int width = 0, height = 0;
    std::vector<ImageTile> tiles; // up to kImageTiles
};

// Empty (no tiles) for data that are not images. Values outside the data's range (noise at large
// σ) are clipped to black and white.
ImageTiles imageTiles(const SceneData& scene, double logSigma);

} // namespace psc::app
