// The window's camera follows the flow's clock, easing towards each new framing over a few
// frames: GUI tests that aim at a projected point wait until it has come to rest.
#pragma once

#include "app/scene/scene_file.h"
#include "app/scene/scene_session.h"

#include <QTest>
#include <QWidget>

#include <algorithm>
#include <cmath>

namespace psc::test {

// Pauses the flow (unless keepPlaying) and waits until three frames apart show the same pose.
inline bool waitForCameraAtRest(QWidget* viewport, app::SceneSession& session,
                                bool keepPlaying = false) {
    if (!keepPlaying) {
        app::ViewSettings view = session.viewSettings();
        view.playing = false;
        session.setViewSettings(view);
    }
    app::CameraState last = session.cameraState();
    int still = 0;
    // At rest: three frames apart, nothing moved by more than a hundred-thousandth of the view.
    const auto same = [](const app::CameraState& a, const app::CameraState& b) {
        const float scale = 1e-5f * std::max(a.distance, 1e-6f);
        return std::abs(a.distance - b.distance) <= scale &&
               glm::length(a.target - b.target) <= scale && a.yaw == b.yaw && a.pitch == b.pitch;
    };
    return QTest::qWaitFor(
        [&] {
            viewport->update();
            QTest::qWait(40);
            const app::CameraState now = session.cameraState();
            still = same(now, last) ? still + 1 : 0;
            last = now;
            return still >= 3;
        },
        20000);
}

} // namespace psc::test
