// Intervals over seeds against Student's t tables and their own coverage; the experiment's
// summary and pair comparisons on measurements built with known differences; the default D list;
// the training-health verdicts on loss series built to be healthy, diverging or broken.
#include "physics/experiment_summary.h"
#include "physics/extra_dims.h"
#include "physics/statistics.h"
#include "physics/training_health.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace psc::physics;

class TestExperimentStatistics : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void studentQuantilesMatchTables_data();
    void studentQuantilesMatchTables();
    void meanIntervalByHand();
    void intervalsCoverTheMean();
    void pairedDifferenceUsesThePairs();
    void summaryGroupsSeeds();
    void pairsResolveOnlyRealDifferences();
    void defaultDsSpanToDiffusion();
    void trainingHealthInWords();
};

void TestExperimentStatistics::studentQuantilesMatchTables_data() {
    QTest::addColumn<double>("p");
    QTest::addColumn<int>("dof");
    QTest::addColumn<double>("expected");
    // Printed tables (e.g. NIST/SEMATECH e-Handbook 1.3.6.7.2), to the digits they give.
    QTest::newRow("0.975, 1") << 0.975 << 1 << 12.706;
    QTest::newRow("0.975, 2") << 0.975 << 2 << 4.303;
    QTest::newRow("0.975, 4") << 0.975 << 4 << 2.776;
    QTest::newRow("0.975, 9") << 0.975 << 9 << 2.262;
    QTest::newRow("0.975, 29") << 0.975 << 29 << 2.045;
    QTest::newRow("0.995, 4") << 0.995 << 4 << 4.604;
    QTest::newRow("0.95, 10") << 0.95 << 10 << 1.812;
    QTest::newRow("0.975, 1e6 (normal)") << 0.975 << 1000000 << 1.960;
}

void TestExperimentStatistics::studentQuantilesMatchTables() {
    QFETCH(double, p);
    QFETCH(int, dof);
    QFETCH(double, expected);
    const double t = studentQuantile(p, dof);
    QVERIFY2(std::abs(t - expected) < 6e-4, qPrintable(QString::number(t, 'g', 8)));
    QCOMPARE(studentQuantile(1 - p, dof), -t);
    QCOMPARE(studentQuantile(0.5, dof), 0.0);
    // One degree of freedom is Cauchy: the quantile has the closed form tan(π(p − ½)).
    if (dof == 1) QVERIFY(std::abs(t - std::tan(M_PI * (p - 0.5))) < 1e-7 * t);
}

void TestExperimentStatistics::meanIntervalByHand() {
    const std::vector<double> xs{1, 2, 3, 4, 5, NAN};
    const auto i = meanInterval(xs);
    QCOMPARE(i.count, std::size_t(5)); // the NaN is left out
    QCOMPARE(i.mean, 3.0);
    const double half = studentQuantile(0.975, 4) * std::sqrt(2.5 / 5);
    QVERIFY(std::abs(i.hi - 3 - half) < 1e-12 && std::abs(3 - i.lo - half) < 1e-12);
    QVERIFY(i.spread && i.excludesZero());
    const std::vector<double> one{7};
    const auto single = meanInterval(one);
    QVERIFY(!single.spread && !single.excludesZero());
    QCOMPARE(single.lo, 7.0);
    QVERIFY(std::isnan(meanInterval(std::vector<double>{}).mean));
}

// 4,000 experiments of 5 normal draws: the 95% interval holds the true mean 95% of the time
// (binomial sd 0.34%, so ±1.4% is four sd).
void TestExperimentStatistics::intervalsCoverTheMean() {
    std::mt19937_64 rng(5);
    std::normal_distribution<double> normal(2.0, 3.0);
    int covered = 0;
    const int trials = 4000;
    for (int t = 0; t < trials; ++t) {
        std::vector<double> xs(5);
        for (auto& x : xs) x = normal(rng);
        const auto i = meanInterval(xs);
        covered += i.lo <= 2.0 && 2.0 <= i.hi;
    }
    const double share = double(covered) / trials;
    QVERIFY2(std::abs(share - 0.95) < 0.014, qPrintable(QString::number(share)));
}

// Values that vary a lot between seeds but differ by a constant: only pairing sees it.
void TestExperimentStatistics::pairedDifferenceUsesThePairs() {
    const std::vector<double> a{1.0, 5.0, 9.0, 3.0, 7.0};
    std::vector<double> b;
    for (std::size_t k = 0; k < a.size(); ++k) b.push_back(a[k] + 0.1 + 0.001 * k);
    const auto d = pairedDifference(b, a);
    QVERIFY(d.excludesZero());
    QVERIFY(std::abs(d.mean - 0.102) < 1e-12);
    QVERIFY(!(meanInterval(a).hi < meanInterval(b).lo)); // the unpaired intervals overlap
    const std::vector<double> withNan{1.0, NAN, 9.0, 3.0, 7.0};
    QCOMPARE(pairedDifference(b, withNan).count, std::size_t(4));
}

