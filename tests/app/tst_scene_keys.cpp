// Every key of the scene-key table, accepted with one range everywhere: scene files, `render`,
// `--screenshot`, `sample` (for the keys it takes), validateSceneSettings, and the control panel
// (a value typed past a slider's end lands on the key's bound, not outside it). Samples are made
// from each key's kind and range; what should be accepted is decided here, independently of the
// code under test.
#include "app/cli/option_parser.h"
#include "app/cli/sample_options.h"
#include "app/cli/scene_options.h"
#include "app/control_panel.h"
#include "app/export/render_command.h"
#include "app/export/screenshot_command.h"
#include "app/imgui_qt_bridge.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_file.h"
#include "app/scene/scene_keys.h"

#include "physics/extra_dims.h"

#include <imgui.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QTemporaryDir>
#include <QTest>
#include <QWidget>

#include <cfloat>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

using namespace psc;
using namespace psc::app;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Sample {
    std::string label;
    KeyValue value;
    bool accepted; // the oracle's verdict for the key alone, others at their defaults
};

// The bound of a relation (sigmaMax > sigmaMin) at the defaults.
double relationBound(const SceneKey& key) {
    const SceneSettings s;
    const ViewSettings v;
    return std::get<double>(
        *sceneKey(std::string(sectionName(key.section)) + "." + std::string(key.above)).get(s, v));
}

// Which keys must stay below another at the defaults (sigmaMin < sigmaMax = 80).
std::optional<double> upperOf(const SceneKey& key) {
    for (const auto& other : sceneKeys())
        if (other.section == key.section && other.above == key.name)
            return std::get<double>(*other.get(SceneSettings{}, ViewSettings{}));
    return std::nullopt;
}

bool oracleNumber(const SceneKey& key, double x) {
    const KeyRange& r = key.range;
    if (key.singlePrecision) x = static_cast<float>(x); // what the setting can hold
    bool ok =
        std::isfinite(x) && (r.loOpen ? x > r.lo : x >= r.lo) && (r.hiOpen ? x < r.hi : x <= r.hi);
    if (key.kind == KeyKind::Integer) ok = ok && std::floor(x) == x;
    if (!key.above.empty()) ok = ok && x > relationBound(key);
    if (const auto upper = upperOf(key)) ok = ok && x < *upper;
    // Samples go with the default data set, two moons: drawn in N >= 2 dimensions.
    if (fileKeyOf(key) == "data.dim") ok = ok && x >= 2;
    return ok;
}

std::vector<Sample> samplesOf(const SceneKey& key) {
    std::vector<Sample> out;
    auto number = [&](const std::string& label, double x) {
        out.push_back({label, x, oracleNumber(key, x)});
    };
    switch (key.kind) {
    case KeyKind::Number:
    case KeyKind::Integer: {
        const KeyRange& r = key.range;
        const double step =
            key.kind == KeyKind::Integer ? 1.0 : std::max(std::abs(r.lo), 1.0) * 1e-3;
        number("lo", r.lo);
        number("below lo", r.lo - step);
        number("above lo", key.kind == KeyKind::Integer ? r.lo + 1 : std::nextafter(r.lo, kInf));
        if (std::isfinite(r.hi)) {
            number("hi", r.hi);
            number("above hi", r.hi + std::max(std::abs(r.hi) * 1e-3, 1.0));
        } else {
            number("huge", 1e300);
        }
        if (key.kind == KeyKind::Integer) number("fraction", r.lo + 1.5);
        if (!key.above.empty()) {
            number("at its lower key", relationBound(key));
            number("just above its lower key", std::nextafter(relationBound(key), kInf));
        }
        if (const auto upper = upperOf(key)) {
            number("at its upper key", *upper);
            number("just below its upper key", std::nextafter(*upper, -kInf));
        }
        break;
    }
    case KeyKind::ExtraDims:
        out.push_back({"1", 1.0, true});
        out.push_back({"3.5", 3.5, true});
        out.push_back({"1e300", 1e300, true});
        out.push_back({"inf", kInf, true});
        out.push_back({"below 1", 0.999, false});
        break;
    case KeyKind::Seed:
        out.push_back({"0", std::uint64_t{0}, true});
        out.push_back({"2^53 + 2", (std::uint64_t{1} << 53) + 2, true});
        out.push_back({"2^64 - 1", std::numeric_limits<std::uint64_t>::max(), true});
        break;
    case KeyKind::Choice:
        for (const auto& name : key.choices()) out.push_back({name, name, true});
        out.push_back({"unknown", std::string("no-such-name"), false});
        break;
    case KeyKind::Path:
        out.push_back({"a file", std::string("/tmp/some-data.csv"), true});
        break;
    case KeyKind::Flag:
        out.push_back({"true", true, true});
        out.push_back({"false", false, true});
        break;
    case KeyKind::Layers:
        out.push_back({"none", std::uint64_t{0}, true});
        out.push_back({"charges and axes",
                       std::uint64_t(static_cast<unsigned>(render::Layer::Charges) |
                                     static_cast<unsigned>(render::Layer::Axes)),
                       true});
        break;
    }
    return out;
}

