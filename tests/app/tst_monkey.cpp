// A seeded monkey: thousands of random clicks, Ctrl+clicks, drags, wheel turns and keys over the
// whole viewport (panels and scene alike, with a bias towards the panels' controls), after which
// the window must be alive, its settings valid, and its scene computed and drawn. Dialogs the
// monkey opens are dismissed. PSC_MONKEY_SEED, PSC_MONKEY_EVENTS and PSC_MONKEY_SECONDS (the run
// stops at whichever bound comes first) override the defaults; a failure prints the seed and the
// event that preceded it, so it can be replayed.
#include "app/main_window.h"
#include "app/scene/scene_keys.h"
#include "app/viewport_widget.h"

#include <QApplication>
#include <QDialog>
#include <QElapsedTimer>
#include <QStandardPaths>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>

#include <random>

using namespace psc::app;

namespace {

int envInt(const char* name, int fallback) {
    bool ok = false;
    const int value = qEnvironmentVariableIntValue(name, &ok);
    return ok ? value : fallback;
}

class Monkey {
public:
    Monkey(ViewportWidget* viewport, std::uint32_t seed) : m_viewport(viewport), m_rng(seed) {}

    // One random gesture; returns what it was, for the failure message.
    QString act() {
        const QPoint at = somewhere();
        const Qt::KeyboardModifiers mods = modifiers();
        const double kind = uniform(0, 1);
        if (kind < 0.30) {
            const Qt::MouseButton button = uniform(0, 1) < 0.8 ? Qt::LeftButton : Qt::RightButton;
            mouse(QEvent::MouseMove, at, Qt::NoButton, {}, mods);
            pause();
            mouse(QEvent::MouseButtonPress, at, button, button, mods);
            pause();
            mouse(QEvent::MouseButtonRelease, at, button, {}, mods);
            return describe("click", at, mods);
        }
        if (kind < 0.50) {
            const QPoint to = uniform(0, 1) < 0.5
                                  ? at + QPoint(int(uniform(-200, 200)), int(uniform(-120, 120)))
                                  : somewhere();
            const Qt::MouseButton button = uniform(0, 1) < 0.85 ? Qt::LeftButton : Qt::RightButton;
            mouse(QEvent::MouseMove, at, Qt::NoButton, {}, mods);
            pause();
            mouse(QEvent::MouseButtonPress, at, button, button, mods);
            for (int i = 1; i <= 6; ++i) {
                mouse(QEvent::MouseMove, at + (to - at) * i / 6, Qt::NoButton, button, mods);
                pause();
            }
            mouse(QEvent::MouseButtonRelease, to, button, {}, mods);
            return describe("drag", at, mods);
        }
        if (kind < 0.62) {
            const int delta = uniform(0, 1) < 0.5 ? 120 : -120;
            QWheelEvent wheel(at, m_viewport->mapToGlobal(at), {}, QPoint(0, delta), Qt::NoButton,
                              mods, Qt::NoScrollPhase, false);
            QApplication::sendEvent(m_viewport, &wheel);
            return describe("wheel", at, mods);
        }
        if (kind < 0.77) {
            static const int keys[] = {
                Qt::Key_Space, Qt::Key_R,         Qt::Key_1,      Qt::Key_2, Qt::Key_3,
                Qt::Key_Left,  Qt::Key_Right,     Qt::Key_Escape, Qt::Key_Z, Qt::Key_Return,
                Qt::Key_Tab,   Qt::Key_Backspace, Qt::Key_5,      Qt::Key_0, Qt::Key_Period,
                Qt::Key_Minus, Qt::Key_PageDown,  Qt::Key_PageUp, Qt::Key_E, Qt::Key_Up};
            const int key = keys[std::size_t(uniform(0, std::size(keys) - 1e-9))];
            QKeyEvent press(QEvent::KeyPress, key, mods, QKeySequence(key).toString().toLower());
            QApplication::sendEvent(m_viewport, &press);
            pause();
            QKeyEvent release(QEvent::KeyRelease, key, mods);
            QApplication::sendEvent(m_viewport, &release);
            return describe(QString("key %1").arg(QKeySequence(key).toString()), at, mods);
        }
        mouse(QEvent::MouseMove, at, Qt::NoButton, {}, mods);
        return describe("move", at, mods);
    }

private:
    // Sent straight to the viewport, as Qt delivers them (QTest's own helpers wait per event).
    void mouse(QEvent::Type type, QPoint at, Qt::MouseButton button, Qt::MouseButtons buttons,
               Qt::KeyboardModifiers mods) {
        QMouseEvent event(type, at, m_viewport->mapToGlobal(at), button, buttons, mods);
        QApplication::sendEvent(m_viewport, &event);
    }

    double uniform(double lo, double hi) { return std::uniform_real_distribution(lo, hi)(m_rng); }

    // Half the gestures aim at a control of the panel, the rest anywhere in the viewport.
    QPoint somewhere() {
        const auto& rects = m_viewport->panels().control.keyRects;
        if (!rects.empty() && uniform(0, 1) < 0.5) {
            auto it = rects.begin();
            std::advance(it, std::size_t(uniform(0, rects.size() - 1e-9)));
            const auto& r = it->second;
            if (r[2] > r[0]) return QPoint(int(uniform(r[0], r[2])), int(uniform(r[1], r[3])));
        }
        return QPoint(int(uniform(0, m_viewport->width() - 1)),
                      int(uniform(0, m_viewport->height() - 1)));
    }

