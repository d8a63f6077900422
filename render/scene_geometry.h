// Plain vertex data the scene renderer draws; built by the app from physics results.
#pragma once

#include <glm/glm.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace psc::render {

struct LineVertex {
    glm::vec3 position;
    float logSigma; // for trails: where on the flow's clock this vertex lies
    glm::vec4 color;
};

// Many line strips in one buffer: strip i is vertices [firsts[i], firsts[i] + counts[i]).
struct Polylines {
    std::vector<LineVertex> vertices;
    std::vector<int> firsts;
    std::vector<int> counts;

    void beginStrip() { firsts.push_back(static_cast<int>(vertices.size())), counts.push_back(0); }
    void add(const LineVertex& v) { vertices.push_back(v), ++counts.back(); }
    void addSegment(const LineVertex& a, const LineVertex& b) { beginStrip(), add(a), add(b); }
    bool empty() const { return vertices.empty(); }
};

struct PointVertex {
    glm::vec3 position;
    float size; // diameter in logical pixels
    glm::vec4 color;
};

enum class Layer : unsigned {
    Grid = 1u << 0,
    Axes = 1u << 1,
    Hemisphere = 1u << 2,
    FieldLines = 1u << 3,
    Trails = 1u << 4,
    Particles = 1u << 5,
    Charges = 1u << 6,
    EndCloud = 1u << 7,
    Images = 1u << 8,
};
inline constexpr unsigned kAllLayers = 0x1ffu;

// Every layer, declared once: scene files and options use the key, panels the label, the View
// menu the menu label (with its accelerator).
struct LayerInfo {
    Layer value;
    std::string_view name;      // "field-lines"
    std::string_view label;     // "field lines"
    std::string_view menuLabel; // "&Field lines"
    bool planeOnly;             // drawn only for N = 2 (grid and hemisphere live on the data plane)
};
inline constexpr LayerInfo kLayers[] = {
    {Layer::Grid, "grid", "grid", "&Grid", true},
    {Layer::Axes, "axes", "axes", "&Axes and labels", false},
    {Layer::Hemisphere, "hemisphere", "hemisphere", "&Hemisphere", true},
    {Layer::FieldLines, "field-lines", "field lines", "&Field lines", false},
    {Layer::Trails, "trails", "trails", "&Trails", false},
    {Layer::Particles, "particles", "particles", "&Particles", false},
    {Layer::Charges, "charges", "charges", "&Charges", false},
    {Layer::EndCloud, "end-cloud", "end cloud", "&End-point cloud", false},
    // Image data only: particles drawn as images beside their nearest training image (an
    // overlay, not geometry).
    {Layer::Images, "images", "images", "&Images (image data)", false},
};

// Text anchored in world space (axis names, tick values); drawn by the UI layer.
struct Label {
    glm::vec3 position;
    std::string text;
    glm::vec4 color{0.85f, 0.87f, 0.92f, 1.0f};
};

// Everything that changes only when the scene is recomputed.
struct SceneGeometry {
    std::vector<Label> labels;
    Polylines grid, axes, hemisphere, fieldLines, trails;
    std::vector<PointVertex> charges, endCloud;
    // Many charges (a picture, a scan) are drawn as flat dots whose opacity is their weight, not
    // as lit spheres that would merge into one blob.
    bool chargeDots = false;
    glm::vec3 boundsMin{-1.0f}, boundsMax{1.0f}; // of the data and the hemisphere, for fitting
};

} // namespace psc::render
