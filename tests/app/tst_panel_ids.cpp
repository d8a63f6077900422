// Every ImGui item of every window (control panel with every section open, learned-field, slice
// and lesson windows) has an ID of its own, and Ctrl+click (ImGui's "type a value") on every
// control of the table survives. Two items with one ID share hover and activation: a slider and a
// checkbox with one label made Ctrl+click abort on an ImGui assertion, and made checkboxes resize
// the data set.
//
// The IDs are seen as ImGui's widgets add their items (tests/support/imgui_items.h).
#include "app/main_window.h"
#include "app/scene/lesson.h"
#include "app/scene/scene_keys.h"
#include "app/viewport_widget.h"
#include "tests/support/imgui_items.h"

#include <QStandardPaths>
#include <QTest>

#include <imgui.h>
#include <imgui_internal.h>

#include <map>
#include <string>
#include <vector>

using namespace psc::app;

using psc::test::SubmittedItem;

namespace {

// The items of the frame being built and of the last complete one.
int g_frame = -1;
std::vector<SubmittedItem> g_building, g_lastFrame;

void observe(const SubmittedItem& item) {
    const int frame = ImGui::GetFrameCount();
    if (frame != g_frame) {
        g_lastFrame.swap(g_building);
        g_building.clear();
        g_frame = frame;
    }
    if (item.id != 0) g_building.push_back(item);
}

} // namespace

namespace {

// A computed scene and a drawn frame (the viewport's ImGui context is then the current one).
bool waitForScene(ViewportWidget* viewport) {
    return QTest::qWaitFor(
        [&] {
            viewport->update();
            return viewport->session().sceneData() && !viewport->computing() &&
                   ImGui::GetCurrentContext() != nullptr;
        },
        30000);
}

// Lets `count` frames be drawn.
void frames(ViewportWidget* viewport, int count) {
    for (int i = 0; i < count; ++i) {
        const int before = ImGui::GetFrameCount();
        (void)QTest::qWaitFor(
            [&] {
                viewport->update();
                return ImGui::GetFrameCount() > before;
            },
            2000);
    }
}

// Opens every tree node and collapsing header of every window, and uncollapses the windows, until
// a frame shows no item that was not there before (nested sections open one level per frame).
void openEverything(ViewportWidget* viewport) {
    std::size_t seen = 0;
    for (int round = 0; round < 12; ++round) {
        frames(viewport, 2);
        for (const SubmittedItem& item : g_lastFrame) {
            item.window->StateStorage.SetInt(item.id, 1);
            item.window->Collapsed = false;
        }
        if (round > 2 && g_lastFrame.size() == seen) return;
        seen = g_lastFrame.size();
    }
}

// The window shown, its first scene computed and drawn; null when that did not happen.
ViewportWidget* showWindow(MainWindow& window) {
    window.resize(1400, 1000);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window) || !waitForScene(window.viewport())) return nullptr;
    return window.viewport();
}

QString describe(const SubmittedItem& item) {
    return QString("%1 at (%2, %3)")
        .arg(item.window ? item.window->Name : "?")
        .arg(item.rect.Min.x)
        .arg(item.rect.Min.y);
}

} // namespace

class TestPanelIds : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { psc::test::itemObserver() = observe; }
    void init() { QStandardPaths::setTestModeEnabled(true); }

    void everyItemOfEveryWindowHasItsOwnId() {
        MainWindow window;
        ViewportWidget* viewport = showWindow(window);
        QVERIFY(viewport);
        viewport->openLearnedPanel();
        viewport->openSlicePanel();
        viewport->session().startLesson(loadLesson(":/lessons/pfgm-tour.json"));
        openEverything(viewport);
        frames(viewport, 3);

        std::map<ImGuiID, std::vector<const SubmittedItem*>> byId;
        std::map<std::string, int> perWindow;
        for (const SubmittedItem& item : g_lastFrame) {
            // ImGui's implicit window holds only its own collapse button.
            if (item.window->IsFallbackWindow) continue;
            byId[item.id].push_back(&item);
            ++perWindow[item.window->RootWindow->Name];
        }
        QStringList duplicates;
        for (const auto& [id, items] : byId)
            if (items.size() > 1)
                duplicates << QString("0x%1: %2 and %3")
                                  .arg(id, 8, 16, QChar('0'))
                                  .arg(describe(*items[0]), describe(*items[1]));
        QVERIFY2(duplicates.isEmpty(), qPrintable(duplicates.join("; ")));
        // The check saw the windows it is about, with their sections open.
        QStringList counts;
        for (const auto& [name, count] : perWindow)
            counts << QString("%1: %2").arg(name.c_str()).arg(count);
        qInfo("items per window: %s", qPrintable(counts.join(", ")));
        QVERIFY2(perWindow.size() >= 4, qPrintable(counts.join(", ")));
        // The control panel with every section open (folded, it shows about ten items).
        QVERIFY2(perWindow["Poissonscope"] > 30, qPrintable(counts.join(", ")));
    }

    // Ctrl+click turns a slider into a text field; the same on a checkbox sharing its ID aborted.
    void ctrlClickOnEveryKeyControlSurvives() {
        MainWindow window;
        ViewportWidget* viewport = showWindow(window);
        QVERIFY(viewport);
        openEverything(viewport);
        const auto rects = viewport->panels().control.keyRects;
        QVERIFY(rects.size() >= 8);
        int clicked = 0;
        for (const auto& [key, r] : rects) {
            if (r[2] <= r[0] || r[3] > viewport->height() || r[1] < 0) continue;
            const QPoint at(int(r[0] + (r[2] - r[0]) * 0.3f), int((r[1] + r[3]) / 2));
            QTest::mouseMove(viewport, at);
            frames(viewport, 1);
            QTest::mousePress(viewport, Qt::LeftButton, Qt::ControlModifier, at);
            frames(viewport, 1);
            QTest::mouseRelease(viewport, Qt::LeftButton, Qt::ControlModifier, at);
            frames(viewport, 1);
            QTest::keyClick(viewport, Qt::Key_Escape);
            frames(viewport, 1);
            ++clicked;
            const auto problem = validateSceneSettings(viewport->session().sceneSettings(),
                                                       viewport->session().viewSettings());
            QVERIFY2(!problem, qPrintable(QString::fromStdString(key + ": " + problem.value_or(""))));
        }
        qInfo("Ctrl+clicked %d controls", clicked);
        QVERIFY(clicked >= 8);
        QVERIFY(window.isVisible());
    }
};

QTEST_MAIN(TestPanelIds)
#include "tst_panel_ids.moc"
