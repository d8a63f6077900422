// Oracles 4 and 5: the kernel sampler's radius law and the hemisphere's fold (physics/README.md
// §6).
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/samplers.h"
#include "tests/support/statistics.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

class TestSamplers : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void chiSquareSeriesMatchesClosedForms();
    void kernelRadiusLaw_data();
    void kernelRadiusLaw();
    void kernelDirectionIsIsotropic();
    void priorMixtureIsDeterministicAndCentredOnCharges();
    void priorCentredUsesTheMean();
    void hemisphereIsArchimedesUniformAtD1();
    void hemisphereFlattensAsDGrows_data();
    void hemisphereFlattensAsDGrows();
    void hemisphereLiesOnTheSphere();
    void priorsShareTheirNoiseAcrossD();
    void priorRadiusLawHoldsOnTheSharedStreams_data() { kernelRadiusLaw_data(); }
    void priorRadiusLawHoldsOnTheSharedStreams();
};

// The incomplete-gamma oracle for any N against the closed forms of χ²_2 and χ²_3.
void TestSamplers::chiSquareSeriesMatchesClosedForms() {
    for (double v : {1e-3, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0}) {
        QVERIFY(std::abs(psc::test::regularizedGammaP(1.0, 0.5 * v) -
                         psc::test::chiSquareCdf(2, v)) < 1e-12);
        QVERIFY(std::abs(psc::test::regularizedGammaP(1.5, 0.5 * v) -
                         psc::test::chiSquareCdf(3, v)) < 1e-12);
    }
}

void TestSamplers::kernelRadiusLaw_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {1, 2, 3, 5, 64, 784})
        for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, kInfiniteD})
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

// R²/r² ~ BetaPrime(N/2, D/2) with r = σ√D; at D = ∞, R²/σ² ~ χ²_N.
void TestSamplers::kernelRadiusLaw() {
    QFETCH(int, n);
    QFETCH(double, d);
    const double sigma = 0.7;
    const std::size_t count = 20000;
    Rng rng(42);
    std::vector<double> v(count), x(n);
    for (auto& value : v) {
        samplePerturbation(n, sigma, d, rng, x);
        double r2 = 0;
        for (double c : x) r2 += c * c;
        value = isInfiniteD(d) ? r2 / (sigma * sigma) : r2 / (sigma * sigma * d);
    }
    const double ks =
        isInfiniteD(d)
            ? psc::test::ksStatistic(v, [&](double t) { return psc::test::chiSquareCdf(n, t); })
            : psc::test::ksStatistic(
                  v, [&](double t) { return psc::test::betaPrimeCdf(0.5 * n, 0.5 * d, t); });
    QVERIFY2(ks < psc::test::ksCritical001(count),
             qPrintable(
                 QString("KS distance %1 above %2").arg(ks).arg(psc::test::ksCritical001(count))));
}

void TestSamplers::kernelDirectionIsIsotropic() {
    Rng rng(5);
    std::vector<double> x(3), mean(3, 0.0);
    const int count = 20000;
    for (int i = 0; i < count; ++i) {
        samplePerturbation(3, 1.0, 4.0, rng, x);
        const double len = std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]);
        for (int k = 0; k < 3; ++k) mean[k] += x[k] / len / count;
    }
    // The mean unit vector of isotropic draws has standard error 1/sqrt(3·count) per axis.
    for (double m : mean) QVERIFY(std::abs(m) < 5.0 / std::sqrt(3.0 * count));
}

void TestSamplers::priorMixtureIsDeterministicAndCentredOnCharges() {
    ChargeSet charges(2, {-5, 0, 5, 0}, {3, 1});
    const auto a = samplePriorMixture(charges, 0.01, 64.0, 4000, 9);
    const auto b = samplePriorMixture(charges, 0.01, 64.0, 4000, 9);
    QVERIFY(a == b);
    QVERIFY(a != samplePriorMixture(charges, 0.01, 64.0, 4000, 10));
    // At small σ every draw sits next to a charge, in proportion to the weights (3:1).
    int left = 0;
    for (std::size_t p = 0; p < 4000; ++p) {
        const double dx = std::min(std::abs(a[2 * p] + 5), std::abs(a[2 * p] - 5));
        QVERIFY(std::hypot(dx, a[2 * p + 1]) < 0.5);
        left += a[2 * p] < 0;
    }
    const double expected = 0.75 * 4000, sd = std::sqrt(4000 * 0.75 * 0.25);
    QVERIFY(std::abs(left - expected) < 4 * sd);
}

void TestSamplers::priorCentredUsesTheMean() {
    ChargeSet charges(2, {10, 10, 12, 10});
    const auto x = samplePriorCentred(charges, 0.5, kInfiniteD, 20000, 3);
    double mx = 0, my = 0, var = 0;
    for (std::size_t p = 0; p < 20000; ++p) {
        mx += x[2 * p] / 20000;
        my += x[2 * p + 1] / 20000;
    }
    for (std::size_t p = 0; p < 20000; ++p) var += std::pow(x[2 * p] - mx, 2) / 20000;
    QVERIFY(std::abs(mx - 11) < 0.02 && std::abs(my - 10) < 0.02);
    QVERIFY(std::abs(std::sqrt(var) - 0.5) < 0.02);
}

