// Qt platform backend for Dear ImGui 1.86 (legacy ImGuiIO input fields; no GL).
#include "app/imgui_qt_bridge.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <QClipboard>
#include <QGuiApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>
#include <QWidget>

#include <algorithm>
#include <cfloat>

namespace psc::app {

namespace {

constexpr int kQtSpecialKeyBase = 0x01000000;
constexpr int kKeyIndexCount = 512;

// Qt's key codes are either Latin-1 (< 256) or 0x01000000 + n; folding the second block onto
// 256 + n keeps every index inside the 512 entries of io.KeysDown without a lookup table.
int keyIndex(int key, Qt::KeyboardModifiers modifiers) {
    // Qt reports Shift+Tab as Backtab, but ImGui reads Tab together with io.KeyShift.
    if (key == Qt::Key_Backtab) key = Qt::Key_Tab;
    if (key == Qt::Key_Enter && !(modifiers & Qt::KeypadModifier)) key = Qt::Key_Return;
    if (key >= 0x20 && key < 256) return key;
    if (key >= kQtSpecialKeyBase && key < kQtSpecialKeyBase + (kKeyIndexCount - 256))
        return 256 + (key - kQtSpecialKeyBase);
    return -1;
}

int buttonIndex(Qt::MouseButton button) {
    switch (button) {
    case Qt::LeftButton:
        return 0;
    case Qt::RightButton:
        return 1;
    case Qt::MiddleButton:
        return 2;
    case Qt::BackButton:
        return 3;
    case Qt::ForwardButton:
        return 4;
    default:
        return -1;
    }
}

void setModifiers(ImGuiIO& io, Qt::KeyboardModifiers modifiers) {
    io.KeyCtrl = modifiers & Qt::ControlModifier;
    io.KeyShift = modifiers & Qt::ShiftModifier;
    io.KeyAlt = modifiers & Qt::AltModifier;
    io.KeySuper = modifiers & Qt::MetaModifier;
}

// On X11 event->modifiers() can be the state from before the event, missing a modifier key's
// own press or release; the key itself is the truth.
void setModifierKey(ImGuiIO& io, int key, bool down) {
    switch (key) {
    case Qt::Key_Control:
        io.KeyCtrl = down;
        break;
    case Qt::Key_Shift:
        io.KeyShift = down;
        break;
    case Qt::Key_Alt:
        io.KeyAlt = down;
        break;
    case Qt::Key_Meta:
        io.KeySuper = down;
        break;
    default:
        break;
    }
}

Qt::CursorShape cursorShape(ImGuiMouseCursor cursor) {
    switch (cursor) {
    case ImGuiMouseCursor_None:
        return Qt::BlankCursor;
    case ImGuiMouseCursor_TextInput:
        return Qt::IBeamCursor;
    case ImGuiMouseCursor_ResizeAll:
        return Qt::SizeAllCursor;
    case ImGuiMouseCursor_ResizeNS:
        return Qt::SizeVerCursor;
    case ImGuiMouseCursor_ResizeEW:
        return Qt::SizeHorCursor;
    case ImGuiMouseCursor_ResizeNESW:
        return Qt::SizeBDiagCursor;
    case ImGuiMouseCursor_ResizeNWSE:
        return Qt::SizeFDiagCursor;
    case ImGuiMouseCursor_Hand:
        return Qt::PointingHandCursor;
    case ImGuiMouseCursor_NotAllowed:
        return Qt::ForbiddenCursor;
    default:
        return Qt::ArrowCursor;
    }
}

} // namespace

static_assert(sizeof(ImGuiIO::KeysDown) / sizeof(bool) == kKeyIndexCount);
static_assert(sizeof(ImGuiIO::MouseDown) / sizeof(bool) == 5);

ImGuiQtBridge::ImGuiQtBridge(QWidget* widget) : m_widget(widget) {
    Q_ASSERT_X(widget, "psc::app::ImGuiQtBridge", "widget must not be null");
}

void ImGuiQtBridge::install() {
    ImGuiIO& io = ImGui::GetIO();
    Q_ASSERT_X(io.BackendPlatformUserData == nullptr || io.BackendPlatformUserData == this,
               "psc::app::ImGuiQtBridge::install",
               "another platform backend is already installed on this ImGui context");
    io.BackendPlatformUserData = this;
    io.BackendPlatformName = "poissonscope-qt";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    io.IniFilename = nullptr;

    const auto map = [&io](ImGuiKey imguiKey, int qtKey, Qt::KeyboardModifiers modifiers = {}) {
        io.KeyMap[imguiKey] = keyIndex(qtKey, modifiers);
    };
    map(ImGuiKey_Tab, Qt::Key_Tab);
    map(ImGuiKey_LeftArrow, Qt::Key_Left);
    map(ImGuiKey_RightArrow, Qt::Key_Right);
    map(ImGuiKey_UpArrow, Qt::Key_Up);
    map(ImGuiKey_DownArrow, Qt::Key_Down);
    map(ImGuiKey_PageUp, Qt::Key_PageUp);
    map(ImGuiKey_PageDown, Qt::Key_PageDown);
    map(ImGuiKey_Home, Qt::Key_Home);
    map(ImGuiKey_End, Qt::Key_End);
    map(ImGuiKey_Insert, Qt::Key_Insert);
    map(ImGuiKey_Delete, Qt::Key_Delete);
    map(ImGuiKey_Backspace, Qt::Key_Backspace);
    map(ImGuiKey_Space, Qt::Key_Space);
    map(ImGuiKey_Enter, Qt::Key_Return);
    map(ImGuiKey_Escape, Qt::Key_Escape);
    map(ImGuiKey_KeyPadEnter, Qt::Key_Enter, Qt::KeypadModifier);
    map(ImGuiKey_A, Qt::Key_A);
    map(ImGuiKey_C, Qt::Key_C);
    map(ImGuiKey_V, Qt::Key_V);
    map(ImGuiKey_X, Qt::Key_X);
    map(ImGuiKey_Y, Qt::Key_Y);
    map(ImGuiKey_Z, Qt::Key_Z);

    // ImGui keeps the returned pointer until its next request, hence the member buffer.
    io.ClipboardUserData = this;
    io.GetClipboardTextFn = [](void* user) -> const char* {
        auto* self = static_cast<ImGuiQtBridge*>(user);
        self->m_clipboard = QGuiApplication::clipboard()->text().toUtf8();
        return self->m_clipboard.constData();
    };
    io.SetClipboardTextFn = [](void*, const char* text) {
        QGuiApplication::clipboard()->setText(QString::fromUtf8(text));
    };
}

void ImGuiQtBridge::newFrame() {
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize =
        ImVec2(static_cast<float>(m_widget->width()), static_cast<float>(m_widget->height()));
    const auto ratio = static_cast<float>(m_widget->devicePixelRatioF());
    io.DisplayFramebufferScale = ImVec2(ratio, ratio);

    // ImGui asserts DeltaTime > 0; two paints inside one timer tick must not produce zero.
    float delta = 1.0f / 60.0f;
    if (m_clock.isValid())
        delta = std::max(static_cast<float>(m_clock.nsecsElapsed() * 1e-9), 1e-4f);
    m_clock.start();
    io.DeltaTime = delta;

    // The legacy IO has no event queue: a press and release between two frames would vanish, so
    // such a release is applied here, one frame late, after NewFrame has seen the press.
    for (int i = 0; i < kButtonCount; ++i)
        if (!m_buttonsPressedSinceFrame[i]) io.MouseDown[i] = m_buttonsHeld[i];
    for (int i = 0; i < kKeyCount; ++i)
        if (!m_keysPressedSinceFrame[i]) io.KeysDown[i] = m_keysHeld[i];
    m_buttonsPressedSinceFrame.reset();
    m_keysPressedSinceFrame.reset();

    applyCursor();
}

bool ImGuiQtBridge::mouseMoveEvent(QMouseEvent* event) {
    ImGuiIO& io = ImGui::GetIO();
    const QPointF p = event->position();
    io.MousePos = ImVec2(static_cast<float>(p.x()), static_cast<float>(p.y()));
    setModifiers(io, event->modifiers());
    return capturesPointer(p);
}

bool ImGuiQtBridge::mousePressEvent(QMouseEvent* event) {
    const bool captured = mouseMoveEvent(event);
    setButton(buttonIndex(event->button()), true);
    return captured;
}

bool ImGuiQtBridge::mouseReleaseEvent(QMouseEvent* event) {
    const bool captured = mouseMoveEvent(event);
    setButton(buttonIndex(event->button()), false);
    return captured;
}

bool ImGuiQtBridge::wheelEvent(QWheelEvent* event) {
    ImGuiIO& io = ImGui::GetIO();
    const QPointF p = event->position();
    io.MousePos = ImVec2(static_cast<float>(p.x()), static_cast<float>(p.y()));
    setModifiers(io, event->modifiers());
    // Qt's positive x means "scroll left", as does ImGui 1.86's positive MouseWheelH.
    const QPoint steps = event->angleDelta();
    io.MouseWheel += static_cast<float>(steps.y()) / 120.0f;
    io.MouseWheelH += static_cast<float>(steps.x()) / 120.0f;
    return capturesPointer(p);
}

bool ImGuiQtBridge::keyPressEvent(QKeyEvent* event) {
    ImGuiIO& io = ImGui::GetIO();
    setModifiers(io, event->modifiers());
    setModifierKey(io, event->key(), true);
    setKey(keyIndex(event->key(), event->modifiers()), true);
    // Ctrl+letter arrives as a control character in text(); ImGui must only get printables.
    const QString text = event->text();
    for (const QChar c : text)
        if (c.isPrint() || c.isSurrogate()) io.AddInputCharacterUTF16(c.unicode());
    return io.WantCaptureKeyboard;
}

bool ImGuiQtBridge::keyReleaseEvent(QKeyEvent* event) {
    ImGuiIO& io = ImGui::GetIO();
    setModifiers(io, event->modifiers());
    setModifierKey(io, event->key(), false);
    if (!event->isAutoRepeat()) setKey(keyIndex(event->key(), event->modifiers()), false);
    return io.WantCaptureKeyboard;
}

void ImGuiQtBridge::focusOutEvent() {
    ImGuiIO& io = ImGui::GetIO();
    m_buttonsHeld.reset();
    m_buttonsPressedSinceFrame.reset();
    m_keysHeld.reset();
    m_keysPressedSinceFrame.reset();
    std::fill(std::begin(io.MouseDown), std::end(io.MouseDown), false);
    std::fill(std::begin(io.KeysDown), std::end(io.KeysDown), false);
    setModifiers(io, Qt::NoModifier);
}

void ImGuiQtBridge::leaveEvent() {
    ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
}

bool ImGuiQtBridge::capturesPointer(QPointF position) const {
    const ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.ActiveId != 0 || !g.OpenPopupStack.empty()) return true;
    const ImVec2 p(static_cast<float>(position.x()), static_cast<float>(position.y()));
    // Between frames `Active` says whether the window was drawn in the last one. Tooltips follow
    // the pointer and take no input, like windows that ask for none.
    for (const ImGuiWindow* window : g.Windows) {
        if (!window->Active || window->Hidden || window->IsFallbackWindow) continue;
        if (window->Flags & (ImGuiWindowFlags_Tooltip | ImGuiWindowFlags_NoMouseInputs)) continue;
        if (window->Rect().Contains(p)) return true;
    }
    return false;
}

void ImGuiQtBridge::setButton(int button, bool down) {
    if (button < 0) return;
    ImGuiIO& io = ImGui::GetIO();
    m_buttonsHeld[button] = down;
    if (down) {
        m_buttonsPressedSinceFrame[button] = true;
        io.MouseDown[button] = true;
    } else if (!m_buttonsPressedSinceFrame[button]) {
        io.MouseDown[button] = false;
    }
}

void ImGuiQtBridge::setKey(int index, bool down) {
    if (index < 0) return;
    ImGuiIO& io = ImGui::GetIO();
    m_keysHeld[index] = down;
    if (down) {
        m_keysPressedSinceFrame[index] = true;
        io.KeysDown[index] = true;
    } else if (!m_keysPressedSinceFrame[index]) {
        io.KeysDown[index] = false;
    }
}

void ImGuiQtBridge::applyCursor() {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange) return;
    // With MouseDrawCursor ImGui paints its own cursor, so the system one must disappear.
    const Qt::CursorShape shape =
        cursorShape(io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor());
    // Compared with the widget, not a cache, so a cursor set by someone else is corrected too.
    if (m_widget->cursor().shape() != shape) m_widget->setCursor(shape);
}

} // namespace psc::app
