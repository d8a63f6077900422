// The lesson's ImGui window: where the tour is, what to look at, the key formula, back and next.
#pragma once

#include "app/scene/lesson.h"

namespace psc::app {

struct LessonPanelMemory {
    int framesDrawn = 0; // tests wait for fresh frames before reading a rectangle
    // Where the buttons were drawn last frame (logical pixels: min x, min y, max x, max y).
    float backRect[4] = {}, nextRect[4] = {}, closeRect[4] = {};
};

struct LessonPanelResult {
    int go = 0; // −1 back, +1 next
    bool close = false;
};

// Bottom centre of the display; `note` is a line about the step's background work (training).
LessonPanelResult drawLessonPanel(const Lesson& lesson, int step, const std::string& note,
                                  LessonPanelMemory& memory);

} // namespace psc::app
