// Reading and writing scene files with QJsonDocument.
#include "app/scene/scene_file.h"

#include "physics/extra_dims.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QLocale>
#include <QSaveFile>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace psc::app {

namespace {

constexpr const char* kFormat = "poissonscope-scene";
// Integers beyond 2^53 do not survive JavaScript and many other JSON readers.
constexpr std::uint64_t kMaxExactInteger = std::uint64_t{1} << 53;

struct LayerName {
    render::Layer layer;
    const char* name;
};
constexpr LayerName kLayerNames[] = {
    {render::Layer::Grid, "grid"},
    {render::Layer::Axes, "axes"},
    {render::Layer::Hemisphere, "hemisphere"},
    {render::Layer::FieldLines, "field-lines"},
    {render::Layer::Trails, "trails"},
    {render::Layer::Particles, "particles"},
    {render::Layer::Charges, "charges"},
    {render::Layer::EndCloud, "end-cloud"},
};

bool nonNegative(double x) {
    return x >= 0;
}
bool positive(double x) {
    return x > 0;
}
bool anyValue(double) {
    return true;
}
bool openAngle(double x) {
    return x > 0 && x < 3.14159265358979;
}

const char* particleSourceName(ParticleSource source) {
    return source == ParticleSource::Prior ? "prior" : "hemisphere";
}

const char* seedingName(physics::FieldLineSeeding seeding) {
    return seeding == physics::FieldLineSeeding::Hemisphere ? "hemisphere" : "charges";
}

// The shortest decimal that reads back to the same float, so a file says 1.2 rather than
// 1.2000000476837158 (the float's exact value as a double).
QJsonValue floatValue(float f) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, f);
    if (ec == std::errc()) {
        double d = 0;
        const auto parsed = std::from_chars(buf, end, d);
        if (parsed.ec == std::errc() && static_cast<float>(d) == f) return d;
    }
    return static_cast<double>(f);
}

QJsonValue seedValue(std::uint64_t seed) {
    if (seed <= kMaxExactInteger) return static_cast<qint64>(seed);
    return QString::number(seed);
}

QString dataPathForFile(const std::string& dataPath, const QString& baseDir) {
    const QString path = QString::fromStdString(dataPath);
    if (baseDir.isEmpty()) return path;
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    const QString base = QDir::cleanPath(QFileInfo(baseDir).absoluteFilePath());
    const QString relative = QDir(base).relativeFilePath(absolute);
    const bool below = !relative.isEmpty() && relative != QLatin1String(".") &&
                       relative != QLatin1String("..") &&
                       !relative.startsWith(QLatin1String("../")) && QDir::isRelativePath(relative);
    return below ? relative : absolute;
}

[[noreturn]] void fail(const std::string& key, const std::string& what) {
    throw SceneFileError(key + ": " + what);
}

// A short rendering of an offending value for messages.
std::string describe(const QJsonValue& v) {
    switch (v.type()) {
    case QJsonValue::Null:
        return "null";
    case QJsonValue::Bool:
        return v.toBool() ? "true" : "false";
    case QJsonValue::Double:
        return QString::number(v.toDouble(), 'g', QLocale::FloatingPointShortest).toStdString();
    case QJsonValue::String:
        return '"' + v.toString().toStdString() + '"';
    case QJsonValue::Array:
    case QJsonValue::Object: {
        const QJsonDocument doc =
            v.isArray() ? QJsonDocument(v.toArray()) : QJsonDocument(v.toObject());
        const QByteArray text = doc.toJson(QJsonDocument::Compact);
        return text.size() <= 40 ? text.toStdString() : text.left(37).toStdString() + "...";
    }
    case QJsonValue::Undefined:
        break;
    }
    return "nothing";
}

[[noreturn]] void failValue(const std::string& key, const std::string& requirement,
                            const QJsonValue& v) {
    fail(key, requirement + " (got " + describe(v) + ")");
}

std::optional<std::uint64_t> parseSeedString(const QString& text) {
    const std::string s = text.toStdString();
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return value;
}

// One object of the file ("data", "field", ...): typed readers that leave the output alone when
// the key is missing and name "section.key" when it is malformed.
class Section {
public:
    Section(const QJsonObject& root, const char* name) : m_name(name) {
        const QJsonValue v = root.value(QLatin1String(name));
        if (v.isUndefined()) return;
        if (!v.isObject()) failValue(m_name, "must be an object", v);
        m_object = v.toObject();
        m_present = true;
    }

