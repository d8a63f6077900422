// The two stages' colours. The light stage keeps the dark one's hues, darkened until words and
// lines read at 4.5:1 or better on its near-white background.
#include "render/stage.h"

namespace psc::render {
namespace {

const StagePalette kDark{
    {0.07f, 0.08f, 0.11f, 1.0f},     {0.55f, 0.6f, 0.7f, 0.16f},  {0.55f, 0.6f, 0.7f, 0.22f},
    {0.95f, 0.45f, 0.4f, 0.9f},      {0.45f, 0.85f, 0.45f, 0.9f}, {0.5f, 0.7f, 1.0f, 0.95f},
    {0.7f, 0.8f, 1.0f, 0.8f},        {0.8f, 0.6f, 0.6f, 0.7f},    {0.55f, 0.75f, 1.0f, 0.28f},
    {0.6f, 0.8f, 1.0f, 0.9f},        {1.0f, 0.55f, 0.25f, 0.08f}, {1.0f, 0.72f, 0.28f, 0.8f},
    {0.0f, 0.1f, 0.0f, 0.0f},        {1.0f, 1.0f, 1.0f, 1.0f},    true,
    {0.9f, 0.91f, 0.94f, 0.92f},     {0.78f, 0.8f, 0.84f, 0.86f}, {0.94f, 0.78f, 0.47f, 0.92f},
    {0.055f, 0.063f, 0.086f, 0.78f}, {0.78f, 0.8f, 0.84f, 0.63f},
};

const StagePalette kLight{
    {0.985f, 0.985f, 0.975f, 1.0f}, {0.3f, 0.33f, 0.4f, 0.2f},    {0.3f, 0.33f, 0.4f, 0.3f},
    {0.75f, 0.15f, 0.1f, 0.95f},    {0.1f, 0.5f, 0.15f, 0.95f},   {0.1f, 0.3f, 0.75f, 0.95f},
    {0.1f, 0.25f, 0.6f, 0.95f},     {0.5f, 0.2f, 0.2f, 0.9f},     {0.15f, 0.35f, 0.75f, 0.4f},
    {0.1f, 0.3f, 0.7f, 0.95f},      {0.75f, 0.3f, 0.0f, 0.1f},    {0.85f, 0.4f, 0.02f, 0.9f},
    {0.0f, 0.08f, 0.0f, 0.0f},      {0.0f, 0.0f, 0.0f, 1.0f},     false,
    {0.1f, 0.11f, 0.14f, 0.95f},    {0.27f, 0.29f, 0.35f, 0.92f}, {0.62f, 0.33f, 0.0f, 0.95f},
    {0.98f, 0.98f, 0.97f, 0.85f},   {0.27f, 0.29f, 0.35f, 0.7f},
};

} // namespace

std::optional<StageKind> parseStage(std::string_view name) {
    for (const auto& row : kStages)
        if (row.name == name) return row.value;
    return std::nullopt;
}

const char* stageName(StageKind kind) {
    for (const auto& row : kStages)
        if (row.value == kind) return row.name.data();
    return "dark";
}

const StagePalette& stagePalette(StageKind kind) {
    return kind == StageKind::Light ? kLight : kDark;
}

} // namespace psc::render
