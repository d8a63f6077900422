#include "app/scene/scene_session.h"
#include "app/session_panels.h"

#include <algorithm>

namespace psc::app {

PanelColumns panelColumns(const SceneSession& session, const PanelsMemory& memory,
                          float displayWidth) {
    PanelColumns columns;
    // A window too narrow for both columns still gives the scene a third of its width.
    const float most = displayWidth / 3.0f;
    if (memory.visible) columns.left = std::min(kLeftColumnWidth, most);
    const bool rightOpen =
        session.lesson() || (memory.visible && (memory.learned.open || memory.learned.requestOpen ||
                                                memory.slice.open || memory.slice.requestOpen ||
                                                memory.laws.open || memory.laws.requestOpen));
    if (rightOpen) columns.right = std::min(kRightColumnWidth, most);
    return columns;
}

} // namespace psc::app
