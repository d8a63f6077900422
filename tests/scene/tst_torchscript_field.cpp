// TorchScript modules as learned fields, without Python: modules compiled here from TorchScript
// source (torch::jit::Module::define), saved with and without metadata, then loaded through
// LearnedField::load and through the window's session (Tools › Load learned field).
#include "app/scene/scene_session.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"

#include <ATen/Parallel.h>
#include <torch/script.h>

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace psc;
using physics::LearnedField;

namespace {

// x̂ = w ⊙ x with w = (0.3, 0.123): exact in float32 arithmetic to 1e-7, and 0.123 is not a
// 6-bit level of max|w| = 0.3 (31 levels: 0.125806...), so quantisation shows.
void saveScaling(const std::string& path, int n, const std::string& metadata) {
    torch::jit::Module m("Scaling");
    m.register_parameter("w", torch::tensor({0.3f, 0.123f, 0.5f}).narrow(0, 0, n).clone(), false);
    m.define(R"(
def forward(self, x, sigma):
    return x * self.w
)");
    torch::jit::ExtraFilesMap extra;
    if (!metadata.empty()) extra["poissonscope.json"] = metadata;
    m.save(path, extra);
}

app::SceneSettings smallScene(double d) {
    app::SceneSettings s;
    s.datasetParams.count = 64;
    s.particles = 60;
    s.fieldLines = 4;
    s.d = d;
    return s;
}

bool settle(app::SceneSession& session) {
    return QTest::qWaitFor(
        [&] {
            session.advance(0.0);
            return session.showsCurrentScene() && !session.computing();
        },
        60000);
}

std::string errorOf(const std::string& path, const physics::LoadOptions& options = {}) {
    try {
        LearnedField::load(path, options);
    } catch (const physics::ModelFileError& e) {
        return e.what();
    }
    return "";
}

} // namespace

class TestTorchScriptField : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { at::set_num_threads(1); }

    void givesTheModulesOutput() {
        QTemporaryDir dir;
        const std::string path = dir.filePath("scaling.pt").toStdString();
        saveScaling(path, 2, R"({"D": 4, "N": 2})");
        const auto field = LearnedField::load(path);
        QVERIFY(field->info().format == physics::ModelFormat::TorchScript);
        QCOMPARE(field->dim(), 2);
        QCOMPARE(field->info().d, 4.0);
        const std::vector<double> x{1.5, -2.0, 0.25, 8.0, 3.0, 3.0};
        const std::vector<double> sigmas{0.5, 20.0, 0.0}; // the last: the σ → 0 limit
        std::vector<double> out(x.size());
        field->denoiseEach(x, sigmas, out);
        for (int p = 0; p < 2; ++p) {
            QVERIFY(std::abs(out[2 * p] - 0.3 * x[2 * p]) < 1e-6);
            QVERIFY(std::abs(out[2 * p + 1] - 0.123 * x[2 * p + 1]) < 1e-6);
        }
        QCOMPARE(out[4], x[4]);
        QCOMPARE(out[5], x[5]);

        const auto q6 = field->quantized(6);
        QCOMPARE(q6->info().quantizedBits, 6);
        q6->denoise(std::vector<double>{1.0, 1.0}, 1.0, std::span(out).first(2));
        QVERIFY(std::abs(out[0] - 0.3) < 1e-6);
        QVERIFY(std::abs(out[1] - 13 * 0.3 / 31) < 1e-6);

        // Saved by Poissonscope, the metadata comes back.
        const std::string again = dir.filePath("again.pt").toStdString();
        q6->save(again);
        const auto reloaded = LearnedField::load(again);
        QCOMPARE(reloaded->info().d, 4.0);
        reloaded->denoise(std::vector<double>{1.0, 1.0}, 1.0, std::span(out).first(2));
        QVERIFY(std::abs(out[1] - 13 * 0.3 / 31) < 1e-6);
    }

    void metadataWinsAndOptionsFillIn() {
        QTemporaryDir dir;
        const std::string bare = dir.filePath("bare.pt").toStdString();
        saveScaling(bare, 2, "");
        QVERIFY(errorOf(bare).find("does not say its N") != std::string::npos);
        QVERIFY(errorOf(bare, {2, NAN}).find("does not say its D") != std::string::npos);
        QCOMPARE(LearnedField::load(bare, {2, 8.0})->info().d, 8.0);
        const std::string tagged = dir.filePath("tagged.pt").toStdString();
        saveScaling(tagged, 2, R"({"D": "inf", "N": 2})");
        QVERIFY(physics::isInfiniteD(LearnedField::load(tagged, {2, 8.0})->info().d));
        // A module for 2 coordinates asked to take 3: its probe batch fails, and says so.
        QVERIFY(errorOf(bare, {3, 8.0}).find("does not give x̂") != std::string::npos);
    }

    // The window's Tools › Load learned field: a module without metadata applies at the scene's
    // D; one with metadata moves the scene to its D; one for other data is refused in words.
    void theWindowLoadsModules() {
        QTemporaryDir dir;
        const QString bare = dir.filePath("bare.pt"), tagged = dir.filePath("tagged.pt"),
                      wide = dir.filePath("wide.pt");
        saveScaling(bare.toStdString(), 2, "");
        saveScaling(tagged.toStdString(), 2, R"({"D": 64, "N": 2})");
        saveScaling(wide.toStdString(), 3, R"({"D": 64, "N": 3})");
        app::SceneSession session;
        session.setSceneSettings(smallScene(3.0));
        QVERIFY(settle(session));
        const auto refused = session.loadLearnedField(bare);
        QVERIFY2(!refused, refused ? qPrintable(*refused) : "");
        QVERIFY(settle(session));
        QCOMPARE(session.sceneData()->settings.d, 3.0);
        QVERIFY(!session.loadLearnedField(tagged));
        QVERIFY(settle(session));
        QCOMPARE(session.sceneData()->settings.d, 64.0);
        const auto other = session.loadLearnedField(wide);
        QVERIFY(other && other->contains("3-dimensional"));
    }
};

QTEST_MAIN(TestTorchScriptField)
#include "tst_torchscript_field.moc"
