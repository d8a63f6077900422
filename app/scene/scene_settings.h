// What defines a scene (recomputed when it changes) and how it is viewed (redrawn only).
#pragma once

#include "app/scene/image_charges.h"
#include "app/scene/view_projection.h"
#include "physics/datasets.h"
#include "physics/field_line_tracer.h"
#include "physics/field_method.h"
#include "physics/flow_solver.h"
#include "render/color_map.h"
#include "render/scene_geometry.h"
#include "render/stage.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace psc::app {

struct LearnedModel;

// Where the animated particles start: on the hemisphere of radius σ_max√D (each particle then
// follows its exact field line: traced adaptively on the CPU, with fixed rk4 steps in log σ on
// the GPU), or drawn from the prior at σ_max and moved by the chosen solver on the EDM schedule
// (so step count and solver show).
enum class ParticleSource { Hemisphere, Prior };

// The names of the scene's choices besides solvers (physics/solvers.h), layers and colour maps
// (render/): `name` for files and options, `label` for the panel. Labels fit the panel's combo
// at its default width (tests/app/tst_panel_layout checks): details go into the tooltips.
struct ParticleSourceInfo {
    ParticleSource value;
    std::string_view name, label;
};
inline constexpr ParticleSourceInfo kParticleSources[] = {
    {ParticleSource::Hemisphere, "hemisphere", "hemisphere (exact lines)"},
    {ParticleSource::Prior, "prior", "prior at σ_max (solver)"},
};
struct SeedingInfo {
    physics::FieldLineSeeding value;
    std::string_view name, label;
};
inline constexpr SeedingInfo kSeedings[] = {
    {physics::FieldLineSeeding::Charges, "charges", "charges (equal flux)"},
    {physics::FieldLineSeeding::Hemisphere, "hemisphere", "hemisphere"},
};

// How ViewSettings::forward reads in the panel's combo.
struct PlaybackDirectionInfo {
    bool value; // ViewSettings::forward
    std::string_view label;
};
inline constexpr PlaybackDirectionInfo kPlaybackDirections[] = {
    {false, "backward: generate"},
    {true, "forward: encode"},
};

struct SceneSettings {
    std::string dataset = "two-moons";
    physics::DatasetParams datasetParams{};
    std::string dataPath; // when set, replaces the built-in data set
    ImageChargeSettings image; // how a picture (dataPath .png/.jpg) becomes charges
    // Charges edited by hand (N = 2, x1 y1 x2 y2 ...; relative weights); when set, they replace
    // both the data set and the data file.
    std::vector<double> editedPositions;
    std::vector<double> editedWeights;
    double d = 1.0;
    double sigmaMax = 80.0;
    double sigmaMin = 0.002;
    int steps = 32;
    physics::SolverKind solver = physics::SolverKind::Heun;
    // How the exact field is evaluated (physics/field_method.h) and the tree's tolerance, as a
    // fraction of the data's spread.
    physics::FieldMethod fieldMethod = physics::FieldMethod::Auto;
    double fieldTolerance = physics::kDefaultFieldTolerance;
    ParticleSource particleSource = ParticleSource::Hemisphere;
    int particles = 1500;
    int fieldLines = 64;
    physics::FieldLineSeeding seeding = physics::FieldLineSeeding::Charges;
    std::uint64_t seed = 1;
    // How data of more than three coordinates is drawn (view_projection.h); axisX and axisY count
    // from 1 and matter for ProjectionKind::Axes.
    ProjectionKind projection = ProjectionKind::Auto;
    int axisX = 1, axisY = 2;
    // Learned fields to move the particles with: the newest whose D equals d and that fits the
    // data does (pickLearnedModel); none, or none that matches, leaves the exact field. Field
    // lines always show the exact field. Not saved in scene files (models are files of their own).
    std::vector<std::shared_ptr<const LearnedModel>> learned;

    bool operator==(const SceneSettings&) const = default;
};

// Where the window moves its particles: the GPU's compute shaders when the context has them and
// is not a software rasteriser (auto), or by choice.
enum class ComputeChoice { Auto, Cpu, Gpu };
struct ComputeChoiceInfo {
    ComputeChoice value;
    std::string_view label;
};
inline constexpr ComputeChoiceInfo kComputeChoices[] = {
    {ComputeChoice::Auto, "auto"},
    {ComputeChoice::Cpu, "CPU (SIMD threads)"},
    {ComputeChoice::Gpu, "GPU (compute shaders)"},
};

struct ViewSettings {
    unsigned layers = render::kAllLayers & ~static_cast<unsigned>(render::Layer::EndCloud);
    render::ColorMapKind colorMap = render::ColorMapKind::Viridis;
    render::StageKind stage = render::StageKind::Dark;
    float trailLength = 1.2f;      // log σ units
    float decadesPerSecond = 1.0f; // playback speed of the log-σ clock
    bool playing = true;
    bool loop = true;
    // Plays the flow from the data up to the hemisphere (encoding) instead of down (generation).
    bool forward = false;
    // Small multiples: the same scene and starting noise at D = 1, 8, 128 and ∞, 2×2, one camera.
    bool compare = false;
    // Not saved in scene files: it belongs to the machine, not to the scene.
    ComputeChoice compute = ComputeChoice::Auto;

    bool operator==(const ViewSettings&) const = default;
};

} // namespace psc::app
