// The sample-quality metrics against exact values, a closed form and their intended orderings.
#include "physics/metrics.h"

#include <QTest>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

using namespace psc::physics;

namespace {

// count points of N(mean, sd² I) in N = mean.size() dimensions, row-major.
std::vector<double> gaussian(std::size_t count, const std::vector<double>& mean, double sd,
                             std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    std::vector<double> x;
    x.reserve(count * mean.size());
    for (std::size_t i = 0; i < count; ++i)
        for (double m : mean) x.push_back(m + sd * normal(rng));
    return x;
}

std::vector<double> shifted(std::vector<double> x, int n, double shift) {
    for (std::size_t i = 0; i < x.size(); i += n) x[i] += shift;
    return x;
}

std::vector<double> withNoise(std::vector<double> x, double sd, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> normal;
    for (double& v : x) v += sd * normal(rng);
    return x;
}

// Median nearest-neighbour distance, recomputed here so the test does not trust the code under
// test for the scale it perturbs at.
double medianSpacing(const std::vector<double>& x, int n) {
    const std::size_t count = x.size() / n;
    std::vector<double> nearest(count, std::numeric_limits<double>::infinity());
    for (std::size_t i = 0; i < count; ++i)
        for (std::size_t j = 0; j < count; ++j) {
            if (i == j) continue;
            double d2 = 0;
            for (int k = 0; k < n; ++k) d2 += std::pow(x[i * n + k] - x[j * n + k], 2);
            nearest[i] = std::min(nearest[i], std::sqrt(d2));
        }
    std::sort(nearest.begin(), nearest.end());
    return count % 2 ? nearest[count / 2] : 0.5 * (nearest[count / 2 - 1] + nearest[count / 2]);
}

} // namespace

class TestMetrics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void identicalSetsGiveZero_data();
    void identicalSetsGiveZero();
    void distancesGrowWithShift_data() { identicalSetsGiveZero_data(); }
    void distancesGrowWithShift();
    void slicedWassersteinMatchesGaussianClosedForm_data();
    void slicedWassersteinMatchesGaussianClosedForm();
    void slicedWassersteinComparesQuantilesOfUnequalSizes();
    void mmdOfOneLawIsSmallAgainstAShift();
    void mmdSubsamplesDeterministically();
    void memorisationSeesCopies();
    void memorisationOfFreshDrawsIsSmall_data();
    void memorisationOfFreshDrawsIsSmall();
    void memorisationOfNoisyCopiesIsInBetween();
    void invalidInputsThrow();
};

void TestMetrics::identicalSetsGiveZero_data() {
    QTest::addColumn<int>("n");
    for (int n : {1, 2, 3}) QTest::addRow("N=%d", n) << n;
}

void TestMetrics::identicalSetsGiveZero() {
    QFETCH(int, n);
    const auto a = gaussian(500, std::vector<double>(n, 1.0), 2.0, 7);
    const auto copy = a;
    QVERIFY(slicedWasserstein2(a, copy, n) < 1e-12);
    QVERIFY(mmdRbf(a, copy, n) < 1e-12);
    // Subsampled, both copies must still pick the same points.
    QVERIFY(mmdRbf(a, copy, n, 100, 3) < 1e-12);
    QCOMPARE(memorisationRatio(a, copy, n), 1.0);
}

// b is a copy of a moved by s along x1, so every sorted projection moves by s·θ_1 and
// SW2 = s · sqrt(mean θ_1²) exactly: linear in s, not just increasing.
void TestMetrics::distancesGrowWithShift() {
    QFETCH(int, n);
    const auto a = gaussian(800, std::vector<double>(n, 0.0), 1.0, 11);
    double lastSw = 0, lastMmd = 0, swPerUnit = 0;
    for (double s : {0.1, 0.5, 2.0}) {
        const auto b = shifted(a, n, s);
        const double sw = slicedWasserstein2(a, b, n), mmd = mmdRbf(a, b, n);
        QVERIFY2(sw > lastSw && mmd > lastMmd,
                 qPrintable(QString("shift %1: SW2 %2, MMD %3").arg(s).arg(sw).arg(mmd)));
        if (swPerUnit == 0) swPerUnit = sw / s;
        QVERIFY(std::abs(sw / s - swPerUnit) < 1e-9 * swPerUnit);
        lastSw = sw;
        lastMmd = mmd;
    }
    // mean θ_1² = 1/N for uniform directions; 256 directions estimate it to ~10 % (N = 1: exact).
    QVERIFY2(std::abs(swPerUnit - 1 / std::sqrt(n)) < 0.1 / std::sqrt(n),
             qPrintable(QString::number(swPerUnit)));
}

