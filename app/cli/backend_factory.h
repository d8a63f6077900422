// Makes any physics::FlowBackend by kind; the one place that knows every backend's library.
#pragma once

#include "physics/field_method.h"
#include "physics/flow_backend.h"

#include <memory>
#include <optional>
#include <string>

namespace psc::app {

// threads <= 0: one per hardware thread (cpu and torch; LibTorch's count is always set
// explicitly, its default can oversubscribe). method and tolerance choose the cpu backend's
// evaluation (physics/field_method.h). The gl backend makes its own offscreen context
// (a QGuiApplication must exist). Throws std::runtime_error / std::invalid_argument with a
// one-line reason (no display, no OpenGL 4.3, a LibTorch failure, an invalid D).
std::unique_ptr<physics::FlowBackend>
makeBackend(physics::BackendKind kind, const physics::ChargeSet& charges, double d, int threads = 0,
            physics::FieldMethod method = physics::FieldMethod::Auto,
            double tolerance = physics::kDefaultFieldTolerance);

// Empty when a Qt GUI platform with OpenGL can be opened here (a display, Wayland, or an
// explicit QT_QPA_PLATFORM), else what to do about it. Checked before a QGuiApplication is
// made: Qt would abort without a display.
std::optional<std::string> headlessGlProblem();

} // namespace psc::app
