// Orbit camera: projection/picking consistency, pan/zoom/orbit mappings, fitting and presets.
#include "render/camera.h"

#include <QTest>

#include <cmath>

using namespace psc::render;

Q_DECLARE_METATYPE(glm::vec2)
Q_DECLARE_METATYPE(glm::vec3)
Q_DECLARE_METATYPE(psc::render::CameraPreset)

namespace {

constexpr float kPi = 3.14159265358979f;

float deg(float degrees) {
    return degrees * kPi / 180.0f;
}

float wrap(float a) {
    return std::remainder(a, 2.0f * kPi);
}

struct Pose {
    const char* name;
    float yawDeg, pitchDeg, distance;
    glm::vec3 target;
};

// Deliberately avoids pitch 0 where picking on z planes through the eye height is degenerate.
const Pose kPoses[] = {
    {"iso", -55, 30, 4, {0, 0, 0}},        {"top", -90, 89, 6, {0, 0, 0}},
    {"below", 120, -35, 3, {0.5f, -1, 0}}, {"offset far", 10, 60, 40, {7, -3, 2}},
    {"close", 179, 15, 0.5f, {0, 0, 1}},
};

const glm::vec2 kViewports[] = {{800, 600}, {1920, 1080}, {300, 500}};

OrbitCamera makeCamera(float yawDeg, float pitchDeg, float distance, glm::vec3 target) {
    OrbitCamera camera;
    camera.setSceneSphere(target, 10.0f);
    camera.setTarget(target);
    camera.setDistance(distance);
    camera.setYaw(deg(yawDeg));
    camera.setPitch(deg(pitchDeg));
    return camera;
}

QByteArray rowName(const char* a, glm::vec2 v) {
    return QByteArray(a) + " " + QByteArray::number(v.x) + "x" + QByteArray::number(v.y);
}

QByteArray text(glm::vec3 v) {
    return "(" + QByteArray::number(v.x) + ", " + QByteArray::number(v.y) + ", " +
           QByteArray::number(v.z) + ")";
}

float aspectOf(glm::vec2 viewport) {
    return viewport.x / viewport.y;
}

void addPoseColumns() {
    QTest::addColumn<float>("yawDeg");
    QTest::addColumn<float>("pitchDeg");
    QTest::addColumn<float>("distance");
    QTest::addColumn<glm::vec3>("target");
}

} // namespace

class TestCamera : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void projectTargetIsViewportCentre_data();
    void projectTargetIsViewportCentre();
    void projectUnprojectRoundTrip_data();
    void projectUnprojectRoundTrip();
    void panKeepsPointUnderCursor_data();
    void panKeepsPointUnderCursor();
    void zoomInOutIsInverse_data();
    void zoomInOutIsInverse();
    void zoomClamps();
    void orbitFullWidthIsHalfTurn();
    void pitchIsClamped_data();
    void pitchIsClamped();
    void fitBoundsKeepsCornersInView_data();
    void fitBoundsKeepsCornersInView();
    void presetsReachTheirAngles_data();
    void presetsReachTheirAngles();
    void animationTakesShortestYaw();
    void setPresetJumpsAndInteractionCancels();
    void degenerateInputs();
};

void TestCamera::projectTargetIsViewportCentre_data() {
    addPoseColumns();
    QTest::addColumn<glm::vec2>("viewport");
    for (const Pose& pose : kPoses)
        for (glm::vec2 viewport : kViewports)
            QTest::newRow(rowName(pose.name, viewport).constData())
                << pose.yawDeg << pose.pitchDeg << pose.distance << pose.target << viewport;
}

void TestCamera::projectTargetIsViewportCentre() {
    QFETCH(float, yawDeg);
    QFETCH(float, pitchDeg);
    QFETCH(float, distance);
    QFETCH(glm::vec3, target);
    QFETCH(glm::vec2, viewport);
    const OrbitCamera camera = makeCamera(yawDeg, pitchDeg, distance, target);
    const glm::vec2 pixel = camera.project(target, viewport, aspectOf(viewport));
    QVERIFY2(glm::length(pixel - 0.5f * viewport) < 1e-3f, text(glm::vec3(pixel, 0)).constData());
}

