// Lessons: the built-in tour parses, every step produces the scene, view and learned-field state
// it promises (driven through the lesson window's own buttons and keys under Xvfb), and malformed
// lesson files are reported with the file, step and key, leaving a running lesson untouched.
#include "app/main_window.h"
#include "app/scene/learned_trainer.h"
#include "app/scene/lesson.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/viewport_widget.h"
#include "tests/support/imgui_click.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace psc;
using namespace psc::app;

namespace {

const QString kTour = ":/lessons/pfgm-tour.json";

void click(ViewportWidget* viewport, float (LessonPanelMemory::*button)[4]) {
    auto& memory = viewport->panels().lesson;
    test::clickImGuiButton(viewport, memory, memory.*button);
}

bool sameD(double a, double b) {
    return a == b || (physics::isInfiniteD(a) && physics::isInfiniteD(b));
}

// The scene on screen is the step's: same data, field settings and view.
bool showsStep(ViewportWidget* viewport, const LessonStep& step) {
    const auto data = viewport->session().sceneData();
    if (!data || viewport->computing()) return false;
    const SceneSettings& want = step.scene.scene;
    const SceneSettings& have = data->settings;
    return have.dataset == want.dataset && sameD(have.d, want.d) &&
           have.particles == want.particles && have.fieldLines == want.fieldLines &&
           have.particleSource == want.particleSource && have.solver == want.solver;
}

// Where the viewport's windows overlap one another or reach into the scene's area ("lesson over
// Learned field"), after a few fresh frames; empty when every window keeps to its column.
QString panelOverlaps(ViewportWidget* viewport) {
    const long long frame = viewport->framesDrawn();
    if (!QTest::qWaitFor(
            [&] {
                viewport->update();
                return viewport->framesDrawn() >= frame + 4;
            },
            5000))
        return "no fresh frames";
    const ImGuiContext* g = ImGui::GetCurrentContext();
    if (!g) return "no ImGui context";
    std::vector<std::pair<QString, QRectF>> windows;
    for (const ImGuiWindow* w : g->Windows) {
        const auto skip =
            ImGuiWindowFlags_ChildWindow | ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_Popup;
        if (!w->Active || w->Hidden || (w->Flags & skip) || QString(w->Name).startsWith("Debug##"))
            continue;
        windows.emplace_back(QString(w->Name).section("###", 0, 0),
                             QRectF(w->Pos.x, w->Pos.y, w->Size.x, w->Size.y));
    }
    const QRectF scene = viewport->sceneRect().adjusted(1, 1, -1, -1);
    QStringList found;
    for (std::size_t i = 0; i < windows.size(); ++i) {
        if (windows[i].second.intersects(scene)) found << windows[i].first + " over the scene";
        for (std::size_t j = i + 1; j < windows.size(); ++j)
            if (windows[i].second.adjusted(1, 1, -1, -1).intersects(windows[j].second))
                found << windows[i].first + " over " + windows[j].first;
    }
    return found.join("; ");
}

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes) {
    const QString path = QDir(dir.path()).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return {};
    file.write(bytes);
    return path;
}

QByteArray lessonWith(const QByteArray& step) {
    return R"({"format": "poissonscope-lesson", "version": 1, "title": "t", "steps": [)" + step +
           "]}";
}

} // namespace

class TestLessons : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void builtinTourParses();
    void everyStepProducesItsState();
    void buttonsAndKeysNavigate();
    void malformedLessonsAreReported_data();
    void malformedLessonsAreReported();
    void aBrokenFileLeavesTheRunningLesson();
    void videoExportOffersTheStepsFormula();
};

void TestLessons::builtinTourParses() {
    const auto lessons = builtinLessons();
    QCOMPARE(lessons.size(), std::size_t(1));
    QCOMPARE(lessons.front().second, kTour);
    const Lesson tour = loadLesson(kTour);
    QCOMPARE(tour.title, lessons.front().first);
    QCOMPARE(tour.steps.size(), std::size_t(8));
    for (const auto& step : tour.steps) {
        QVERIFY(!step.title.isEmpty());
        QVERIFY(step.text.size() > 100);
        QVERIFY(!step.formula.isEmpty());
    }
    // The arc of the tour: one charge at D = 1 ... learned fields across D at the end.
    QCOMPARE(tour.steps[0].scene.scene.dataset, std::string("one-charge"));
    QCOMPARE(tour.steps[1].scene.scene.dataset, std::string("two-charges"));
    QVERIFY(tour.steps[5].scene.view.compare);
    QCOMPARE(tour.steps[6].flowsLearned, std::optional<bool>(true));
    QCOMPARE(tour.steps[7].trainDs.size(), std::size_t(4));
    // The robustness step shows what was measured: eight bars, each inside its interval.
    QVERIFY(tour.steps[7].chart);
    QCOMPARE(tour.steps[7].chart->bars.size(), std::size_t(8));
    for (const auto& bar : tour.steps[7].chart->bars)
        QVERIFY(bar.lo <= bar.mean && bar.mean <= bar.hi);
    QVERIFY(tour.steps[7].chart->caption.contains("--seeds 5"));
}

