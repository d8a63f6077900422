// Axis warp: near-identity at the data, monotonicity, inverses, height ends, NaN, forData framing.
#include "render/axis_warp.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace psc::render;

namespace {

// Log-spaced magnitudes from 1e-9 to 1e9 plus zero: the warp must behave at every scale.
QList<double> magnitudes() {
    QList<double> values{0.0};
    for (int e = -9; e <= 9; ++e)
        for (double m : {1.0, 2.5, 7.0}) values.append(m * std::pow(10.0, e));
    return values;
}

bool closeRelative(double a, double b, double relative) {
    return std::abs(a - b) <= relative * std::max({std::abs(a), std::abs(b), 1e-300});
}

QByteArray pair(double a, double b) {
    return QByteArray::number(a, 'g', 17) + " vs " + QByteArray::number(b, 'g', 17);
}

} // namespace

class TestAxisWarp : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The linear warp is the identity, far out too, and σ is its own height.
    void linearIsTheIdentity() {
        const AxisWarp w = AxisWarp::linear(glm::vec3(0.5f, -0.25f, 0.0f), 80.0);
        for (double r : {1e-6, 0.3, 7.0, 80.0, 240.0, 1e4}) {
            QVERIFY(std::abs(w.warpRadius(r) - r) <= 1e-15 * r);
            QVERIFY(std::abs(w.unwarpRadius(r) - r) <= 1e-15 * r);
            QVERIFY(std::abs(w.height(r) - r) <= 1e-14 * r);
            const glm::vec3 p = w.toWorld3D(0.5 + r, -0.25, r);
            QVERIFY(std::abs(p.x - float(0.5 + r)) <= 1e-6f * float(1 + r));
            QVERIFY(std::abs(p.z - float(r)) <= 1e-6f * float(1 + r));
        }
    }
    void identityNearCentre_data();
    void identityNearCentre();
    void monotone_data();
    void monotone();
    void inverseRoundTrips_data();
    void inverseRoundTrips();
    void heightEnds_data();
    void heightEnds();
    void pointMaps();
    void pointRoundTrips();
    void nanPropagatesToDependentOutputsOnly();
    void forDataLooksLikeADome_data();
    void forDataLooksLikeADome();
    void forDataFallbacks();
};

void TestAxisWarp::identityNearCentre_data() {
    QTest::addColumn<double>("rho0");
    QTest::newRow("rho0 0.02") << 0.02;
    QTest::newRow("rho0 1") << 1.0;
    QTest::newRow("rho0 2") << 2.0;
    QTest::newRow("rho0 500") << 500.0;
}

void TestAxisWarp::identityNearCentre() {
    QFETCH(double, rho0);
    const AxisWarp warp(glm::vec2(0.5f, -1.0f), rho0, 0.1, 80.0, 8.0);
    QVERIFY(warp.warpRadius(0.0) == 0.0);
    for (int i = 1; i <= 200; ++i) {
        const double rho = 0.2 * rho0 * i / 200.0;
        QVERIFY2(std::abs(warp.warpRadius(rho) - rho) < 0.01 * rho,
                 pair(warp.warpRadius(rho), rho).constData());
    }
    // Far away the compression is strong: 1000·ρ0 lands within 8·ρ0.
    QVERIFY(warp.warpRadius(1000.0 * rho0) < 8.0 * rho0);
}

void TestAxisWarp::monotone_data() {
    QTest::addColumn<double>("rho0");
    QTest::addColumn<double>("sigma0");
    QTest::addColumn<double>("sigmaMax");
    QTest::addColumn<double>("height");
    QTest::newRow("unit data, sigma 80") << 2.0 << 0.1 << 80.0 << 8.8;
    QTest::newRow("small data") << 1e-3 << 1e-4 << 5.0 << 0.02;
    QTest::newRow("sigma0 above sigmaMax") << 10.0 << 50.0 << 2.0 << 1.0;
}

void TestAxisWarp::monotone() {
    QFETCH(double, rho0);
    QFETCH(double, sigma0);
    QFETCH(double, sigmaMax);
    QFETCH(double, height);
    const AxisWarp warp(glm::vec3(0.0f), rho0, sigma0, sigmaMax, height);
    double previousRadius = -1.0, previousHeight = -1.0;
    for (double v : magnitudes()) {
        const double r = warp.warpRadius(v), h = warp.height(v);
        QVERIFY2(r > previousRadius, pair(r, previousRadius).constData());
        QVERIFY2(h > previousHeight, pair(h, previousHeight).constData());
        previousRadius = r;
        previousHeight = h;
    }
    // Odd extension below zero keeps it increasing through the origin.
    QVERIFY(warp.height(-0.5 * sigmaMax) < 0.0);
    QVERIFY(warp.height(-0.5 * sigmaMax) == -warp.height(0.5 * sigmaMax));
    QVERIFY(warp.warpRadius(-rho0) == -warp.warpRadius(rho0));
}

