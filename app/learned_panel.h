// The "Learned field" ImGui window: train on the scene's data (one D or a queued sweep), watch
// the loss, switch the flows between the exact and the learned field, compare the two.
#pragma once

#include "app/scene/learned_trainer.h"

#include "physics/denoiser_map.h"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace psc::app {

struct LearnedPanelInput {
    const TrainerState* trainer = nullptr;
    bool sceneReady = false; // the scene on screen was computed from the current settings
    int dim = 2;
    std::size_t charges = 0;
    std::string dataName;
    double d = 1;
    bool flowsLearned = false;
    const LearnedModel* flowModel = nullptr; // moved the particles on screen; null: exact
    std::span<const double> chargePositions; // drawn on the error map
    const physics::DenoiserDifferenceMap* errorMap = nullptr;
    // Per entry of trainer->models: whether it was trained on the charges on screen (or loaded
    // for any data of their dimension).
    std::vector<bool> fits;
};

// Widget state that outlives a frame, owned by the caller.
struct LearnedPanelMemory {
    bool requestOpen = false; // expand the window on the next frame
    bool open = false;        // expanded last frame
    int steps = 3000, width = 128, depth = 3, batch = 512, seed = 0;
    float tailQuantile = 0.99f; // physics::TrainSettings::tailQuantile
    float learningRate = 1e-3f;
    char sweep[64] = "1,8,128,inf";
    int framesDrawn = 0; // tests wait for fresh frames before reading a rectangle
    // Where buttons were drawn last frame (logical pixels: min x, min y, max x, max y), so tests
    // can drive the real widgets with mouse events.
    float trainRect[4] = {}, sweepRect[4] = {}, cancelRect[4] = {}, learnedRect[4] = {},
          exactRect[4] = {};
};

struct LearnedPanelResult {
    std::optional<std::vector<double>> train; // D values to train at, in order
    physics::TrainSettings settings;          // with train
    bool cancel = false;
    std::optional<bool> flowsLearned;
    const LearnedModel* use = nullptr;    // a model's "use" button: its D, this model
    const LearnedModel* remove = nullptr; // a model's "remove" button
};

// A loss as the panel prints it: three significant figures ("0.0123", "1.5e-05", "nan").
std::string formatLoss(double loss);

// "1, 8, 128, inf" → {1, 8, 128, ∞}; std::nullopt with a reason for anything else.
std::optional<std::vector<double>> parseDList(std::string_view text, std::string* problem);

// Collapsed at the top right until opened; no physics and no GL here.
LearnedPanelResult drawLearnedPanel(const LearnedPanelInput& in, LearnedPanelMemory& memory);

} // namespace psc::app
