// The "Learned field" panel driven through its real buttons under Xvfb: training runs in the
// background with a live loss, a learned field moves the particles at its own D and data only,
// a queued sweep trains one field per D, Cancel stops without adding a model, and the error map
// follows the clock.
#include "app/learned_panel.h"
#include "app/main_window.h"
#include "app/scene/learned_model.h"
#include "app/viewport_widget.h"
#include "tests/support/imgui_click.h"

#include "physics/extra_dims.h"
#include "physics/reference_denoiser.h"
#include "physics/torch/learned_field.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <cstring>

using namespace psc;
using namespace psc::app;

namespace {

SceneSettings smallScene(double d) {
    SceneSettings s;
    s.dataset = "two-moons";
    s.datasetParams.count = 300;
    s.d = d;
    s.particles = 300;
    s.fieldLines = 16;
    return s;
}

bool waitForScene(
    ViewportWidget* viewport, const std::function<bool()>& also = [] { return true; },
    int ms = 60000) {
    return QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing() && also(); }, ms);
}

void click(ViewportWidget* viewport, float (LearnedPanelMemory::*button)[4]) {
    auto& memory = viewport->panels().learned;
    test::clickImGuiButton(viewport, memory, memory.*button);
}

// Distance from each particle's end to the nearest charge.
std::vector<double> endDistances(const SceneData& scene) {
    std::vector<double> out;
    for (const auto& path : scene.paths) {
        const double x = path.x[path.x.size() - 2], y = path.x.back();
        double best = INFINITY;
        for (std::size_t i = 0; i < scene.charges.size(); ++i)
            best = std::min(best, std::hypot(x - scene.charges.position(i)[0],
                                             y - scene.charges.position(i)[1]));
        out.push_back(best);
    }
    return out;
}

double fractionBelow(const std::vector<double>& v, double limit) {
    return std::count_if(v.begin(), v.end(), [&](double x) { return x < limit; }) /
           static_cast<double>(v.size());
}

} // namespace

class TestLearnedPanel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup();
    void parsesDLists();
    void trainSwitchAndErrorMap();
    void sweepTrainsOneFieldPerD();
    void cancelAddsNothing();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<MainWindow> m_window;
    ViewportWidget* m_viewport = nullptr;
};

void TestLearnedPanel::init() {
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_viewport = m_window->viewport();
    ViewSettings view = m_viewport->session().viewSettings();
    view.playing = false;
    m_viewport->session().setViewSettings(view);
    m_viewport->session().setSceneSettings(smallScene(8.0));
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->settings.d == 8.0; }));
    m_viewport->openLearnedPanel();
    QVERIFY(QTest::qWaitFor([&] { return m_viewport->panels().learned.trainRect[2] > 0; }, 5000));
    m_viewport->panels().learned.steps = 1500;
}

void TestLearnedPanel::cleanup() {
    m_window.reset();
}

void TestLearnedPanel::parsesDLists() {
    std::string problem;
    const auto ds = parseDList(" 1, 8,128 ,inf", &problem);
    QVERIFY(ds);
    QCOMPARE(ds->size(), std::size_t(4));
    QCOMPARE((*ds)[2], 128.0);
    QVERIFY(physics::isInfiniteD((*ds)[3]));
    QVERIFY(!parseDList("1, banana", &problem));
    QVERIFY(problem.find("banana") != std::string::npos);
    QVERIFY(!parseDList("0.5", &problem)); // D >= 1
    QVERIFY(!parseDList(" , ", &problem));
}