void TestLessons::everyStepProducesItsState() {
    MainWindow window;
    window.resize(1280, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(window.openLesson(kTour));
    const Lesson tour = loadLesson(kTour);
    auto& trainer = viewport->session().trainer();
    for (int i = 0; i < static_cast<int>(tour.steps.size()); ++i) {
        const LessonStep& step = tour.steps[static_cast<std::size_t>(i)];
        if (i > 0) click(viewport, &LessonPanelMemory::nextRect);
        QCOMPARE(viewport->session().lessonStep(), i);
        QVERIFY2(QTest::qWaitFor([&] { return showsStep(viewport, step); }, 60000),
                 qPrintable(step.title));
        const QString overlaps = panelOverlaps(viewport);
        QVERIFY2(overlaps.isEmpty(), qPrintable(step.title + ": " + overlaps));
        const ViewSettings& view = viewport->session().viewSettings();
        QCOMPARE(view.layers, step.scene.view.layers);
        QCOMPARE(view.compare, step.scene.view.compare);
        QCOMPARE(viewport->session().flowsLearned(), step.flowsLearned.value_or(false));
        if (!step.scene.view.playing) {
            QVERIFY(!view.playing);
            QCOMPARE(viewport->session().clockLogSigma(),
                     clockTop(*viewport->session().sceneData()));
        }
        if (!step.trainDs.empty() && !physics::learnedFieldsBuiltIn()) {
            // Without LibTorch the step's training says why it does not happen.
            QVERIFY(QTest::qWaitFor(
                [&] { return viewport->session().statusText().contains("not built in"); }, 10000));
            QVERIFY(viewport->session().trainer().state().pendingDs.empty());
        } else if (!step.trainDs.empty()) {
            // Every D the step names is trained (or already has a field for these charges).
            for (double d : step.trainDs) {
                const auto covered = [&] {
                    const TrainerState state = trainer.state();
                    return std::any_of(state.pendingDs.begin(), state.pendingDs.end(),
                                       [&](double p) { return sameD(p, d); }) ||
                           pickLearnedModel(state.models, d,
                                            viewport->session().sceneData()->charges);
                };
                QVERIFY2(QTest::qWaitFor(covered, 10000),
                         qPrintable(QString::fromStdString(physics::formatExtraDims(d))));
            }
            if (i == 6) { // the first training of the tour runs with the step's length
                QVERIFY(QTest::qWaitFor([&] { return !trainer.state().stage.empty(); }, 10000));
                QCOMPARE(trainer.state().steps, step.trainSteps);
            }
        }
    }
    if (!physics::learnedFieldsBuiltIn()) return;
    // Step 7's field (D = 8) was queued once, not again by step 8.
    const TrainerState last = trainer.state();
    QCOMPARE(std::count_if(last.pendingDs.begin(), last.pendingDs.end(),
                           [](double d) { return d == 8.0; }) +
                 static_cast<long>(std::count_if(last.models.begin(), last.models.end(),
                                                 [](const auto& m) { return m->d() == 8.0; })),
             1L);
    trainer.cancel();
    QVERIFY(QTest::qWaitFor([&] { return !trainer.busy(); }, 10000));
}

void TestLessons::buttonsAndKeysNavigate() {
    MainWindow window;
    window.resize(1280, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(window.openLesson(kTour));
    QCOMPARE(viewport->session().lessonStep(), 0);
    click(viewport, &LessonPanelMemory::backRect); // disabled on the first step
    QCOMPARE(viewport->session().lessonStep(), 0);
    click(viewport, &LessonPanelMemory::nextRect);
    click(viewport, &LessonPanelMemory::nextRect);
    QCOMPARE(viewport->session().lessonStep(), 2);
    click(viewport, &LessonPanelMemory::backRect);
    QCOMPARE(viewport->session().lessonStep(), 1);
    viewport->setFocus();
    QTest::keyClick(viewport, Qt::Key_PageDown);
    QCOMPARE(viewport->session().lessonStep(), 2);
    QTest::keyClick(viewport, Qt::Key_PageUp);
    QCOMPARE(viewport->session().lessonStep(), 1);
    const Lesson tour = loadLesson(kTour);
    QVERIFY(QTest::qWaitFor([&] { return showsStep(viewport, tour.steps[1]); }, 60000));
    click(viewport, &LessonPanelMemory::closeRect);
    QVERIFY(!viewport->session().lesson());
    // The scene of the last step stays on screen.
    QCOMPARE(viewport->session().sceneData()->settings.dataset, std::string("two-charges"));
    QVERIFY(window.openLesson(kTour));
    QTest::keyClick(viewport, Qt::Key_Escape);
    QVERIFY(!viewport->session().lesson());
}

void TestLessons::malformedLessonsAreReported_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("expected");
    const QByteArray scene = R"("scene": {"data": {"dataset": "two-moons"}})";
    QTest::newRow("not json") << QByteArray("{\"format\": ") << "offset";
    QTest::newRow("format") << QByteArray(R"({"format": "x", "version": 1})") << "format";
    QTest::newRow("version") << QByteArray(R"({"format": "poissonscope-lesson", "version": 2})")
                             << "version";
    QTest::newRow("no steps")
        << QByteArray(R"({"format": "poissonscope-lesson", "version": 1, "title": "t"})")
        << "steps";
    QTest::newRow("no text") << lessonWith(R"({"title": "a", )" + scene + "}") << "steps[0].text";
    QTest::newRow("no scene") << lessonWith(R"({"title": "a", "text": "b"})") << "steps[0].scene";
    QTest::newRow("bad D") << lessonWith(
                                  R"({"title": "a", "text": "b", "scene": {"field": {"D": 0.5}}})")
                           << "steps[0].scene.field.D";
    QTest::newRow("bad data set")
        << lessonWith(R"({"title": "a", "text": "b", "scene": {"data": {"dataset": "moons"}}})")
        << "steps[0].scene.data.dataset";
    QTest::newRow("bad train") << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                                             R"(, "learned": {"train": ["banana"]}})")
                               << "steps[0].learned.train";
    QTest::newRow("bad flows") << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                                             R"(, "learned": {"flows": "maybe"}})")
                               << "steps[0].learned.flows";
    QTest::newRow("bad formula") << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                                               R"(, "formula": "x = \\frac{1}{2"})")
                                 << R"(steps[0].formula: missing } for \frac at 4)";
    QTest::newRow("chart without bars")
        << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                      R"(, "chart": {"title": "t", "axis": "x", "caption": "c", "bars": []}})")
        << "steps[0].chart.bars: must be an array of 1 to 16 bars";
    QTest::newRow("bar outside its interval")
        << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                      R"(, "chart": {"title": "t", "axis": "x", "caption": "c", "bars": )"
                      R"([{"label": "D = 1", "mean": 2, "lo": 0.5, "hi": 1}]}})")
        << "steps[0].chart.bars[0]: needs 0 <= lo <= mean <= hi";
    QTest::newRow("chart without caption")
        << lessonWith(R"({"title": "a", "text": "b", )" + scene +
                      R"(, "chart": {"title": "t", "axis": "x", "bars": )"
                      R"([{"label": "D = 1", "mean": 1, "lo": 0.5, "hi": 1}]}})")
        << "steps[0].chart.caption";
    QTest::newRow("too big") << QByteArray(kMaxLessonFileBytes + 1, ' ') << "more than";
}

