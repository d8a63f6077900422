// Lesson files, parsed strictly: every error names the step and key, and nothing is applied
// until the whole file has been read.
#include "app/scene/lesson.h"

#include "app/formula/formula.h"
#include "physics/extra_dims.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace psc::app {
namespace {

[[noreturn]] void fail(const QString& where, const QString& what) {
    throw LessonError((where + ": " + what).toStdString());
}

QString requiredText(const QJsonObject& o, const char* key, const QString& where) {
    const QJsonValue v = o.value(key);
    if (v.isString() && !v.toString().trimmed().isEmpty()) return v.toString();
    if (v.isArray() && !v.toArray().isEmpty()) {
        QStringList paragraphs;
        for (const auto& p : v.toArray()) {
            if (!p.isString()) fail(where + "." + key, "paragraphs must be strings");
            paragraphs << p.toString();
        }
        return paragraphs.join("\n\n");
    }
    fail(where + "." + key, "must be a non-empty string or array of strings");
}

void parseLearned(const QJsonValue& value, const QString& where, LessonStep& step) {
    if (value.isUndefined()) return;
    if (!value.isObject()) fail(where, "must be an object");
    const QJsonObject o = value.toObject();
    const QJsonValue train = o.value("train");
    if (!train.isUndefined()) {
        if (!train.isArray()) fail(where + ".train", "must be an array of values of D");
        for (const auto& v : train.toArray()) {
            std::optional<double> d;
            if (v.isDouble()) d = v.toDouble();
            if (v.isString()) d = physics::parseExtraDims(v.toString().toStdString());
            if (!d || physics::validateExtraDims(*d))
                fail(where + ".train", "values must be numbers >= 1 or \"inf\"");
            step.trainDs.push_back(*d);
        }
    }
    const QJsonValue steps = o.value("steps");
    if (!steps.isUndefined()) {
        // Range first: converting a double outside int's range to int is undefined.
        const double s = steps.toDouble(-1);
        if (!steps.isDouble() || !(s >= 50 && s <= 100000) || s != std::floor(s))
            fail(where + ".steps", "must be an integer in [50, 100000]");
        step.trainSteps = static_cast<int>(s);
    }
    const QJsonValue flows = o.value("flows");
    if (!flows.isUndefined()) {
        if (flows.toString() != "learned" && flows.toString() != "exact")
            fail(where + ".flows", "must be \"learned\" or \"exact\"");
        step.flowsLearned = flows.toString() == "learned";
    }
    const QJsonValue panel = o.value("panel");
    if (!panel.isUndefined()) {
        if (!panel.isBool()) fail(where + ".panel", "must be true or false");
        step.openLearnedPanel = panel.toBool();
    }
}

void parseChart(const QJsonValue& value, const QString& where, LessonStep& step) {
    if (value.isUndefined()) return;
    if (!value.isObject()) fail(where, "must be an object");
    const QJsonObject o = value.toObject();
    LessonChart chart;
    chart.title = requiredText(o, "title", where);
    chart.axis = requiredText(o, "axis", where);
    chart.caption = requiredText(o, "caption", where);
    const QJsonValue bars = o.value("bars");
    if (!bars.isArray() || bars.toArray().isEmpty() || bars.toArray().size() > 16)
        fail(where + ".bars", "must be an array of 1 to 16 bars");
    for (int i = 0; i < bars.toArray().size(); ++i) {
        const QString at = QString("%1.bars[%2]").arg(where).arg(i);
        const QJsonValue bar = bars.toArray().at(i);
        if (!bar.isObject()) fail(at, "must be an object");
        const QJsonObject b = bar.toObject();
        LessonChart::Bar out;
        out.label = requiredText(b, "label", at);
        for (auto [key, target] :
             {std::pair{"mean", &out.mean}, std::pair{"lo", &out.lo}, std::pair{"hi", &out.hi}}) {
            if (!b.value(key).isDouble() || !std::isfinite(b.value(key).toDouble()))
                fail(at + "." + key, "must be a finite number");
            *target = b.value(key).toDouble();
        }
        if (!(out.lo <= out.mean && out.mean <= out.hi) || out.lo < 0)
            fail(at, "needs 0 <= lo <= mean <= hi");
        chart.bars.push_back(std::move(out));
    }
    step.chart = std::move(chart);
}

} // namespace