// --- the value as each front end writes it, written here without the code under test

QJsonValue asJson(const SceneKey& key, const KeyValue& v) {
    switch (key.kind) {
    case KeyKind::ExtraDims:
        if (std::isinf(std::get<double>(v))) return QStringLiteral("inf");
        return std::get<double>(v);
    case KeyKind::Number:
    case KeyKind::Integer:
        return std::get<double>(v);
    case KeyKind::Seed: {
        const auto seed = std::get<std::uint64_t>(v);
        if (seed <= (std::uint64_t{1} << 53)) return static_cast<qint64>(seed);
        return QString::number(seed);
    }
    case KeyKind::Choice:
    case KeyKind::Path:
        return QString::fromStdString(std::get<std::string>(v));
    case KeyKind::Flag:
        return std::get<bool>(v);
    case KeyKind::Layers: {
        QJsonArray names;
        for (const auto& layer : render::kLayers)
            if (std::get<std::uint64_t>(v) & static_cast<unsigned>(layer.value))
                names.append(QString::fromUtf8(layer.name.data(), layer.name.size()));
        return names;
    }
    }
    return {};
}

std::string asText(const SceneKey& key, const KeyValue& v) {
    switch (key.kind) {
    case KeyKind::ExtraDims:
        if (std::isinf(std::get<double>(v))) return "inf";
        [[fallthrough]];
    case KeyKind::Number:
    case KeyKind::Integer:
        return QString::number(std::get<double>(v), 'g', 17).toStdString();
    case KeyKind::Seed:
        return std::to_string(std::get<std::uint64_t>(v));
    case KeyKind::Choice:
    case KeyKind::Path:
        return std::get<std::string>(v);
    case KeyKind::Flag:
        return {};
    case KeyKind::Layers: {
        std::string names;
        for (const auto& layer : render::kLayers)
            if (std::get<std::uint64_t>(v) & static_cast<unsigned>(layer.value))
                names += (names.empty() ? "" : ",") + std::string(layer.name);
        return names;
    }
    }
    return {};
}

bool sameValue(const SceneKey& key, const KeyValue& a, const std::optional<KeyValue>& b) {
    if (!b) return false;
    if (key.singlePrecision)
        return static_cast<float>(std::get<double>(a)) == static_cast<float>(std::get<double>(*b));
    return a == *b;
}

// The options of a key: a flag alone sets it (and its false sample cannot be given).
std::vector<std::string> optionArgs(const SceneKey& key, const KeyValue& v) {
    const std::string option = "--" + std::string(key.option);
    if (key.kind == KeyKind::Flag) return {option};
    return {option, asText(key, v)};
}

struct Verdict {
    bool accepted;
    std::optional<KeyValue> value; // read back from what the front end built
    std::string message;
};

