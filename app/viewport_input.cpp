// ViewportWidget's input: camera navigation, charge editing with undo/redo, and shortcuts.
#include "app/viewport_widget.h"

#include "app/imgui_qt_bridge.h"
#include "app/scene/scene_computer.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace psc::app {

std::optional<std::size_t> ViewportWidget::chargeAt(QPointF pos) const {
    if (!m_data || m_data->charges.dim() != 2 || m_view.compare) return std::nullopt;
    const glm::vec2 viewport(static_cast<float>(width()), static_cast<float>(height()));
    const float aspect = viewport.x / std::max(1.0f, viewport.y);
    std::vector<float> screen;
    screen.reserve(2 * m_data->charges.size());
    for (std::size_t i = 0; i < m_data->charges.size(); ++i) {
        const auto y = m_data->charges.position(i);
        const glm::vec2 p = m_camera.project(m_warp.toWorld3D(y[0], y[1], 0.0), viewport, aspect);
        screen.push_back(p.x);
        screen.push_back(p.y);
    }
    return pickNearest(screen, static_cast<float>(pos.x()), static_cast<float>(pos.y()), 8.0f);
}

std::optional<glm::dvec2> ViewportWidget::planePointAt(QPointF pos) const {
    if (!m_data || m_data->charges.dim() != 2 || m_view.compare) return std::nullopt;
    const glm::vec2 viewport(static_cast<float>(width()), static_cast<float>(height()));
    const auto world = m_camera.unprojectToPlane(glm::vec2(pos.x(), pos.y()), viewport, 0.0f);
    if (!world) return std::nullopt;
    const glm::dvec3 x = m_warp.fromWorld3D(*world);
    if (!std::isfinite(x.x) || !std::isfinite(x.y)) return std::nullopt;
    return glm::dvec2(x.x, x.y);
}

void ViewportWidget::applyEdit(const SceneSettings& edited) {
    m_scene = edited;
    m_error.clear();
    m_computer->request(m_scene);
    if (m_view.compare) requestComparison();
    emitStatus();
    update();
}

bool ViewportWidget::showsCurrentScene() const {
    return m_data && m_data->settings == m_scene;
}

bool ViewportWidget::undo() {
    auto previous = m_editor.undo(m_scene);
    if (!previous) return false;
    applyEdit(*previous);
    return true;
}

bool ViewportWidget::redo() {
    auto next = m_editor.redo(m_scene);
    if (!next) return false;
    applyEdit(*next);
    return true;
}

// Left click on empty plane: add a charge; left drag on a charge: move it; left drag elsewhere:
// orbit (shift: pan); right click on a charge: delete it; right drag: pan.
void ViewportWidget::mousePressEvent(QMouseEvent* event) {
    if (m_bridge && m_bridge->mousePressEvent(event)) return update();
    m_lastMouse = m_pressPos = event->position();
    m_dragButtons = event->buttons();
    m_dragMoved = false;
    m_dragRecorded = false;
    // Indices and the first edit's copy come from the scene on screen, so edits wait until it
    // is the current one; a drag keeps the index it started with.
    m_dragCharge = event->button() == Qt::LeftButton && showsCurrentScene()
                       ? chargeAt(event->position())
                       : std::nullopt;
}

void ViewportWidget::mouseMoveEvent(QMouseEvent* event) {
    const bool imguiWants = m_bridge && m_bridge->mouseMoveEvent(event);
    const QPointF delta = event->position() - m_lastMouse;
    m_lastMouse = event->position();
    if ((event->position() - m_pressPos).manhattanLength() > 3) m_dragMoved = true;
    if (m_dragButtons == Qt::NoButton) {
        if (imguiWants)
            m_inspection.reset();
        else
            updateInspector(event->position());
    }
    if (!imguiWants && m_dragButtons != Qt::NoButton && m_dragMoved) {
        if (m_dragCharge && (m_dragButtons & Qt::LeftButton)) {
            if (const auto p = planePointAt(event->position())) {
                applyEdit(m_editor.move(m_scene, m_data->charges, *m_dragCharge, p->x, p->y,
                                        !m_dragRecorded));
                m_dragRecorded = true;
            }
        } else {
            const glm::vec2 d(static_cast<float>(delta.x()), static_cast<float>(delta.y()));
            const glm::vec2 viewport(static_cast<float>(width()), static_cast<float>(height()));
            if (m_dragButtons & Qt::LeftButton && !(event->modifiers() & Qt::ShiftModifier))
                m_camera.orbit(d, viewport);
            else
                m_camera.pan(d, viewport);
        }
    }
    update();
}

