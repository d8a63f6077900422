// How a scene of more than three coordinates is drawn: a linear map onto two or three axes that
// charges, particles, trails and field lines all go through (σ stays the height, as for N = 2).
#pragma once

#include "physics/charge_set.h"
#include "physics/datasets.h"

#include <string>
#include <string_view>
#include <vector>

namespace psc::app {

enum class ProjectionKind {
    Auto,      // the embedding's plane for an embedded shape, principal components otherwise
    Embedding, // the plane (or space) a built-in shape was embedded along: its own picture
    Pca,       // the two leading principal axes of the weighted charges
    Axes,      // two chosen coordinates, as they are
};
struct ProjectionInfo {
    ProjectionKind value;
    std::string_view name, label;
};
inline constexpr ProjectionInfo kProjections[] = {
    {ProjectionKind::Auto, "auto", "auto"},
    {ProjectionKind::Embedding, "embedding", "embedding plane"},
    {ProjectionKind::Pca, "pca", "principal components"},
    {ProjectionKind::Axes, "axes", "two coordinates"},
};

struct ViewProjection {
    ProjectionKind kind = ProjectionKind::Pca; // resolved: never Auto
    int dataDim = 0;                           // N
    int viewDim = 2;                           // 2, or 3 for a 3-D shape's embedding
    std::vector<double> origin;                // N values subtracted before projecting
    std::vector<double> axes;                  // viewDim rows of N values, orthonormal
    std::vector<double> explained;             // per axis: its share of the data's variance
    std::vector<int> coordinates;              // Axes: the chosen coordinates (from 0)

    // view = axes · (x − origin): viewDim values from N.
    void project(const double* x, double* view) const;
    // Many points (count × N values, row-major) to count × viewDim.
    std::vector<double> projectAll(const std::vector<double>& points) const;
    // "principal components 1–2 of 64 coordinates: 28.9% + 14.4% of the variance".
    std::string describe() const;
    // The same, short, for a panel row: "PC1 28.9% · PC2 14.4% of the variance".
    std::string shares() const;
};

// Whether the data set of these settings was embedded from a shape of fewer coordinates.
bool embeddedShape(std::string_view dataset, const physics::DatasetParams& params, int dataDim);

// The projection a scene with these charges is drawn through. axisX, axisY: the coordinates (from
// 1, as people count) for ProjectionKind::Axes. Embedding on data that is not an embedded shape
// falls back to principal components (describe() says which was used). Throws
// std::invalid_argument for an axis beyond N.
ViewProjection makeViewProjection(ProjectionKind kind, const physics::ChargeSet& charges,
                                  std::string_view dataset, const physics::DatasetParams& params,
                                  bool builtinData, int axisX, int axisY);

} // namespace psc::app