Verdict fromFile(const SceneKey& key, const KeyValue& v) {
    QJsonObject section;
    section.insert(QString::fromUtf8(key.name.data(), key.name.size()), asJson(key, v));
    QJsonObject root{{"format", "poissonscope-scene"}, {"version", 1}};
    root.insert(QLatin1String(sectionName(key.section)), section);
    try {
        const SceneFile file = sceneFromJson(QJsonDocument(root).toJson(), {});
        return {true, key.get(file.scene, file.view), {}};
    } catch (const SceneFileError& e) {
        return {false, std::nullopt, e.what()};
    }
}

template <typename Resolve>
Verdict fromOptions(const std::vector<app::OptionSpec>& specs, std::vector<std::string> args,
                    Resolve resolve) {
    OptionParser parser(specs);
    if (auto e = parser.parse(args)) return {false, std::nullopt, *e};
    return resolve(parser);
}

} // namespace

class TestSceneKeys : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void everyKeyIsWellFormed();
    void sameRangeEverywhere_data();
    void sameRangeEverywhere();
    void optionsComeFromTheTable();
    void panelTypedValuesLandInRange_data();
    void panelTypedValuesLandInRange();
    void extremeScenesPassThePhysicsCore();

private:
    QTemporaryDir m_dir;
};

void TestSceneKeys::initTestCase() {
    QVERIFY(m_dir.isValid());
}

void TestSceneKeys::everyKeyIsWellFormed() {
    std::set<std::string> files, options;
    for (const auto& key : sceneKeys()) {
        const std::string name = fileKeyOf(key);
        QVERIFY2(files.insert(name).second, name.c_str());
        if (!key.option.empty())
            QVERIFY2(options.insert(std::string(key.option)).second, name.c_str());
        QVERIFY2(!key.help.empty(), name.c_str());
        // Defaults are valid values of their keys.
        const auto value = key.get(SceneSettings{}, ViewSettings{});
        if (value) QVERIFY2(!checkKeyValue(key, *value), name.c_str());
        if (key.kind == KeyKind::Choice)
            QVERIFY2(key.choices && !key.choices().empty(), name.c_str());
        // A slider's bounds lie inside the key's range.
        const PanelSlider& p = key.panel;
        if (p.label.empty()) continue;
        for (double bound : {p.lo, p.hi, p.hiWithGpu > 0 ? p.hiWithGpu : p.hi})
            QVERIFY2(!checkKeyValue(key, key.kind == KeyKind::Seed
                                             ? KeyValue(static_cast<std::uint64_t>(bound))
                                             : KeyValue(bound)),
                     (name + ": panel bound " + std::to_string(bound)).c_str());
    }
    QVERIFY(!validateSceneSettings(SceneSettings{}));
}

void TestSceneKeys::sameRangeEverywhere_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<int>("sample");
    for (const auto& key : sceneKeys()) {
        const auto samples = samplesOf(key);
        int accepted = 0;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            accepted += samples[i].accepted;
            QTest::newRow((fileKeyOf(key) + " " + samples[i].label).c_str())
                << QString::fromStdString(fileKeyOf(key)) << static_cast<int>(i);
        }
        QVERIFY2(accepted > 0, fileKeyOf(key).c_str());
    }
}