void TestMetrics::slicedWassersteinMatchesGaussianClosedForm_data() {
    QTest::addColumn<double>("dx");
    QTest::addColumn<double>("dy");
    QTest::addColumn<double>("s1");
    QTest::addColumn<double>("s2");
    QTest::addColumn<double>("tolerance");
    QTest::newRow("means apart") << 1.0 << 0.5 << 1.0 << 1.0 << 0.08;
    QTest::newRow("widths apart") << 0.0 << 0.0 << 1.0 << 2.0 << 0.05;
    QTest::newRow("both") << 1.0 << 0.0 << 1.0 << 2.0 << 0.05;
}

// Projected onto a unit θ, N(μ, s² I) is N(θ·μ, s²), and W2² between 1-D Gaussians is
// (Δmean)² + (Δsd)²; averaging (θ·Δμ)² over the sphere gives |Δμ|²/N, so in N = 2
//   SW2² = |μ1 − μ2|²/2 + (s1 − s2)².
// Relative tolerance on SW2, about 3–5 standard deviations of the estimate (20000 points a side,
// 256 directions; spreads measured over 20 seeds). The mean term carries the noise of averaging
// cos² over 256 directions (sd √(1/8)/(½·16) ≈ 4.4 % of it in SW2², 2.2 % in SW2) on top of the
// sample means' (sd √(2/20000) per axis, ≈ 1 %): seed-to-seed rms 2.6 %, hence 8 % for the
// "means apart" row. Where the width term dominates the spread is ≈ 1 %, hence 5 %.
void TestMetrics::slicedWassersteinMatchesGaussianClosedForm() {
    QFETCH(double, dx);
    QFETCH(double, dy);
    QFETCH(double, s1);
    QFETCH(double, s2);
    QFETCH(double, tolerance);
    const auto a = gaussian(20000, {0.0, 0.0}, s1, 21);
    const auto b = gaussian(20000, {dx, dy}, s2, 22);
    const double expected = std::sqrt((dx * dx + dy * dy) / 2 + (s1 - s2) * (s1 - s2));
    const double sw = slicedWasserstein2(a, b, 2, 256, 5);
    QVERIFY2(std::abs(sw - expected) < tolerance * expected,
             qPrintable(QString("SW2 %1, closed form %2").arg(sw).arg(expected)));
}

// With m = max sizes, the smaller set's quantile function is read by interpolation.
void TestMetrics::slicedWassersteinComparesQuantilesOfUnequalSizes() {
    // {0, 1} read at t = 1/6, 1/2, 5/6 gives 0, 0.5, 1: the same quantiles as {0, 0.5, 1}.
    const std::vector<double> two{0.0, 1.0}, three{1.0, 0.0, 0.5};
    QVERIFY(slicedWasserstein2(two, three, 1) < 1e-12);
    // A point against two: the quantiles (0, 0) against (1, 3), W2² = (1 + 9)/2.
    const std::vector<double> one{0.0}, pair{3.0, 1.0};
    QVERIFY(std::abs(slicedWasserstein2(one, pair, 1) - std::sqrt(5.0)) < 1e-12);
    // Closed form again with 20000 against 5000 points; the smaller sample doubles the spread
    // (rms 2 % over 20 seeds), hence 7 %.
    const double sw = slicedWasserstein2(gaussian(20000, {0.0, 0.0}, 1.0, 31),
                                         gaussian(5000, {1.0, 0.0}, 2.0, 32), 2, 256, 5);
    QVERIFY2(std::abs(sw - std::sqrt(1.5)) < 0.07 * std::sqrt(1.5),
             qPrintable(QString::number(sw)));
}

// The V-statistic of two samples of one law is positive (≈ sqrt(2/m · (1 − E k)) ≈ 0.02 here),
// but a shift by one standard deviation must stand far above it.
void TestMetrics::mmdOfOneLawIsSmallAgainstAShift() {
    const auto a = gaussian(1500, {0.0, 0.0}, 1.0, 41);
    const auto b = gaussian(1500, {0.0, 0.0}, 1.0, 42);
    const auto c = gaussian(1500, {1.0, 0.0}, 1.0, 43);
    const double same = mmdRbf(a, b, 2), moved = mmdRbf(a, c, 2);
    QVERIFY2(same < moved / 5, qPrintable(QString("same %1, shifted %2").arg(same).arg(moved)));
}