void TestLearnedPanel::trainSwitchAndErrorMap() {
    const auto exactScene = m_viewport->session().sceneData();
    QVERIFY(!exactScene->flowModel);
    click(m_viewport, &LearnedPanelMemory::trainRect);
    auto& trainer = m_viewport->session().trainer();
    QVERIFY(QTest::qWaitFor([&] { return trainer.busy(); }, 5000));
    // Progress reaches the panel while the UI keeps painting.
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().step > 0; }, 30000));
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().models.size() == 1; }, 120000));
    const auto model = trainer.state().models.front();
    QCOMPARE(model->d(), 8.0);
    QCOMPARE(model->field->info().stepsDone, 1500);
    QVERIFY(model->fits(exactScene->charges));
    QVERIFY(model->loss.size() >= 8);
    QVERIFY2(model->loss.back() < model->loss.front(),
             qPrintable(QString("loss %1 -> %2").arg(model->loss.front()).arg(model->loss.back())));
    // The exact field copies its charges; the learned one much less. Both are near the data.
    QVERIFY2(model->exact.memorised > 0.9, qPrintable(QString::number(model->exact.memorised)));
    QVERIFY2(model->learned.memorised < model->exact.memorised - 0.3,
             qPrintable(QString::number(model->learned.memorised)));
    QVERIFY(std::isfinite(model->learned.sw2) && model->learned.sw2 < 1.0);
    QVERIFY(model->scoredAgainst.find("held-out") != std::string::npos);

    // Exact → learned through the radio button: the same particles now follow the network.
    click(m_viewport, &LearnedPanelMemory::learnedRect);
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->flowModel == model; }));
    QVERIFY(m_viewport->session().flowsLearned());
    const auto learnedScene = m_viewport->session().sceneData();
    QCOMPARE(learnedScene->paths.size(), exactScene->paths.size());
    const auto exactEnds = endDistances(*exactScene), learnedEnds = endDistances(*learnedScene);
    QVERIFY(fractionBelow(exactEnds, 1e-3) > 0.99); // every exact path ends on a charge
    QVERIFY2(fractionBelow(learnedEnds, 1e-3) < 0.5,
             qPrintable(QString::number(fractionBelow(learnedEnds, 1e-3))));
    QVERIFY2(fractionBelow(learnedEnds, 0.3) > 0.8, // but near the data
             qPrintable(QString::number(fractionBelow(learnedEnds, 0.3))));

    // The error map follows the clock's σ and is zero nowhere near where the fields agree.
    m_viewport->session().setClockLogSigma(std::log(0.5));
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto* map = m_viewport->session().errorMap();
            return map && std::abs(map->sigma - 0.5) < 1e-9;
        },
        20000));
    const auto* map = m_viewport->session().errorMap();
    QCOMPARE(map->value.size(), std::size_t(64 * 64));
    QVERIFY(map->max > 0 && std::isfinite(map->max));
    {
        // Cell (10, 20) against both denoisers evaluated here.
        const auto& charges = learnedScene->charges;
        const std::vector<double> x{map->lo[0] + 10.5 * (map->hi[0] - map->lo[0]) / 64,
                                    map->lo[1] + 20.5 * (map->hi[1] - map->lo[1]) / 64};
        std::vector<double> learnedX(2), exactX(2);
        model->field->denoise(x, 0.5, learnedX);
        physics::ReferenceDenoiser(charges, 8.0).denoise(x, 0.5, exactX);
        const double expected = std::hypot(learnedX[0] - exactX[0], learnedX[1] - exactX[1]);
        QVERIFY2(std::abs(map->value[20 * 64 + 10] - expected) < 1e-4 * (1 + expected),
                 qPrintable(QString("%1 vs %2").arg(map->value[20 * 64 + 10]).arg(expected)));
    }

    // Another D has no learned field: the exact field moves the particles again.
    m_viewport->session().setSceneSettings(smallScene(3.0));
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->settings.d == 3.0; }));
    QVERIFY(!m_viewport->session().sceneData()->flowModel);
    // Back at D = 8 it is picked again; other data (more charges) do not fit it.
    m_viewport->session().setSceneSettings(smallScene(8.0));
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->flowModel == model; }));
    auto other = smallScene(8.0);
    other.datasetParams.count = 301;
    m_viewport->session().setSceneSettings(other);
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->charges.size() == 301; }));
    QVERIFY(!m_viewport->session().sceneData()->flowModel);

    // Saved and loaded back: the same field, picked for the flows at its D.
    const QString file = QDir(m_dir.path()).filePath("moons.pt");
    QVERIFY(!m_viewport->session().saveLearnedField(file));
    QVERIFY(QFileInfo::exists(file));
    m_viewport->session().setSceneSettings(smallScene(3.0));
    QVERIFY(!m_viewport->session().loadLearnedField(file));
    QCOMPARE(trainer.state().models.size(), std::size_t(2));
    QVERIFY(waitForScene(m_viewport, [&] {
        return m_viewport->session().sceneData()->flowModel == trainer.state().models.back();
    }));
    QCOMPARE(m_viewport->session().sceneData()->settings.d, 8.0);
    {
        const std::vector<double> x{0.3, -0.2, 1.1, 0.4};
        std::vector<double> a(4), b(4);
        model->field->denoise(x, 0.7, a);
        trainer.state().models.back()->field->denoise(x, 0.7, b);
        QCOMPARE(a, b);
    }
    // A file that is not a model is refused with its name, and nothing is added.
    const QString junk = QDir(m_dir.path()).filePath("junk.pt");
    QFile out(junk);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write("not a model");
    out.close();
    const auto error = m_viewport->session().loadLearnedField(junk);
    QVERIFY(error && error->contains("junk.pt"));
    QCOMPARE(trainer.state().models.size(), std::size_t(2));
    // Saving into a folder that does not exist fails and leaves nothing.
    const QString nowhere = QDir(m_dir.path()).filePath("missing/field.pt");
    QVERIFY(m_viewport->session().saveLearnedField(nowhere));
    QVERIFY(!QFileInfo::exists(nowhere));
    trainer.removeModel(trainer.state().models.back().get());

    // And the exact radio button turns it off.
    m_viewport->session().setSceneSettings(smallScene(8.0));
    QVERIFY(waitForScene(m_viewport,
                         [&] { return m_viewport->session().sceneData()->flowModel == model; }));
    click(m_viewport, &LearnedPanelMemory::exactRect);
    QVERIFY(
        waitForScene(m_viewport, [&] { return !m_viewport->session().sceneData()->flowModel; }));
    QVERIFY(!m_viewport->session().flowsLearned());
}

