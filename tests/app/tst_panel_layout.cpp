// The panels as a lecturer's class sees them, drawn headless with the window's fonts and theme:
// no text cut at a panel's edge, combos as wide as their longest choice, the rows below the data
// set in one place for every data set, slider numbers readable over their grabs, counts in
// agreement with their nouns, and a loss plot with a named log₁₀ axis.
//
// Every item passes through a wrapper of ImGui::ItemAdd (-Wl,--wrap, as tst_panel_ids), so the
// test sees each text's and widget's rectangle whoever drew it.
#include "app/control_panel.h"
#include "app/formula/formula_imgui.h"
#include "app/learned_panel.h"
#include "app/panel_columns.h"
#include "app/plot_ticks.h"
#include "app/scene/count_text.h"
#include "app/scene/learned_trainer.h"
#include "app/theme.h"

#include "physics/datasets.h"
#include "physics/solvers.h"
#include "physics/torch/learned_field.h"
#include "render/color_map.h"
#include "tests/support/imgui_items.h"

#include <QTest>

#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <functional>
#include <string>
#include <vector>

using namespace psc;
using namespace psc::app;

using psc::test::SubmittedItem;

namespace {

std::vector<SubmittedItem> g_items; // of the frame being built

} // namespace

namespace {

// An ImGui context of its own with the window's fonts (DejaVu Sans at 15 px) and theme.
struct Panels {
    ImGuiContext* context = nullptr;
    SceneSettings scene;
    ViewSettings view;
    PanelStatus status;
    PanelMemory memory;
    std::string clipboard; // what ImGui's logging wrote

    explicit Panels(Theme theme = Theme::Dark) {
        context = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(1280, 900);
        io.ClipboardUserData = this;
        io.SetClipboardTextFn = [](void* self, const char* text) {
            static_cast<Panels*>(self)->clipboard = text;
        };
        formula::loadFonts(io, 1.0f);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
        applyImGuiTheme(theme);
        status.clockTop = std::log(80.0);
        status.clockBottom = std::log(0.002) - 1;
        status.charges = 512;
        psc::test::itemObserver() = [](const SubmittedItem& item) { g_items.push_back(item); };
    }
    ~Panels() { ImGui::DestroyContext(context); }
    Panels(const Panels&) = delete;
    Panels& operator=(const Panels&) = delete;

    void frame(const std::function<void()>& body) {
        ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
        g_items.clear();
        ImGui::NewFrame();
        // Where the window puts the control panel: its left column (session_panels.cpp).
        ImGui::SetNextWindowPos(ImVec2(0, 0), ImGuiCond_Always);
        ImGui::SetNextWindowSize(ImVec2(kLeftColumnWidth, ImGui::GetIO().DisplaySize.y),
                                 ImGuiCond_Always);
        body();
        ImGui::EndFrame();
    }
    void control(int frames = 3) {
        for (int i = 0; i < frames; ++i)
            frame([&] { drawControlPanel(scene, view, status, memory); });
    }
    // The text the panel's window shows, as ImGui's logging writes it (every section open).
    std::string controlText() {
        clipboard.clear();
        frame([&] {
            ImGui::LogToClipboard();
            drawControlPanel(scene, view, status, memory);
        });
        return clipboard;
    }
    // Opens every collapsing header and tree node of the windows drawn last frame.
    void openSections(int frames = 3) {
        for (const SubmittedItem& item : g_items)
            if (item.id != 0) item.window->StateStorage.SetInt(item.id, 1);
        control(frames);
    }
};

ImGuiWindow* windowNamed(const char* name) {
    return ImGui::FindWindowByName(name);
}

std::array<float, 4> rectOf(const PanelMemory& memory, const std::string& key) {
    const auto it = memory.keyRects.find(key);
    return it == memory.keyRects.end() ? std::array<float, 4>{} : it->second;
}

// WCAG 2 relative luminance and contrast of colours composited onto what lies behind them.
double channel(float c) {
    return c <= 0.04045f ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
double luminance(ImVec4 c) {
    return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z);
}
double contrast(ImVec4 a, ImVec4 b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
ImVec4 over(ImVec4 top, ImVec4 below) {
    const float a = top.w;
    return ImVec4(top.x * a + below.x * (1 - a), top.y * a + below.y * (1 - a),
                  top.z * a + below.z * (1 - a), 1.0f);
}

} // namespace

class TestPanelLayout : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void textStaysInsideThePanels_data();
    void textStaysInsideThePanels();
    void combosFitTheirLongestChoice();
    void rowsBelowTheDataSetStayPut();
    void sliderNumbersStayReadable_data();
    void sliderNumbersStayReadable();
    void countsAgreeWithTheirNouns();
    void lossPlotHasANamedLogAxis();
    void plotTicks();
};

