// Reading and writing scene files with QJsonDocument.
#include "app/scene/scene_file.h"

#include "app/scene/scene_keys.h"

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

bool positive(double x) {
    return x > 0;
}
bool anyValue(double) {
    return true;
}
bool openAngle(double x) {
    return x > 0 && x < 3.14159265358979;
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
    std::string key(std::string_view name) const { return m_name + "." + std::string(name); }

    std::optional<QJsonValue> value(std::string_view name) const {
        const QJsonValue v =
            m_object.value(QLatin1String(name.data(), static_cast<qsizetype>(name.size())));
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

private:
    std::string m_name;
    QJsonObject m_object;
    bool m_present = false;
};

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

// One key of the table from its section, in the JSON type its kind has; a relative data path
// resolves against baseDir.
void readKey(const Section& section, const SceneKey& key, const QString& baseDir,
             SceneSettings& scene, ViewSettings& view) {
    const auto v = section.value(key.name);
    if (!v) return;
    const std::string name = section.key(key.name);
    KeyValue value;
    switch (key.kind) {
    case KeyKind::Number:
    case KeyKind::Integer:
        if (!v->isDouble()) failValue(name, keyRequirement(key), *v);
        value = v->toDouble();
        break;
    case KeyKind::ExtraDims:
        // JSON has no infinity: the diffusion limit is the string "inf".
        if (v->isString()) {
            const auto d = physics::parseExtraDims(v->toString().toStdString());
            if (!d || !physics::isInfiniteD(*d)) failValue(name, keyRequirement(key), *v);
            value = *d;
        } else {
            if (!v->isDouble()) failValue(name, keyRequirement(key), *v);
            value = v->toDouble();
        }
        break;
    case KeyKind::Seed: {
        const char* requirement = "must be an integer in [0, 2^53] or a decimal string";
        if (v->isString()) {
            const auto parsed = parseSeedString(v->toString());
            if (!parsed) failValue(name, requirement, *v);
            value = *parsed;
            break;
        }
        // toInteger is exact for integers stored as such and for integral doubles; -1 otherwise.
        const qint64 i = v->toInteger(-1);
        if (!v->isDouble() || i < 0 || static_cast<std::uint64_t>(i) > kMaxExactInteger)
            failValue(name, requirement, *v);
        value = static_cast<std::uint64_t>(i);
        break;
    }
    case KeyKind::Choice:
    case KeyKind::Path: {
        if (!v->isString()) failValue(name, keyRequirement(key), *v);
        QString text = v->toString();
        if (key.kind == KeyKind::Path && !text.isEmpty() && QDir::isRelativePath(text) &&
            !baseDir.isEmpty())
            text = QDir::cleanPath(QDir(baseDir).filePath(text));
        value = text.toStdString();
        break;
    }
    case KeyKind::Flag:
        if (!v->isBool()) failValue(name, keyRequirement(key), *v);
        value = v->toBool();
        break;
    case KeyKind::Layers: {
        if (!v->isArray()) failValue(name, "must be an array of layer names", *v);
        std::uint64_t layers = 0;
        const QJsonArray array = v->toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            const std::string item = name + "[" + std::to_string(i) + "]";
            if (!array[i].isString()) failValue(item, "must be a layer name", array[i]);
            std::string problem;
            const auto one = parseKeyText(key, array[i].toString().toStdString(), &problem);
            if (!one) fail(item, problem);
            layers |= std::get<std::uint64_t>(*one); // repeats allowed
        }
        value = layers;
        break;
    }
    }
    if (auto problem = checkKeyValue(key, value)) {
        if (key.kind == KeyKind::Choice) fail(name, *problem);
        failValue(name, *problem, *v);
    }
    key.set(scene, view, value);
}

