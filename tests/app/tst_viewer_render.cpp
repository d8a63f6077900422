// GL tests of the viewer's pictures, rendered offscreen for real (Xvfb + Mesa llvmpipe in CI).
#include "app/offscreen_scene.h"
#include "app/scene/scene_data.h"
#include "app/scene/scene_file.h"
#include "app/scene/scene_geometry_builder.h"

#include "render/offscreen_target.h"
#include "render/scene_renderer.h"

#include "physics/extra_dims.h"

#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cmath>
#include <vector>

using namespace psc;
using namespace psc::app;

namespace {

constexpr QSize kSize(320, 240);
const QColor kBackground(18, 20, 28);

bool isBackground(QRgb p) {
    return std::abs(qRed(p) - kBackground.red()) + std::abs(qGreen(p) - kBackground.green()) +
               std::abs(qBlue(p) - kBackground.blue()) <
           12;
}

int litPixels(const QImage& image, QRect area = {}) {
    if (area.isNull()) area = image.rect();
    int lit = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            if (image.rect().contains(x, y) && !isBackground(image.pixel(x, y))) ++lit;
    return lit;
}

// On failure the images are kept for a human to look at.
void keep(const QImage& image, const QString& name) {
    const QString dir = QDir::temp().filePath("poissonscope-test-images");
    QDir().mkpath(dir);
    image.save(dir + "/" + name + ".png");
}

ViewSettings only(render::Layer layer) {
    ViewSettings view;
    view.layers = static_cast<unsigned>(layer);
    return view;
}

glm::vec2 projected(const render::OrbitCamera& camera, glm::vec3 world) {
    return camera.project(world, glm::vec2(kSize.width(), kSize.height()),
                          float(kSize.width()) / kSize.height());
}

} // namespace

class TestViewerRender : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chargeAppearsWhereTheCameraProjectsIt();
    void hemisphereIsRoundAtD1AndFlatAtInfinity();
    void particlesMoveBetweenFramesAndLandOnCharges();
    void fieldLinesStartAtCharges();
    void fieldLinesAreTwoPixelsWide();
    void savedSceneReproducesTheImage();
    void lightStageForSlides();
};

void TestViewerRender::chargeAppearsWhereTheCameraProjectsIt() {
    SceneSettings settings;
    settings.dataset = "three-charges";
    settings.particles = 0;
    settings.fieldLines = 0;
    const auto scene = computeScene(settings);
    const auto view = only(render::Layer::Charges);
    OffscreenView options;
    options.size = kSize;
    options.camera = fittedCamera(*scene, render::CameraPreset::Top);
    QString error;
    const QImage image = renderSceneOffscreen(*scene, view, options, &error);
    QVERIFY2(!image.isNull(), qPrintable(error));
    const auto warp = sceneWarp(*scene);
    for (std::size_t i = 0; i < scene->charges.size(); ++i) {
        const auto y = scene->charges.position(i);
        const glm::vec2 p = projected(*options.camera, warp.toWorld2D(y[0], y[1], 0.0));
        const QRgb pixel = image.pixel(int(p.x), int(p.y));
        if (!(qRed(pixel) > 150 && qBlue(pixel) < 120)) keep(image, "charges");
        QVERIFY2(qRed(pixel) > 150 && qBlue(pixel) < 120,
                 qPrintable(QString("charge %1 at (%2, %3) has colour %4")
                                .arg(i)
                                .arg(p.x)
                                .arg(p.y)
                                .arg(pixel, 8, 16)));
    }
    QVERIFY(isBackground(image.pixel(2, 2)));
    QVERIFY(litPixels(image) < kSize.width() * kSize.height() / 20); // three small sprites only
}

