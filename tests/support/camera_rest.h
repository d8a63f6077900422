// The window's camera follows the flow's clock, easing towards each new framing over a few
// frames: GUI tests that aim at a projected point wait until it has come to rest.
#pragma once

#include "app/scene/scene_file.h"
#include "app/scene/scene_session.h"

#include <QTest>
#include <QWidget>

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
    return QTest::qWaitFor(
        [&] {
            viewport->update();
            QTest::qWait(40);
            const app::CameraState now = session.cameraState();
            still = now == last ? still + 1 : 0;
            last = now;
            return still >= 3;
        },
        10000);
}

} // namespace psc::test