void TestCamera::projectUnprojectRoundTrip_data() {
    addPoseColumns();
    QTest::addColumn<glm::vec2>("viewport");
    QTest::addColumn<glm::vec3>("point");
    const glm::vec3 offsets[] = {
        {0, 0, 0}, {0.3f, -0.2f, 0.1f}, {-0.8f, 0.6f, -0.4f}, {1, 1, 0.5f}};
    for (const Pose& pose : kPoses)
        for (glm::vec3 offset : offsets) {
            const glm::vec3 point = pose.target + offset * (0.25f * pose.distance);
            QTest::newRow((QByteArray(pose.name) + " " + text(offset)).constData())
                << pose.yawDeg << pose.pitchDeg << pose.distance << pose.target
                << glm::vec2(800, 600) << point;
        }
}

void TestCamera::projectUnprojectRoundTrip() {
    QFETCH(float, yawDeg);
    QFETCH(float, pitchDeg);
    QFETCH(float, distance);
    QFETCH(glm::vec3, target);
    QFETCH(glm::vec2, viewport);
    QFETCH(glm::vec3, point);
    const OrbitCamera camera = makeCamera(yawDeg, pitchDeg, distance, target);
    const glm::vec2 pixel = camera.project(point, viewport, aspectOf(viewport));
    const std::optional<glm::vec3> back = camera.unprojectToPlane(pixel, viewport, point.z);
    QVERIFY(back.has_value());
    const float tolerance = 1e-4f * (distance + glm::length(point));
    QVERIFY2(glm::length(*back - point) < tolerance,
             (text(*back) + " vs " + text(point)).constData());
}

void TestCamera::panKeepsPointUnderCursor_data() {
    addPoseColumns();
    QTest::addColumn<glm::vec2>("viewport");
    QTest::addColumn<glm::vec2>("delta");
    const glm::vec2 deltas[] = {{25, 0}, {0, -40}, {-13.5f, 7.25f}, {300, 200}};
    for (const Pose& pose : kPoses)
        for (glm::vec2 delta : deltas)
            QTest::newRow(rowName(pose.name, delta).constData())
                << pose.yawDeg << pose.pitchDeg << pose.distance << pose.target
                << glm::vec2(1024, 768) << delta;
}

void TestCamera::panKeepsPointUnderCursor() {
    QFETCH(float, yawDeg);
    QFETCH(float, pitchDeg);
    QFETCH(float, distance);
    QFETCH(glm::vec3, target);
    QFETCH(glm::vec2, viewport);
    QFETCH(glm::vec2, delta);
    OrbitCamera camera = makeCamera(yawDeg, pitchDeg, distance, target);
    // A point at the target's depth but off-centre, as under a cursor away from the middle.
    const glm::vec3 point =
        target + 0.2f * distance * camera.right() - 0.1f * distance * camera.up();
    const float aspect = aspectOf(viewport);
    const glm::vec2 before = camera.project(point, viewport, aspect);
    camera.pan(delta, viewport);
    const glm::vec2 after = camera.project(point, viewport, aspect);
    QVERIFY2(glm::length(after - (before + delta)) < 0.02f,
             text(glm::vec3(after - before - delta, 0)).constData());
}

void TestCamera::zoomInOutIsInverse_data() {
    QTest::addColumn<float>("steps");
    QTest::newRow("one") << 1.0f;
    QTest::newRow("three") << 3.0f;
    QTest::newRow("half (touchpad)") << 0.5f;
    QTest::newRow("out two") << -2.0f;
    QTest::newRow("ten") << 10.0f;
}

void TestCamera::zoomInOutIsInverse() {
    QFETCH(float, steps);
    OrbitCamera camera = makeCamera(-55, 30, 7.5f, {1, 2, 0});
    camera.zoom(steps);
    QVERIFY(std::abs(camera.distance() - 7.5f * std::pow(0.9f, steps)) < 1e-5f * 7.5f);
    if (steps > 0) QVERIFY(camera.distance() < 7.5f);
    camera.zoom(-steps);
    QVERIFY(std::abs(camera.distance() - 7.5f) < 1e-5f * 7.5f);
    QVERIFY(glm::length(camera.target() - glm::vec3(1, 2, 0)) < 1e-6f);
}

