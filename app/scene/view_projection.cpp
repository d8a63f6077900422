#include "app/scene/view_projection.h"

#include "physics/principal_components.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace psc::app {

void ViewProjection::project(const double* x, double* view) const {
    for (int a = 0; a < viewDim; ++a) {
        const double* axis = &axes[static_cast<std::size_t>(a) * dataDim];
        double sum = 0;
        for (int k = 0; k < dataDim; ++k) sum += axis[k] * (x[k] - origin[k]);
        view[a] = sum;
    }
}

std::vector<double> ViewProjection::projectAll(const std::vector<double>& points) const {
    const std::size_t count = points.size() / static_cast<std::size_t>(dataDim);
    std::vector<double> out(count * static_cast<std::size_t>(viewDim));
    for (std::size_t i = 0; i < count; ++i) project(&points[i * dataDim], &out[i * viewDim]);
    return out;
}

std::string ViewProjection::describe() const {
    auto percent = [&](int a) {
        char text[32];
        std::snprintf(text, sizeof text, "%.1f%%", 100.0 * explained[a]);
        return std::string(text);
    };
    std::string shares;
    for (int a = 0; a < viewDim; ++a) shares += (a ? " + " : "") + percent(a);
    const std::string of = " of " + std::to_string(dataDim) + " coordinates";
    switch (kind) {
    case ProjectionKind::Embedding:
        return "the shape's own " + std::string(viewDim == 3 ? "space" : "plane") + of + ": " +
               shares + " of the variance";
    case ProjectionKind::Axes:
        return "coordinates " + std::to_string(coordinates[0] + 1) + " and " +
               std::to_string(coordinates[1] + 1) + of + ": " + shares + " of the variance";
    default:
        return "principal components 1–" + std::to_string(viewDim) + of + ": " + shares +
               " of the variance";
    }
}

std::string ViewProjection::shares() const {
    std::string text;
    for (int a = 0; a < viewDim; ++a) {
        char part[48];
        const char* name = kind == ProjectionKind::Pca ? "PC" : "axis ";
        if (kind == ProjectionKind::Axes)
            std::snprintf(part, sizeof part, "x%d %.1f%%", coordinates[a] + 1, 100 * explained[a]);
        else
            std::snprintf(part, sizeof part, "%s%d %.1f%%", name, a + 1, 100 * explained[a]);
        text += (a ? " · " : "") + std::string(part);
    }
    return text + " of the variance";
}

bool embeddedShape(std::string_view dataset, const physics::DatasetParams& params, int dataDim) {
    const physics::DatasetInfo* info = physics::findDataset(dataset);
    // "clusters" lie in a subspace of ten, which no plane shows whole: principal components do.
    return info && info->anyDim && !info->real && info->name != "clusters" &&
           params.dim > info->dim && dataDim == params.dim;
}

namespace {

void fillExplained(ViewProjection& p, const physics::ChargeSet& charges) {
    const auto mean = charges.mean();
    const double total = physics::totalVariance(charges, mean);
    p.explained.clear();
    for (int a = 0; a < p.viewDim; ++a)
        p.explained.push_back(
            total > 0 ? physics::varianceAlong(charges, mean,
                                               &p.axes[static_cast<std::size_t>(a) * p.dataDim]) /
                            total
                      : 0.0);
}

} // namespace

ViewProjection makeViewProjection(ProjectionKind kind, const physics::ChargeSet& charges,
                                  std::string_view dataset, const physics::DatasetParams& params,
                                  bool builtinData, int axisX, int axisY) {
    ViewProjection p;
    p.dataDim = charges.dim();
    const int n = p.dataDim;
    const bool embedded = builtinData && embeddedShape(dataset, params, n);
    if (kind == ProjectionKind::Auto)
        kind = embedded ? ProjectionKind::Embedding : ProjectionKind::Pca;
    if (kind == ProjectionKind::Embedding && !embedded) kind = ProjectionKind::Pca;
    p.kind = kind;
    if (kind == ProjectionKind::Embedding) {
        // The shape was drawn about the origin and mapped by x ↦ B x: Bᵀ x gives it back.
        const int d = physics::findDataset(dataset)->dim;
        p.viewDim = d;
        p.origin.assign(static_cast<std::size_t>(n), 0.0);
        p.axes = physics::embeddingBasis(d, n); // column-major N×d: d rows of N
    } else if (kind == ProjectionKind::Axes) {
        for (int axis : {axisX, axisY})
            if (axis < 1 || axis > n)
                throw std::invalid_argument("view axis " + std::to_string(axis) +
                                            " is not a coordinate of this data (1 to " +
                                            std::to_string(n) + ")");
        p.coordinates = {axisX - 1, axisY - 1};
        p.origin.assign(static_cast<std::size_t>(n), 0.0);
        p.axes.assign(static_cast<std::size_t>(2) * n, 0.0);
        p.axes[static_cast<std::size_t>(axisX - 1)] = 1;
        p.axes[static_cast<std::size_t>(n + axisY - 1)] = 1;
    } else {
        const physics::PrincipalComponents pc = physics::principalComponents(charges, 2);
        p.origin = pc.mean;
        p.axes = pc.axes;
        p.viewDim = pc.count;
    }
    fillExplained(p, charges);
    return p;
}

} // namespace psc::app