void TestSceneKeys::sameRangeEverywhere() {
    QFETCH(QString, key);
    QFETCH(int, sample);
    const SceneKey& k = sceneKey(key.toStdString());
    const Sample s = samplesOf(k)[static_cast<std::size_t>(sample)];

    std::vector<std::pair<std::string, Verdict>> verdicts;
    verdicts.push_back({"scene file", fromFile(k, s.value)});
    {
        // The key's own check, then the whole scene's (set() takes checked values only: some
        // refused ones, a count of 0 or a negative noise, mean "the data set's default" there).
        SceneSettings scene;
        ViewSettings view;
        std::optional<std::string> problem;
        if (auto requirement = checkKeyValue(k, s.value)) {
            problem = fileKeyOf(k) + ": " + *requirement;
        } else {
            k.set(scene, view, s.value);
            problem = validateSceneSettings(scene, view);
        }
        verdicts.push_back(
            {"validateSceneSettings", {!problem, k.get(scene, view), problem.value_or("")}});
    }
    if (!k.option.empty() && !(k.kind == KeyKind::Flag && !std::get<bool>(s.value))) {
        const std::string out = m_dir.filePath("clip.mp4").toStdString();
        auto args = optionArgs(k, s.value);
        args.insert(args.end(), {"--out", out});
        verdicts.push_back(
            {"render", fromOptions(exporter::renderOptionSpecs(), args, [&](auto& p) {
                 exporter::VideoJob job;
                 const auto e = exporter::resolveRenderJob(p, job);
                 return Verdict{!e, k.get(job.scene, job.view), e.value_or("")};
             })});
        args = optionArgs(k, s.value);
        args.insert(args.end(), {"--screenshot", m_dir.filePath("shot.png").toStdString()});
        verdicts.push_back(
            {"--screenshot", fromOptions(screenshotOptionSpecs(), args, [&](auto& p) {
                 ScreenshotJob job;
                 const auto e = resolveScreenshot(p, job);
                 return Verdict{!e, k.get(job.scene, job.view), e.value_or("")};
             })});
    }
    // sample takes the data keys and the flow's; accepting loads the data, so a data path that
    // does not exist and ten million charges are left to the other front ends.
    bool sampleTakes = false; // its own --particles (points to flow) is not the scene's key
    for (const auto& spec : sampleOptionSpecs())
        sampleTakes |= spec.name == k.option && spec.help == k.help;
    const bool heavy = (k.kind == KeyKind::Path) ||
                       (fileKeyOf(k) == "data.count" && std::get<double>(s.value) > 1e5);
    if (sampleTakes && (!s.accepted || !heavy)) {
        auto args = optionArgs(k, s.value);
        args.insert(args.end(), {"--particles", "1"});
        verdicts.push_back({"sample", fromOptions(sampleOptionSpecs(), args, [&](auto& p) {
                                SampleOptions options;
                                const auto e = resolveSampleOptions(p, options);
                                return Verdict{!e, std::nullopt, e.value_or("")};
                            })});
    }
    for (const auto& [frontEnd, verdict] : verdicts) {
        const std::string where = frontEnd + ": " + verdict.message;
        QVERIFY2(verdict.accepted == s.accepted, where.c_str());
        if (!verdict.accepted) {
            // Refusals are one line and name the key as that front end spells it.
            QVERIFY2(verdict.message.find('\n') == std::string::npos, where.c_str());
            const std::string spelled =
                frontEnd == "scene file" || frontEnd == "validateSceneSettings"
                    ? fileKeyOf(k)
                    : spell(k, KeySpelling::Option);
            const bool named = verdict.message.find(spelled) != std::string::npos ||
                               (!k.above.empty() || upperOf(k));
            QVERIFY2(named, (where + " (should name " + spelled + ")").c_str());
        } else if (frontEnd != "sample") {
            QVERIFY2(sameValue(k, s.value, verdict.value), where.c_str());
        }
    }
}

void TestSceneKeys::optionsComeFromTheTable() {
    // Every scene key with an option is an option of render and --screenshot, spelled, described
    // and defaulted as the table says.
    for (const auto& specs : {exporter::renderOptionSpecs(), screenshotOptionSpecs()}) {
        for (const auto& key : sceneKeys()) {
            if (key.option.empty()) continue;
            const app::OptionSpec* spec = nullptr;
            for (const auto& s : specs)
                if (s.name == key.option) spec = &s;
            QVERIFY2(spec, std::string(key.option).c_str());
            QCOMPARE(spec->help, std::string(key.help));
            const auto value = key.get(SceneSettings{}, ViewSettings{});
            if (value && key.kind != KeyKind::Flag && key.kind != KeyKind::Path)
                QCOMPARE(spec->defaultValue, formatKeyValue(key, *value));
        }
    }
    // sample lists the solvers and backends by their tables' names.
    bool solver = false;
    for (const auto& spec : sampleOptionSpecs())
        if (spec.name == "solver") {
            solver = true;
            QCOMPARE(spec.valueName, choiceList(sceneKey("field.solver"), "|"));
        }
    QVERIFY(solver);
}