void TestAxisWarp::inverseRoundTrips_data() {
    QTest::addColumn<double>("rho0");
    QTest::addColumn<double>("sigma0");
    QTest::newRow("unit data") << 2.0 << 0.1;
    QTest::newRow("tiny scales") << 1e-6 << 1e-7;
    QTest::newRow("huge scales") << 1e4 << 1e3;
}

void TestAxisWarp::inverseRoundTrips() {
    QFETCH(double, rho0);
    QFETCH(double, sigma0);
    const AxisWarp warp(glm::vec2(3.0f, 4.0f), rho0, sigma0, 80.0 * rho0, 9.0);
    for (double v : magnitudes()) {
        const double rho = v * rho0, sigma = v * sigma0;
        if (rho > 1e250 || sigma > 1e250) continue;
        const double rhoBack = warp.unwarpRadius(warp.warpRadius(rho));
        QVERIFY2(closeRelative(rhoBack, rho, 1e-9), pair(rhoBack, rho).constData());
        const double sigmaBack = warp.sigmaAtHeight(warp.height(sigma));
        QVERIFY2(closeRelative(sigmaBack, sigma, 1e-9), pair(sigmaBack, sigma).constData());
        // And the other way round, on the world side, over the range toWorld produces.
        const double r = v * rho0;
        if (r < 50.0 * rho0) {
            const double rBack = warp.warpRadius(warp.unwarpRadius(r));
            QVERIFY2(closeRelative(rBack, r, 1e-9), pair(rBack, r).constData());
        }
        const double h = v * warp.heightMax();
        if (h < 10.0 * warp.heightMax()) {
            const double hBack = warp.height(warp.sigmaAtHeight(h));
            QVERIFY2(closeRelative(hBack, h, 1e-9), pair(hBack, h).constData());
        }
    }
}

void TestAxisWarp::heightEnds_data() {
    QTest::addColumn<double>("sigma0");
    QTest::addColumn<double>("sigmaMax");
    QTest::addColumn<double>("height");
    QTest::newRow("pfgm default") << 0.1 << 80.0 << 8.76;
    QTest::newRow("edm range") << 0.002 << 80.0 << 1.0;
    QTest::newRow("sigma0 equals sigmaMax") << 3.0 << 3.0 << 100.0;
}

void TestAxisWarp::heightEnds() {
    QFETCH(double, sigma0);
    QFETCH(double, sigmaMax);
    QFETCH(double, height);
    const AxisWarp warp(glm::vec2(0.0f), 1.0, sigma0, sigmaMax, height);
    QVERIFY(warp.height(0.0) == 0.0);
    QVERIFY(closeRelative(warp.height(sigmaMax), height, 1e-12));
    QVERIFY(closeRelative(warp.sigmaAtHeight(height), sigmaMax, 1e-12));
    QVERIFY(warp.sigmaAtHeight(0.0) == 0.0);
    QVERIFY(warp.height(std::numeric_limits<double>::infinity()) ==
            std::numeric_limits<double>::infinity());
}

void TestAxisWarp::pointMaps() {
    const glm::vec2 c(1.0f, -2.0f);
    const AxisWarp warp(c, 2.0, 0.1, 80.0, 8.0);

    const glm::vec3 atCentre = warp.toWorld2D(c.x, c.y, 0.0);
    QVERIFY(glm::length(atCentre - glm::vec3(c, 0.0f)) < 1e-7f);

    // Direction from the centre is kept, the distance becomes g(ρ), the height is height(σ).
    const double x1 = c.x + 30.0, x2 = c.y - 40.0, sigma = 12.0;
    const glm::vec3 world = warp.toWorld2D(x1, x2, sigma);
    const glm::vec2 offset = glm::vec2(world) - c;
    QVERIFY(std::abs(glm::length(offset) - float(warp.warpRadius(50.0))) < 1e-5f);
    QVERIFY(glm::length(glm::normalize(offset) - glm::vec2(0.6f, -0.8f)) < 1e-6f);
    QVERIFY(std::abs(world.z - float(warp.height(sigma))) < 1e-6f);

    // 3-D: radial about the 3-D centre, every axis including x3.
    const AxisWarp warp3(glm::vec3(1.0f, -2.0f, 0.5f), 2.0, 0.1, 80.0, 8.0);
    const glm::vec3 w3 = warp3.toWorld3D(1.0 + 2.0, -2.0 - 3.0, 0.5 + 6.0);
    const glm::vec3 offset3 = w3 - glm::vec3(1.0f, -2.0f, 0.5f);
    QVERIFY(std::abs(glm::length(offset3) - float(warp3.warpRadius(7.0))) < 1e-5f);
    QVERIFY(glm::length(glm::normalize(offset3) - glm::vec3(2, -3, 6) / 7.0f) < 1e-6f);
    QVERIFY(glm::length(warp3.toWorld3D(1.0, -2.0, 0.5) - glm::vec3(1.0f, -2.0f, 0.5f)) < 1e-7f);

    // A 2-D centre puts the 3-D centre on z = 0.
    QVERIFY(warp.centre().z == 0.0);
}