void TestCamera::zoomClamps() {
    OrbitCamera camera;
    camera.zoom(1000);
    QVERIFY(std::abs(camera.distance() - OrbitCamera::kMinDistance) < 1e-9f);
    camera.zoom(-1e5f);
    QVERIFY(std::abs(camera.distance() - OrbitCamera::kMaxDistance) < 1.0f);
    camera.setDistance(-5);
    QVERIFY(std::abs(camera.distance() - OrbitCamera::kMinDistance) < 1e-9f);
}

void TestCamera::orbitFullWidthIsHalfTurn() {
    const glm::vec2 viewport(640, 480);
    OrbitCamera camera = makeCamera(0, 10, 5, {0, 0, 0});
    camera.orbit({640, 0}, viewport);
    QVERIFY(std::abs(wrap(camera.yaw() - kPi)) < 1e-5f);
    QVERIFY(std::abs(camera.pitch() - deg(10)) < 1e-6f);
    // The scene follows the cursor: a small drag right lowers yaw, a drag down raises the eye.
    camera = makeCamera(0, 10, 5, {0, 0, 0});
    camera.orbit({32, 0}, viewport);
    QVERIFY(std::abs(camera.yaw() - (-kPi / 20)) < 1e-6f);
    camera.orbit({0, 64}, viewport);
    QVERIFY(std::abs(camera.pitch() - (deg(10) + kPi / 10)) < 1e-6f);
    QVERIFY(camera.yaw() > -kPi && camera.yaw() <= kPi);
}

void TestCamera::pitchIsClamped_data() {
    QTest::addColumn<float>("requestedDeg");
    QTest::addColumn<float>("expectedDeg");
    QTest::newRow("inside") << 45.0f << 45.0f;
    QTest::newRow("inside negative") << -60.0f << -60.0f;
    QTest::newRow("just above") << 89.5f << 89.0f;
    QTest::newRow("straight up") << 90.0f << 89.0f;
    QTest::newRow("past the pole") << 135.0f << 89.0f;
    QTest::newRow("straight down") << -90.0f << -89.0f;
    QTest::newRow("far below") << -400.0f << -89.0f;
}

void TestCamera::pitchIsClamped() {
    QFETCH(float, requestedDeg);
    QFETCH(float, expectedDeg);
    OrbitCamera camera = makeCamera(30, 0, 5, {0, 0, 0});
    camera.setPitch(deg(requestedDeg));
    QVERIFY(std::abs(camera.pitch() - deg(expectedDeg)) < 1e-6f);
    // Dragging by the same angle lands on the same clamp.
    camera = makeCamera(30, 0, 5, {0, 0, 0});
    const glm::vec2 viewport(720, 720);
    camera.orbit({0, deg(requestedDeg) / kPi * viewport.x}, viewport);
    QVERIFY(std::abs(camera.pitch() - deg(expectedDeg)) < 1e-5f);
    const glm::mat4 view = camera.view();
    for (int c = 0; c < 4; ++c)
        for (int r = 0; r < 4; ++r) QVERIFY(std::isfinite(view[c][r]));
}

void TestCamera::fitBoundsKeepsCornersInView_data() {
    QTest::addColumn<glm::vec3>("min");
    QTest::addColumn<glm::vec3>("max");
    QTest::addColumn<float>("yawDeg");
    QTest::addColumn<float>("pitchDeg");
    QTest::addColumn<glm::vec2>("viewport");
    struct Box {
        const char* name;
        glm::vec3 min, max;
    };
    const Box boxes[] = {{"unit cube", {-1, -1, -1}, {1, 1, 1}},
                         {"flat data plane", {-3, -2, 0}, {4, 2, 0}},
                         {"tall dome", {-9, -9, 0}, {9, 9, 9}},
                         {"offset and swapped", {12, 5, 3}, {10, -1, 2}},
                         {"tiny", {1e-3f, 1e-3f, 0}, {2e-3f, 3e-3f, 1e-3f}}};
    const glm::vec2 angles[] = {{-55, 30}, {-90, 89}, {-90, 0}, {37, -70}, {150, 10}};
    const glm::vec2 viewports[] = {{600, 600}, {1600, 900}};
    for (const Box& box : boxes)
        for (glm::vec2 angle : angles)
            for (glm::vec2 viewport : viewports)
                QTest::newRow((QByteArray(box.name) + " " + rowName("yaw/pitch", angle) + " " +
                               rowName("in", viewport))
                                  .constData())
                    << box.min << box.max << angle.x << angle.y << viewport;
}