namespace {

// The control panel in an ImGui context of its own, driven through the real Qt bridge.
struct PanelHarness {
    QWidget widget;
    ImGuiContext* context = nullptr;
    ImGuiQtBridge bridge{&widget};
    SceneSettings scene;
    ViewSettings view;
    PanelMemory memory;
    PanelStatus status;

    PanelHarness() {
        widget.resize(1200, 1400); // every section fits without scrolling
        context = ImGui::CreateContext();
        bridge.install();
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
        status.clockTop = std::log(80.0);
        status.clockBottom = std::log(0.002) - 1;
    }
    ~PanelHarness() { ImGui::DestroyContext(context); }
    PanelHarness(const PanelHarness&) = delete;
    PanelHarness& operator=(const PanelHarness&) = delete;

    void frame() {
        bridge.newFrame();
        ImGui::NewFrame();
        drawControlPanel(scene, view, status, memory);
        ImGui::EndFrame();
    }
    void mouse(QEvent::Type type, QPointF at, Qt::KeyboardModifiers modifiers) {
        const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
        const Qt::MouseButtons buttons =
            type == QEvent::MouseButtonPress ? Qt::LeftButton : Qt::NoButton;
        QMouseEvent e(type, at, at, button, buttons, modifiers);
        if (type == QEvent::MouseMove) bridge.mouseMoveEvent(&e);
        if (type == QEvent::MouseButtonPress) bridge.mousePressEvent(&e);
        if (type == QEvent::MouseButtonRelease) bridge.mouseReleaseEvent(&e);
    }
    void key(int k, const QString& text = {}, Qt::KeyboardModifiers modifiers = {}) {
        QKeyEvent down(QEvent::KeyPress, k, modifiers, text);
        bridge.keyPressEvent(&down);
        frame();
        QKeyEvent up(QEvent::KeyRelease, k, modifiers);
        bridge.keyReleaseEvent(&up);
        frame();
    }
    // Ctrl+click (a slider's text mode) or a click (an input field), select all, type, Enter.
    bool typeInto(const std::string& fileKey, const QString& text, bool ctrl) {
        for (int i = 0; i < 3; ++i) frame();
        const auto it = memory.keyRects.find(fileKey);
        if (it == memory.keyRects.end()) return false;
        const auto& r = it->second;
        const QPointF at((r[0] + r[2]) / 2, (r[1] + r[3]) / 2);
        const Qt::KeyboardModifiers mods = ctrl ? Qt::ControlModifier : Qt::NoModifier;
        mouse(QEvent::MouseMove, at, {});
        frame();
        mouse(QEvent::MouseButtonPress, at, mods);
        frame();
        mouse(QEvent::MouseButtonRelease, at, mods);
        frame();
        frame();
        if (!ctrl) key(Qt::Key_A, {}, Qt::ControlModifier);
        for (const QChar c : text) key(c.unicode(), QString(c));
        key(Qt::Key_Return, "\r");
        for (int i = 0; i < 3; ++i) frame();
        return true;
    }
};

} // namespace