void TestLessons::malformedLessonsAreReported() {
    QFETCH(QByteArray, content);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    const QString path = writeFile(dir, "broken.json", content);
    try {
        loadLesson(path);
        QFAIL("a malformed lesson was accepted");
    } catch (const LessonError& e) {
        const QString message = QString::fromUtf8(e.what());
        QVERIFY2(message.startsWith("broken.json: "), qPrintable(message));
        QVERIFY2(message.contains(expected), qPrintable(message));
    }
}

void TestLessons::aBrokenFileLeavesTheRunningLesson() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(window.openLesson(kTour));
    viewport->session().goToLessonStep(2);
    QTemporaryDir dir;
    const QString broken = writeFile(dir, "broken.json", lessonWith(R"({"title": "a"})"));
    QString shown;
    QTimer::singleShot(300, [&] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            shown = box->text();
            box->accept();
        }
    });
    QVERIFY(!window.openLesson(broken));
    QVERIFY2(shown.contains("broken.json") && shown.contains("steps[0].text"), qPrintable(shown));
    QVERIFY(viewport->session().lesson());
    QCOMPARE(viewport->session().lessonStep(), 2);
    QCOMPARE(viewport->session().sceneSettings().dataset, std::string("two-moons"));
}

// File › Export video during a lesson starts with the step's formula, to be burned into the
// video as the lesson window shows it.
void TestLessons::videoExportOffersTheStepsFormula() {
    MainWindow window;
    window.resize(1280, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openLesson(kTour));
    window.session().goToLessonStep(2);
    QVERIFY(QTest::qWaitFor([&] { return window.session().sceneData() != nullptr; }, 60000));
    QAction* exportVideo = nullptr;
    for (auto* action : window.findChildren<QAction*>())
        if (action->text().startsWith("Export &video")) exportVideo = action;
    QVERIFY(exportVideo);
    QString offered;
    QTimer::singleShot(500, [&] {
        if (auto* dialog = qobject_cast<QDialog*>(QApplication::activeModalWidget())) {
            if (auto* formula = dialog->findChild<QLineEdit*>("formula")) offered = formula->text();
            dialog->reject();
        }
    });
    exportVideo->trigger();
    QCOMPARE(offered, loadLesson(kTour).steps[2].formula);
    QVERIFY(!offered.isEmpty());
}

QTEST_MAIN(TestLessons)
#include "tst_lessons.moc"
