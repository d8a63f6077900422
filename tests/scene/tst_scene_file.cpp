// Scene files: round trips, the shipped presets, strict rejection of bad input, paths, saving.
#include "app/scene/scene_file.h"

#include "physics/extra_dims.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <limits>
#include <string>

using psc::app::CameraState;
using psc::app::ParticleSource;
using psc::app::SceneFile;
using psc::app::SceneFileError;
using psc::app::SceneSettings;
using psc::app::ViewSettings;

Q_DECLARE_METATYPE(psc::app::SceneFile)

namespace {

// Every field away from its default.
SceneFile nonDefaultScene() {
    SceneFile f;
    f.scene.dataset = "swiss-roll-3d";
    f.scene.datasetParams = {2048, 0.125, 2.5, 77};
    f.scene.d = 3.5;
    f.scene.sigmaMax = 40.0;
    f.scene.sigmaMin = 0.01;
    f.scene.steps = 64;
    f.scene.solver = psc::physics::SolverKind::Rk45;
    f.scene.particleSource = ParticleSource::Prior;
    f.scene.particles = 200000;
    f.scene.fieldLines = 0;
    f.scene.seeding = psc::physics::FieldLineSeeding::Hemisphere;
    f.scene.seed = 123456789;
    f.view.layers = static_cast<unsigned>(psc::render::Layer::Grid) |
                    static_cast<unsigned>(psc::render::Layer::EndCloud);
    f.view.colorMap = psc::render::ColorMapKind::Coolwarm;
    f.view.trailLength = 0.3f;
    f.view.decadesPerSecond = 2.75f;
    f.view.playing = false;
    f.view.loop = false;
    return f;
}

CameraState someCamera() {
    return {{0.1f, -2.0f, 3.3f}, 7.25f, -1.1f, 0.7f, 0.6981317f};
}

// The default scene's JSON with section.key replaced (an undefined value removes the key).
QByteArray withValue(const char* section, const char* key, const QJsonValue& value) {
    SceneFile file;
    file.camera = someCamera();
    QJsonObject root = QJsonDocument::fromJson(psc::app::sceneToJson(file)).object();
    if (!section) {
        if (value.isUndefined())
            root.remove(QLatin1String(key));
        else
            root.insert(QLatin1String(key), value);
    } else if (!key) {
        root.insert(QLatin1String(section), value);
    } else {
        QJsonObject object = root.value(QLatin1String(section)).toObject();
        if (value.isUndefined())
            object.remove(QLatin1String(key));
        else
            object.insert(QLatin1String(key), value);
        root.insert(QLatin1String(section), object);
    }
    return QJsonDocument(root).toJson();
}

QString errorOf(const QByteArray& json, const QString& baseDir = {}) {
    try {
        psc::app::sceneFromJson(json, baseDir);
    } catch (const SceneFileError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

QString sourceDir() {
    return qEnvironmentVariable("PSC_SOURCE_DIR");
}

} // namespace

class TestSceneFile : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void roundTrip_data();
    void roundTrip();
    void jsonLayout();
    void shippedScenesLoad_data();
    void shippedScenesLoad();
    void shippedSceneContents();
    void rejectsBadInput_data();
    void rejectsBadInput();
    void loadPrefixesFileName();
    void relativeDataPath_data();
    void relativeDataPath();
    void savesDataPathRelativeWhenBelow();
    void saveToMissingFolderThrows();
    void missingKeysTakeDefaults();
    void cameraStateHelpers();
};

void TestSceneFile::roundTrip_data() {
    QTest::addColumn<SceneFile>("file");
    QTest::newRow("defaults") << SceneFile{};
    SceneFile finite = nonDefaultScene();
    finite.camera = someCamera();
    QTest::newRow("finite D, camera") << finite;
    SceneFile infinite = nonDefaultScene();
    infinite.scene.d = psc::physics::kInfiniteD;
    QTest::newRow("infinite D, no camera") << infinite;
    SceneFile large = nonDefaultScene();
    large.scene.d = 1e6;
    large.scene.seed = std::numeric_limits<std::uint64_t>::max();
    large.scene.datasetParams.seed = (std::uint64_t{1} << 53) + 1;
    large.scene.dataPath = "/elsewhere/points.csv";
    large.view.layers = 0;
    large.camera = CameraState{};
    large.scene.editedPositions = {-1.5, 0.25, 1e-3, 2.0};
    large.scene.editedWeights = {0.05, 50.0};
    QTest::newRow("seeds beyond 2^53, data path, charges, no layers") << large;
    SceneFile uniform;
    uniform.scene.editedPositions = {0.0, 1.0};
    QTest::newRow("unweighted charges") << uniform;
}

void TestSceneFile::roundTrip() {
    QFETCH(SceneFile, file);
    const QByteArray json = psc::app::sceneToJson(file);
    SceneFile back;
    try {
        back = psc::app::sceneFromJson(json, QStringLiteral("/scenes"));
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
    QVERIFY(back.scene == file.scene);
    QVERIFY(back.view == file.view);
    QCOMPARE(back.camera.has_value(), file.camera.has_value());
    if (file.camera) QVERIFY(*back.camera == *file.camera);
    QCOMPARE(psc::app::sceneToJson(back), json);
}

void TestSceneFile::jsonLayout() {
    SceneFile file = nonDefaultScene();
    file.scene.d = psc::physics::kInfiniteD;
    const QJsonObject root = QJsonDocument::fromJson(psc::app::sceneToJson(file)).object();
    QCOMPARE(root.value("format").toString(), QStringLiteral("poissonscope-scene"));
    QCOMPARE(root.value("version").toInteger(), qint64(1));
    const QJsonObject field = root.value("field").toObject();
    QCOMPARE(field.value("D").toString(), QStringLiteral("inf"));
    QCOMPARE(field.value("solver").toString(), QStringLiteral("rk45"));
    QCOMPARE(field.value("particleSource").toString(), QStringLiteral("prior"));
    QCOMPARE(field.value("seeding").toString(), QStringLiteral("hemisphere"));
    const QJsonObject view = root.value("view").toObject();
    QCOMPARE(view.value("layers").toArray(), (QJsonArray{"grid", "end-cloud"}));
    QCOMPARE(view.value("colorMap").toString(), QStringLiteral("coolwarm"));
    // Floats are written in their short form, not as the float's exact double value.
    QVERIFY(psc::app::sceneToJson(file).contains("\"trailLength\": 0.3"));
    QVERIFY(!root.contains("camera"));
    const QJsonObject data = root.value("data").toObject();
    QCOMPARE(data.value("dataset").toString(), QStringLiteral("swiss-roll-3d"));
    QVERIFY(!data.contains("path"));
    // The data set's own count and noise are written by leaving the keys out.
    const QJsonObject defaults = QJsonDocument::fromJson(psc::app::sceneToJson(SceneFile{}))
                                     .object()
                                     .value("data")
                                     .toObject();
    QVERIFY(!defaults.contains("count"));
    QVERIFY(!defaults.contains("noise"));
    QCOMPARE(QJsonDocument::fromJson(psc::app::sceneToJson(SceneFile{}))
                 .object()
                 .value("field")
                 .toObject()
                 .value("D")
                 .toDouble(),
             1.0);
}

void TestSceneFile::shippedScenesLoad_data() {
    QTest::addColumn<QString>("path");
    if (sourceDir().isEmpty()) QSKIP("PSC_SOURCE_DIR is not set (CTest sets it)");
    const QDir dir(sourceDir() + QStringLiteral("/assets/scenes"));
    const QStringList names = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    // A row even when the folder is empty or missing, so that case fails rather than aborts.
    if (names.isEmpty()) QTest::newRow("no presets") << QString();
    for (const QString& name : names) QTest::newRow(qPrintable(name)) << dir.filePath(name);
}

void TestSceneFile::shippedScenesLoad() {
    QFETCH(QString, path);
    QVERIFY2(!path.isEmpty(), "no *.json in assets/scenes");
    SceneFile file;
    try {
        file = psc::app::loadSceneFile(path);
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
    // Presets are written by sceneToJson: byte-identical after a round trip.
    QFile in(path);
    QVERIFY(in.open(QIODevice::ReadOnly));
    QCOMPARE(psc::app::sceneToJson(file, QFileInfo(path).absolutePath()), in.readAll());
}

void TestSceneFile::shippedSceneContents() {
    if (sourceDir().isEmpty()) QSKIP("PSC_SOURCE_DIR is not set (CTest sets it)");
    const QString dir = sourceDir() + QStringLiteral("/assets/scenes/");
    try {
        const SceneFile def = psc::app::loadSceneFile(dir + "default.json");
        QCOMPARE(def.scene.dataset, std::string("two-moons"));
        QCOMPARE(def.scene.d, 1.0);
        QVERIFY(def.scene.particleSource == ParticleSource::Hemisphere);
        QVERIFY(def.view.playing);

        const SceneFile diffusion = psc::app::loadSceneFile(dir + "diffusion-limit.json");
        QCOMPARE(diffusion.scene.dataset, std::string("8-gaussians"));
        QVERIFY(psc::physics::isInfiniteD(diffusion.scene.d));

        const SceneFile three = psc::app::loadSceneFile(dir + "three-charges.json");
        QCOMPARE(three.scene.dataset, std::string("three-charges"));
        QCOMPARE(three.scene.d, 1.0);
        QCOMPARE(three.scene.particles, 400);
        QCOMPARE(three.scene.fieldLines, 120);
        QVERIFY(three.scene.seeding == psc::physics::FieldLineSeeding::Charges);

        const SceneFile roll = psc::app::loadSceneFile(dir + "swiss-roll-3d.json");
        QCOMPARE(roll.scene.dataset, std::string("swiss-roll-3d"));
        QCOMPARE(roll.scene.d, 128.0);
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
}

void TestSceneFile::rejectsBadInput_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    const QJsonValue none = QJsonValue(QJsonValue::Undefined);
    const QJsonValue null = QJsonValue(QJsonValue::Null);

    QTest::newRow("invalid JSON") << QByteArray(
                                         "{\"format\": \"poissonscope-scene\",\n\"version\": "
                                         "1,\n\"data\": {\"dataset\" \"two-moons\"}\n}\n")
                                  << "not a JSON object (line 3: ";
    QTest::newRow("array document") << QByteArray("[1, 2]") << "not a JSON object";
    QTest::newRow("empty") << QByteArray() << "not a JSON object";
    QTest::newRow("format wrong") << withValue(nullptr, "format", "other")
                                  << "format: not a Poissonscope scene file";
    QTest::newRow("format missing")
        << withValue(nullptr, "format", none) << "format: not a Poissonscope scene file";
    QTest::newRow("version newer") << withValue(nullptr, "version", 2) << "version: 2 is newer";
    QTest::newRow("version 0") << withValue(nullptr, "version", 0) << "version: must be 1";
    QTest::newRow("version string") << withValue(nullptr, "version", "1") << "version: must be 1";
    QTest::newRow("version missing") << withValue(nullptr, "version", none) << "version: must be 1";

    QTest::newRow("data not object") << withValue("data", nullptr, 3) << "data: must be an object";
    QTest::newRow("dataset unknown")
        << withValue("data", "dataset", "moons") << "data.dataset: unknown data set 'moons'";
    QTest::newRow("dataset number") << withValue("data", "dataset", 1) << "data.dataset";
    QTest::newRow("count 0") << withValue("data", "count", 0) << "data.count";
    QTest::newRow("count huge") << withValue("data", "count", 1e8) << "data.count";
    QTest::newRow("noise negative") << withValue("data", "noise", -0.1) << "data.noise";
    QTest::newRow("scale 0") << withValue("data", "scale", 0) << "data.scale";
    QTest::newRow("scale negative") << withValue("data", "scale", -2) << "data.scale";
    QTest::newRow("scale string") << withValue("data", "scale", "2") << "data.scale";
    QTest::newRow("data seed negative") << withValue("data", "seed", -1) << "data.seed";
    QTest::newRow("data seed fraction") << withValue("data", "seed", 1.5) << "data.seed";
    QTest::newRow("path empty") << withValue("data", "path", "") << "data.path";
    QTest::newRow("charges empty") << withValue("data", "charges", QJsonArray{}) << "data.charges";
    QTest::newRow("charges object")
        << withValue("data", "charges", QJsonObject{}) << "data.charges";
    QTest::newRow("charge mixed lengths")
        << withValue("data", "charges", QJsonArray{QJsonArray{0, 0, 1}, QJsonArray{1, 1}})
        << "data.charges[1]";
    QTest::newRow("charge weight 0")
        << withValue("data", "charges", QJsonArray{QJsonArray{0, 0, 0}}) << "data.charges[0]";
    QTest::newRow("charge one number")
        << withValue("data", "charges", QJsonArray{QJsonArray{0}}) << "data.charges[0]";
    QTest::newRow("charge not array")
        << withValue("data", "charges", QJsonArray{1, 2}) << "data.charges[0]";
    QTest::newRow("path number") << withValue("data", "path", 5) << "data.path";

    QTest::newRow("field not object")
        << withValue("field", nullptr, QJsonArray{}) << "field: must be an object";
    QTest::newRow("D 0.5") << withValue("field", "D", 0.5)
                           << "field.D: must be a number >= 1 or \"inf\"";
    QTest::newRow("D negative") << withValue("field", "D", -3) << "field.D";
    QTest::newRow("D null") << withValue("field", "D", null) << "field.D";
    QTest::newRow("D bool") << withValue("field", "D", true) << "field.D";
    QTest::newRow("D text") << withValue("field", "D", "lots") << "field.D";
    QTest::newRow("D numeric string") << withValue("field", "D", "3") << "field.D";
    QTest::newRow("sigmaMin 0") << withValue("field", "sigmaMin", 0) << "field.sigmaMin";
    QTest::newRow("sigmaMin above default sigmaMax")
        << QByteArray(
               R"({"format": "poissonscope-scene", "version": 1, "field": {"sigmaMin": 100}})")
        << "field.sigmaMin: must be < sigmaMax = 80";
    QTest::newRow("sigmaMin above sigmaMax") << withValue("field", "sigmaMin", 100)
                                             << "field.sigmaMax: must be a number > sigmaMin = 100";
    QTest::newRow("sigmaMax below sigmaMin")
        << withValue("field", "sigmaMax", 0.001) << "field.sigmaMax";
    QTest::newRow("steps 0") << withValue("field", "steps", 0) << "field.steps";
    QTest::newRow("steps huge") << withValue("field", "steps", 100001) << "field.steps";
    QTest::newRow("steps fraction") << withValue("field", "steps", 2.5) << "field.steps";
    QTest::newRow("steps string") << withValue("field", "steps", "32") << "field.steps";
    QTest::newRow("particles negative") << withValue("field", "particles", -1) << "field.particles";
    QTest::newRow("particles huge") << withValue("field", "particles", 200001) << "field.particles";
    QTest::newRow("fieldLines negative")
        << withValue("field", "fieldLines", -1) << "field.fieldLines";
    QTest::newRow("fieldLines huge")
        << withValue("field", "fieldLines", 100001) << "field.fieldLines";
    QTest::newRow("solver unknown")
        << withValue("field", "solver", "midpoint") << "field.solver: unknown solver 'midpoint'";
    QTest::newRow("solver number") << withValue("field", "solver", 2) << "field.solver";
    QTest::newRow("particleSource unknown")
        << withValue("field", "particleSource", "uniform") << "field.particleSource";
    QTest::newRow("seeding unknown") << withValue("field", "seeding", "random") << "field.seeding";
    QTest::newRow("seed text") << withValue("field", "seed", "12x") << "field.seed";
    QTest::newRow("seed beyond 2^53")
        << withValue("field", "seed", static_cast<qint64>((std::int64_t{1} << 53) + 2))
        << "field.seed";

    QTest::newRow("layers string") << withValue("view", "layers", "grid") << "view.layers";
    QTest::newRow("layer unknown") << withValue("view", "layers", QJsonArray{"grid", "fieldlines"})
                                   << "view.layers[1]: unknown layer 'fieldlines'";
    QTest::newRow("layer number") << withValue("view", "layers", QJsonArray{1}) << "view.layers[0]";
    QTest::newRow("colorMap unknown")
        << withValue("view", "colorMap", "jet") << "view.colorMap: unknown colour map 'jet'";
    QTest::newRow("trailLength negative")
        << withValue("view", "trailLength", -1) << "view.trailLength";
    QTest::newRow("trailLength beyond float")
        << withValue("view", "trailLength", 1e39) << "view.trailLength";
    QTest::newRow("speed 0") << withValue("view", "decadesPerSecond", 0) << "view.decadesPerSecond";
    QTest::newRow("playing string") << withValue("view", "playing", "yes") << "view.playing";
    QTest::newRow("loop number") << withValue("view", "loop", 1) << "view.loop";

    QTest::newRow("camera not object")
        << withValue("camera", nullptr, true) << "camera: must be an object";
    QTest::newRow("target two numbers")
        << withValue("camera", "target", QJsonArray{1, 2}) << "camera.target";
    QTest::newRow("target strings")
        << withValue("camera", "target", QJsonArray{"1", "2", "3"}) << "camera.target";
    QTest::newRow("distance 0") << withValue("camera", "distance", 0) << "camera.distance";
    QTest::newRow("yaw string") << withValue("camera", "yaw", "north") << "camera.yaw";
    QTest::newRow("fovY too wide") << withValue("camera", "fovY", 4) << "camera.fovY";
}

void TestSceneFile::rejectsBadInput() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    const QString message = errorOf(json);
    QVERIFY2(!message.isEmpty(), "accepted");
    QVERIFY2(message.contains(expected), qPrintable(message));
    QVERIFY2(!message.contains('\n'), qPrintable(message));
}

void TestSceneFile::loadPrefixesFileName() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto messageOf = [](const QString& path) {
        try {
            psc::app::loadSceneFile(path);
        } catch (const SceneFileError& e) {
            return QString::fromStdString(e.what());
        }
        return QString();
    };

    QFile bad(dir.filePath("scene.json"));
    QVERIFY(bad.open(QIODevice::WriteOnly));
    bad.write(withValue("field", "D", 0.5));
    bad.close();
    QVERIFY2(messageOf(bad.fileName()).startsWith("scene.json: field.D: must be a number >= 1"),
             qPrintable(messageOf(bad.fileName())));

    QVERIFY(messageOf(dir.filePath("missing.json")).startsWith("missing.json: cannot read"));
    QVERIFY(messageOf(dir.path()).contains("is a folder"));

    QFile big(dir.filePath("big.json"));
    QVERIFY(big.open(QIODevice::WriteOnly));
    big.write(QByteArray(psc::app::kMaxSceneFileBytes + 1, ' '));
    big.close();
    QVERIFY2(messageOf(big.fileName()).startsWith("big.json: too large"),
             qPrintable(messageOf(big.fileName())));
}

void TestSceneFile::relativeDataPath_data() {
    QTest::addColumn<QString>("written");
    QTest::addColumn<QString>("baseDir");
    QTest::addColumn<QString>("resolved");
    QTest::newRow("below") << "data/points.csv"
                           << "/home/u/scenes"
                           << "/home/u/scenes/data/points.csv";
    QTest::newRow("dot") << "./points.csv"
                         << "/home/u/scenes"
                         << "/home/u/scenes/points.csv";
    QTest::newRow("sibling") << "../data/points.csv"
                             << "/home/u/scenes"
                             << "/home/u/data/points.csv";
    QTest::newRow("absolute") << "/srv/points.csv"
                              << "/home/u/scenes"
                              << "/srv/points.csv";
    QTest::newRow("no base dir") << "data/points.csv"
                                 << ""
                                 << "data/points.csv";
}

void TestSceneFile::relativeDataPath() {
    QFETCH(QString, written);
    QFETCH(QString, baseDir);
    QFETCH(QString, resolved);
    try {
        const SceneFile file = psc::app::sceneFromJson(withValue("data", "path", written), baseDir);
        QCOMPARE(QString::fromStdString(file.scene.dataPath), resolved);
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
}

void TestSceneFile::savesDataPathRelativeWhenBelow() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QDir(dir.path()).mkpath("scenes/data"));
    const QString scenePath = dir.filePath("scenes/a.json");
    const auto storedPath = [&](const std::string& dataPath) {
        SceneFile file;
        file.scene.dataPath = dataPath;
        psc::app::saveSceneFile(scenePath, file);
        QFile in(scenePath);
        if (!in.open(QIODevice::ReadOnly)) return QString();
        return QJsonDocument::fromJson(in.readAll())
            .object()
            .value("data")
            .toObject()
            .value("path")
            .toString();
    };
    try {
        const std::string below = dir.filePath("scenes/data/p.csv").toStdString();
        QCOMPARE(storedPath(below), QStringLiteral("data/p.csv"));
        QCOMPARE(psc::app::loadSceneFile(scenePath).scene.dataPath, below);

        const std::string outside = dir.filePath("other/p.csv").toStdString();
        QCOMPARE(storedPath(outside), QString::fromStdString(outside));
        QCOMPARE(psc::app::loadSceneFile(scenePath).scene.dataPath, outside);
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
}

void TestSceneFile::saveToMissingFolderThrows() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath("missing/scene.json");
    QString message;
    try {
        psc::app::saveSceneFile(path, SceneFile{});
    } catch (const SceneFileError& e) {
        message = QString::fromStdString(e.what());
    }
    QVERIFY2(message.startsWith("cannot write '" + path + "': "), qPrintable(message));
    QVERIFY(!message.contains('\n'));
    QVERIFY(QDir(dir.path())
                .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden)
                .isEmpty());
}