void TestPanelLayout::textStaysInsideThePanels_data() {
    QTest::addColumn<QString>("dataset");
    QTest::addColumn<int>("dim");
    QTest::addColumn<bool>("edited");
    QTest::newRow("two-moons") << "two-moons" << 2 << false;
    QTest::newRow("three-charges") << "three-charges" << 2 << false;
    QTest::newRow("edited") << "two-moons" << 2 << true;
    QTest::newRow("helix") << "helix" << 3 << false;
}

// With every section open, no item of the control panel ends beyond the panel's right edge: a
// text that does not fit wraps (the hint under the data set was cut at "delete,").
void TestPanelLayout::textStaysInsideThePanels() {
    QFETCH(QString, dataset);
    QFETCH(int, dim);
    QFETCH(bool, edited);
    Panels p;
    p.scene.dataset = dataset.toStdString();
    p.status.dim = dim;
    p.status.computeNote = "CPU: software OpenGL, the SIMD CPU path is faster here";
    if (edited) { // two-digit counts, the widest this row gets in practice
        p.scene.editedPositions.assign(2 * 24, 0.5);
        p.scene.editedWeights.assign(24, 1.0);
    }
    p.scene.particleSource = ParticleSource::Prior; // solver and steps too
    p.control();
    p.openSections();
    ImGuiWindow* panel = windowNamed("Poissonscope");
    QVERIFY(panel);
    int checked = 0;
    for (const SubmittedItem& item : g_items) {
        if (item.window != panel) continue;
        ++checked;
        QVERIFY2(item.rect.Max.x <= panel->InnerClipRect.Max.x + 0.5f,
                 qPrintable(QString("item %1 at (%2, %3) ends at x = %4, the panel at %5")
                                .arg(item.id)
                                .arg(item.rect.Min.x)
                                .arg(item.rect.Min.y)
                                .arg(item.rect.Max.x)
                                .arg(panel->InnerClipRect.Max.x)));
    }
    QVERIFY2(checked > 30, qPrintable(QString::number(checked)));
}

// The preview of every combo shows its longest choice whole: frame padding, the text and the
// arrow button fit the frame (the direction combo read "backward: generate (sigma m").
void TestPanelLayout::combosFitTheirLongestChoice() {
    Panels p;
    p.scene.particleSource = ParticleSource::Prior;
    p.control();
    p.openSections();
    auto labels = [](const auto& table, auto labelOf) {
        std::vector<std::string> out;
        for (const auto& row : table) out.emplace_back(labelOf(row));
        return out;
    };
    const auto label = [](const auto& row) { return row.label; };
    std::vector<std::pair<std::string, std::vector<std::string>>> combos = {
        {"field.particleSource", labels(kParticleSources, label)},
        {"field.solver", labels(physics::solverTable(), label)},
        {"field.seeding", labels(kSeedings, label)},
        {"view.forward", labels(kPlaybackDirections, label)},
        {"view.compute", labels(kComputeChoices, label)},
        {"view.colorMap", labels(render::kColorMaps, [](const auto& row) { return row.name; })},
        {"data.dataset", labels(physics::builtinDatasets(),
                                [](const auto& row) { return std::string_view(row.name); })},
    };
    combos.back().second.push_back("(data file)");
    const ImGuiStyle& style = ImGui::GetStyle();
    for (const auto& [key, choices] : combos) {
        const auto r = rectOf(p.memory, key);
        QVERIFY2(r[2] > r[0], qPrintable(QString::fromStdString(key + " was not drawn")));
        const float room = (r[2] - r[0]) - ImGui::GetFrameHeight() - 2 * style.FramePadding.x;
        for (const auto& choice : choices) {
            const float width = ImGui::CalcTextSize(choice.c_str()).x;
            QVERIFY2(width <= room, qPrintable(QString("%1: \"%2\" is %3 px, the preview has %4")
                                                   .arg(QString::fromStdString(key))
                                                   .arg(QString::fromStdString(choice))
                                                   .arg(width)
                                                   .arg(room)));
        }
    }
}

