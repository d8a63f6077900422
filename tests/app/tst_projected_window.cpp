// A scene of 64 coordinates in the real window under Xvfb: drawn through principal components
// with the panel's projection controls, the digits as images, the laws of D and N in their
// window, and everything that needs the data's own plane (edits, inspection) declined.
#include "app/main_window.h"
#include "app/scene/scene_picking.h"
#include "app/viewport_widget.h"

#include <QApplication>
#include <QImage>
#include <QSet>
#include <QTest>

#include <cmath>

using namespace psc;
using namespace psc::app;

class TestProjectedWindow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() {
        m_window = std::make_unique<MainWindow>();
        m_window->resize(1280, 900);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_viewport = m_window->findChild<ViewportWidget*>();
        QVERIFY(m_viewport);
        SceneSettings s;
        s.dataset = "digits";
        s.d = 128;
        s.particles = 300;
        s.fieldLines = 8;
        s.particleSource = ParticleSource::Prior;
        s.steps = 16;
        m_viewport->session().setSceneSettings(s);
        ViewSettings view = m_viewport->session().viewSettings();
        view.playing = false;
        m_viewport->session().setViewSettings(view);
        QVERIFY(waitForScene());
    }
    void cleanup() { m_window.reset(); }

    void statusAndPanelSayHowItIsDrawn() {
        const QString status = m_viewport->session().statusText();
        QVERIFY2(status.contains("1797 charges in 64 coordinates"), qPrintable(status));
        QVERIFY2(status.contains("the GPU path takes data of 2 or 3 coordinates, this has 64"),
                 qPrintable(status));
        redraw(3);
        const auto& rects = m_viewport->panels().control.keyRects;
        QVERIFY(rects.count("view.projection")); // the combo is drawn for N > 3
        // Two chosen coordinates: the panel shows their inputs, the scene is recomputed with
        // coordinate 5 across.
        SceneSettings s = m_viewport->session().sceneSettings();
        s.projection = ProjectionKind::Axes;
        s.axisX = 5;
        m_viewport->session().setSceneSettings(s);
        QVERIFY(waitForScene());
        const auto data = m_viewport->session().sceneData();
        QCOMPARE(data->projected->projection.kind, ProjectionKind::Axes);
        QCOMPARE(data->charges.position(3)[0], dataCharges(*data).position(3)[4]);
        redraw(3);
        QVERIFY(m_viewport->panels().control.keyRects.count("view.axisX"));
    }

    // The first particles as images at the top left of the scene: grey pixels there, many of
    // them, dark and bright, which the scene's own colours (charges, lines) never are.
    void digitsAreDrawnAsImages() {
        m_viewport->session().setClockLogSigma(clockBottom(*m_viewport->session().sceneData()));
        redraw(3);
        const QImage image = m_viewport->grabFramebuffer();
        const QRectF area = m_viewport->sceneRect();
        int dark = 0, bright = 0;
        for (int y = int(area.top()) + 60; y < int(area.top()) + 200; ++y)
            for (int x = int(area.left()) + 12; x < int(area.left()) + 400; ++x) {
                const QRgb c = image.pixel(x, y);
                if (qRed(c) != qGreen(c) || qGreen(c) != qBlue(c)) continue;
                dark += qRed(c) < 40;
                bright += qRed(c) > 200;
            }
        QVERIFY2(dark > 4000 && bright > 1000, qPrintable(QString("%1 %2").arg(dark).arg(bright)));
    }

    void lawsWindowDrawsTheHistogramAndTheMap() {
        m_viewport->session().setClockLogSigma(std::log(0.3));
        m_viewport->openLawsPanel();
        redraw(4);
        const auto& laws = m_viewport->panels().laws;
        QVERIFY(laws.open);
        QVERIFY(laws.histogram);
        QCOMPARE(laws.histogram->n, 64);
        QVERIFY(std::abs(laws.histogram->sigma - 0.3) < 0.01);
        const float* h = laws.rects.histogram;
        const float* m = laws.rects.map;
        QVERIFY(h[2] - h[0] > 200 && h[3] - h[1] > 100);
        QVERIFY(m[2] - m[0] > 200 && m[3] - m[1] > 100);
        // The map's magma colours: many distinct ones inside its rectangle.
        const QImage image = m_viewport->grabFramebuffer();
        QSet<QRgb> colours;
        for (int y = int(m[1]); y < int(m[3]); y += 2)
            for (int x = int(m[0]); x < int(m[2]); x += 2) colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 100, qPrintable(QString::number(colours.size())));
        // The histogram's bars (blue) are drawn inside theirs.
        int bars = 0;
        for (int y = int(h[1]); y < int(h[3]); ++y)
            for (int x = int(h[0]); x < int(h[2]); ++x) {
                const QRgb c = image.pixel(x, y);
                bars += qBlue(c) > 150 && qRed(c) < 140;
            }
        QVERIFY2(bars > 500, qPrintable(QString::number(bars)));
    }

    // The field of the projected charges is not the data's: no edits, no inspection.
    void planeToolsAreDeclined() {
        SceneSession& session = m_viewport->session();
        QVERIFY(!session.canEdit());
        QVERIFY(!session.addCharge(0.1, 0.2));
        const QRectF area = m_viewport->sceneRect();
        const glm::vec2 centre(area.width() / 2, area.height() / 2);
        QVERIFY(!inspectAt(session, centre, glm::vec2(area.width(), area.height())));
    }

private:
    bool waitForScene() {
        return QTest::qWaitFor(
            [&] {
                return m_viewport->session().sceneData() &&
                       m_viewport->session().showsCurrentScene() && !m_viewport->computing();
            },
            90000);
    }
    void redraw(int frames) {
        for (int i = 0; i < frames; ++i) {
            m_viewport->update();
            QTest::qWait(60);
        }
    }

    std::unique_ptr<MainWindow> m_window;
    ViewportWidget* m_viewport = nullptr;
};

QTEST_MAIN(TestProjectedWindow)
#include "tst_projected_window.moc"
