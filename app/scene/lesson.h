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

// A measured result the step shows beside its text: one bar per row with its interval, drawn
// from numbers the lesson file carries (written from a real run, which the caption names).
struct LessonChart {
    struct Bar {
        QString label;
        double mean = 0, lo = 0, hi = 0; // lo <= mean <= hi, finite
    };
    QString title;         // what is measured, and how
    QString axis;          // the quantity and its unit ("SW2 / the data's own")
    QString caption;       // what the bars say, in words
    std::vector<Bar> bars; // 1 to 16
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
    std::optional<LessonChart> chart;
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
//                           "panel": true},
//               "chart": {"title": "...", "axis": "...", "caption": "...",
//                         "bars": [{"label": "D = 1", "mean": 1.3, "lo": 1.2, "hi": 1.4}]}},
//              ...]}
// "scene" takes the keys of a scene file (without format and version; see scene_file.h), so
// a scene saved from the window can be pasted in. title and text are required per step; text
// may be an array of paragraphs. At most 64 steps. Relative data paths resolve against baseDir.
Lesson parseLesson(const QByteArray& json, const QString& baseDir);

// Reads and parses a lesson file (at most kMaxLessonFileBytes); messages start with its name.
Lesson loadLesson(const QString& path);

// The lessons that ship inside the binary (Qt resources under :/lessons), as (title, path).
std::vector<std::pair<QString, QString>> builtinLessons();

} // namespace psc::app
