// The radial law of the PFGM++ kernel against independent CDFs (BetaPrime, χ²) and the kernel
// sampler, and the distance to diffusion against its definition and its limits.
#include "physics/radial_law.h"
#include "physics/samplers.h"
#include "tests/support/statistics.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <vector>

using namespace psc::physics;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// P(T <= t) for T = R/σ: B = T²/D ~ BetaPrime(N/2, D/2); T² ~ χ²_N at D = ∞.
double cdf(double t, int n, double d) {
    if (std::isinf(d)) return psc::test::chiSquareCdf(n, t * t);
    return psc::test::betaPrimeCdf(0.5 * n, 0.5 * d, t * t / d);
}

// ∫_a^b of the density by Simpson on `intervals` (even) steps.
double integral(double a, double b, int n, double d, int intervals = 20000) {
    const double h = (b - a) / intervals;
    double sum = 0;
    for (int i = 0; i <= intervals; ++i)
        sum += (i == 0 || i == intervals ? 1 : i % 2 ? 4 : 2) * radialDensity(a + i * h, n, d);
    return sum * h / 3;
}

} // namespace

class TestRadialLaw : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void densityIntegratesToTheCdf_data() {
        QTest::addColumn<int>("n");
        QTest::addColumn<double>("d");
        for (int n : {1, 5, 64, 784})
            for (double d : {1.0, 3.5, 128.0, 1e6, kInf})
                QTest::newRow(qPrintable(QString("N=%1 D=%2").arg(n).arg(d))) << n << d;
    }
    // The density integrated over [t1, t2] equals the independent CDF's difference, at points
    // around the law's bulk (N = 1 has a density that does not vanish at 0; the lower end starts
    // just above 0 for it).
    void densityIntegratesToTheCdf() {
        QFETCH(int, n);
        QFETCH(double, d);
        const double centre = std::sqrt(static_cast<double>(n));
        for (auto [a, b] :
             {std::pair{std::max(1e-9, centre - 3), centre}, std::pair{centre, centre + 3}}) {
            const double expected = cdf(b, n, d) - cdf(a, n, d);
            const double got = integral(a, b, n, d);
            QVERIFY2(std::abs(got - expected) < 1e-7,
                     qPrintable(QString("%1 vs %2").arg(got).arg(expected)));
        }
    }

    // The quantile inverts the independent CDF: P(T <= quantile(q)) = q, from the light tails of
    // D = ∞ to the heavy ones of D = 1 (where q = 0.999 sits at t ≈ 10³ for N = 2).
    void quantileInvertsTheCdf() {
        for (int n : {1, 2, 5, 64, 784})
            for (double d : {1.0, 3.5, 128.0, kInf})
                for (double q : {0.01, 0.5, 0.9, 0.99, 0.999}) {
                    const double t = radialQuantile(n, d, q);
                    QVERIFY2(std::abs(cdf(t, n, d) - q) < 1e-6,
                             qPrintable(QString("N=%1 D=%2 q=%3: P = %4")
                                            .arg(n)
                                            .arg(d)
                                            .arg(q)
                                            .arg(cdf(t, n, d), 0, 'g', 10)));
                }
        // N = 2, D = 1 in closed form: P(T > t) = (1 + t²)^(−½).
        const double t = radialQuantile(2, 1.0, 0.99);
        QVERIFY(std::abs(t - std::sqrt(1e4 - 1)) < 1e-3 * t);
    }

    // A truncated draw never exceeds its cap, and follows the kernel's law conditioned on it
    // (KS against cdf(t)/q at the 0.001 level), for both samplers.
    void truncatedDrawsFollowTheConditionedLaw() {
        for (int n : {2, 64})
            for (double d : {1.0, kInf}) {
                const double q = 0.9, cap = radialQuantile(n, d, q);
                Rng rng(3), a(4), b(5), c(6);
                std::vector<double> out(static_cast<std::size_t>(n)), t1, t2;
                for (int i = 0; i < 5000; ++i) {
                    auto radius = [&] {
                        double r2 = 0;
                        for (double v : out) r2 += v * v;
                        return std::sqrt(r2) / 0.7;
                    };
                    samplePerturbation(n, 0.7, d, rng, out, cap);
                    t1.push_back(radius());
                    samplePerturbation(n, 0.7, d, a, b, c, out, cap);
                    t2.push_back(radius());
                }
                for (const auto* ts : {&t1, &t2}) {
                    QVERIFY(*std::max_element(ts->begin(), ts->end()) <= cap * (1 + 1e-12));
                    const double ks = psc::test::ksStatistic(
                        *ts, [&](double t) { return std::min(1.0, cdf(t, n, d) / q); });
                    QVERIFY2(ks < psc::test::ksCritical001(ts->size()),
                             qPrintable(QString("N=%1 D=%2: KS %3").arg(n).arg(d).arg(ks)));
                }
            }
    }

    // Draws of the kernel sampler (itself checked against BetaPrime in tst_samplers) fall into
    // bins as the density says: each bin's count within 5 standard deviations of density × width.
    void samplerFollowsTheDensity() {
        for (int n : {5, 64})
            for (double d : {1.0, 128.0, kInf}) {
                Rng rng(11);
                std::vector<double> out(static_cast<std::size_t>(n));
                const double centre = std::sqrt(static_cast<double>(n)), width = 0.25;
                const int bins = 24, draws = 20000;
                std::vector<int> counts(bins, 0);
                const double lo = std::max(0.0, centre - 3);
                for (int i = 0; i < draws; ++i) {
                    samplePerturbation(n, 0.7, d, rng, out);
                    double r2 = 0;
                    for (double v : out) r2 += v * v;
                    const double t = std::sqrt(r2) / 0.7;
                    const int b = static_cast<int>(std::floor((t - lo) / width));
                    if (b >= 0 && b < bins) ++counts[b];
                }
                for (int b = 0; b < bins; ++b) {
                    const double expected =
                        draws * integral(lo + b * width, lo + (b + 1) * width, n, d, 200);
                    QVERIFY2(std::abs(counts[b] - expected) < 5 * std::sqrt(expected) + 5,
                             qPrintable(QString("N=%1 D=%2 bin %3: %4 vs %5")
                                            .arg(n)
                                            .arg(d)
                                            .arg(b)
                                            .arg(counts[b])
                                            .arg(expected)));
                }
            }
    }

    // 1 − ∫min equals ½∫|f − g| computed directly over a wide range.
    void totalVariationIsHalfTheL1Distance() {
        for (int n : {1, 5, 64})
            for (double d : {1.0, 8.0, 300.0}) {
                const double hi = std::sqrt(static_cast<double>(n)) + 60, h = hi / 200000;
                double l1 = 0;
                for (int i = 1; i <= 200000; ++i) {
                    const double t = i * h;
                    l1 += std::abs(radialDensity(t, n, d) - radialDensity(t, n, kInf)) * h;
                }
                // What lies beyond hi at D = 1 (a tail ∝ t^-(D+1)) counts fully in |f − g|.
                l1 += 1 - cdf(hi, n, d);
                QVERIFY2(std::abs(radialTotalVariation(n, d) - 0.5 * l1) < 2e-4,
                         qPrintable(QString("N=%1 D=%2: %3 vs %4")
                                        .arg(n)
                                        .arg(d)
                                        .arg(radialTotalVariation(n, d))
                                        .arg(0.5 * l1)));
            }
    }

    // Zero at D = ∞, falling in D, and the D where it reaches 0.05 grows with N (D ∝ N, the
    // paper's finding that larger data need larger D to look like diffusion).
    void distanceToDiffusionFallsWithDAndGrowsWithN() {
        QCOMPARE(radialTotalVariation(64, kInf), 0.0);
        for (int n : {1, 16, 784, 16384}) {
            double previous = 1.0;
            for (double d = 1; d <= 1e9; d *= 3) {
                const double tv = radialTotalVariation(n, d);
                QVERIFY2(tv <= previous + 1e-9, qPrintable(QString("N=%1 D=%2").arg(n).arg(d)));
                previous = tv;
            }
            QVERIFY(previous < 1e-3);
        }
        double previous = 0;
        for (int n : {1, 4, 16, 64, 256, 1024, 4096}) {
            const double like = diffusionLikeD(n, 0.05);
            QVERIFY(like > previous);
            QVERIFY(std::abs(radialTotalVariation(n, like) - 0.05) < 1e-3);
            previous = like;
        }
        // Roughly proportional to N at large N.
        const double ratio = diffusionLikeD(4096, 0.05) / diffusionLikeD(1024, 0.05);
        QVERIFY2(ratio > 3 && ratio < 5, qPrintable(QString::number(ratio)));
    }
};

QTEST_APPLESS_MAIN(TestRadialLaw)
#include "tst_radial_law.moc"
