// Pictures as data: each pixel of a PNG or JPEG a charge at its place, weighted by how dark (or
// how bright) it is.
#pragma once

#include "physics/point_io.h"

#include <string>
#include <string_view>

namespace psc::app {

enum class ImageWeight { Darkness, Brightness };
struct ImageWeightInfo {
    ImageWeight value;
    std::string_view name, label;
};
inline constexpr ImageWeightInfo kImageWeights[] = {
    {ImageWeight::Darkness, "darkness", "dark pixels"},
    {ImageWeight::Brightness, "brightness", "bright pixels"},
};

struct ImageChargeSettings {
    ImageWeight weight = ImageWeight::Darkness;
    // Pixels whose weight (0..1) is at most this are left out: paper white is no charge.
    double threshold = 0.05;
    // Every stride-th pixel in both directions (1: all of them).
    int stride = 1;
    bool operator==(const ImageChargeSettings&) const = default;
};

// .png, .jpg or .jpeg, in any case.
inline bool isImagePath(std::string_view path) {
    auto endsWith = [path](std::string_view ext) {
        if (path.size() <= ext.size()) return false;
        for (std::size_t i = 0; i < ext.size(); ++i) {
            const char c = path[path.size() - ext.size() + i];
            if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != ext[i]) return false;
        }
        return true;
    };
    return endsWith(".png") || endsWith(".jpg") || endsWith(".jpeg");
}

// The charges of a picture: pixel (column, row) at x = (column + ½ − W/2)·s, y = (H/2 − row − ½)·s
// with s = 4 / max(W, H), so the picture spans 4 units across its longer side, upright, centred
// on 0 (the scale of the built-in data sets, where σ_max = 80 is far away). Weight: 1 − luminance
// or luminance (Rec. 709 on the stored values), times alpha. Throws physics::PointIoError
// naming the file for an unreadable picture, one without a pixel above the threshold, or more
// charges than limits.maxRows.
physics::PointTable loadImageCharges(const std::string& path, const ImageChargeSettings& settings,
                                     const physics::LoadLimits& limits = {});

// loadImageCharges for pictures, physics::loadPoints for everything else.
physics::PointTable loadDataFile(const std::string& path, const ImageChargeSettings& image,
                                 const physics::LoadLimits& limits = {});

} // namespace psc::app
