// The Qt → Dear ImGui platform bridge, driven by synthetic events on an offscreen widget.
#include "app/imgui_qt_bridge.h"

#include <imgui.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QTest>
#include <QWheelEvent>
#include <QWidget>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

using psc::app::ImGuiQtBridge;

namespace {

// Each test builds its own widget, context and bridge; the context dies before the bridge.
struct Harness {
    QWidget widget;
    ImGuiContext* context = nullptr;
    ImGuiQtBridge bridge{&widget};

    Harness() {
        widget.resize(400, 300);
        context = ImGui::CreateContext();
        bridge.install();
        // NewFrame only needs a built atlas; no renderer is involved.
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    }
    ~Harness() { ImGui::DestroyContext(context); }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    void frame(const std::function<void()>& body = {}) {
        bridge.newFrame();
        ImGui::NewFrame();
        if (body) body();
        ImGui::EndFrame();
    }

    bool move(QPointF p) {
        QMouseEvent e(QEvent::MouseMove, p, p, Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        return bridge.mouseMoveEvent(&e);
    }
    bool press(QPointF p, Qt::MouseButton button) {
        QMouseEvent e(QEvent::MouseButtonPress, p, p, button, button, Qt::NoModifier);
        return bridge.mousePressEvent(&e);
    }
    bool release(QPointF p, Qt::MouseButton button) {
        QMouseEvent e(QEvent::MouseButtonRelease, p, p, button, Qt::NoButton, Qt::NoModifier);
        return bridge.mouseReleaseEvent(&e);
    }
    bool wheel(QPoint angle, QPoint pixel = {}) {
        const QPointF p(100, 100);
        QWheelEvent e(p, p, pixel, angle, Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
        return bridge.wheelEvent(&e);
    }
    bool keyDown(int key, Qt::KeyboardModifiers modifiers = {}, const QString& text = {}) {
        QKeyEvent e(QEvent::KeyPress, key, modifiers, text);
        return bridge.keyPressEvent(&e);
    }
    bool keyUp(int key, Qt::KeyboardModifiers modifiers = {}, bool autoRepeat = false) {
        QKeyEvent e(QEvent::KeyRelease, key, modifiers, QString(), autoRepeat);
        return bridge.keyReleaseEvent(&e);
    }
};

bool down(ImGuiKey key) {
    const ImGuiIO& io = ImGui::GetIO();
    return io.KeysDown[io.KeyMap[key]];
}

bool near(float a, float b, float tolerance = 1e-6f) {
    return std::abs(a - b) <= tolerance;
}

// An ImGui window covering (10,10)–(210,110) in logical pixels.
void panel() {
    ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(200, 100), ImGuiCond_Always);
    ImGui::Begin("panel");
    ImGui::End();
}

} // namespace

class TestImGuiBridge : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void installConfiguresIo() {
        Harness h;
        const ImGuiIO& io = ImGui::GetIO();
        QCOMPARE(QByteArray(io.BackendPlatformName), QByteArray("poissonscope-qt"));
        QVERIFY(io.IniFilename == nullptr);
        QVERIFY(io.BackendFlags & ImGuiBackendFlags_HasMouseCursors);
        std::vector<int> indices(std::begin(io.KeyMap), std::end(io.KeyMap));
        for (int index : indices)
            QVERIFY2(index >= 0 && index < 512, "KeyMap index outside KeysDown");
        std::sort(indices.begin(), indices.end());
        QVERIFY2(std::adjacent_find(indices.begin(), indices.end()) == indices.end(),
                 "two ImGui keys share one KeysDown slot");
    }

    void clipboardRoundTrip() {
        Harness h;
        ImGui::SetClipboardText("h\xc3\xa9llo");
        QCOMPARE(QGuiApplication::clipboard()->text(), QString::fromUtf8("h\xc3\xa9llo"));
        QGuiApplication::clipboard()->setText(QString::fromUtf8("w\xc3\xb6rld"));
        QCOMPARE(QByteArray(ImGui::GetClipboardText()), QByteArray("w\xc3\xb6rld"));
    }