    bool present() const { return m_present; }
    std::string key(const char* name) const { return m_name + "." + name; }

    std::optional<QJsonValue> value(const char* name) const {
        const QJsonValue v = m_object.value(QLatin1String(name));
        if (v.isUndefined()) return std::nullopt;
        return v;
    }

    // T is double or float; the value must also be finite in T.
    template <typename T, typename Pred>
    void real(const char* name, T& out, Pred ok, const char* requirement) const {
        const auto v = value(name);
        if (!v) return;
        const T x = static_cast<T>(v->toDouble());
        if (!v->isDouble() || !std::isfinite(x) || !ok(x))
            failValue(key(name), std::string("must be a number ") + requirement, *v);
        out = x;
    }

    template <typename T>
    void integer(const char* name, T& out, long long lo, long long hi) const {
        const auto v = value(name);
        if (!v) return;
        const double d = v->toDouble();
        if (!v->isDouble() || !(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) ||
            std::floor(d) != d)
            failValue(key(name),
                      "must be an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) +
                          "]",
                      *v);
        out = static_cast<T>(d);
    }

    void boolean(const char* name, bool& out) const {
        const auto v = value(name);
        if (!v) return;
        if (!v->isBool()) failValue(key(name), "must be true or false", *v);
        out = v->toBool();
    }

    std::optional<QString> string(const char* name, const char* requirement) const {
        const auto v = value(name);
        if (!v) return std::nullopt;
        if (!v->isString()) failValue(key(name), requirement, *v);
        return v->toString();
    }

    void seed(const char* name, std::uint64_t& out) const {
        const auto v = value(name);
        if (!v) return;
        const char* requirement = "must be an integer in [0, 2^53] or a decimal string";
        if (v->isString()) {
            const auto parsed = parseSeedString(v->toString());
            if (!parsed) failValue(key(name), requirement, *v);
            out = *parsed;
            return;
        }
        // toInteger is exact for integers stored as such and for integral doubles; -1 otherwise.
        const qint64 i = v->toInteger(-1);
        if (!v->isDouble() || i < 0 || static_cast<std::uint64_t>(i) > kMaxExactInteger)
            failValue(key(name), requirement, *v);
        out = static_cast<std::uint64_t>(i);
    }

    template <typename Enum, typename Parse>
    void choice(const char* name, Enum& out, Parse parse, const char* what,
                const char* choices) const {
        const auto text = string(name, (std::string("must be a string naming a ") + what).c_str());
        if (!text) return;
        const auto parsed = parse(text->toStdString());
        if (!parsed)
            fail(key(name), std::string("unknown ") + what + " '" + text->toStdString() + "' (" +
                                choices + ")");
        out = *parsed;
    }

private:
    std::string m_name;
    QJsonObject m_object;
    bool m_present = false;
};

std::optional<ParticleSource> parseParticleSource(std::string_view s) {
    if (s == "hemisphere") return ParticleSource::Hemisphere;
    if (s == "prior") return ParticleSource::Prior;
    return std::nullopt;
}

std::optional<physics::FieldLineSeeding> parseSeeding(std::string_view s) {
    if (s == "charges") return physics::FieldLineSeeding::Charges;
    if (s == "hemisphere") return physics::FieldLineSeeding::Hemisphere;
    return std::nullopt;
}

void readCharges(const std::string& key, const QJsonValue& value, SceneSettings& scene) {
    const QJsonArray charges = value.toArray();
    if (!value.isArray() || charges.isEmpty())
        failValue(key, "must be a non-empty array of [x1, x2] or [x1, x2, weight]", value);
    std::vector<double> positions, weights;
    const qsizetype length = charges[0].toArray().size();
    for (qsizetype i = 0; i < charges.size(); ++i) {
        const QJsonArray charge = charges[i].toArray();
        bool ok = charges[i].isArray() && (length == 2 || length == 3) && charge.size() == length;
        for (qsizetype j = 0; ok && j < charge.size(); ++j)
            ok = charge[j].isDouble() && std::isfinite(charge[j].toDouble());
        if (ok && length == 3) ok = charge[2].toDouble() > 0;
        if (!ok)
            failValue(key + "[" + std::to_string(i) + "]",
                      "must be [x1, x2] or [x1, x2, weight > 0] like the first charge", charges[i]);
        positions.push_back(charge[0].toDouble());
        positions.push_back(charge[1].toDouble());
        if (length == 3) weights.push_back(charge[2].toDouble());
    }
    scene.editedPositions = std::move(positions);
    scene.editedWeights = std::move(weights);
}