namespace {

Measurement row(double d, const char* protocol, double value, int seed, double sw2) {
    Measurement m;
    m.d = d;
    m.protocol = protocol;
    m.value = value;
    m.seed = seed;
    m.sw2 = sw2;
    m.mmd = sw2 / 10;
    m.nfe = 35;
    return m;
}

// Three D over 5 seeds at one setting: D = 1 is 0.05 worse than D = 8 on every seed (with seed
// noise ten times larger, shared by both); D = 8 and D = ∞ differ only by independent noise.
std::vector<Measurement> threeDs() {
    std::vector<Measurement> rows;
    std::mt19937_64 rng(9);
    std::normal_distribution<double> seedNoise(0, 0.5), tiny(0, 0.003);
    for (int seed = 0; seed < 5; ++seed) {
        const double shared = 1 + std::abs(seedNoise(rng));
        rows.push_back(row(1, "alpha", 0.2, seed, shared + 0.05 + tiny(rng)));
        rows.push_back(row(8, "alpha", 0.2, seed, shared + tiny(rng)));
        rows.push_back(row(kInfiniteD, "alpha", 0.2, seed, shared + tiny(rng)));
    }
    return rows;
}

} // namespace

void TestExperimentStatistics::summaryGroupsSeeds() {
    auto rows = threeDs();
    rows.push_back(row(8, "nfe", 5, 0, 3.0));
    const auto points = summarize(rows);
    QCOMPARE(points.size(), std::size_t(4));
    QCOMPARE(points[0].d, 1.0);
    QCOMPARE(points[0].sw2.count, std::size_t(5));
    QCOMPARE(points[3].protocol, std::string("nfe"));
    QVERIFY(!points[3].sw2.spread);
    double mean = 0;
    for (const auto& r : rows)
        if (r.d == 1) mean += r.sw2 / 5;
    QVERIFY(std::abs(points[0].sw2.mean - mean) < 1e-12);
    QVERIFY(std::isnan(points[0].endpointDistance.mean)); // a learned field has none
}

void TestExperimentStatistics::pairsResolveOnlyRealDifferences() {
    const auto pairs = comparePairs(threeDs(), FieldKind::Learned, Metric::Sw2);
    QCOMPARE(pairs.size(), std::size_t(3));
    int resolved = 0;
    for (const auto& c : pairs) {
        if (c.dA == 1) {
            QVERIFY2(c.resolved(), qPrintable(QString::number(c.difference.lo)));
            QVERIFY(std::abs(c.difference.mean - 0.05) < 0.01);
        }
        resolved += c.resolved();
    }
    QCOMPARE(resolved, 2); // D = 8 against ∞ is noise
    QVERIFY(comparePairs(threeDs(), FieldKind::Exact, Metric::Sw2).empty());
    auto oneSeed = threeDs();
    std::erase_if(oneSeed, [](const Measurement& m) { return m.seed > 0; });
    QVERIFY(comparePairs(oneSeed, FieldKind::Learned, Metric::Sw2).empty());
}

void TestExperimentStatistics::defaultDsSpanToDiffusion() {
    QCOMPARE(defaultExperimentDs(2), (std::vector<double>{1, 4, 16, 53, kInfiniteD}));
    QCOMPARE(defaultExperimentDs(64), (std::vector<double>{1, 4, 16, 64, 256, 1500, kInfiniteD}));
}

void TestExperimentStatistics::trainingHealthInWords() {
    std::vector<double> falling;
    for (int i = 0; i < 40; ++i) falling.push_back(10.0 / (1 + i) + 0.5);
    QVERIFY(!trainingTrouble(falling, 50));
    auto spike = falling;
    spike[38] = 40; // one bad window among the last four is smoothed, not alarmed
    QVERIFY(!trainingTrouble(spike, 50));
    auto rising = falling;
    for (int i = 30; i < 40; ++i) rising[i] = 0.6 * std::pow(1.4, i - 29);
    const auto verdict = trainingTrouble(rising, 50);
    QVERIFY(verdict && verdict->rfind("loss rising: ", 0) == 0);
    QVERIFY2(verdict->find("tail quantile") != std::string::npos, verdict->c_str());
    auto broken = falling;
    broken[12] = NAN;
    const auto nan = trainingTrouble(broken, 50);
    QVERIFY(nan && nan->rfind("loss not finite: at step 650", 0) == 0);
    QVERIFY(!trainingTrouble(std::vector<double>{5, 9}, 50)); // too short to judge a trend
}

QTEST_GUILESS_MAIN(TestExperimentStatistics)
#include "tst_experiment_statistics.moc"
