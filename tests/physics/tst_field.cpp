// Oracle 7 (a divergence-free field), the kernel's normalisation, and field lines.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/field_line_tracer.h"
#include "physics/kernel.h"
#include "physics/reference_denoiser.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

class TestField : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fieldIsDivergenceFree_data();
    void fieldIsDivergenceFree();
    void kernelDensityIsNormalised_data();
    void kernelDensityIsNormalised();
    void densityTendsToGaussian();
    void hemisphereLinesEndOnCharges_data();
    void hemisphereLinesEndOnCharges();
    void singleChargeLinesAreStraight();
    void chargeSeedsFollowTheWeights();
    void linesPerChargeSplitsExactly();
    void boundsStopLines();
    void linesStopOnTheHemisphere_data();
    void linesStopOnTheHemisphere();
    void threadsDoNotChangeLines();
};

void TestField::fieldIsDivergenceFree_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {2, 3})
        for (double d : {1.0, 2.0, 3.5, 64.0})
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

// Σ_j ∂E_xj/∂x_j + r^(1−D) ∂(r^(D−1) E_r)/∂r = Σ_j ∂E_xj/∂x_j + ∂E_r/∂r + (D−1) E_r / r = 0,
// by central differences, relative to the size of the individual terms.
void TestField::fieldIsDivergenceFree() {
    QFETCH(int, n);
    QFETCH(double, d);
    const ChargeSet charges(n,
                            n == 2 ? std::vector<double>{0, 0, 1.5, 0.5, -1, 1}
                                   : std::vector<double>{0, 0, 0, 1.5, 0.5, -0.5, -1, 1, 0.5},
                            {1, 2, 0.5});
    const double h = 1e-5;
    for (const auto& probe :
         {std::vector<double>{0.7, -0.4, 0.3}, std::vector<double>{-2.0, 1.5, -0.6}}) {
        std::vector<double> x(probe.begin(), probe.begin() + n);
        for (double r : {0.3, 1.1}) {
            double div = 0, magnitude = 0;
            for (int j = 0; j < n; ++j) {
                auto xp = x, xm = x;
                xp[j] += h;
                xm[j] -= h;
                const double term =
                    (augmentedField(charges, xp, r, d)[j] - augmentedField(charges, xm, r, d)[j]) /
                    (2 * h);
                div += term;
                magnitude += std::abs(term);
            }
            const double dEr = (augmentedField(charges, x, r + h, d)[n] -
                                augmentedField(charges, x, r - h, d)[n]) /
                               (2 * h);
            const double er = augmentedField(charges, x, r, d)[n];
            div += dEr + (d - 1) * er / r;
            magnitude += std::abs(dEr) + std::abs((d - 1) * er / r);
            QVERIFY2(
                std::abs(div) < 1e-6 * magnitude,
                qPrintable(QString("div %1 against terms of size %2").arg(div).arg(magnitude)));
        }
    }
}

void TestField::kernelDensityIsNormalised_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 3.5, 64.0, 1e6, kInfiniteD})
        QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

// ∫ p_σ(x | 0) d²x = 1, in polar coordinates: 2π ∫ ρ p(ρ²) dρ on a log-spaced grid.
void TestField::kernelDensityIsNormalised() {
    QFETCH(double, d);
    const double sigma = 0.8;
    double total = 0;
    const int steps = 400000;
    const double lo = std::log(1e-8), hi = std::log(1e8);
    for (int i = 0; i < steps; ++i) {
        const double t = lo + (i + 0.5) * (hi - lo) / steps;
        const double rho = std::exp(t);
        total += 2 * M_PI * rho * rho * std::exp(kernelLogDensity(rho * rho, sigma, d, 2)) *
                 (hi - lo) / steps;
    }
    // D = 1 in N = 2 has a ρ^(-2) tail: the mass beyond 1e8 is about r/1e8.
    QVERIFY2(std::abs(total - 1.0) < 1e-6, qPrintable(QString::number(total, 'g', 12)));
}

