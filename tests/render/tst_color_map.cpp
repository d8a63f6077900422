// Colour maps: ends, clamping, NaN, and monotone lightness for the sequential maps.
#include "render/color_map.h"

#include <QTest>

using namespace psc::render;

class TestColorMap : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void endsAndClamping();
    void sequentialMapsGetLighter();
    void names();
};

void TestColorMap::endsAndClamping() {
    const Rgb lo = colorAt(ColorMapKind::Viridis, 0), hi = colorAt(ColorMapKind::Viridis, 1);
    QVERIFY(std::abs(lo.r - 0.267f) < 1e-6 && std::abs(hi.g - 0.906f) < 1e-6);
    QCOMPARE(colorAt(ColorMapKind::Viridis, -3).b, lo.b);
    QCOMPARE(colorAt(ColorMapKind::Viridis, 7).r, hi.r);
    QCOMPARE(colorAt(ColorMapKind::Magma, std::nanf("")).r, colorAt(ColorMapKind::Magma, 0).r);
}

void TestColorMap::sequentialMapsGetLighter() {
    for (auto kind : {ColorMapKind::Viridis, ColorMapKind::Magma}) {
        float previous = -1;
        for (int i = 0; i <= 100; ++i) {
            const Rgb c = colorAt(kind, i / 100.0f);
            const float luma = 0.2126f * c.r + 0.7152f * c.g + 0.0722f * c.b;
            QVERIFY2(luma > previous - 1e-4f, colorMapName(kind));
            previous = luma;
        }
    }
}

void TestColorMap::names() {
    QVERIFY(parseColorMap("magma") == ColorMapKind::Magma);
    QVERIFY(!parseColorMap("jet"));
    QCOMPARE(QString(colorMapName(ColorMapKind::Coolwarm)), QString("coolwarm"));
}

QTEST_APPLESS_MAIN(TestColorMap)
#include "tst_color_map.moc"
