// Clicking an ImGui button of the viewport with real mouse events, for GUI tests.
#pragma once

#include <QTest>
#include <QWidget>

#include <array>

namespace psc::test {

// ImGui sees a click only across frames: hover first, then press and release. Auto-sized windows
// settle over a few frames, so the button's rectangle (logical pixels: min x, min y, max x,
// max y, recorded by the panel every frame it draws, counted in memory.framesDrawn) is read once
// it stays put for three fresh frames.
template <class Memory>
void clickImGuiButton(QWidget* viewport, Memory& memory, const float (&rect)[4]) {
    std::array<float, 4> last{-1, -1, -1, -1};
    QVERIFY(QTest::qWaitFor(
        [&] {
            const int frame = memory.framesDrawn;
            if (!QTest::qWaitFor(
                    [&] {
                        viewport->update();
                        return memory.framesDrawn >= frame + 3;
                    },
                    2000))
                return false;
            const std::array<float, 4> now{rect[0], rect[1], rect[2], rect[3]};
            const bool stable = now == last;
            last = now;
            return stable;
        },
        10000));
    QVERIFY(rect[2] > rect[0]);
    const QPoint at(int((rect[0] + rect[2]) / 2), int((rect[1] + rect[3]) / 2));
    QTest::mouseMove(viewport, at);
    QTest::qWait(150);
    QTest::mousePress(viewport, Qt::LeftButton, {}, at);
    QTest::qWait(150);
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, at);
    QTest::qWait(50);
}

} // namespace psc::test