void TestViewerRender::hemisphereIsRoundAtD1AndFlatAtInfinity() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    settings.particles = 0;
    settings.fieldLines = 0;
    const auto view = only(render::Layer::Hemisphere);
    const auto round = computeScene(settings);
    settings.d = physics::kInfiniteD;
    const auto flat = computeScene(settings);
    OffscreenView options;
    options.size = kSize;
    options.camera = fittedCamera(*round, render::CameraPreset::Side);
    QString error;
    const QImage a = renderSceneOffscreen(*round, view, options, &error);
    const QImage b = renderSceneOffscreen(*flat, view, options, &error);
    QVERIFY2(!a.isNull() && !b.isNull(), qPrintable(error));
    // The side view looks along +Y: at D = 1 the hemisphere comes down to the data plane at its
    // rim; as D grows it flattens into the noise plane σ = σ_max, whose rim stays high (the log
    // view curves that plane into a shallow cap, so it is not a single row of pixels).
    // First and last image rows with any lit pixel.
    auto inkRows = [](const QImage& image) {
        int first = -1, last = -1;
        for (int y = 0; y < image.height(); ++y)
            if (litPixels(image, QRect(0, y, image.width(), 1)) > 0)
                last = y, first = first < 0 ? y : first;
        return std::pair(first, last);
    };
    const int planeRow = int(projected(*options.camera, sceneWarp(*round).toWorld3D(0, 0, 0)).y);
    const auto [roundTop, roundBottom] = inkRows(a);
    const auto [flatTop, flatBottom] = inkRows(b);
    const int roundHeight = roundBottom - roundTop, flatHeight = flatBottom - flatTop;
    // Perspective puts the near half of the plane below planeRow, so D = 1 reaches at least it.
    const bool ok = roundBottom >= planeRow - 3 && planeRow - flatBottom > 0.25 * roundHeight &&
                    flatHeight < 0.7 * roundHeight;
    if (!ok) keep(a, "hemisphere-d1"), keep(b, "hemisphere-inf");
    QVERIFY2(ok, qPrintable(QString("plane row %1; D = 1 rows %2..%3; D = inf rows %4..%5")
                                .arg(planeRow)
                                .arg(roundTop)
                                .arg(roundBottom)
                                .arg(flatTop)
                                .arg(flatBottom)));
}

void TestViewerRender::particlesMoveBetweenFramesAndLandOnCharges() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    settings.particles = 200;
    settings.fieldLines = 0;
    const auto scene = computeScene(settings);
    const auto view = only(render::Layer::Particles);
    OffscreenView options;
    options.size = kSize;
    options.camera = fittedCamera(*scene, render::CameraPreset::Iso);
    QString error;
    options.clockLogSigma = clockTop(*scene) - 1.0;
    const QImage early = renderSceneOffscreen(*scene, view, options, &error);
    options.clockLogSigma = clockBottom(*scene);
    const QImage landed = renderSceneOffscreen(*scene, view, options, &error);
    QVERIFY2(!early.isNull() && !landed.isNull(), qPrintable(error));
    int differing = 0;
    for (int y = 0; y < kSize.height(); ++y)
        for (int x = 0; x < kSize.width(); ++x)
            differing += early.pixel(x, y) != landed.pixel(x, y);
    QVERIFY2(differing > 200, qPrintable(QString::number(differing)));
    // Landed particles glow only around the two charges.
    const auto warp = sceneWarp(*scene);
    int near = 0;
    for (std::size_t i = 0; i < 2; ++i) {
        const auto y = scene->charges.position(i);
        const glm::vec2 p = projected(*options.camera, warp.toWorld2D(y[0], y[1], 0.0));
        near += litPixels(landed, QRect(int(p.x) - 8, int(p.y) - 8, 17, 17));
    }
    const int all = litPixels(landed);
    if (near < 0.9 * all) keep(landed, "landed");
    QVERIFY2(all > 0 && near >= 0.9 * all,
             qPrintable(QString("%1 of %2 lit pixels near charges").arg(near).arg(all)));
}