void readKeys(const QJsonObject& root, const QString& baseDir, SceneFile& file) {
    for (const KeySection section : {KeySection::Data, KeySection::Field, KeySection::View}) {
        const Section object(root, sectionName(section));
        for (const auto& key : sceneKeys())
            if (key.section == section) readKey(object, key, baseDir, file.scene, file.view);
        if (section == KeySection::Data)
            if (const auto v = object.value("charges"))
                readCharges(object.key("charges"), *v, file.scene);
    }
    // Relations between keys: blamed on the one the file names (the upper one when both).
    const auto given = [&root](const SceneKey& key) {
        const QJsonValue section = root.value(QLatin1String(sectionName(key.section)));
        return section.isObject() && section.toObject().contains(QLatin1String(
                                         key.name.data(), static_cast<qsizetype>(key.name.size())));
    };
    if (const auto problem = validateScene(file.scene, file.view, KeySpelling::File, given))
        throw SceneFileError(describe(*problem, KeySpelling::File));
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
    if (const auto v = camera.value("follow")) {
        if (!v->isBool()) failValue(camera.key("follow"), "must be true or false", *v);
        state.follow = v->toBool();
    }
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
    QJsonObject sections[3];
    for (const auto& key : sceneKeys()) {
        const auto value = key.get(file.scene, file.view);
        if (!value) continue; // unset: the data set's own default
        QJsonValue json;
        switch (key.kind) {
        case KeyKind::Number:
            json = key.singlePrecision ? floatValue(static_cast<float>(std::get<double>(*value)))
                                       : QJsonValue(std::get<double>(*value));
            break;
        case KeyKind::Integer:
            json = static_cast<qint64>(std::get<double>(*value));
            break;
        case KeyKind::ExtraDims:
            json = physics::isInfiniteD(std::get<double>(*value))
                       ? QJsonValue(QStringLiteral("inf"))
                       : QJsonValue(std::get<double>(*value));
            break;
        case KeyKind::Seed:
            json = seedValue(std::get<std::uint64_t>(*value));
            break;
        case KeyKind::Choice:
            json = QString::fromStdString(std::get<std::string>(*value));
            break;
        case KeyKind::Path:
            json = dataPathForFile(std::get<std::string>(*value), baseDir);
            break;
        case KeyKind::Flag:
            json = std::get<bool>(*value);
            break;
        case KeyKind::Layers: {
            QJsonArray layers;
            for (const auto& layer : render::kLayers)
                if (std::get<std::uint64_t>(*value) & static_cast<std::uint64_t>(layer.value))
                    layers.append(QString::fromLatin1(layer.name.data(),
                                                      static_cast<qsizetype>(layer.name.size())));
            json = layers;
            break;
        }
        }
        sections[static_cast<int>(key.section)].insert(
            QLatin1String(key.name.data(), static_cast<qsizetype>(key.name.size())), json);
    }
    const SceneSettings& s = file.scene;
    if (!s.editedPositions.empty()) {
        const std::size_t count = s.editedPositions.size() / 2;
        const bool weighted = s.editedWeights.size() == count;
        QJsonArray charges;
        for (std::size_t i = 0; i < count; ++i) {
            QJsonArray charge{s.editedPositions[2 * i], s.editedPositions[2 * i + 1]};
            if (weighted) charge.append(s.editedWeights[i]);
            charges.append(charge);
        }
        sections[static_cast<int>(KeySection::Data)].insert("charges", charges);
    }

    QJsonObject root;
    root.insert("format", QString::fromLatin1(kFormat));
    root.insert("version", kSceneFileVersion);
    for (const KeySection section : {KeySection::Data, KeySection::Field, KeySection::View})
        root.insert(QLatin1String(sectionName(section)), sections[static_cast<int>(section)]);
    if (file.camera) {
        const CameraState& c = *file.camera;
        QJsonObject camera;
        camera.insert("target", QJsonArray{floatValue(c.target.x), floatValue(c.target.y),
                                           floatValue(c.target.z)});
        camera.insert("distance", floatValue(c.distance));
        camera.insert("yaw", floatValue(c.yaw));
        camera.insert("pitch", floatValue(c.pitch));
        camera.insert("fovY", floatValue(c.fovY));
        if (c.follow) camera.insert("follow", true);
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
    readKeys(root, baseDir, file);
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