// Changing the data set must not move the controls below it: the particles slider and the
// playback's trail slider keep their rectangles for generated data, teaching scenes, 3-D data,
// charges edited by hand and a data file.
void TestPanelLayout::rowsBelowTheDataSetStayPut() {
    Panels p;
    p.control();
    const auto particles = rectOf(p.memory, "field.particles");
    const auto trail = rectOf(p.memory, "view.trailLength");
    QVERIFY(particles[2] > particles[0] && trail[2] > trail[0]);
    const struct {
        const char* name;
        std::function<void(Panels&)> set;
    } cases[] = {
        {"three-charges", [](Panels& q) { q.scene.dataset = "three-charges"; }},
        {"one-charge", [](Panels& q) { q.scene.dataset = "one-charge"; }},
        {"8-gaussians", [](Panels& q) { q.scene.dataset = "8-gaussians"; }},
        {"helix (3-D)",
         [](Panels& q) {
             q.scene.dataset = "helix";
             q.status.dim = 3;
         }},
        {"edited by hand",
         [](Panels& q) {
             q.scene.dataset = "two-moons";
             q.status.dim = 2;
             q.scene.editedPositions = {0.0, 0.0, 1.0, 1.0};
             q.scene.editedWeights = {1.0, 1.0};
         }},
        {"data file",
         [](Panels& q) {
             q.scene.editedPositions.clear();
             q.scene.editedWeights.clear();
             q.scene.dataPath = "/tmp/points.csv";
         }},
    };
    for (const auto& c : cases) {
        c.set(p);
        p.control();
        QVERIFY2(rectOf(p.memory, "field.particles") == particles,
                 qPrintable(QString("%1: particles slider at y = %2, was %3")
                                .arg(c.name)
                                .arg(rectOf(p.memory, "field.particles")[1])
                                .arg(particles[1])));
        QVERIFY2(rectOf(p.memory, "view.trailLength") == trail, c.name);
    }
}

void TestPanelLayout::sliderNumbersStayReadable_data() {
    QTest::addColumn<int>("theme");
    QTest::newRow("dark") << static_cast<int>(Theme::Dark);
    QTest::newRow("light") << static_cast<int>(Theme::Light);
}

// ImGui prints a slider's value over its grab. The grab is thin (a sliver of a digit at most),
// the text on it keeps WCAG AA contrast (4.5:1) while resting and while dragged, and the grab
// still stands out from the frame. The panels float over the dark scene.
void TestPanelLayout::sliderNumbersStayReadable() {
    QFETCH(int, theme);
    Panels p(static_cast<Theme>(theme));
    float font = 0;
    p.frame([&] { font = ImGui::GetFontSize(); });
    const ImGuiStyle& style = ImGui::GetStyle();
    QVERIFY2(style.GrabMinSize <= 0.3f * font,
             qPrintable(QString("grab %1 px, font %2 px").arg(style.GrabMinSize).arg(font)));
    const ImVec4 stage(0.07f, 0.08f, 0.11f, 1.0f);
    const ImVec4 window = over(style.Colors[ImGuiCol_WindowBg], stage);
    const ImVec4 text = style.Colors[ImGuiCol_Text];
    for (ImGuiCol frameCol : {ImGuiCol_FrameBg, ImGuiCol_FrameBgHovered, ImGuiCol_FrameBgActive}) {
        const ImVec4 frame = over(style.Colors[frameCol], window);
        QVERIFY(contrast(over(text, frame), frame) >= 4.5);
        for (ImGuiCol grabCol : {ImGuiCol_SliderGrab, ImGuiCol_SliderGrabActive}) {
            const ImVec4 grab = over(style.Colors[grabCol], frame);
            const double c = contrast(over(text, grab), grab);
            QVERIFY2(c >= 4.5, qPrintable(QString("text over %1 on %2: %3:1")
                                              .arg(ImGui::GetStyleColorName(grabCol))
                                              .arg(ImGui::GetStyleColorName(frameCol))
                                              .arg(c)));
        }
    }
    const ImVec4 frame = over(style.Colors[ImGuiCol_FrameBg], window);
    const double visible = contrast(over(style.Colors[ImGuiCol_SliderGrab], frame), frame);
    QVERIFY2(visible >= 1.5, qPrintable(QString::number(visible)));
}