    void mousePositionAndButtons() {
        Harness h;
        ImGuiIO& io = ImGui::GetIO();
        h.move(QPointF(12.5, 34.25));
        QVERIFY(near(io.MousePos.x, 12.5f) && near(io.MousePos.y, 34.25f));
        h.press(QPointF(20, 40), Qt::LeftButton);
        QVERIFY(near(io.MousePos.x, 20.0f) && near(io.MousePos.y, 40.0f));
        h.press(QPointF(20, 40), Qt::RightButton);
        h.press(QPointF(20, 40), Qt::MiddleButton);
        QVERIFY(io.MouseDown[0] && io.MouseDown[1] && io.MouseDown[2]);
        h.frame();
        QVERIFY(io.MouseDown[0] && io.MouseDown[1] && io.MouseDown[2]);
        h.release(QPointF(20, 40), Qt::RightButton);
        QVERIFY(io.MouseDown[0] && !io.MouseDown[1] && io.MouseDown[2]);
        h.release(QPointF(20, 40), Qt::LeftButton);
        h.release(QPointF(20, 40), Qt::MiddleButton);
        QVERIFY(!io.MouseDown[0] && !io.MouseDown[2]);
        h.frame();
        QVERIFY(!io.MouseDown[0] && !io.MouseDown[1] && !io.MouseDown[2]);
    }

    void clickShorterThanAFrameIsSeen() {
        Harness h;
        ImGuiIO& io = ImGui::GetIO();
        h.frame();
        h.press(QPointF(50, 50), Qt::LeftButton);
        h.release(QPointF(50, 50), Qt::LeftButton);
        bool clicked = false;
        h.frame([&] { clicked = ImGui::IsMouseClicked(ImGuiMouseButton_Left); });
        QVERIFY(clicked);
        h.frame();
        QVERIFY(!io.MouseDown[0]);
    }

    void wheelSteps() {
        Harness h;
        ImGuiIO& io = ImGui::GetIO();
        h.wheel(QPoint(0, 240));
        QVERIFY(near(io.MouseWheel, 2.0f));
        h.wheel(QPoint(0, -60));
        QVERIFY(near(io.MouseWheel, 1.5f));
        h.wheel(QPoint(-120, 0));
        QVERIFY(near(io.MouseWheelH, -1.0f));
        h.wheel(QPoint(0, 0), QPoint(30, 50));
        QVERIFY2(near(io.MouseWheel, 1.5f) && near(io.MouseWheelH, -1.0f),
                 "pixelDelta must be ignored");
        h.frame();
        QVERIFY(near(io.MouseWheel, 0.0f) && near(io.MouseWheelH, 0.0f));
    }