void TestField::densityTendsToGaussian() {
    const ChargeSet charges(2, {0, 0, 1, 1}, {1, 2});
    for (double sigma : {0.1, 1.0, 5.0}) {
        const std::vector<double> x{0.4, -0.3};
        const double big = logPerturbedDensity(charges, x, sigma, 1e7);
        const double inf = logPerturbedDensity(charges, x, sigma, kInfiniteD);
        QVERIFY2(std::abs(big - inf) < 1e-4, qPrintable(QString("%1 vs %2").arg(big).arg(inf)));
    }
}

void TestField::hemisphereLinesEndOnCharges_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 3.5, 64.0, kInfiniteD})
        QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

void TestField::hemisphereLinesEndOnCharges() {
    QFETCH(double, d);
    const ChargeSet charges(2, {-1, 0, 1, 0, 0, 1.5}, {1, 1, 2});
    const FastDenoiser denoiser(charges, d, 1);
    FieldLineSettings settings;
    settings.count = 24;
    settings.sigmaMax = 30;
    const auto lines = traceFieldLines(charges, d, denoiser, settings);
    QCOMPARE(lines.size(), std::size_t(24));
    for (const auto& line : lines) {
        QCOMPARE(line.stop, FieldLineStop::ReachedCharge);
        QCOMPARE(line.sigma.back(), 0.0);
        QCOMPARE(line.x.size(), 2 * line.sigma.size());
        QCOMPARE(line.logDensity.size(), line.sigma.size());
        for (std::size_t k = 1; k < line.sigma.size(); ++k)
            QVERIFY(line.sigma[k] < line.sigma[k - 1]);
        const auto y = charges.position(line.charge);
        const double miss = std::hypot(line.x[line.x.size() - 2] - y[0], line.x.back() - y[1]);
        // A line that arrives at a grazing angle is still ~σ_min·tanθ from its charge at σ_min,
        // and the final snap onto x̂ weighs in the other charges by (distance ratio)^(N+D).
        QVERIFY2(miss < 1e-3,
                 qPrintable(QString("missed by %1, seed sigma %2, sigma before the end %3")
                                .arg(miss)
                                .arg(line.sigma.front())
                                .arg(line.sigma[line.sigma.size() - 2])));
    }
}

// One charge: every field line is a straight ray from the charge in (x, σ).
void TestField::singleChargeLinesAreStraight() {
    const ChargeSet charge(2, {0.5, -0.25});
    for (double d : {1.0, 64.0}) {
        const ReferenceDenoiser denoiser(charge, d);
        FieldLineSettings settings;
        settings.seeding = FieldLineSeeding::Charges;
        settings.count = 10;
        settings.sigmaMax = 5;
        settings.rtol = settings.atol = 1e-9;
        for (const auto& line : traceFieldLines(charge, d, denoiser, settings)) {
            QCOMPARE(line.stop, FieldLineStop::ReachedTop);
            QVERIFY(std::abs(line.sigma.back() - 5.0) < 1e-12);
            const double ux = (line.x[0] - 0.5) / line.sigma[0],
                         uy = (line.x[1] + 0.25) / line.sigma[0];
            // Traced in log σ, where x − y ∝ e^τ is not polynomial: straight to the solver's
            // tolerance, which accumulates over the ~15 e-folds of σ.
            const double size = std::hypot(ux, uy);
            for (std::size_t k = 0; k < line.sigma.size(); ++k) {
                const double ex = std::abs((line.x[2 * k] - 0.5) - ux * line.sigma[k]);
                const double ey = std::abs((line.x[2 * k + 1] + 0.25) - uy * line.sigma[k]);
                QVERIFY2(
                    std::hypot(ex, ey) < 1e-5 * (size * line.sigma[k] + 1),
                    qPrintable(QString("D=%1 point %2 of %3: off by %4, %5 at sigma %6, slope %7")
                                   .arg(d)
                                   .arg(k)
                                   .arg(line.sigma.size())
                                   .arg(ex)
                                   .arg(ey)
                                   .arg(line.sigma[k])
                                   .arg(size)));
            }
        }
    }
}

