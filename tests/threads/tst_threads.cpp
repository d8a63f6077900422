// The threaded code under stress, written to be run under ThreadSanitizer (CI builds it in a
// folder of its own with -fsanitize=thread; the normal build runs it too): the scene computer's
// superseded and cancelled requests, the training queue polled and edited while it trains, an
// export-style computation cancelled from the GUI thread, and the experiment's worker.
#include "app/scene/exact_field.h"
#include "app/scene/learned_trainer.h"
#include "app/scene/scene_computer.h"
#include "app/scene/scene_data.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/field_method.h"
#include "physics/samplers.h"
#include "physics/torch/robustness_experiment.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <cmath>
#include <future>
#include <thread>

using namespace psc;
using namespace psc::app;

Q_DECLARE_METATYPE(std::shared_ptr<const psc::app::SceneData>)

namespace {

SceneSettings smallScene(double d) {
    SceneSettings s;
    s.dataset = "two-moons";
    s.datasetParams.count = 200;
    s.d = d;
    s.particles = 150;
    s.fieldLines = 12;
    return s;
}

physics::TrainSettings tinyTraining(int steps) {
    physics::TrainSettings t;
    t.steps = steps;
    t.batch = 64;
    t.shape.width = 32;
    t.shape.depth = 2;
    t.threads = 1; // LibTorch's OpenMP workers are not instrumented: only our threads here
    return t;
}

} // namespace

class TestThreads : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() {
        qRegisterMetaType<std::uint64_t>("std::uint64_t");
        qRegisterMetaType<std::shared_ptr<const SceneData>>();
    }
    void sceneRequestsSupersedeEachOther();
    void destroyingTheComputerWhileItWorks();
    void trainingQueuePolledAndEditedWhileItTrains();
    void exportStyleComputationCancelled();
    void experimentWorkerCancelled();
    void treeCodeSharedAcrossThreads();
};

void TestThreads::sceneRequestsSupersedeEachOther() {
    SceneComputer computer;
    QSignalSpy finished(&computer, &SceneComputer::finished);
    std::uint64_t last = 0;
    // A slider drag: every request cancels the one before; only the newest is delivered.
    for (int i = 0; i < 40; ++i) last = computer.request(smallScene(1.0 + i));
    computer.requestBatch({smallScene(2.0), smallScene(8.0)}); // superseded in turn
    last = computer.request(smallScene(64.0));
    QVERIFY(QTest::qWaitFor([&] { return !computer.busy() && finished.size() > 0; }, 60000));
    QTest::qWait(50);
    QCOMPARE(finished.size(), 1);
    QCOMPARE(finished.front().at(0).value<std::uint64_t>(), last);
    const auto scene = finished.front().at(1).value<std::shared_ptr<const SceneData>>();
    QCOMPARE(scene->settings.d, 64.0);
    QCOMPARE(scene->paths.size(), std::size_t(150));
}

void TestThreads::destroyingTheComputerWhileItWorks() {
    for (int i = 0; i < 5; ++i) {
        SceneComputer computer;
        auto big = smallScene(4.0);
        big.particles = 3000;
        computer.request(big);
        QTest::qWait(5 * i); // at various points of the computation
    }                        // the destructor cancels and joins
}

void TestThreads::trainingQueuePolledAndEditedWhileItTrains() {
    if (!physics::learnedFieldsBuiltIn())
        QSKIP("learned fields are not built in: no training thread");
    const auto data = physics::makeDataset("two-moons", {});
    LearnedTrainer trainer;
    trainer.enqueue(
        {data, "two-moons", std::nullopt, {1.0, 8.0, physics::kInfiniteD}, tinyTraining(150)});
    // The GUI thread polls and edits while the worker trains, scores and adds models.
    std::size_t seen = 0;
    QVERIFY(QTest::qWaitFor(
        [&] {
            const auto state = trainer.state();
            seen = std::max(seen, state.lossCurve.size());
            if (!state.models.empty()) trainer.promoteModel(state.models.front().get());
            return state.models.size() == 3;
        },
        120000));
    QVERIFY(seen > 0);
    trainer.removeModel(trainer.state().models.back().get());
    QCOMPARE(trainer.state().models.size(), std::size_t(2));
    // Cancel in the middle of a long job, then queue again: the queue keeps working.
    trainer.enqueue({data, "two-moons", std::nullopt, {4.0}, tinyTraining(100000)});
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().step > 0; }, 30000));
    trainer.cancel();
    QVERIFY(QTest::qWaitFor([&] { return !trainer.busy(); }, 30000));
    QCOMPARE(trainer.state().models.size(), std::size_t(2));
    trainer.enqueue({data, "two-moons", std::nullopt, {16.0}, tinyTraining(100000)});
    QVERIFY(QTest::qWaitFor([&] { return trainer.state().step > 0; }, 30000));
} // destroyed while training: cancels and joins