void TestCamera::fitBoundsKeepsCornersInView() {
    QFETCH(glm::vec3, min);
    QFETCH(glm::vec3, max);
    QFETCH(float, yawDeg);
    QFETCH(float, pitchDeg);
    QFETCH(glm::vec2, viewport);
    OrbitCamera camera = makeCamera(yawDeg, pitchDeg, 1000, {50, 50, 50});
    camera.fitBounds(min, max);
    QVERIFY(glm::length(camera.target() - 0.5f * (min + max)) < 1e-5f);
    const float aspect = aspectOf(viewport);
    const glm::mat4 viewProjection = camera.projection(aspect) * camera.view();
    for (int i = 0; i < 8; ++i) {
        const glm::vec3 corner(i & 1 ? max.x : min.x, i & 2 ? max.y : min.y, i & 4 ? max.z : min.z);
        const glm::vec2 pixel = camera.project(corner, viewport, aspect);
        QVERIFY2(pixel.x > 0 && pixel.x < viewport.x && pixel.y > 0 && pixel.y < viewport.y,
                 (text(corner) + " at " + text(glm::vec3(pixel, 0))).constData());
        const glm::vec4 clip = viewProjection * glm::vec4(corner, 1.0f);
        QVERIFY2(std::abs(clip.z / clip.w) < 1.0f, "corner clipped by near/far");
    }
}

void TestCamera::presetsReachTheirAngles_data() {
    QTest::addColumn<CameraPreset>("preset");
    QTest::addColumn<float>("yawDeg");
    QTest::addColumn<float>("pitchDeg");
    QTest::addColumn<float>("seconds");
    QTest::newRow("top 0.5 s") << CameraPreset::Top << -90.0f << 89.0f << 0.5f;
    QTest::newRow("side 0.5 s") << CameraPreset::Side << -90.0f << 0.0f << 0.5f;
    QTest::newRow("iso 0.5 s") << CameraPreset::Iso << -55.0f << 30.0f << 0.5f;
    QTest::newRow("top 1.3 s") << CameraPreset::Top << -90.0f << 89.0f << 1.3f;
    QTest::newRow("iso 2 s") << CameraPreset::Iso << -55.0f << 30.0f << 2.0f;
}

void TestCamera::presetsReachTheirAngles() {
    QFETCH(CameraPreset, preset);
    QFETCH(float, yawDeg);
    QFETCH(float, pitchDeg);
    QFETCH(float, seconds);
    OrbitCamera camera;
    camera.fitBounds({-2, -1, 0}, {2, 1, 3});
    const glm::vec3 homeTarget = camera.target();
    const float homeDistance = camera.distance();
    camera.setTarget({5, 5, 5});
    camera.setDistance(70);
    camera.setYaw(deg(100));
    camera.setPitch(deg(-40));

    camera.animateTo(preset, seconds);
    QVERIFY(camera.isAnimating());
    const float dt = 1.0f / 60.0f;
    int frames = 1;
    float previousPitch = camera.pitch();
    const float pitchDirection = deg(pitchDeg) > previousPitch ? 1.0f : -1.0f;
    while (camera.advance(dt)) {
        QVERIFY(frames < 10000);
        ++frames;
        // The ease is monotone: pitch never overshoots or turns back.
        QVERIFY(pitchDirection * (camera.pitch() - previousPitch) >= -1e-6f);
        previousPitch = camera.pitch();
    }
    QVERIFY2(std::abs(frames - seconds / dt) <= 1.0f, QByteArray::number(frames).constData());
    QVERIFY(!camera.isAnimating());
    QVERIFY(!camera.advance(dt));
    QVERIFY(std::abs(wrap(camera.yaw() - deg(yawDeg))) < 1e-5f);
    QVERIFY(std::abs(camera.pitch() - deg(pitchDeg)) < 1e-5f);
    QVERIFY(std::abs(camera.distance() - homeDistance) < 1e-5f * homeDistance);
    QVERIFY(glm::length(camera.target() - homeTarget) < 1e-5f);
}