    Qt::KeyboardModifiers modifiers() {
        Qt::KeyboardModifiers mods;
        if (uniform(0, 1) < 0.25) mods |= Qt::ControlModifier;
        if (uniform(0, 1) < 0.10) mods |= Qt::ShiftModifier;
        return mods;
    }

    // Events come in bursts between frames, as from a fast hand (the races are there), and now
    // and then the window draws.
    void pause() {
        const double u = uniform(0, 1);
        if (u < 0.15)
            QTest::qWait(int(uniform(5, 40)));
        else if (u < 0.3)
            QCoreApplication::processEvents();
    }

    static QString describe(const QString& what, QPoint at, Qt::KeyboardModifiers mods) {
        return QString("%1 at (%2, %3)%4%5")
            .arg(what)
            .arg(at.x())
            .arg(at.y())
            .arg(mods & Qt::ControlModifier ? " +Ctrl" : "")
            .arg(mods & Qt::ShiftModifier ? " +Shift" : "");
    }

    ViewportWidget* m_viewport;
    std::mt19937 m_rng;
};

} // namespace

class TestMonkey : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QStandardPaths::setTestModeEnabled(true); }

    void thousandsOfRandomGesturesLeaveAWorkingWindow() {
        const auto seed = static_cast<std::uint32_t>(envInt("PSC_MONKEY_SEED", 20261206));
        const int events = envInt("PSC_MONKEY_EVENTS", 1500);
        MainWindow window;
        window.resize(1100, 760);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ViewportWidget* viewport = window.viewport();
        QVERIFY(QTest::qWaitFor([&] { return viewport->session().sceneData() != nullptr; }, 30000));
        // Whatever the monkey opens that waits for a person (a file dialog, a message box) is
        // closed, so the run goes on; the window under it must have survived the opening.
        QTimer dismiss;
        int dismissed = 0;
        QObject::connect(&dismiss, &QTimer::timeout, [&] {
            for (QWidget* w : QApplication::topLevelWidgets())
                if (w != &window && w->isVisible() && qobject_cast<QDialog*>(w)) {
                    qobject_cast<QDialog*>(w)->reject();
                    ++dismissed;
                }
        });
        dismiss.start(100);

        Monkey monkey(viewport, seed);
        QElapsedTimer clock;
        clock.start();
        QString last;
        // Bounded in time as well: random settings reach heavy scenes (the 2×2 comparison at
        // 20,000 particles), where each event waits for slow frames.
        const int seconds = envInt("PSC_MONKEY_SECONDS", 240);
        int done = 0;
        for (int i = 0; i < events && clock.elapsed() < 1000LL * seconds; ++i, ++done) {
            last = monkey.act();
            if (i % 25 == 0) QTest::qWait(30);
            if (i % 250 == 0)
                qInfo("event %d: %s (%.1f s; frame %.0f ms, %d particles)", i, qPrintable(last),
                      clock.elapsed() / 1000.0, viewport->lastFrameMilliseconds(),
                      viewport->session().sceneSettings().particles);
            const auto problem = validateSceneSettings(viewport->session().sceneSettings(),
                                                       viewport->session().viewSettings());
            QVERIFY2(!problem, qPrintable(QString("seed %1, event %2 (%3): %4")
                                              .arg(seed)
                                              .arg(i)
                                              .arg(last)
                                              .arg(QString::fromStdString(problem.value_or("")))));
            QVERIFY2(
                window.isVisible(),
                qPrintable(
                    QString("seed %1, event %2 (%3): window gone").arg(seed).arg(i).arg(last)));
        }
        dismiss.stop();
        const SceneSettings& end = viewport->session().sceneSettings();
        qInfo("seed %u: %d of %d events in %.0f s, %d dialogs dismissed; at the end %s, D = %g, "
              "%d particles, %d field lines, comparison %s, %zu charges",
              seed, done, events, clock.elapsed() / 1000.0, dismissed, end.dataset.c_str(), end.d,
              end.particles, end.fieldLines,
              viewport->session().viewSettings().compare ? "on" : "off",
              viewport->session().sceneData() ? viewport->session().sceneData()->charges.size()
                                              : std::size_t(0));
        // Calm again: the scene of the final settings is computed and drawn. A training the
        // monkey queued (a sweep can take minutes) is cancelled first: its previews would keep
        // the scene recomputing, and the window's state, not the training, is under test. The
        // 2x2 of 20,000 particles each beside another test takes up to a few minutes.
        viewport->session().trainer().cancel();
        QVERIFY(QTest::qWaitFor([&] { return !viewport->computing(); }, 240000));
        QTest::qWait(100);
        QVERIFY(viewport->session().sceneData());
        QVERIFY2(viewport->renderError().isEmpty(), qPrintable(viewport->renderError()));
        const QImage frame = viewport->grabFramebuffer();
        QVERIFY(!frame.isNull());
        int lit = 0;
        for (int y = 0; y < frame.height(); y += 8)
            for (int x = 0; x < frame.width(); x += 8) lit += qGray(frame.pixel(x, y)) > 60;
        QVERIFY2(lit > 50, "the window still draws its scene and panels");
    }
};

QTEST_MAIN(TestMonkey)
#include "tst_monkey.moc"