void TestThreads::exportStyleComputationCancelled() {
    // As VideoFrames::compute: a scene on a worker, the GUI thread pumping and then cancelling.
    for (int delay : {0, 5, 20}) {
        physics::CancelFlag cancel{false};
        auto big = smallScene(2.0);
        big.particles = 4000;
        auto result = std::async(std::launch::async, [&] { return computeScene(big, &cancel); });
        std::this_thread::sleep_for(std::chrono::milliseconds(delay));
        cancel = true;
        const auto scene = result.get();
        if (scene) QCOMPARE(scene->paths.size(), std::size_t(4000)); // finished before the cancel
    }
}

void TestThreads::experimentWorkerCancelled() {
    if (!physics::learnedFieldsBuiltIn()) QSKIP("learned fields are not built in: no experiment");
    const auto train = physics::makeDataset("two-moons", {});
    physics::DatasetParams held;
    held.seed = 1001;
    const auto heldOut = physics::makeDataset("two-moons", held);
    physics::ExperimentSettings s;
    s.ds = {1.0, physics::kInfiniteD};
    s.train = tinyTraining(60);
    s.samples = 100;
    s.lists.alphas = {0.0, 0.1};
    s.lists.stepCounts = {4, 6};
    s.lists.bits = {6, 8};
    s.seeds = 2;
    std::atomic<bool> cancel{false};
    std::atomic<int> stages{0};
    physics::ExperimentResult result;
    std::thread worker([&] {
        result = physics::runRobustnessExperiment(
            train, heldOut, "two-moons", s, [&](const std::string&) { ++stages; }, &cancel);
    });
    QVERIFY(QTest::qWaitFor([&] { return stages.load() > 1; }, 60000));
    cancel = true;
    worker.join();
    QVERIFY(result.cancelled);
    const std::size_t full = s.seeds * (1 + s.ds.size() * (2 * 2 + 2 * 3));
    QVERIFY(result.rows.size() < full);
}

// The tree code as the window uses it: one kept tree, denoisers at two D on it, single points
// from the field-line tracer's threads while batches run on each denoiser's pool, and the
// scenes' kept tree replaced underneath.
void TestThreads::treeCodeSharedAcrossThreads() {
    physics::DatasetParams params;
    params.count = 6000;
    const auto charges = physics::makeDataset("two-moons", params);
    const auto tree = std::make_shared<const physics::ChargeTree>(charges, 2);
    const physics::TreeDenoiser a(tree, 1.0, 1e-4, 2), b(tree, physics::kInfiniteD, 1e-4, 2);
    const auto batch = physics::samplePriorMixture(charges, 0.3, 1.0, 64, 3);
    std::atomic<int> mismatches{0};
    auto singles = [&](const physics::TreeDenoiser& field) {
        std::vector<double> alone(2), together(batch.size());
        field.denoise(batch, 0.3, together);
        for (std::size_t p = 0; p < 64; ++p) {
            field.denoise(std::span<const double>(batch).subspan(2 * p, 2), 0.3, alone);
            if (std::abs(alone[0] - together[2 * p]) > 1e-12 ||
                std::abs(alone[1] - together[2 * p + 1]) > 1e-12)
                ++mismatches;
            field.fastLogDensity(std::span<const double>(batch).subspan(2 * p, 2), 0.3);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) threads.emplace_back(singles, t % 2 ? std::cref(a) : std::cref(b));
    // Meanwhile the scenes' kept tree is asked for other charges and back.
    params.count = 3000;
    const auto other = physics::makeDataset("two-moons", params);
    for (int k = 0; k < 3; ++k) {
        auto field =
            sceneExactField(k % 2 ? charges : other, 2.0, physics::FieldMethod::Tree, 1e-4);
        std::vector<double> out(batch.size());
        field->denoise(batch, 0.5, out);
    }
    for (auto& t : threads) t.join();
    QCOMPARE(mismatches.load(), 0);
}

QTEST_GUILESS_MAIN(TestThreads)
#include "tst_threads.moc"