void TestSceneFile::missingKeysTakeDefaults() {
    try {
        const SceneFile bare =
            psc::app::sceneFromJson(R"({"format": "poissonscope-scene", "version": 1})", QString());
        QVERIFY(bare.scene == SceneSettings{});
        QVERIFY(bare.view == ViewSettings{});
        QVERIFY(!bare.camera);

        // Unknown keys are ignored; only the keys given change.
        const SceneFile partial = psc::app::sceneFromJson(
            R"({"format": "poissonscope-scene", "version": 1, "future": [1],
                "field": {"D": "inf", "comment": "x"}, "view": {"playing": false}, "camera": {}})",
            QString());
        SceneSettings expectedScene;
        expectedScene.d = psc::physics::kInfiniteD;
        QVERIFY(partial.scene == expectedScene);
        ViewSettings expectedView;
        expectedView.playing = false;
        QVERIFY(partial.view == expectedView);
        QVERIFY(partial.camera);
        QVERIFY(*partial.camera == psc::app::cameraState(psc::render::OrbitCamera{}));
    } catch (const SceneFileError& e) {
        QFAIL(e.what());
    }
}

void TestSceneFile::cameraStateHelpers() {
    psc::render::OrbitCamera camera;
    const CameraState wanted = someCamera();
    psc::app::applyCameraState(camera, wanted);
    const CameraState got = psc::app::cameraState(camera);
    QVERIFY(got.target == wanted.target);
    QVERIFY(std::abs(got.distance - wanted.distance) < 1e-6f);
    QVERIFY(std::abs(got.yaw - wanted.yaw) < 1e-6f);
    QVERIFY(std::abs(got.pitch - wanted.pitch) < 1e-6f);
    QVERIFY(std::abs(got.fovY - wanted.fovY) < 1e-6f);

    // Out-of-range poses are clamped by the camera, not rejected.
    CameraState steep = wanted;
    steep.pitch = 3.0f;
    psc::app::applyCameraState(camera, steep);
    QVERIFY(std::abs(camera.pitch() - psc::render::OrbitCamera::kMaxPitch) < 1e-6f);
}

QTEST_APPLESS_MAIN(TestSceneFile)
#include "tst_scene_file.moc"