void TestField::chargeSeedsFollowTheWeights() {
    const ChargeSet charges(2, {-2, 0, 2, 0}, {1, 3});
    const FastDenoiser denoiser(charges, 2.0, 1);
    FieldLineSettings settings;
    settings.seeding = FieldLineSeeding::Charges;
    settings.count = 40;
    settings.sigmaMax = 20;
    const auto lines = traceFieldLines(charges, 2.0, denoiser, settings);
    std::size_t fromSecond = 0;
    for (const auto& line : lines) {
        QCOMPARE(line.stop, FieldLineStop::ReachedTop);
        fromSecond += line.charge == 1;
        for (std::size_t k = 1; k < line.sigma.size(); ++k)
            QVERIFY(line.sigma[k] > line.sigma[k - 1]);
    }
    QCOMPARE(fromSecond, std::size_t(30));
}

void TestField::linesPerChargeSplitsExactly() {
    const ChargeSet charges(2, {0, 0, 1, 0, 2, 0}, {1, 1, 1});
    const auto counts = linesPerCharge(charges, 10);
    QCOMPARE(counts[0] + counts[1] + counts[2], std::size_t(10));
    for (auto c : counts) QVERIFY(c == 3 || c == 4);
}

void TestField::boundsStopLines() {
    const ChargeSet charges(2, {0, 0});
    const ReferenceDenoiser denoiser(charges, 1.0);
    FieldLineSettings settings;
    settings.seeding = FieldLineSeeding::Charges;
    settings.count = 6;
    settings.sigmaMax = 100;
    settings.bound = 0.5;
    for (const auto& line : traceFieldLines(charges, 1.0, denoiser, settings))
        QCOMPARE(line.stop, FieldLineStop::LeftBounds);
    settings.sigmaMin = 0;
    QVERIFY(validateFieldLineSettings(settings));
}

void TestField::linesStopOnTheHemisphere_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 3.5, 64.0}) QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

// With stopAtHemisphere, every outward line ends on |x − mean|² + D σ² = D σ_max².
void TestField::linesStopOnTheHemisphere() {
    QFETCH(double, d);
    const ChargeSet charges(2, {-1, 0, 1, 0, 0, 1.5}, {1, 1, 2});
    const FastDenoiser denoiser(charges, d, 1);
    FieldLineSettings settings;
    settings.seeding = FieldLineSeeding::Charges;
    settings.count = 30;
    settings.sigmaMax = 10;
    settings.stopAtHemisphere = true;
    const auto mean = charges.mean();
    for (const auto& line : traceFieldLines(charges, d, denoiser, settings)) {
        QCOMPARE(line.stop, FieldLineStop::ReachedTop);
        const std::size_t k = line.sigma.size() - 1;
        const double r2 =
            std::pow(line.x[2 * k] - mean[0], 2) + std::pow(line.x[2 * k + 1] - mean[1], 2);
        const double onSphere = (r2 + d * line.sigma[k] * line.sigma[k]) / (d * 100.0);
        QVERIFY2(std::abs(onSphere - 1.0) < 1e-9, qPrintable(QString::number(onSphere - 1.0)));
        QVERIFY(line.sigma[k] <= 10.0 + 1e-12);
    }
}

void TestField::threadsDoNotChangeLines() {
    const ChargeSet charges(2, {-1, 0, 1, 0, 0, 1.5}, {1, 1, 2});
    const FastDenoiser denoiser(charges, 2.0, 1);
    FieldLineSettings settings;
    settings.count = 17;
    settings.sigmaMax = 10;
    settings.threads = 1;
    const auto one = traceFieldLines(charges, 2.0, denoiser, settings);
    settings.threads = 3;
    std::size_t calls = 0;
    const auto three = traceFieldLines(charges, 2.0, denoiser, settings, [&](double) { ++calls; });
    QCOMPARE(one.size(), three.size());
    for (std::size_t i = 0; i < one.size(); ++i) {
        QVERIFY(one[i].x == three[i].x);
        QVERIFY(one[i].sigma == three[i].sigma);
    }
    QVERIFY(calls >= 1);
}

QTEST_APPLESS_MAIN(TestField)
#include "tst_field.moc"