void TestLearnedPanel::sweepTrainsOneFieldPerD() {
    auto& memory = m_viewport->panels().learned;
    memory.steps = 100;
    std::strcpy(memory.sweep, "1, inf");
    click(m_viewport, &LearnedPanelMemory::sweepRect);
    auto& trainer = m_viewport->session().trainer();
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().models.size() == 2; }, 120000));
    const auto models = trainer.state().models;
    QCOMPARE(models[0]->d(), 1.0);
    QVERIFY(physics::isInfiniteD(models[1]->d()));
    // Each D picks its own field once the flows are learned.
    m_viewport->session().setFlowsLearned(true);
    m_viewport->session().setSceneSettings(smallScene(physics::kInfiniteD));
    QVERIFY(waitForScene(
        m_viewport, [&] { return m_viewport->session().sceneData()->flowModel == models[1]; }));
    m_viewport->session().setSceneSettings(smallScene(1.0));
    QVERIFY(waitForScene(
        m_viewport, [&] { return m_viewport->session().sceneData()->flowModel == models[0]; }));
    // Removing a model drops it from the scene too.
    trainer.removeModel(models[0].get());
    QVERIFY(
        waitForScene(m_viewport, [&] { return !m_viewport->session().sceneData()->flowModel; }));
}

void TestLearnedPanel::cancelAddsNothing() {
    m_viewport->panels().learned.steps = 200000;
    click(m_viewport, &LearnedPanelMemory::trainRect);
    auto& trainer = m_viewport->session().trainer();
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().step >= 50; }, 30000));
    click(m_viewport, &LearnedPanelMemory::cancelRect);
    QVERIFY(QTest::qWaitFor([&] { return !trainer.busy(); }, 10000));
    QVERIFY(trainer.state().models.empty());
    QVERIFY(trainer.state().error.empty());
}

QTEST_MAIN(TestLearnedPanel)
#include "tst_learned_panel.moc"
