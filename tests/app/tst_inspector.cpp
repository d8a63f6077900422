// The inspector and the field slice in the window under Xvfb: hovering the plane or a particle
// shows the physics core's numbers for exactly that point, and the slice window draws the
// core's slice of the scene on screen.
#include "app/main_window.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/viewport_widget.h"
#include "tests/support/camera_rest.h"

#include "physics/reference_denoiser.h"

#include <QApplication>
#include <QImage>
#include <QSet>
#include <QTest>
#include <QWheelEvent>

#include <cmath>

using namespace psc;
using namespace psc::app;

namespace {

bool waitForScene(ViewportWidget* viewport) {
    return QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing(); }, 60000);
}

void setLayers(ViewportWidget* viewport, unsigned layers) {
    ViewSettings view = viewport->session().viewSettings();
    view.playing = false;
    view.layers = layers;
    viewport->session().setViewSettings(view);
}

QPoint pixelOf(ViewportWidget* viewport, double x1, double x2, double sigma) {
    const QRectF area = viewport->sceneRect();
    const glm::vec2 size(area.width(), area.height());
    const glm::vec2 p = viewport->session().camera().project(
        viewport->session().warp().toWorld3D(x1, x2, sigma), size, size.x / size.y);
    return QPoint(int(std::lround(p.x + area.left())), int(std::lround(p.y + area.top())));
}

// The inspection must be the core's, for the point it names.
void checkAgainstCore(const SceneData& scene, const Inspection& seen) {
    const auto& p = seen.point;
    const auto core =
        physics::inspectPoint(scene.charges, scene.settings.d, p.x, p.sigma, kInspectedCharges);
    QCOMPARE(p.xhat, core.xhat);
    QCOMPARE(p.log10Field, core.log10Field);
    QCOMPARE(p.strongest, core.strongest);
    std::vector<double> xhat(2);
    physics::ReferenceDenoiser(scene.charges, scene.settings.d).denoise(p.x, p.sigma, xhat);
    QVERIFY(std::abs(xhat[0] - p.xhat[0]) < 1e-12 && std::abs(xhat[1] - p.xhat[1]) < 1e-12);
}

} // namespace

class TestInspector : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init();
    void cleanup() { m_window.reset(); }
    void hoveringThePlane();
    void hoveringAParticle();
    void inspectorFollowsTheClock();
    void chargeUnderThePointerIsHighlighted();
    void sliceWindowShowsTheCoresSlice();
    void fieldLinesHaveAColourBar();

private:
    std::unique_ptr<MainWindow> m_window;
    ViewportWidget* m_viewport = nullptr;
};

void TestInspector::init() {
    m_window = std::make_unique<MainWindow>();
    m_window->resize(1280, 900);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_viewport = m_window->viewport();
    QVERIFY(waitForScene(m_viewport));
    QTest::qWait(200); // the camera is fitted in a painted frame
}

void TestInspector::hoveringThePlane() {
    setLayers(m_viewport, render::kAllLayers & ~static_cast<unsigned>(render::Layer::Particles));
    const auto scene = m_viewport->session().sceneData();
    m_viewport->session().setClockLogSigma(std::log(0.3));
    QVERIFY(psc::test::waitForCameraAtRest(m_viewport, m_viewport->session()));
    const QPoint at = pixelOf(m_viewport, 1.5, -1.2, 0.0);
    QVERIFY(m_viewport->sceneRect().adjusted(20, 20, -150, -20).contains(at));
    QTest::mouseMove(m_viewport, at);
    QVERIFY(QTest::qWaitFor([&] { return m_viewport->inspection().has_value(); }, 3000));
    const auto& seen = *m_viewport->inspection();
    QCOMPARE(seen.particle, -1L);
    QVERIFY2(std::hypot(seen.point.x[0] - 1.5, seen.point.x[1] + 1.2) < 0.05,
             qPrintable(QString("%1, %2").arg(seen.point.x[0]).arg(seen.point.x[1])));
    QVERIFY(std::abs(seen.point.sigma - 0.3) < 1e-9);
    checkAgainstCore(*scene, seen);
    // The tooltip is drawn (ImGui measures a new window in a hidden first frame): the picture
    // near the cursor changes when it goes away.
    QTest::qWait(300);
    const QImage with = m_viewport->grabFramebuffer();

    QTest::mouseMove(m_viewport, QPoint(at.x(), 5)); // over the panels' row: no inspection
    m_viewport->session().setClockLogSigma(std::log(0.3));
    QEvent leave(QEvent::Leave);
    QApplication::sendEvent(m_viewport, &leave);
    QVERIFY(!m_viewport->inspection());
    const QImage without = m_viewport->grabFramebuffer();
    int changed = 0;
    // ImGui puts the tooltip on whichever side of the cursor it fits.
    for (int y = std::max(0, at.y() - 140); y < std::min(at.y() + 140, with.height()); ++y)
        for (int x = std::max(0, at.x() - 320); x < std::min(at.x() + 320, with.width()); ++x)
            changed += with.pixel(x, y) != without.pixel(x, y);
    QVERIFY2(changed > 2000, qPrintable(QString::number(changed)));
}

