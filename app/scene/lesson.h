// Lessons: guided tours as data. A lesson file is JSON; each step sets up a scene (the scene-file
// schema), says what to look at, and shows its key formula.
#pragma once

#include "app/scene/scene_file.h"

#include <QByteArray>
#include <QString>

#include <optional>
#include <stdexcept>
#include <vector>

namespace psc::app {

// What is wrong with a lesson file, on one line, with the file and the key path:
// "tour.json: steps[3].scene.field.D: must be a number >= 1 or \"inf\"".
class LessonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct LessonStep {
    QString title;
    QString text;    // plain text; blank lines separate paragraphs
    QString formula; // TeX subset (app/formula/formula.h), checked when read; may be empty
    SceneFile scene; // applied when the step is entered (camera only when given)
    // Learned fields the step needs: trained on entering for each D that has none yet, with
    // trainSteps steps; flowsLearned switches the flows.
    std::vector<double> trainDs;
    int trainSteps = 1500;
    std::optional<bool> flowsLearned;
    bool openLearnedPanel = false;
};

struct Lesson {
    QString title;
    std::vector<LessonStep> steps; // at least one
};

inline constexpr qint64 kMaxLessonFileBytes = 1024 * 1024;

// The format:
//   {"format": "poissonscope-lesson", "version": 1, "title": "...",
//    "steps": [{"title": "...", "text": "...", "formula": "...",
//               "scene": {"data": {...}, "field": {...}, "view": {...}, "camera": {...}},
//               "learned": {"train": [8, "inf"], "steps": 1500, "flows": "learned" | "exact",
//                           "panel": true}}, ...]}
// "scene" takes the keys of a scene file (without format and version; see scene_file.h), so
// a scene saved from the window can be pasted in. title and text are required per step; text
// may be an array of paragraphs. At most 64 steps. Relative data paths resolve against baseDir.
Lesson parseLesson(const QByteArray& json, const QString& baseDir);

// Reads and parses a lesson file (at most kMaxLessonFileBytes); messages start with its name.
Lesson loadLesson(const QString& path);

// The lessons that ship inside the binary (Qt resources under :/lessons), as (title, path).
std::vector<std::pair<QString, QString>> builtinLessons();

} // namespace psc::app