void TestMetrics::mmdSubsamplesDeterministically() {
    const auto a = gaussian(3000, {0.0, 0.0}, 1.0, 51);
    const auto b = gaussian(3000, {0.5, 0.0}, 1.0, 52);
    const double full = mmdRbf(a, b, 2, 3000);
    const double sub = mmdRbf(a, b, 2, 1000, 9);
    QCOMPARE(mmdRbf(a, b, 2, 1000, 9), sub);
    QVERIFY(mmdRbf(a, b, 2, 1000, 10) != sub);
    // 1000 of 3000 points: the estimate (≈ 0.18) moves by about its same-law floor, ≈ 0.03
    // (at most 0.024 over 10 seeds).
    QVERIFY2(std::abs(sub - full) < 0.05, qPrintable(QString("%1 vs %2").arg(sub).arg(full)));
}

void TestMetrics::memorisationSeesCopies() {
    const auto training = gaussian(2000, {0.0, 0.0}, 1.0, 61);
    // The median spacing is a few hundredths here; noise 1e-6 leaves every sample on its training
    // point.
    QCOMPARE(memorisationRatio(withNoise(training, 1e-6, 62), training, 2), 1.0);
    // Exact copies count even when duplicates make the training spacing 0.
    const std::vector<double> duplicated{0, 0, 0, 0, 1, 1, 1, 1};
    QCOMPARE(memorisationRatio(duplicated, duplicated, 2), 1.0);
}

void TestMetrics::memorisationOfFreshDrawsIsSmall_data() {
    QTest::addColumn<int>("n");
    QTest::newRow("N=2") << 2;
    QTest::newRow("N=3") << 3;
}

// For a smooth law, the chance that a fresh draw lands within a third of the median spacing of
// some training point is ≈ 1 − 2^(−1/3^N): 0.074 at N = 2, 0.025 at N = 3 (0.21 at N = 1, which is
// why N = 1 is not in the table). A Gaussian's varying density adds a little: 0.09 and 0.04 at
// most over 10 seeds.
void TestMetrics::memorisationOfFreshDrawsIsSmall() {
    QFETCH(int, n);
    const auto training = gaussian(2000, std::vector<double>(n, 0.0), 1.0, 71);
    const auto fresh = gaussian(2000, std::vector<double>(n, 0.0), 1.0, 72);
    const double ratio = memorisationRatio(fresh, training, n);
    QVERIFY2(ratio < 0.2, qPrintable(QString::number(ratio)));
}

// Noise with a per-axis sd of the threshold itself (a third of the spacing) keeps a sample within
// the threshold of its own training point with probability 1 − e^(−1/2) ≈ 0.39 in N = 2, plus a
// little from landing near another point (0.43–0.46 over 10 seeds): between the fresh (≈ 0.08)
// and copied (1) values.
void TestMetrics::memorisationOfNoisyCopiesIsInBetween() {
    const auto training = gaussian(2000, {0.0, 0.0}, 1.0, 81);
    const double spacing = medianSpacing(training, 2);
    const double ratio = memorisationRatio(withNoise(training, spacing / 3, 82), training, 2);
    QVERIFY2(ratio > 0.25 && ratio < 0.75, qPrintable(QString::number(ratio)));
}

void TestMetrics::invalidInputsThrow() {
    const std::vector<double> good{0, 0, 1, 1, 2, 0}, empty, odd{0, 0, 1};
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<double> withNan{0, 0, nan, 1}, withInf{0, 0, 1, inf};
    for (const auto* bad : {&empty, &odd, &withNan, &withInf}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(*bad, good, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(good, *bad, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mmdRbf(*bad, good, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mmdRbf(good, *bad, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(*bad, good, 2));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(good, *bad, 2));
    }
    for (int n : {0, -1}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(good, good, n));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mmdRbf(good, good, n));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(good, good, n));
    }
    // Sizes that are a multiple of n in one set only.
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(good, odd, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(good, good, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, slicedWasserstein2(good, good, 2, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, mmdRbf(good, good, 2, 0));
    const std::vector<double> onePoint{1, 1};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(good, onePoint, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(good, good, 2, -0.1));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(good, good, 2, nan));
    // The smallest valid inputs are accepted.
    const std::vector<double> far{5, 5};
    QCOMPARE(memorisationRatio(far, good, 2, 0.0), 0.0);
    QCOMPARE(mmdRbf(onePoint, onePoint, 2), 0.0);
}

QTEST_APPLESS_MAIN(TestMetrics)
#include "tst_metrics.moc"