void readData(const QJsonObject& root, const QString& baseDir, SceneSettings& scene) {
    const Section data(root, "data");
    if (const auto name = data.string("dataset", "must be a string naming a data set")) {
        if (!physics::findDataset(name->toStdString()))
            fail(data.key("dataset"), "unknown data set '" + name->toStdString() + "'");
        scene.dataset = name->toStdString();
    }
    auto& params = scene.datasetParams;
    data.integer("count", params.count, 1, 10'000'000);
    data.real("noise", params.noise, nonNegative, ">= 0");
    data.real("scale", params.scale, positive, "> 0");
    data.seed("seed", params.seed);
    if (auto path = data.string("path", "must be a non-empty string (a data file path)")) {
        if (path->isEmpty())
            fail(data.key("path"), "must be a non-empty string (a data file path)");
        if (QDir::isRelativePath(*path) && !baseDir.isEmpty())
            *path = QDir::cleanPath(QDir(baseDir).filePath(*path));
        scene.dataPath = path->toStdString();
    }
    if (const auto v = data.value("charges")) readCharges(data.key("charges"), *v, scene);
}

void readField(const QJsonObject& root, SceneSettings& scene) {
    const Section field(root, "field");
    if (const auto v = field.value("D")) {
        const char* requirement = "must be a number >= 1 or \"inf\"";
        if (v->isString()) {
            const auto d = physics::parseExtraDims(v->toString().toStdString());
            if (!d || !physics::isInfiniteD(*d)) failValue(field.key("D"), requirement, *v);
            scene.d = *d;
        } else {
            if (!v->isDouble() || physics::validateExtraDims(v->toDouble()))
                failValue(field.key("D"), requirement, *v);
            scene.d = v->toDouble();
        }
    }
    field.real("sigmaMin", scene.sigmaMin, positive, "> 0");
    // Checked against the file's sigmaMin when given, else against the default.
    const double sigmaMin = scene.sigmaMin;
    const std::string above =
        "> sigmaMin = " +
        QString::number(sigmaMin, 'g', QLocale::FloatingPointShortest).toStdString();
    field.real(
        "sigmaMax", scene.sigmaMax, [&](double x) { return x > sigmaMin; }, above.c_str());
    if (!(scene.sigmaMax > scene.sigmaMin))
        fail(
            field.key("sigmaMin"),
            "must be < sigmaMax = " +
                QString::number(scene.sigmaMax, 'g', QLocale::FloatingPointShortest).toStdString());
    field.choice("solver", scene.solver, physics::parseSolver, "solver", "euler, heun, rk4, rk45");
    field.integer("steps", scene.steps, 1, 100'000);
    field.choice("particleSource", scene.particleSource, parseParticleSource, "particle source",
                 "hemisphere, prior");
    field.integer("particles", scene.particles, 1, 200'000);
    field.integer("fieldLines", scene.fieldLines, 0, 100'000);
    field.choice("seeding", scene.seeding, parseSeeding, "seeding", "charges, hemisphere");
    field.seed("seed", scene.seed);
}

void readView(const QJsonObject& root, ViewSettings& view) {
    const Section section(root, "view");
    if (const auto v = section.value("layers")) {
        if (!v->isArray()) failValue(section.key("layers"), "must be an array of layer names", *v);
        unsigned layers = 0;
        const QJsonArray array = v->toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const std::string key = section.key("layers") + "[" + std::to_string(i) + "]";
            if (!array[i].isString()) failValue(key, "must be a layer name", array[i]);
            const std::string name = array[i].toString().toStdString();
            bool known = false;
            for (const auto& entry : kLayerNames)
                if (name == entry.name) {
                    layers |= static_cast<unsigned>(entry.layer);
                    known = true;
                }
            if (!known)
                fail(key, "unknown layer '" + name +
                              "' (grid, axes, hemisphere, field-lines, trails, particles, "
                              "charges, end-cloud)");
        }
        view.layers = layers;
    }
    section.choice("colorMap", view.colorMap, render::parseColorMap, "colour map",
                   "viridis, magma, coolwarm");
    section.real("trailLength", view.trailLength, nonNegative, ">= 0");
    section.real("decadesPerSecond", view.decadesPerSecond, positive, "> 0");
    section.boolean("playing", view.playing);
    section.boolean("loop", view.loop);
    section.boolean("forward", view.forward);
    section.boolean("compare", view.compare);
}

std::optional<CameraState> readCamera(const QJsonObject& root) {
    const Section camera(root, "camera");
    if (!camera.present()) return std::nullopt;
    CameraState state = cameraState(render::OrbitCamera{});
    if (const auto v = camera.value("target")) {
        const QJsonArray a = v->toArray();
        bool ok = v->isArray() && a.size() == 3;
        for (qsizetype i = 0; ok && i < 3; ++i)
            ok = a[i].isDouble() && std::isfinite(static_cast<float>(a[i].toDouble()));
        if (!ok) failValue(camera.key("target"), "must be an array of three numbers", *v);
        state.target = {static_cast<float>(a[0].toDouble()), static_cast<float>(a[1].toDouble()),
                        static_cast<float>(a[2].toDouble())};
    }
    camera.real("distance", state.distance, positive, "> 0");
    camera.real("yaw", state.yaw, anyValue, "in radians");
    camera.real("pitch", state.pitch, anyValue, "in radians");
    camera.real("fovY", state.fovY, openAngle, "of radians in (0, pi)");
    return state;
}

} // namespace

CameraState cameraState(const render::OrbitCamera& camera) {
    return {camera.target(), camera.distance(), camera.yaw(), camera.pitch(), camera.fovY()};
}

void applyCameraState(render::OrbitCamera& camera, const CameraState& state) {
    camera.setTarget(state.target);
    camera.setDistance(state.distance);
    camera.setYaw(state.yaw);
    camera.setPitch(state.pitch);
    camera.setFovY(state.fovY);
}

QByteArray sceneToJson(const SceneFile& file, const QString& baseDir) {
    const SceneSettings& s = file.scene;
    QJsonObject data;
    data.insert("dataset", QString::fromStdString(s.dataset));
    if (s.datasetParams.count != 0)
        data.insert("count", static_cast<qint64>(s.datasetParams.count));
    if (!(s.datasetParams.noise < 0)) data.insert("noise", s.datasetParams.noise);
    data.insert("scale", s.datasetParams.scale);
    data.insert("seed", seedValue(s.datasetParams.seed));
    if (!s.dataPath.empty()) data.insert("path", dataPathForFile(s.dataPath, baseDir));
    if (!s.editedPositions.empty()) {
        const std::size_t count = s.editedPositions.size() / 2;
        const bool weighted = s.editedWeights.size() == count;
        QJsonArray charges;
        for (std::size_t i = 0; i < count; ++i) {
            QJsonArray charge{s.editedPositions[2 * i], s.editedPositions[2 * i + 1]};
            if (weighted) charge.append(s.editedWeights[i]);
            charges.append(charge);
        }
        data.insert("charges", charges);
    }

    QJsonObject field;
    field.insert("D",
                 physics::isInfiniteD(s.d) ? QJsonValue(QStringLiteral("inf")) : QJsonValue(s.d));
    field.insert("sigmaMax", s.sigmaMax);
    field.insert("sigmaMin", s.sigmaMin);
    field.insert("solver", QString::fromLatin1(physics::solverName(s.solver)));
    field.insert("steps", s.steps);
    field.insert("particleSource", QString::fromLatin1(particleSourceName(s.particleSource)));
    field.insert("particles", s.particles);
    field.insert("fieldLines", s.fieldLines);
    field.insert("seeding", QString::fromLatin1(seedingName(s.seeding)));
    field.insert("seed", seedValue(s.seed));

    const ViewSettings& v = file.view;
    QJsonArray layers;
    for (const auto& entry : kLayerNames)
        if (v.layers & static_cast<unsigned>(entry.layer))
            layers.append(QString::fromLatin1(entry.name));
    QJsonObject view;
    view.insert("layers", layers);
    view.insert("colorMap", QString::fromLatin1(render::colorMapName(v.colorMap)));
    view.insert("trailLength", floatValue(v.trailLength));
    view.insert("decadesPerSecond", floatValue(v.decadesPerSecond));
    view.insert("playing", v.playing);
    view.insert("loop", v.loop);
    view.insert("forward", v.forward);
    view.insert("compare", v.compare);

    QJsonObject root;
    root.insert("format", QString::fromLatin1(kFormat));
    root.insert("version", kSceneFileVersion);
    root.insert("data", data);
    root.insert("field", field);
    root.insert("view", view);
    if (file.camera) {
        const CameraState& c = *file.camera;
        QJsonObject camera;
        camera.insert("target", QJsonArray{floatValue(c.target.x), floatValue(c.target.y),
                                           floatValue(c.target.z)});
        camera.insert("distance", floatValue(c.distance));
        camera.insert("yaw", floatValue(c.yaw));
        camera.insert("pitch", floatValue(c.pitch));
        camera.insert("fovY", floatValue(c.fovY));
        root.insert("camera", camera);
    }
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

SceneFile sceneFromJson(const QByteArray& json, const QString& baseDir) {
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        const qsizetype offset = std::clamp<qsizetype>(error.offset, 0, json.size());
        const qsizetype line = json.left(offset).count('\n') + 1;
        throw SceneFileError("not a JSON object (line " + std::to_string(line) + ": " +
                             error.errorString().toStdString() + ")");
    }
    if (!doc.isObject())
        throw SceneFileError(doc.isArray() ? "not a JSON object (the document is an array)"
                                           : "not a JSON object");
    const QJsonObject root = doc.object();

    const QJsonValue format = root.value(QLatin1String("format"));
    if (format.toString() != QLatin1String(kFormat))
        fail("format", std::string("not a Poissonscope scene file (expected \"") + kFormat +
                           "\", got " + describe(format) + ")");
    const QJsonValue version = root.value(QLatin1String("version"));
    const qint64 v = version.toInteger(-1);
    if (version.isDouble() && v > kSceneFileVersion)
        fail("version", std::to_string(v) + " is newer than this Poissonscope reads (" +
                            std::to_string(kSceneFileVersion) + ")");
    if (!version.isDouble() || v != kSceneFileVersion)
        failValue("version", "must be " + std::to_string(kSceneFileVersion), version);

    SceneFile file;
    readData(root, baseDir, file.scene);
    readField(root, file.scene);
    readView(root, file.view);
    file.camera = readCamera(root);
    return file;
}

SceneFile loadSceneFile(const QString& path) {
    const QFileInfo info(path);
    const std::string name = (info.fileName().isEmpty() ? path : info.fileName()).toStdString();
    const auto failFile = [&](const std::string& what) {
        throw SceneFileError(name + ": " + what);
    };
    if (info.isDir()) failFile("is a folder, not a scene file");
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly)) failFile("cannot read: " + in.errorString().toStdString());
    // Read one byte past the limit rather than trusting size(), which is 0 for pipes and devices.
    const QByteArray bytes = in.read(kMaxSceneFileBytes + 1);
    if (in.error() != QFileDevice::NoError)
        failFile("cannot read: " + in.errorString().toStdString());
    if (bytes.size() > kMaxSceneFileBytes) failFile("too large for a scene file (over 4 MiB)");
    try {
        return sceneFromJson(bytes, info.absolutePath());
    } catch (const SceneFileError& e) {
        failFile(e.what());
    }
    return {};
}

void saveSceneFile(const QString& path, const SceneFile& file) {
    const QByteArray json = sceneToJson(file, QFileInfo(path).absolutePath());
    QSaveFile out(path);
    const auto failWrite = [&] {
        throw SceneFileError("cannot write '" + QDir::toNativeSeparators(path).toStdString() +
                             "': " + out.errorString().toStdString());
    };
    if (!out.open(QIODevice::WriteOnly)) failWrite();
    if (out.write(json) != json.size()) {
        out.cancelWriting();
        failWrite();
    }
    if (!out.commit()) failWrite();
}

} // namespace psc::app