// The numbers under a resting pointer follow the clock (they once kept the old σ).
void TestInspector::inspectorFollowsTheClock() {
    setLayers(m_viewport, render::kAllLayers & ~static_cast<unsigned>(render::Layer::Particles));
    m_viewport->session().setClockLogSigma(std::log(0.3));
    QVERIFY(psc::test::waitForCameraAtRest(m_viewport, m_viewport->session()));
    QTest::mouseMove(m_viewport, pixelOf(m_viewport, 1.5, -1.2, 0.0));
    QVERIFY(QTest::qWaitFor([&] { return m_viewport->inspection().has_value(); }, 3000));
    QVERIFY(std::abs(m_viewport->inspection()->point.sigma - 0.3) < 1e-9);
    m_viewport->session().setClockLogSigma(std::log(0.05));
    QVERIFY(QTest::qWaitFor(
        [&] {
            m_viewport->update();
            return m_viewport->inspection() &&
                   std::abs(m_viewport->inspection()->point.sigma - 0.05) < 1e-9;
        },
        3000));
}

// A ring and the weight around the charge under the pointer; the ring grows with a wheel turn
// before the scene is recomputed.
void TestInspector::chargeUnderThePointerIsHighlighted() {
    setLayers(m_viewport, render::kAllLayers & ~static_cast<unsigned>(render::Layer::Particles));
    m_viewport->session().setClockLogSigma(std::log(0.01));
    QVERIFY(psc::test::waitForCameraAtRest(m_viewport, m_viewport->session()));
    const auto& charges = m_viewport->session().sceneData()->charges;
    QPoint at;
    for (std::size_t i = 0; i < charges.size(); ++i) {
        at = pixelOf(m_viewport, charges.position(i)[0], charges.position(i)[1], 0.0);
        if (m_viewport->sceneRect().adjusted(60, 60, -200, -60).contains(at)) break;
    }
    const QImage plain = m_viewport->grabFramebuffer();
    QTest::mouseMove(m_viewport, at);
    QVERIFY(QTest::qWaitFor([&] { return m_viewport->hoveredChargeNow().has_value(); }, 3000));
    const float size = m_viewport->hoveredChargeNow()->size;
    m_viewport->update();
    QTest::qWait(100);
    const QImage ringed = m_viewport->grabFramebuffer();
    int changed = 0;
    for (int y = at.y() - 30; y < at.y() + 30; ++y)
        for (int x = at.x() - 30; x < at.x() + 200; ++x)
            changed += plain.pixel(x, y) != ringed.pixel(x, y);
    QVERIFY2(changed > 300, qPrintable(QString::number(changed)));
    QWheelEvent wheel(at, m_viewport->mapToGlobal(at), {}, QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(m_viewport, &wheel);
    m_viewport->update();
    QTest::qWait(50);
    QVERIFY(m_viewport->hoveredChargeNow());
    QVERIFY2(m_viewport->hoveredChargeNow()->size > size,
             qPrintable(QString("%1 -> %2").arg(size).arg(m_viewport->hoveredChargeNow()->size)));
}

void TestInspector::hoveringAParticle() {
    setLayers(m_viewport, render::kAllLayers);
    const auto scene = m_viewport->session().sceneData();
    QVERIFY(!scene->paths.empty());
    // Mid-flight, a particle well inside the window.
    const double clock = std::log(2.0);
    m_viewport->session().setClockLogSigma(clock);
    QVERIFY(psc::test::waitForCameraAtRest(m_viewport, m_viewport->session()));
    std::size_t chosen = scene->paths.size();
    QPoint at;
    for (std::size_t p = 0; p < scene->paths.size(); ++p) {
        const auto x = pathPositionAt(*scene, p, clock);
        const double sigma = std::min(std::exp(clock), scene->paths[p].sigma.front());
        at = pixelOf(m_viewport, x[0], x[1], sigma);
        if (m_viewport->sceneRect().adjusted(100, 100, -200, -200).contains(at)) {
            chosen = p;
            break;
        }
    }
    QVERIFY(chosen < scene->paths.size());
    QTest::mouseMove(m_viewport, at);
    QVERIFY(QTest::qWaitFor([&] { return m_viewport->inspection().has_value(); }, 3000));
    const auto& seen = *m_viewport->inspection();
    QVERIFY(seen.particle >= 0); // this one or a neighbour drawn even closer to the cursor
    const auto p = static_cast<std::size_t>(seen.particle);
    QCOMPARE(seen.point.x, pathPositionAt(*scene, p, clock));
    QCOMPARE(seen.point.sigma, std::min(std::exp(clock), scene->paths[p].sigma.front()));
    const QPoint head = pixelOf(m_viewport, seen.point.x[0], seen.point.x[1], seen.point.sigma);
    QVERIFY((head - at).manhattanLength() <= 12);
    checkAgainstCore(*scene, seen);
    QCOMPARE(seen.point.r, seen.point.sigma * std::sqrt(scene->settings.d));
}

void TestInspector::sliceWindowShowsTheCoresSlice() {
    m_viewport->openSlicePanel();
    QVERIFY(
        QTest::qWaitFor([&] { return m_viewport->session().sliceOnScreen() != nullptr; }, 20000));
    const auto* slice = m_viewport->session().sliceOnScreen();
    const auto scene = m_viewport->session().sceneData();
    const auto core = physics::computeFieldSlice(
        scene->charges, scene->settings.d, m_viewport->session().sliceSettings(SliceRequest{}));
    QCOMPARE(slice->value, core.value);
    QCOMPARE(slice->lines.size(), core.lines.size());
    QVERIFY(slice->lo < -1 && slice->hi > 1); // the data's x₁ range and a margin
    // The heat map is drawn: many colours inside the map's rectangle.
    const int frame = m_viewport->panels().slice.framesDrawn;
    QVERIFY(QTest::qWaitFor(
        [&] {
            m_viewport->update();
            return m_viewport->panels().slice.framesDrawn >= frame + 3;
        },
        5000));
    const float* rect = m_viewport->panels().slice.mapRect;
    QVERIFY(rect[2] - rect[0] > 100 && rect[3] - rect[1] > 60);
    const QImage image = m_viewport->grabFramebuffer();
    QSet<QRgb> colours;
    for (int y = int(rect[1]); y < int(rect[3]); y += 2)
        for (int x = int(rect[0]); x < int(rect[2]); x += 2) colours.insert(image.pixel(x, y));
    QVERIFY2(colours.size() > 200, qPrintable(QString::number(colours.size())));
}

void TestInspector::fieldLinesHaveAColourBar() {
    // The bar sits left of the σ gauge at the bottom right of the scene, only while field lines
    // are shown. The moving layers stay off: the camera brings the flow right behind the bar.
    const QRectF area = m_viewport->sceneRect();
    const QRect bar(int(area.right()) - 230, int(area.bottom()) - 60, 160, 40);
    const unsigned still = render::kAllLayers & ~static_cast<unsigned>(render::Layer::Particles) &
                           ~static_cast<unsigned>(render::Layer::Trails);
    auto pixels = [&] {
        m_viewport->update();
        QTest::qWait(100);
        const QImage image = m_viewport->grabFramebuffer();
        QSet<QRgb> colours;
        for (int y = bar.top(); y < bar.bottom(); ++y)
            for (int x = bar.left(); x < bar.right(); ++x) colours.insert(image.pixel(x, y));
        return colours.size();
    };
    setLayers(m_viewport, still);
    const auto with = pixels();
    setLayers(m_viewport, still & ~static_cast<unsigned>(render::Layer::FieldLines));
    const auto without = pixels();
    QVERIFY2(with > 40 && with > 3 * without,
             qPrintable(QString("%1 colours with, %2 without").arg(with).arg(without)));
}

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