void TestViewerRender::fieldLinesStartAtCharges() {
    SceneSettings settings;
    settings.dataset = "two-charges";
    settings.particles = 0;
    settings.fieldLines = 40;
    settings.seeding = physics::FieldLineSeeding::Charges;
    const auto scene = computeScene(settings);
    const auto view = only(render::Layer::FieldLines);
    OffscreenView options;
    options.size = kSize;
    options.camera = fittedCamera(*scene, render::CameraPreset::Top);
    QString error;
    const QImage image = renderSceneOffscreen(*scene, view, options, &error);
    QVERIFY2(!image.isNull(), qPrintable(error));
    const auto warp = sceneWarp(*scene);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto y = scene->charges.position(i);
        const glm::vec2 p = projected(*options.camera, warp.toWorld2D(y[0], y[1], 0.0));
        const int lit = litPixels(image, QRect(int(p.x) - 3, int(p.y) - 3, 7, 7));
        if (lit < 5) keep(image, "field-lines");
        QVERIFY2(lit >= 5, qPrintable(QString("charge %1: %2 lit pixels").arg(i).arg(lit)));
    }
}

// Field lines are 2 px wide at pixel ratio 1 and 4 px at 2, whatever their direction, where GL
// lines of a core profile are 1 px (Mesa clamps glLineWidth there). White lines on black in clip
// coordinates: a column's summed brightness across a line is its width (its coverage, however the
// edge is antialiased) divided by the cosine of the line's slope.
void TestViewerRender::fieldLinesAreTwoPixelsWide() {
    render::OffscreenTarget target(QSize(200, 200));
    QVERIFY2(target.valid(), qPrintable(target.error()));
    target.bind();
    render::SceneRenderer renderer;
    render::SceneGeometry geometry;
    const glm::vec4 white(1.0f);
    geometry.fieldLines.addSegment({{-0.9f, 0.5f, 0.0f}, 0.0f, white},
                                   {{0.9f, 0.5f, 0.0f}, 0.0f, white});
    geometry.fieldLines.beginStrip(); // a diagonal strip of several segments, as lines are drawn
    for (int k = 0; k <= 8; ++k) {
        const float t = -0.9f + 0.1f * k;
        geometry.fieldLines.add({{t, t - 0.1f, 0.0f}, 0.0f, white});
    }
    renderer.setGeometry(geometry);
    for (float ratio : {1.0f, 2.0f}) {
        render::FrameParams frame;
        frame.framebufferSize = glm::ivec2(200, 200);
        frame.pixelRatio = ratio;
        frame.layers = static_cast<unsigned>(render::Layer::FieldLines);
        frame.background = glm::vec4(0, 0, 0, 1);
        target.bind();
        renderer.render(frame);
        const QImage image = target.image();
        // Column 100 crosses the horizontal line at row 50 (from the top); below row 100,
        // columns 30..60 cross the diagonal alone (at rows 180..150).
        auto columnSum = [&](int x, int top, int bottom) {
            double sum = 0;
            for (int y = top; y <= bottom; ++y) sum += qGray(image.pixel(x, y)) / 255.0;
            return sum;
        };
        const double horizontal = columnSum(100, 30, 70);
        double diagonal = 0;
        for (int x = 30; x < 60; ++x) diagonal += columnSum(x, 100, 199) / std::sqrt(2.0) / 30;
        const double want = 2.0 * ratio;
        const bool ok =
            std::abs(horizontal - want) < 0.35 * ratio && std::abs(diagonal - want) < 0.35 * ratio;
        if (!ok) keep(image, QString("line-width-%1").arg(ratio));
        QVERIFY2(ok, qPrintable(QString("pixel ratio %1: horizontal %2 px, diagonal %3 px")
                                    .arg(ratio)
                                    .arg(horizontal)
                                    .arg(diagonal)));
    }
}