void TestCamera::animationTakesShortestYaw() {
    OrbitCamera camera = makeCamera(170, 10, 5, {0, 0, 0});
    camera.animateTo(CameraPreset::Side,
                     1.0f); // −90° is 100° away through ±180°, 260° the other way
    float travelled = 0, previous = camera.yaw();
    while (camera.advance(0.01f)) {
        travelled += std::abs(wrap(camera.yaw() - previous));
        previous = camera.yaw();
        QVERIFY(camera.yaw() > -kPi && camera.yaw() <= kPi);
    }
    travelled += std::abs(wrap(camera.yaw() - previous));
    QVERIFY2(std::abs(travelled - deg(100)) < 1e-3f, QByteArray::number(travelled).constData());
}

void TestCamera::setPresetJumpsAndInteractionCancels() {
    OrbitCamera camera = makeCamera(20, -20, 9, {1, 1, 1});
    camera.setPreset(CameraPreset::Top);
    QVERIFY(!camera.isAnimating());
    QVERIFY(std::abs(camera.pitch() - deg(89)) < 1e-6f);
    QVERIFY(std::abs(camera.yaw() - deg(-90)) < 1e-6f);
    // Side looks along +Y: x1 runs to the right and z up the screen.
    camera.setPreset(CameraPreset::Side);
    QVERIFY(glm::length(camera.forward() - glm::vec3(0, 1, 0)) < 1e-6f);
    QVERIFY(glm::length(camera.right() - glm::vec3(1, 0, 0)) < 1e-6f);
    QVERIFY(glm::length(camera.up() - glm::vec3(0, 0, 1)) < 1e-6f);

    camera.animateTo(CameraPreset::Iso, 0.0f);
    QVERIFY(!camera.isAnimating());
    QVERIFY(std::abs(camera.pitch() - deg(30)) < 1e-6f);

    camera.animateTo(CameraPreset::Top, 1.0f);
    QVERIFY(camera.advance(0.1f));
    camera.orbit({5, 5}, {100, 100});
    QVERIFY(!camera.isAnimating());
    QVERIFY(!camera.advance(0.1f));
}

void TestCamera::degenerateInputs() {
    const glm::vec2 viewport(800, 600);
    OrbitCamera camera = makeCamera(-90, 0, 5, {0, 0, 0});
    // Side view: the centre ray is horizontal, parallel to the plane through the target.
    QVERIFY(!camera.unprojectToPlane(0.5f * viewport, viewport, 0.0f).has_value());
    // Top view: a plane above the eye is behind it for every pixel.
    camera.setPreset(CameraPreset::Top);
    QVERIFY(!camera.unprojectToPlane(0.5f * viewport, viewport, camera.eye().z + 1).has_value());
    QVERIFY(!camera.unprojectToPlane({1, 1}, {0, 600}, 0.0f).has_value());
    // Behind the eye: NaN, never a mirrored on-screen position.
    const glm::vec2 behind = camera.project(camera.eye() - camera.forward(), viewport, 1.0f);
    QVERIFY(std::isnan(behind.x) && std::isnan(behind.y));

    const float nan = std::nanf("");
    const glm::vec3 eye = camera.eye();
    camera.zoom(nan);
    camera.orbit({nan, 1}, viewport);
    camera.pan({1, nan}, viewport);
    camera.orbit({10, 10}, {0, 0});
    camera.pan({10, 10}, {-5, 100});
    camera.setDistance(nan);
    camera.setPitch(nan);
    camera.fitBounds({nan, 0, 0}, {1, 1, 1});
    QVERIFY(glm::length(camera.eye() - eye) < 1e-6f);
    QVERIFY(std::isfinite(camera.projection(0.0f)[0][0]));
    QVERIFY(camera.nearPlane() > 0 && camera.nearPlane() < camera.farPlane());

    // A point-sized box still gets a usable framing.
    camera.fitBounds({2, 3, 4}, {2, 3, 4});
    QVERIFY(camera.distance() > 1.0f && std::isfinite(camera.distance()));
}

QTEST_APPLESS_MAIN(TestCamera)
#include "tst_camera.moc"