Lesson parseLesson(const QByteArray& json, const QString& baseDir) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError)
        fail(QString("offset %1").arg(error.offset), error.errorString());
    if (!doc.isObject()) fail("top level", "must be an object");
    const QJsonObject root = doc.object();
    if (root.value("format").toString() != "poissonscope-lesson")
        fail("format", "must be \"poissonscope-lesson\"");
    if (root.value("version").toDouble(-1) != 1) fail("version", "must be 1");
    Lesson lesson;
    lesson.title = requiredText(root, "title", "lesson");
    const QJsonValue steps = root.value("steps");
    if (!steps.isArray() || steps.toArray().isEmpty() || steps.toArray().size() > 64)
        fail("steps", "must be an array of 1 to 64 steps");
    int index = 0;
    for (const auto& value : steps.toArray()) {
        const QString where = QString("steps[%1]").arg(index++);
        if (!value.isObject()) fail(where, "must be an object");
        const QJsonObject o = value.toObject();
        LessonStep step;
        step.title = requiredText(o, "title", where);
        step.text = requiredText(o, "text", where);
        const QJsonValue formula = o.value("formula");
        if (!formula.isUndefined()) {
            step.formula = requiredText(o, "formula", where);
            // A formula that would show its parse error on the blackboard is refused here.
            try {
                psc::formula::parseFormula(step.formula.toStdString());
            } catch (const psc::formula::FormulaError& e) {
                fail(where + ".formula", QString::fromUtf8(e.what()));
            }
        }
        if (!o.value("scene").isObject()) fail(where + ".scene", "must be an object");
        QJsonObject scene = o.value("scene").toObject();
        scene.insert("format", "poissonscope-scene");
        scene.insert("version", kSceneFileVersion);
        try {
            step.scene = sceneFromJson(QJsonDocument(scene).toJson(), baseDir);
        } catch (const SceneFileError& e) {
            fail(where + ".scene." + QString::fromUtf8(e.what()).section(": ", 0, 0),
                 QString::fromUtf8(e.what()).section(": ", 1));
        }
        parseLearned(o.value("learned"), where + ".learned", step);
        parseChart(o.value("chart"), where + ".chart", step);
        lesson.steps.push_back(std::move(step));
    }
    return lesson;
}

Lesson loadLesson(const QString& path) {
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (QFileInfo(path).isDir()) throw LessonError((name + ": is a folder").toStdString());
    if (!file.open(QIODevice::ReadOnly))
        throw LessonError((name + ": " + file.errorString()).toStdString());
    if (file.size() > kMaxLessonFileBytes)
        throw LessonError(QString("%1: %2 bytes is more than a lesson file may have (%3)")
                              .arg(name)
                              .arg(file.size())
                              .arg(kMaxLessonFileBytes)
                              .toStdString());
    try {
        return parseLesson(file.readAll(), QFileInfo(path).absolutePath());
    } catch (const LessonError& e) {
        throw LessonError((name + ": " + QString::fromUtf8(e.what())).toStdString());
    }
}

std::vector<std::pair<QString, QString>> builtinLessons() {
    std::vector<std::pair<QString, QString>> lessons;
    const QDir dir(":/lessons");
    for (const QString& entry : dir.entryList({"*.json"}, QDir::Files, QDir::Name)) {
        const QString path = dir.filePath(entry);
        try {
            lessons.emplace_back(loadLesson(path).title, path);
        } catch (const LessonError&) {
            // A broken built-in lesson is caught by tst_lessons, not shown in the menu.
        }
    }
    return lessons;
}

} // namespace psc::app
