// ViewportWidget's input: ImGui first, then camera navigation, charge editing and shortcuts on
// the session.
#include "app/viewport_widget.h"

#include "app/imgui_qt_bridge.h"
#include "app/scene/scene_session.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <imgui.h>

namespace psc::app {
// Left click on empty plane: add a charge; left drag on a charge: move it; left drag elsewhere:
// orbit (shift: pan); right click on a charge: delete it; right drag: pan.
void ViewportWidget::mousePressEvent(QMouseEvent* event) {
    if (m_bridge && m_bridge->mousePressEvent(event)) {
        m_dragButtons = Qt::NoButton;
        return update();
    }
    m_lastMouse = m_pressPos = event->position();
    m_dragButtons = event->buttons();
    m_dragMoved = false;
    m_dragRecorded = false;
    // Indices and the first edit's copy come from the scene on screen, so edits wait until it
    // is the current one; a drag keeps the index it started with.
    m_dragCharge = event->button() == Qt::LeftButton && m_session.canEdit()
                       ? chargeAt(m_session, sceneAt(event->position()), viewportSize())
                       : std::nullopt;
}

void ViewportWidget::mouseMoveEvent(QMouseEvent* event) {
    const bool imguiWants = m_bridge && m_bridge->mouseMoveEvent(event);
    const QPointF delta = event->position() - m_lastMouse;
    m_lastMouse = event->position();
    if ((event->position() - m_pressPos).manhattanLength() > 3) m_dragMoved = true;
    // What lies under it is looked up by the frame this move asks for (updateHover).
    m_hover = m_dragButtons == Qt::NoButton && !imguiWants ? std::optional(event->position())
                                                           : std::nullopt;
    // A drag that began on the scene stays the scene's when it passes over a panel.
    if (m_dragButtons != Qt::NoButton && m_dragMoved) {
        if (m_dragCharge && (m_dragButtons & Qt::LeftButton)) {
            if (const auto p =
                    planePointAt(m_session, sceneAt(event->position()), viewportSize())) {
                m_session.moveCharge(*m_dragCharge, p->x, p->y, !m_dragRecorded);
                m_dragRecorded = true;
            }
        } else {
            const glm::vec2 d(static_cast<float>(delta.x()), static_cast<float>(delta.y()));
            if (m_dragButtons & Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier))
                m_session.camera().orbit(d, viewportSize());
            else
                m_session.panCamera(d, viewportSize());
        }
    }
    update();
}

void ViewportWidget::mouseReleaseEvent(QMouseEvent* event) {
    if (m_bridge) m_bridge->mouseReleaseEvent(event);
    // The press decided whose click this is (ImGui's presses leave m_dragButtons empty).
    const bool sceneClick = m_dragButtons & event->button();
    if (sceneClick && !m_dragMoved && m_session.canEdit()) {
        if (event->button() == Qt::LeftButton && !m_dragCharge) {
            if (const auto p = planePointAt(m_session, sceneAt(event->position()), viewportSize()))
                m_session.addCharge(p->x, p->y);
        } else if (event->button() == Qt::RightButton) {
            if (const auto hit = chargeAt(m_session, sceneAt(event->position()), viewportSize()))
                m_session.removeCharge(*hit);
        }
    }
    m_dragButtons = event->buttons();
    m_dragCharge.reset();
    update();
}

// What the pointer rests on, again every frame: the inspector and the highlighted charge follow
// edits, D and the clock without the mouse moving.
void ViewportWidget::updateHover() {
    if (!m_hover) {
        m_inspection.reset();
        m_hoverCharge.reset();
        return;
    }
    const glm::vec2 at = sceneAt(*m_hover);
    m_inspection = inspectAt(m_session, at, viewportSize());
    m_hoverCharge =
        m_session.canReweight() ? hoveredCharge(m_session, at, viewportSize()) : std::nullopt;
}

void ViewportWidget::wheelEvent(QWheelEvent* event) {
    if (m_bridge && m_bridge->wheelEvent(event)) return update();
    const double steps = event->angleDelta().y() / 120.0;
    const auto hit = m_session.canReweight()
                         ? chargeAt(m_session, sceneAt(event->position()), viewportSize())
                         : std::nullopt;
    if (hit)
        m_session.reweightCharge(*hit, steps);
    else
        m_session.zoomCamera(steps);
    update();
}

void ViewportWidget::keyPressEvent(QKeyEvent* event) {
    // A lesson's page keys work whatever panel was clicked last (ImGui keeps keyboard focus on
    // it), unless text is being typed.
    const bool typing =
        m_imgui && (ImGui::SetCurrentContext(m_imgui), ImGui::GetIO().WantTextInput);
    if (m_session.lesson() && !typing &&
        (event->key() == Qt::Key_PageDown || event->key() == Qt::Key_PageUp)) {
        m_session.goToLessonStep(m_session.lessonStep() +
                                 (event->key() == Qt::Key_PageDown ? 1 : -1));
        return update();
    }
    // Esc ends the lesson, unless it is closing an open combo or popup, or ends presentation mode
    // first.
    if (m_session.lesson() && !typing && !m_presenting && event->key() == Qt::Key_Escape &&
        !(m_imgui && ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId))) {
        m_session.endLesson();
        return;
    }
    if (m_bridge && m_bridge->keyPressEvent(event)) return update();
    if (event->matches(QKeySequence::Undo)) {
        m_session.undo();
        return;
    }
    if (event->matches(QKeySequence::Redo)) {
        m_session.redo();
        return;
    }
    switch (event->key()) {
    case Qt::Key_Space: {
        ViewSettings view = m_session.viewSettings();
        view.playing = !view.playing;
        m_session.setViewSettings(view);
        break;
    }
    case Qt::Key_R:
        m_session.resetCamera();
        break;
    case Qt::Key_1:
        m_session.camera().animateTo(render::CameraPreset::Top, 0.6f);
        break;
    case Qt::Key_2:
        m_session.camera().animateTo(render::CameraPreset::Side, 0.6f);
        break;
    case Qt::Key_3:
        m_session.camera().animateTo(render::CameraPreset::Iso, 0.6f);
        break;
    case Qt::Key_F:
        window()->isFullScreen() ? window()->showNormal() : window()->showFullScreen();
        break;
    case Qt::Key_P:
        setPresenting(!m_presenting);
        break;
    case Qt::Key_Escape:
        if (!m_presenting) return QOpenGLWidget::keyPressEvent(event);
        setPresenting(false);
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
        // One tenth of a decade of σ per press, paused, for looking at a moment of the flow.
        m_session.stepClock(event->key() == Qt::Key_Right ? 0.1 : -0.1);
        break;
    default:
        QOpenGLWidget::keyPressEvent(event);
        return;
    }
    update();
}

void ViewportWidget::keyReleaseEvent(QKeyEvent* event) {
    if (m_bridge) m_bridge->keyReleaseEvent(event);
}

void ViewportWidget::focusOutEvent(QFocusEvent* event) {
    if (m_bridge) m_bridge->focusOutEvent();
    QOpenGLWidget::focusOutEvent(event);
}

void ViewportWidget::leaveEvent(QEvent* event) {
    m_hover.reset();
    updateHover();
    if (m_bridge) m_bridge->leaveEvent();
    QOpenGLWidget::leaveEvent(event);
}

} // namespace psc::app