// A scene saved with its camera and loaded again draws the same pixels.
// The light stage (white slides): a near-white background, charges still saturated orange, and
// the landed particles darker than the background where they crowd (glows cover; added light
// would vanish into white). The dark stage of the same scene for contrast.
void TestViewerRender::lightStageForSlides() {
    SceneSettings settings;
    settings.datasetParams.count = 256;
    settings.particles = 1500;
    settings.fieldLines = 0;
    const auto scene = computeScene(settings);
    ViewSettings view;
    view.layers = static_cast<unsigned>(render::Layer::Charges) |
                  static_cast<unsigned>(render::Layer::Particles);
    OffscreenView options;
    options.size = kSize;
    options.preset = render::CameraPreset::Top;
    options.clockLogSigma = clockBottom(*scene); // landed
    QString error;
    const QImage dark = renderSceneOffscreen(*scene, view, options, &error);
    view.stage = render::StageKind::Light;
    const QImage light = renderSceneOffscreen(*scene, view, options, &error);
    QVERIFY2(!dark.isNull() && !light.isNull(), qPrintable(error));
    const auto luminance = [](QRgb p) { return (qRed(p) + qGreen(p) + qBlue(p)) / 3; };
    const auto count = [](const QImage& image, auto&& test) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) n += test(image.pixel(x, y)) ? 1 : 0;
        return n;
    };
    const auto orange = [](QRgb p) { return qRed(p) > qBlue(p) + 100 && qRed(p) > 150; };
    const int corners[4][2] = {{1, 1},
                               {kSize.width() - 2, 1},
                               {1, kSize.height() - 2},
                               {kSize.width() - 2, kSize.height() - 2}};
    bool ok = true;
    for (const auto& c : corners)
        ok &= luminance(light.pixel(c[0], c[1])) > 240 && luminance(dark.pixel(c[0], c[1])) < 40;
    const int lightOrange = count(light, orange), darkOrange = count(dark, orange);
    const int ink = count(light, [&](QRgb p) { return luminance(p) < 170; });
    const int glare = count(light, [&](QRgb p) { return luminance(p) > 253; });
    ok &= lightOrange > 150 && darkOrange > 150 && ink > 300 && glare == 0;
    if (!ok) keep(light, "stage-light"), keep(dark, "stage-dark");
    QVERIFY2(ok, qPrintable(QString("orange: light %1, dark %2; ink on light %3; glare %4")
                                .arg(lightOrange)
                                .arg(darkOrange)
                                .arg(ink)
                                .arg(glare)));
}

void TestViewerRender::savedSceneReproducesTheImage() {
    SceneFile file;
    file.scene.dataset = "8-gaussians";
    file.scene.d = 16.0;
    file.scene.particles = 300;
    file.scene.fieldLines = 30;
    file.view.colorMap = render::ColorMapKind::Magma;
    const auto scene = computeScene(file.scene);
    render::OrbitCamera camera = fittedCamera(*scene, render::CameraPreset::Iso);
    camera.orbit(glm::vec2(40, -25), glm::vec2(kSize.width(), kSize.height()));
    camera.zoom(2.0f);
    file.camera = cameraState(camera);
    QTemporaryDir dir;
    const QString path = dir.filePath("scene.json");
    saveSceneFile(path, file);
    const SceneFile loaded = loadSceneFile(path);
    const auto again = computeScene(loaded.scene);
    render::OrbitCamera camera2 = fittedCamera(*again, render::CameraPreset::Iso);
    applyCameraState(camera2, *loaded.camera);
    OffscreenView a, b;
    a.size = b.size = kSize;
    a.camera = camera;
    b.camera = camera2;
    a.clockLogSigma = b.clockLogSigma = clockTop(*scene) - 3.0;
    QString error;
    const QImage first = renderSceneOffscreen(*scene, file.view, a, &error);
    const QImage second = renderSceneOffscreen(*again, loaded.view, b, &error);
    QVERIFY2(!first.isNull() && !second.isNull(), qPrintable(error));
    QVERIFY(litPixels(first) > 500);
    if (first != second) keep(first, "scene-saved"), keep(second, "scene-loaded");
    QVERIFY(first == second);
}

QTEST_MAIN(TestViewerRender)
#include "tst_viewer_render.moc"