    void keyMapping_data() {
        QTest::addColumn<int>("qtKey");
        QTest::addColumn<Qt::KeyboardModifiers>("modifiers");
        QTest::addColumn<int>("imguiKey");
        const Qt::KeyboardModifiers none;
        QTest::newRow("tab") << int(Qt::Key_Tab) << none << int(ImGuiKey_Tab);
        QTest::newRow("shift+tab arrives as backtab")
            << int(Qt::Key_Backtab) << Qt::KeyboardModifiers(Qt::ShiftModifier)
            << int(ImGuiKey_Tab);
        QTest::newRow("left") << int(Qt::Key_Left) << none << int(ImGuiKey_LeftArrow);
        QTest::newRow("right") << int(Qt::Key_Right) << none << int(ImGuiKey_RightArrow);
        QTest::newRow("up") << int(Qt::Key_Up) << none << int(ImGuiKey_UpArrow);
        QTest::newRow("down") << int(Qt::Key_Down) << none << int(ImGuiKey_DownArrow);
        QTest::newRow("page up") << int(Qt::Key_PageUp) << none << int(ImGuiKey_PageUp);
        QTest::newRow("page down") << int(Qt::Key_PageDown) << none << int(ImGuiKey_PageDown);
        QTest::newRow("home") << int(Qt::Key_Home) << none << int(ImGuiKey_Home);
        QTest::newRow("end") << int(Qt::Key_End) << none << int(ImGuiKey_End);
        QTest::newRow("insert") << int(Qt::Key_Insert) << none << int(ImGuiKey_Insert);
        QTest::newRow("delete") << int(Qt::Key_Delete) << none << int(ImGuiKey_Delete);
        QTest::newRow("backspace") << int(Qt::Key_Backspace) << none << int(ImGuiKey_Backspace);
        QTest::newRow("space") << int(Qt::Key_Space) << none << int(ImGuiKey_Space);
        QTest::newRow("return") << int(Qt::Key_Return) << none << int(ImGuiKey_Enter);
        QTest::newRow("enter without keypad") << int(Qt::Key_Enter) << none << int(ImGuiKey_Enter);
        QTest::newRow("keypad enter")
            << int(Qt::Key_Enter) << Qt::KeyboardModifiers(Qt::KeypadModifier)
            << int(ImGuiKey_KeyPadEnter);
        QTest::newRow("escape") << int(Qt::Key_Escape) << none << int(ImGuiKey_Escape);
        QTest::newRow("a") << int(Qt::Key_A) << none << int(ImGuiKey_A);
        QTest::newRow("c") << int(Qt::Key_C) << none << int(ImGuiKey_C);
        QTest::newRow("v") << int(Qt::Key_V) << none << int(ImGuiKey_V);
        QTest::newRow("x") << int(Qt::Key_X) << none << int(ImGuiKey_X);
        QTest::newRow("y") << int(Qt::Key_Y) << none << int(ImGuiKey_Y);
        QTest::newRow("z") << int(Qt::Key_Z) << none << int(ImGuiKey_Z);
    }

    void keyMapping() {
        QFETCH(int, qtKey);
        QFETCH(Qt::KeyboardModifiers, modifiers);
        QFETCH(int, imguiKey);
        Harness h;
        h.keyDown(qtKey, modifiers);
        QVERIFY(down(imguiKey));
        bool seen = false;
        h.frame([&] { seen = ImGui::IsKeyDown(ImGui::GetKeyIndex(imguiKey)); });
        QVERIFY(seen);
        h.keyUp(qtKey, modifiers);
        QVERIFY(!down(imguiKey));
    }

    void keysAndModifiers() {
        Harness h;
        ImGuiIO& io = ImGui::GetIO();
        h.keyDown(Qt::Key_Control); // X11 style: the modifier's own press lacks its flag
        QVERIFY(io.KeyCtrl);
        h.keyDown(Qt::Key_Left, Qt::ControlModifier);
        QVERIFY(down(ImGuiKey_LeftArrow) && io.KeyCtrl && !io.KeyShift && !io.KeyAlt);
        h.keyDown(Qt::Key_Backspace, Qt::ControlModifier);
        QVERIFY(down(ImGuiKey_Backspace));
        h.frame();
        h.keyUp(Qt::Key_Left, Qt::ControlModifier, /*autoRepeat=*/true);
        QVERIFY2(down(ImGuiKey_LeftArrow), "an auto-repeat release must not release the key");
        h.keyUp(Qt::Key_Left, Qt::ControlModifier);
        QVERIFY(!down(ImGuiKey_LeftArrow) && down(ImGuiKey_Backspace));
        h.keyUp(Qt::Key_Backspace, Qt::ControlModifier);
        QVERIFY(!down(ImGuiKey_Backspace));
        h.keyUp(Qt::Key_Control, Qt::ControlModifier);
        QVERIFY(!io.KeyCtrl);
        h.keyDown(Qt::Key_Home, Qt::ShiftModifier | Qt::AltModifier | Qt::MetaModifier);
        QVERIFY(io.KeyShift && io.KeyAlt && io.KeySuper && !io.KeyCtrl);
    }