void TestSceneKeys::panelTypedValuesLandInRange_data() {
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("typed");
    QTest::addColumn<double>("expected");
    for (const auto& key : sceneKeys()) {
        const PanelSlider& p = key.panel;
        if (p.label.empty()) continue;
        const QString name = QString::fromStdString(fileKeyOf(key));
        if (key.kind == KeyKind::Seed) {
            QTest::newRow(qPrintable(name + " typed -5")) << name << "-5" << 0.0;
            QTest::newRow(qPrintable(name + " typed 2147483647")) << name << "2147483647" << p.hi;
            continue;
        }
        const KeyRange& r = key.range;
        // Past the top of the slider and past the top of the range: the range's end, or the
        // slider's far side when the range is unbounded.
        const double over = std::isfinite(r.hi) && r.hi < 1e8 ? r.hi * 10 + 7 : 9e7;
        const double top = std::isfinite(r.hi) && r.hi < over ? r.hi : over;
        QTest::newRow(qPrintable(name + " typed over"))
            << name << QString::number(over, 'g', 12)
            << (r.hiOpen && std::isfinite(r.hi) ? std::nextafter(r.hi, 0) : top);
        const double under = r.lo - 5;
        const double bottom = !r.loOpen ? r.lo
                              : key.singlePrecision
                                  ? std::nextafter(static_cast<float>(r.lo), FLT_MAX)
                                  : std::nextafter(r.lo, kInf);
        QTest::newRow(qPrintable(name + " typed under"))
            << name << QString::number(under) << bottom;
    }
    QTest::newRow("field.D typed 3.5") << "field.D"
                                       << "3.5" << 3.5;
    QTest::newRow("field.D typed 0.5 (refused)") << "field.D"
                                                 << "0.5" << 1.0;
}

void TestSceneKeys::panelTypedValuesLandInRange() {
    QFETCH(QString, key);
    QFETCH(QString, typed);
    QFETCH(double, expected);
    PanelHarness h;
    h.scene.particleSource = ParticleSource::Prior; // the steps slider shows for prior particles
    h.scene.sigmaMin = 1e-9; // sigma max may then reach down to its own bound
    // A picture shows its own controls; many charges open the Compute section (the tolerance).
    if (key.startsWith("data.image")) h.scene.dataPath = "picture.png";
    h.status.charges = 1'000'000;
    const SceneKey& k = sceneKey(key.toStdString());
    QVERIFY2(h.typeInto(key.toStdString(), typed, k.kind != KeyKind::Seed && key != "field.D"),
             "the control was not drawn");
    const auto value = k.get(h.scene, h.view);
    QVERIFY(value);
    const double got = k.kind == KeyKind::Seed
                           ? static_cast<double>(std::get<std::uint64_t>(*value))
                           : std::get<double>(*value);
    double want = expected;
    if (fileKeyOf(k) == "field.sigmaMax") want = std::max(want, 10 * h.scene.sigmaMin);
    // N stops at the data set's own lowest (two moons: 2), which is above the key's range.
    if (fileKeyOf(k) == "data.dim") want = std::max(want, 2.0);
    if (k.singlePrecision) want = static_cast<float>(want);
    QCOMPARE(got, want);
    QVERIFY2(!validateSceneSettings(h.scene, h.view), "the panel produced a refused scene");
}

void TestSceneKeys::extremeScenesPassThePhysicsCore() {
    // The ends of the table's ranges are within what the physics core accepts, so a scene that
    // passes validateSceneSettings never trips the core's own checks.
    for (const bool high : {false, true}) {
        SceneSettings s;
        s.sigmaMin = high ? 1e8 : 1e-9;
        s.sigmaMax = high ? 1e9 : 2e-9;
        s.steps = high ? 100'000 : 1;
        s.fieldLines = high ? 100'000 : 0;
        s.d = high ? kInf : 1.0;
        for (const auto& solver : physics::solverTable()) {
            s.solver = solver.value;
            QVERIFY(!validateSceneSettings(s));
            QVERIFY2(!physics::validateFlowSettings(sceneFlowSettings(s)),
                     physics::validateFlowSettings(sceneFlowSettings(s))->c_str());
        }
    }
}

QTEST_MAIN(TestSceneKeys)
#include "tst_scene_keys.moc"