void TestAxisWarp::pointRoundTrips() {
    const AxisWarp warp = AxisWarp::forData(glm::vec3(0.25f, -0.5f, 0.0f), 1.0, 80.0);
    const glm::dvec3 points[] = {{0.25, -0.5, 0.0}, {0.3, -0.4, 0.01}, {-5, 3, 2}, {40, -60, 80}};
    for (const glm::dvec3& p : points) {
        // World points are float: the round trip is as good as float, amplified by at most the
        // local stretch of the inverse warp.
        const glm::dvec3 back2 = warp.fromWorld2D(warp.toWorld2D(p.x, p.y, p.z));
        QVERIFY(glm::length(back2 - p) < 1e-5 * (1.0 + glm::length(p)));
        const glm::dvec3 back3 = warp.fromWorld3D(warp.toWorld3D(p.x, p.y, p.z));
        QVERIFY(glm::length(back3 - p) < 1e-5 * (1.0 + glm::length(p)));
    }
}

void TestAxisWarp::nanPropagatesToDependentOutputsOnly() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const AxisWarp warp = AxisWarp::forData(glm::vec2(0.0f), 1.0, 80.0);
    QVERIFY(std::isnan(warp.warpRadius(nan)));
    QVERIFY(std::isnan(warp.unwarpRadius(nan)));
    QVERIFY(std::isnan(warp.height(nan)));
    QVERIFY(std::isnan(warp.sigmaAtHeight(nan)));

    const glm::vec3 badX = warp.toWorld2D(nan, 1.0, 2.0);
    QVERIFY(std::isnan(badX.x) && std::isnan(badX.y));
    QVERIFY(std::abs(badX.z - float(warp.height(2.0))) < 1e-6f);

    const glm::vec3 badSigma = warp.toWorld2D(1.0, 0.0, nan);
    QVERIFY(std::isfinite(badSigma.x) && std::isfinite(badSigma.y) && std::isnan(badSigma.z));

    const glm::vec3 bad3 = warp.toWorld3D(0.0, 0.0, nan);
    QVERIFY(std::isnan(bad3.x) && std::isnan(bad3.y) && std::isnan(bad3.z));

    const glm::vec3 infinite = warp.toWorld2D(std::numeric_limits<double>::infinity(), 0.0, 1.0);
    QVERIFY(std::isnan(infinite.x) && std::isnan(infinite.y));
}

void TestAxisWarp::forDataLooksLikeADome_data() {
    QTest::addColumn<double>("spread");
    QTest::addColumn<double>("sigmaMax");
    QTest::newRow("unit spread, sigma 80") << 1.0 << 80.0;
    QTest::newRow("small spread") << 0.01 << 5.0;
    QTest::newRow("sigma below spread") << 3.0 << 0.5;
}

void TestAxisWarp::forDataLooksLikeADome() {
    QFETCH(double, spread);
    QFETCH(double, sigmaMax);
    const AxisWarp warp = AxisWarp::forData(glm::vec2(2.0f, 1.0f), spread, sigmaMax);
    QVERIFY(closeRelative(warp.rho0(), 2.0 * spread, 1e-15));
    QVERIFY(closeRelative(warp.sigma0(), 0.1 * spread, 1e-15));
    QVERIFY(closeRelative(warp.sigmaMax(), sigmaMax, 1e-15));
    // Apex height equals how far out a point σmax from the centre lands.
    const glm::vec3 rim = warp.toWorld2D(2.0 + sigmaMax, 1.0, 0.0);
    const glm::vec3 apex = warp.toWorld2D(2.0, 1.0, sigmaMax);
    QVERIFY(std::abs(apex.z - (rim.x - 2.0f)) < 1e-5f * apex.z);
    QVERIFY(closeRelative(warp.heightMax(), warp.warpRadius(sigmaMax), 1e-12));
}

void TestAxisWarp::forDataFallbacks() {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (double badSpread : {0.0, -2.0, nan}) {
        const AxisWarp warp = AxisWarp::forData(glm::vec2(0.0f), badSpread, 80.0);
        QVERIFY(closeRelative(warp.rho0(), 2.0, 1e-15));
        QVERIFY(closeRelative(warp.sigma0(), 0.1, 1e-15));
    }
    for (double badSigmaMax : {0.0, -1.0, nan}) {
        const AxisWarp warp = AxisWarp::forData(glm::vec2(0.0f), 1.0, badSigmaMax);
        QVERIFY(closeRelative(warp.sigmaMax(), 1.0, 1e-15));
        QVERIFY(std::isfinite(warp.heightMax()) && warp.heightMax() > 0.0);
    }
    const AxisWarp byDefault;
    QVERIFY(closeRelative(byDefault.rho0(), 2.0, 1e-15));
    QVERIFY(closeRelative(byDefault.sigmaMax(), 1.0, 1e-15));
}

QTEST_APPLESS_MAIN(TestAxisWarp)
#include "tst_axis_warp.moc"