    void keyTapShorterThanAFrameIsSeen() {
        Harness h;
        h.frame();
        h.keyDown(Qt::Key_Backspace);
        h.keyUp(Qt::Key_Backspace);
        QVERIFY(down(ImGuiKey_Backspace));
        bool pressed = false;
        h.frame([&] { pressed = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)); });
        QVERIFY(pressed);
        h.frame();
        QVERIFY(!down(ImGuiKey_Backspace));
    }

    void textInput() {
        Harness h;
        const ImGuiIO& io = ImGui::GetIO();
        h.keyDown(Qt::Key_A, Qt::ControlModifier, QString(QChar(0x01)));
        QCOMPARE(io.InputQueueCharacters.Size, 0);
        h.keyDown(Qt::Key_Eacute, Qt::NoModifier, QString::fromUtf8("\xc3\xa9"));
        QCOMPARE(io.InputQueueCharacters.Size, 1);
        QCOMPARE(int(io.InputQueueCharacters[0]), 0xE9);
        h.keyDown(Qt::Key_Return, Qt::NoModifier, QStringLiteral("\r"));
        QCOMPARE(io.InputQueueCharacters.Size, 1);
        h.frame();
        QCOMPARE(io.InputQueueCharacters.Size, 0);
    }

    void displaySizeScaleAndTime() {
        Harness h;
        const ImGuiIO& io = ImGui::GetIO();
        h.bridge.newFrame();
        QVERIFY(near(io.DisplaySize.x, 400.0f) && near(io.DisplaySize.y, 300.0f));
        const auto ratio = static_cast<float>(h.widget.devicePixelRatioF());
        QVERIFY(near(io.DisplayFramebufferScale.x, ratio) &&
                near(io.DisplayFramebufferScale.y, ratio));
        QVERIFY(near(io.DeltaTime, 1.0f / 60.0f));
        QTest::qSleep(20);
        h.bridge.newFrame();
        QVERIFY2(io.DeltaTime >= 0.015f && io.DeltaTime < 5.0f,
                 qPrintable(QString::number(io.DeltaTime)));
        h.bridge.newFrame();
        QVERIFY(io.DeltaTime >= 1e-4f);
        h.widget.resize(320, 200);
        h.frame();
        QVERIFY(near(io.DisplaySize.x, 320.0f) && near(io.DisplaySize.y, 200.0f));
    }

    void focusOutReleasesEverything() {
        Harness h;
        const ImGuiIO& io = ImGui::GetIO();
        h.press(QPointF(50, 50), Qt::LeftButton);
        h.press(QPointF(50, 50), Qt::RightButton);
        h.keyDown(Qt::Key_Left, Qt::ControlModifier | Qt::ShiftModifier | Qt::AltModifier);
        h.keyDown(Qt::Key_A, Qt::ControlModifier);
        h.bridge.focusOutEvent();
        const auto anyDown = [&io] {
            return std::any_of(std::begin(io.MouseDown), std::end(io.MouseDown),
                               [](bool b) { return b; }) ||
                   std::any_of(std::begin(io.KeysDown), std::end(io.KeysDown),
                               [](bool b) { return b; });
        };
        QVERIFY(!anyDown());
        QVERIFY(!io.KeyCtrl && !io.KeyShift && !io.KeyAlt && !io.KeySuper);
        h.frame();
        QVERIFY2(!anyDown(), "a released press must not come back on the next frame");
    }

    void wantCaptureMouseFollowsWindows() {
        Harness h;
        const ImGuiIO& io = ImGui::GetIO();
        h.frame(panel);
        h.move(QPointF(50, 50));
        h.frame(panel);
        QVERIFY(io.WantCaptureMouse);
        QVERIFY(h.move(QPointF(60, 60)));
        QVERIFY2(h.press(QPointF(60, 60), Qt::LeftButton), "a press over a panel belongs to ImGui");
        h.frame(panel);
        h.release(QPointF(60, 60), Qt::LeftButton);
        h.frame(panel);
        h.move(QPointF(350, 250));
        h.frame(panel);
        QVERIFY(!io.WantCaptureMouse);
        QVERIFY2(!h.press(QPointF(350, 250), Qt::LeftButton),
                 "a press on the scene belongs to the camera");
        h.frame(panel);
        QVERIFY(!h.release(QPointF(350, 250), Qt::LeftButton));
        h.bridge.leaveEvent();
        QVERIFY(io.MousePos.x < -1e30f && io.MousePos.y < -1e30f);
    }

    // An idle window draws no frame between a move and a click: the click goes where the pointer
    // is now, not where it was at the last frame (a click on a panel header once added a charge
    // behind it, and a click on the scene right after leaving a panel was swallowed).
    void captureFollowsThePointerWithoutAFrame() {
        Harness h;
        h.move(QPointF(350, 250));
        h.frame(panel);
        h.frame(panel);
        QVERIFY(!ImGui::GetIO().WantCaptureMouse);
        QVERIFY2(h.press(QPointF(60, 60), Qt::LeftButton),
                 "a press over a panel belongs to ImGui before any frame has seen the pointer there");
        h.frame(panel);
        h.release(QPointF(60, 60), Qt::LeftButton);
        h.frame(panel);
        h.frame(panel);
        QVERIFY(ImGui::GetIO().WantCaptureMouse);
        QVERIFY2(!h.press(QPointF(350, 250), Qt::LeftButton),
                 "a press on the scene belongs to the scene even while the last frame had the "
                 "pointer on a panel");
        h.release(QPointF(350, 250), Qt::LeftButton);
        const QPointF scene(350, 250);
        QWheelEvent wheel(scene, scene, {}, QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QVERIFY2(!h.bridge.wheelEvent(&wheel), "so does the wheel");
    }

    void mouseCursor_data() {
        QTest::addColumn<int>("imguiCursor");
        QTest::addColumn<int>("qtShape");
        QTest::newRow("arrow") << int(ImGuiMouseCursor_Arrow) << int(Qt::ArrowCursor);
        QTest::newRow("text input") << int(ImGuiMouseCursor_TextInput) << int(Qt::IBeamCursor);
        QTest::newRow("resize all") << int(ImGuiMouseCursor_ResizeAll) << int(Qt::SizeAllCursor);
        QTest::newRow("resize ns") << int(ImGuiMouseCursor_ResizeNS) << int(Qt::SizeVerCursor);
        QTest::newRow("resize ew") << int(ImGuiMouseCursor_ResizeEW) << int(Qt::SizeHorCursor);
        QTest::newRow("resize nesw")
            << int(ImGuiMouseCursor_ResizeNESW) << int(Qt::SizeBDiagCursor);
        QTest::newRow("resize nwse")
            << int(ImGuiMouseCursor_ResizeNWSE) << int(Qt::SizeFDiagCursor);
        QTest::newRow("hand") << int(ImGuiMouseCursor_Hand) << int(Qt::PointingHandCursor);
        QTest::newRow("not allowed")
            << int(ImGuiMouseCursor_NotAllowed) << int(Qt::ForbiddenCursor);
        QTest::newRow("none") << int(ImGuiMouseCursor_None) << int(Qt::BlankCursor);
    }

    void mouseCursor() {
        QFETCH(int, imguiCursor);
        QFETCH(int, qtShape);
        Harness h;
        h.widget.setCursor(Qt::WaitCursor);
        h.frame([&] { ImGui::SetMouseCursor(imguiCursor); });
        h.bridge.newFrame(); // applies what the previous frame asked for
        QCOMPARE(int(h.widget.cursor().shape()), qtShape);
    }

    void mouseCursorLeftAloneWhenAsked() {
        Harness h;
        ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;
        h.widget.setCursor(Qt::WaitCursor);
        h.frame([] { ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput); });
        h.bridge.newFrame();
        QCOMPARE(h.widget.cursor().shape(), Qt::WaitCursor);
    }
};

QTEST_MAIN(TestImGuiBridge)
#include "tst_imgui_bridge.moc"