void TestSamplers::hemisphereIsArchimedesUniformAtD1() {
    const std::vector<double> center{0, 0};
    const auto h = sampleHemisphere(2, 1.0, 80.0, center, 20000, 11);
    std::vector<double> u(h.sigma.size());
    for (std::size_t i = 0; i < u.size(); ++i) u[i] = h.sigma[i] / 80.0;
    const double ks = psc::test::ksStatistic(u, [](double t) { return std::clamp(t, 0.0, 1.0); });
    QVERIFY2(ks < psc::test::ksCritical001(u.size()), qPrintable(QString::number(ks)));
}

void TestSamplers::hemisphereFlattensAsDGrows_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<double>("maxHeightSpread");
    QTest::newRow("D=1e4") << 1e4 << 0.02;
    QTest::newRow("D=1e6") << 1e6 << 0.002;
    QTest::newRow("D=inf") << kInfiniteD << 0.0;
}

// In σ units the hemisphere tends to the plane σ = σ_max with x ~ σ_max N(0, I).
void TestSamplers::hemisphereFlattensAsDGrows() {
    QFETCH(double, d);
    QFETCH(double, maxHeightSpread);
    const std::vector<double> center{1, -1};
    const auto h = sampleHemisphere(2, d, 10.0, center, 20000, 4);
    double worst = 0;
    for (double s : h.sigma) worst = std::max(worst, std::abs(s / 10.0 - 1.0));
    QVERIFY2(worst <= maxHeightSpread + 1e-12, qPrintable(QString::number(worst)));
    std::vector<double> x(20000);
    for (std::size_t p = 0; p < 20000; ++p) x[p] = (h.x[2 * p] - 1.0) / 10.0;
    const double ks =
        psc::test::ksStatistic(x, [](double t) { return 0.5 * std::erfc(-t / std::sqrt(2.0)); });
    QVERIFY2(ks < psc::test::ksCritical001(x.size()), qPrintable(QString::number(ks)));
}

void TestSamplers::hemisphereLiesOnTheSphere() {
    for (double d : {1.0, 3.5, 64.0}) {
        const std::vector<double> center{0, 0, 0};
        const auto h = sampleHemisphere(3, d, 2.0, center, 500, 8);
        for (std::size_t p = 0; p < 500; ++p) {
            const double r = h.sigma[p] * std::sqrt(d);
            const double x2 = h.x[3 * p] * h.x[3 * p] + h.x[3 * p + 1] * h.x[3 * p + 1] +
                              h.x[3 * p + 2] * h.x[3 * p + 2];
            QVERIFY(std::abs(std::sqrt(x2 + r * r) - 2.0 * std::sqrt(d)) < 1e-9);
        }
    }
}

// Same seed, different D: the same charges and directions (only the radii differ), so small
// multiples at several D start from the same noise.
void TestSamplers::priorsShareTheirNoiseAcrossD() {
    const ChargeSet charges(2, {0, 0, 3, 0, 0, 3}, {1, 2, 3});
    const auto a = samplePriorMixture(charges, 1e-6, 1.0, 500, 5);
    for (double d : {8.0, 1e6, kInfiniteD}) {
        const auto b = samplePriorMixture(charges, 1e-6, d, 500, 5);
        for (std::size_t p = 0; p < 500; ++p) {
            // At σ = 1e-6 each point is next to its charge; compare the offsets' directions.
            const double ya = std::round(a[2 * p] / 3) * 3, yb = std::round(a[2 * p + 1] / 3) * 3;
            QCOMPARE(std::round(b[2 * p] / 3) * 3, ya);
            QCOMPARE(std::round(b[2 * p + 1] / 3) * 3, yb);
            const double angleA = std::atan2(a[2 * p + 1] - yb, a[2 * p] - ya);
            const double angleB = std::atan2(b[2 * p + 1] - yb, b[2 * p] - ya);
            QVERIFY(std::abs(std::remainder(angleA - angleB, 2 * M_PI)) <
                    1e-6); // offsets ~1e-6 on coordinates ~3
        }
    }
    const std::vector<double> center{0, 0};
    const auto h1 = sampleHemisphere(2, 1.0, 10.0, center, 200, 9),
               hInf = sampleHemisphere(2, kInfiniteD, 10.0, center, 200, 9);
    for (std::size_t p = 0; p < 200; ++p)
        QVERIFY(std::abs(std::atan2(h1.x[2 * p + 1], h1.x[2 * p]) -
                         std::atan2(hInf.x[2 * p + 1], hInf.x[2 * p])) < 1e-9);
}

// The three-stream sampler draws the same law as the one-stream one.
void TestSamplers::priorRadiusLawHoldsOnTheSharedStreams() {
    QFETCH(int, n);
    QFETCH(double, d);
    std::vector<double> y(n, 0.0);
    const ChargeSet charge(n, y);
    const double sigma = 0.7;
    const std::size_t count = 20000;
    const auto x = samplePriorCentred(charge, sigma, d, count, 77);
    std::vector<double> v(count);
    for (std::size_t p = 0; p < count; ++p) {
        double r2 = 0;
        for (int k = 0; k < n; ++k) r2 += x[p * n + k] * x[p * n + k];
        v[p] = isInfiniteD(d) ? r2 / (sigma * sigma) : r2 / (sigma * sigma * d);
    }
    const double ks =
        isInfiniteD(d)
            ? psc::test::ksStatistic(v, [&](double t) { return psc::test::chiSquareCdf(n, t); })
            : psc::test::ksStatistic(
                  v, [&](double t) { return psc::test::betaPrimeCdf(0.5 * n, 0.5 * d, t); });
    QVERIFY2(ks < psc::test::ksCritical001(count), qPrintable(QString::number(ks)));
}

QTEST_APPLESS_MAIN(TestSamplers)
#include "tst_samplers.moc"