void ViewportWidget::mouseReleaseEvent(QMouseEvent* event) {
    const bool imguiWants = m_bridge && m_bridge->mouseReleaseEvent(event);
    if (!imguiWants && !m_dragMoved && showsCurrentScene()) {
        if (event->button() == Qt::LeftButton && !m_dragCharge) {
            if (const auto p = planePointAt(event->position()))
                applyEdit(m_editor.add(m_scene, m_data->charges, p->x, p->y));
        } else if (event->button() == Qt::RightButton) {
            if (const auto hit = chargeAt(event->position()))
                if (auto edited = m_editor.remove(m_scene, m_data->charges, *hit))
                    applyEdit(*edited);
        }
    }
    m_dragButtons = event->buttons();
    m_dragCharge.reset();
    update();
}

void ViewportWidget::wheelEvent(QWheelEvent* event) {
    if (m_bridge && m_bridge->wheelEvent(event)) return update();
    const double steps = event->angleDelta().y() / 120.0;
    if (const auto hit = showsCurrentScene() ? chargeAt(event->position()) : std::nullopt) {
        applyEdit(m_editor.reweight(m_scene, m_data->charges, *hit, steps));
        return;
    }
    m_camera.zoom(static_cast<float>(steps));
    update();
}

void ViewportWidget::keyPressEvent(QKeyEvent* event) {
    // A lesson's page keys work whatever panel was clicked last (ImGui keeps keyboard focus on
    // it), unless text is being typed.
    const bool typing =
        m_imgui && (ImGui::SetCurrentContext(m_imgui), ImGui::GetIO().WantTextInput);
    if (m_lesson && !typing &&
        (event->key() == Qt::Key_PageDown || event->key() == Qt::Key_PageUp)) {
        goToLessonStep(m_lessonStep + (event->key() == Qt::Key_PageDown ? 1 : -1));
        return update();
    }
    // Esc ends the lesson, unless it is closing an open combo or popup.
    if (m_lesson && !typing && event->key() == Qt::Key_Escape &&
        !ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId)) {
        endLesson();
        return;
    }
    if (m_bridge && m_bridge->keyPressEvent(event)) return update();
    if (event->matches(QKeySequence::Undo)) {
        undo();
        return;
    }
    if (event->matches(QKeySequence::Redo)) {
        redo();
        return;
    }
    switch (event->key()) {
    case Qt::Key_Space:
        m_view.playing = !m_view.playing;
        break;
    case Qt::Key_R:
        m_fitPending = true;
        break;
    case Qt::Key_1:
        m_camera.animateTo(render::CameraPreset::Top, 0.6f);
        break;
    case Qt::Key_2:
        m_camera.animateTo(render::CameraPreset::Side, 0.6f);
        break;
    case Qt::Key_3:
        m_camera.animateTo(render::CameraPreset::Iso, 0.6f);
        break;
    case Qt::Key_F:
        window()->isFullScreen() ? window()->showNormal() : window()->showFullScreen();
        break;
    case Qt::Key_Left:
    case Qt::Key_Right:
        // One tenth of a decade of σ per press, paused, for looking at a moment of the flow.
        if (m_data) {
            m_view.playing = false;
            m_holdSeconds = 0;
            setClockLogSigma(m_clock + (event->key() == Qt::Key_Right ? 0.1 : -0.1) *
                                           std::log(10.0) * (m_view.forward ? 1 : -1));
        }
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
    m_inspection.reset();
    if (m_bridge) m_bridge->leaveEvent();
    QOpenGLWidget::leaveEvent(event);
}

} // namespace psc::app