// "1 charge", never "1 charges": the helper, and the panels that print counts.
void TestPanelLayout::countsAgreeWithTheirNouns() {
    QCOMPARE(countText(1, "charge"), std::string("1 charge"));
    QCOMPARE(countText(0, "charge"), std::string("0 charges"));
    QCOMPARE(countText(2, "field line"), std::string("2 field lines"));
    QCOMPARE(countText(1500, "particle"), std::string("1500 particles"));
    QCOMPARE(countText(1, "trajectory", "trajectories"), std::string("1 trajectory"));
    QCOMPARE(countText(3, "trajectory", "trajectories"), std::string("3 trajectories"));
    QCOMPARE(countText(-1, "step"), std::string("-1 step"));

    Panels p;
    p.scene.editedPositions = {0.5, 0.5};
    p.scene.editedWeights = {1.0};
    p.control();
    std::string text = p.controlText();
    QVERIFY2(text.find("edited by hand: 1 charge") != std::string::npos &&
                 text.find("1 charges") == std::string::npos,
             text.c_str());
    p.scene.editedPositions.clear();
    p.scene.editedWeights.clear();
    p.scene.dataset = "one-charge";
    p.control();
    text = p.controlText();
    QVERIFY2(text.find("1 fixed charge") != std::string::npos &&
                 text.find("1 fixed charges") == std::string::npos,
             text.c_str());

    if (!physics::learnedFieldsBuiltIn()) QSKIP("the learned-field panel needs LibTorch");
    TrainerState trainer;
    LearnedPanelInput in;
    in.trainer = &trainer;
    in.charges = 1;
    in.dataName = "one-charge";
    LearnedPanelMemory memory;
    memory.requestOpen = true;
    for (int i = 0; i < 2; ++i) p.frame([&] { drawLearnedPanel(in, memory); });
    p.clipboard.clear();
    p.frame([&] {
        ImGui::LogToClipboard();
        drawLearnedPanel(in, memory);
    });
    QVERIFY2(p.clipboard.find("1 charge (one-charge)") != std::string::npos, p.clipboard.c_str());
}

// The loss curve is plotted as log₁₀ of the loss: the axis says so, and the current loss is
// printed as a loss, in three significant figures (the plot's overlay printed the raw value
// beside log₁₀ values).
void TestPanelLayout::lossPlotHasANamedLogAxis() {
    QCOMPARE(formatLoss(0.0123456), std::string("0.0123"));
    QCOMPARE(formatLoss(1.5e-5), std::string("1.5e-05"));
    if (!physics::learnedFieldsBuiltIn()) QSKIP("the learned-field panel needs LibTorch");
    Panels p;
    TrainerState trainer;
    trainer.busy = true;
    trainer.stage = "training D = 1";
    trainer.step = 200, trainer.steps = 3000;
    trainer.lossCurve = {0.9f, 0.31f, 0.052f, 0.0123456f};
    LearnedPanelInput in;
    in.trainer = &trainer;
    in.charges = 512;
    in.dataName = "two-moons";
    in.sceneReady = true;
    LearnedPanelMemory memory;
    memory.requestOpen = true;
    for (int i = 0; i < 3; ++i) p.frame([&] { drawLearnedPanel(in, memory); });
    ImGuiWindow* window = windowNamed("Learned field");
    QVERIFY(window);
    for (const SubmittedItem& item : g_items)
        if (item.window == window)
            QVERIFY2(item.rect.Max.x <= window->InnerClipRect.Max.x + 0.5f,
                     qPrintable(QString::number(item.rect.Max.x)));
    p.clipboard.clear();
    p.frame([&] {
        ImGui::LogToClipboard();
        drawLearnedPanel(in, memory);
    });
    QVERIFY2(p.clipboard.find("log₁₀ loss") != std::string::npos, p.clipboard.c_str());
    QVERIFY2(p.clipboard.find("now 0.0123") != std::string::npos &&
                 p.clipboard.find("0.0123456") == std::string::npos,
             p.clipboard.c_str());
}

void TestPanelLayout::plotTicks() {
    QCOMPARE(niceTicks(-1.93, -0.05, 3), (std::vector<double>{-1.5, -1.0, -0.5}));
    QCOMPARE(niceTicks(0, 3, 4), (std::vector<double>{0, 1, 2, 3}));
    QVERIFY(niceTicks(1, 1, 3).empty());
    const auto decades = logTicks(0.003, 3, 6);
    QCOMPARE(decades.size(), std::size_t(3));
    QVERIFY(std::abs(decades[0] - 0.01) < 1e-15 && std::abs(decades[2] - 1) < 1e-15);
    QCOMPARE(logTicks(1e-9, 1e3, 4).size(), std::size_t(4)); // every third decade
    const auto few = logTicks(0.3, 3, 6);                    // one power inside: 1, 2 and 5 × 10^k
    QCOMPARE(few.size(), std::size_t(3));
    QVERIFY(std::abs(few[0] - 0.5) < 1e-15 && few[1] == 1 && few[2] == 2);
    QVERIFY(logTicks(0, 1, 3).empty());
    QCOMPARE(tickLabel(0.002), std::string("0.002"));
    QCOMPARE(tickLabel(-1.5), std::string("−1.5"));
    QCOMPARE(tickLabel(2000), std::string("2000"));
    QCOMPARE(tickLabel(0.1 + 0.2), std::string("0.3"));
    QCOMPARE(tickLabel(-0.0), std::string("0"));
    QCOMPARE(tickLabel(2e5), std::string("2e+05"));
}

QTEST_GUILESS_MAIN(TestPanelLayout)
#include "tst_panel_layout.moc"
