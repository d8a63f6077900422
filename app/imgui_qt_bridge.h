// Dear ImGui 1.86 platform backend for one Qt widget: input, display size, DPI, time and cursor.
#pragma once

#include <QByteArray>
#include <QPointF>
#include <QElapsedTimer>

#include <bitset>

class QKeyEvent;
class QMouseEvent;
class QWheelEvent;
class QWidget;

namespace psc::app {

// Feeds Qt events for `widget` into the *current* ImGui context through the legacy (pre-1.87)
// ImGuiIO fields, in the style of ImGui's own platform backends. It issues no GL calls: rendering
// is left to Debian's imgui_impl_opengl3.
//
// Usage, on the GUI thread, with the same ImGui context current for every call:
//   ImGui::CreateContext(); bridge.install();  (once; fonts are the caller's business)
//   per frame: [renderer NewFrame] → bridge.newFrame() → ImGui::NewFrame() → ... → ImGui::Render()
//   from the widget's event handlers: the event functions below. The mouse functions return
//   capturesPointer() at the event's position, the key functions io.WantCaptureKeyboard; when
//   true, the caller should not also use that input (camera, shortcuts).
//
// The bridge does not own the context, never creates or destroys it, and does not change widget
// properties: the widget needs setMouseTracking(true) for hover and a focus policy for keys.
// `widget` must outlive the bridge; no ImGui frame may run on the context after the bridge is gone
// (the clipboard callbacks point at it). Not thread-safe, like ImGui itself.
class ImGuiQtBridge {
public:
    explicit ImGuiQtBridge(QWidget* widget);
    ImGuiQtBridge(const ImGuiQtBridge&) = delete;
    ImGuiQtBridge& operator=(const ImGuiQtBridge&) = delete;

    // Configures the current context's IO: KeyMap, clipboard (QGuiApplication::clipboard()),
    // BackendPlatformName "poissonscope-qt", mouse-cursor support, IniFilename = nullptr (no
    // imgui.ini is read or written). Call once after ImGui::CreateContext(), before any frame.
    void install();

    // Sets DisplaySize (logical pixels), DisplayFramebufferScale (devicePixelRatioF), DeltaTime
    // (seconds since the previous call, >= 1e-4; 1/60 on the first call), releases buttons and
    // keys whose press and release both fell between two frames (so the previous frame saw them
    // down once), and applies the cursor ImGui asked for during the previous frame unless
    // io.ConfigFlags has ImGuiConfigFlags_NoMouseCursorChange. Call right before ImGui::NewFrame().
    void newFrame();

    // Position in logical widget coordinates (event->position()); buttons Left=0, Right=1,
    // Middle=2, Back=3, Forward=4; other buttons are ignored. A press and release within one frame
    // still reaches ImGui as a click: the button stays down until the next newFrame().
    bool mouseMoveEvent(QMouseEvent* event);
    bool mousePressEvent(QMouseEvent* event);
    bool mouseReleaseEvent(QMouseEvent* event);
    // Vertical and horizontal angleDelta, one unit per 120 (one notch); pixelDelta is ignored.
    bool wheelEvent(QWheelEvent* event);
    // Keys index io.KeysDown as: Latin-1 Qt key codes as themselves ('A' == 65), Qt's special keys
    // (0x01000000 + n) as 256 + n, Backtab as Tab, Enter as Return unless it has the keypad
    // modifier (then it is ImGuiKey_KeyPadEnter). Other keys are ignored. Modifiers come from
    // the event; printable characters of event->text() go to the input queue. Auto-repeat
    // releases are ignored so the key stays down and ImGui does its own repeat.
    bool keyPressEvent(QKeyEvent* event);
    bool keyReleaseEvent(QKeyEvent* event);
    // Releases every key, modifier and mouse button at once (the releases would go elsewhere).
    void focusOutEvent();
    // Moves the mouse "nowhere" (-FLT_MAX) so ImGui stops hovering once the pointer leaves.
    void leaveEvent();

    // Whether input at `position` belongs to ImGui: a widget is being dragged, a popup is open
    // (a click outside closes it), or a window drawn in the last frame lies under the position
    // now. io.WantCaptureMouse is no substitute: it was decided at the last NewFrame, from where
    // the pointer was then, and an idle window may not have drawn since the pointer moved.
    bool capturesPointer(QPointF position) const;

private:
    static constexpr int kKeyCount = 512; // == size of ImGuiIO::KeysDown in 1.86
    static constexpr int kButtonCount = 5;

    void setButton(int button, bool down);
    void setKey(int index, bool down);
    void applyCursor();

    QWidget* m_widget;
    QElapsedTimer m_clock;
    QByteArray m_clipboard; // keeps the text handed to ImGui alive until the next request
    // Held = the physical state; pressed-since-frame = not yet seen down by any NewFrame.
    std::bitset<kButtonCount> m_buttonsHeld, m_buttonsPressedSinceFrame;
    std::bitset<kKeyCount> m_keysHeld, m_keysPressedSinceFrame;
};

} // namespace psc::app
