// Tests for the built-in data sets: table contents, determinism, standardisation and validation.
#include "physics/datasets.h"

#include <QtTest/QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <string>
#include <vector>

using namespace psc::physics;

namespace {

const std::vector<std::string> kExpected2d = {
    "two-moons", "8-gaussians", "25-gaussians", "swiss-roll",  "circles",      "checkerboard",
    "pinwheel",  "spiral",      "one-charge",   "two-charges", "three-charges"};
const std::vector<std::string> kExpected3d = {
    "swiss-roll-3d", "torus", "helix", "sphere-shell", "linked-rings", "gaussian-mixture-3d"};

// Unweighted statistics, independent of ChargeSet, so the test checks the generator directly.
struct Stats {
    std::vector<double> mean;
    double rms = 0;
};

Stats statsOf(const ChargeSet& set) {
    const int n = set.dim();
    const std::size_t m = set.size();
    const auto p = set.positions();
    Stats s{std::vector<double>(n, 0.0), 0.0};
    for (std::size_t i = 0; i < m; ++i)
        for (int k = 0; k < n; ++k) s.mean[k] += p[i * n + k];
    for (double& mu : s.mean) mu /= static_cast<double>(m);
    double sum = 0;
    for (std::size_t i = 0; i < m; ++i)
        for (int k = 0; k < n; ++k) sum += (p[i * n + k] - s.mean[k]) * (p[i * n + k] - s.mean[k]);
    s.rms = std::sqrt(sum / static_cast<double>(m * n));
    return s;
}

bool sameBits(const ChargeSet& a, const ChargeSet& b) {
    if (a.dim() != b.dim() || a.size() != b.size()) return false;
    const auto pa = a.positions(), pb = b.positions();
    return std::memcmp(pa.data(), pb.data(), pa.size_bytes()) == 0;
}

void addAllRows() {
    QTest::addColumn<QString>("name");
    for (const DatasetInfo& info : builtinDatasets())
        QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

void addShapeRows() {
    QTest::addColumn<QString>("name");
    for (const DatasetInfo& info : builtinDatasets())
        if (!info.teaching) QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

} // namespace

class TestDatasets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tableListsEveryNameOnce() {
        std::vector<std::string> expected = kExpected2d;
        expected.insert(expected.end(), kExpected3d.begin(), kExpected3d.end());
        std::vector<std::string> actual;
        for (const DatasetInfo& info : builtinDatasets()) actual.push_back(info.name);
        QCOMPARE(actual.size(), expected.size());
        QCOMPARE(std::set<std::string>(actual.begin(), actual.end()),
                 std::set<std::string>(expected.begin(), expected.end()));
    }

    void twoDimensionalSetsComeFirst() {
        bool seen3d = false;
        for (const DatasetInfo& info : builtinDatasets()) {
            QVERIFY(info.dim == 2 || info.dim == 3);
            if (info.dim == 3)
                seen3d = true;
            else
                QVERIFY2(!seen3d, info.name.c_str());
        }
        QVERIFY(seen3d);
    }

    void infoIsSensible_data() { addAllRows(); }
    void infoIsSensible() {
        QFETCH(QString, name);
        const DatasetInfo* info = findDataset(name.toStdString());
        QVERIFY(info);
        QCOMPARE(QString::fromStdString(info->name), name);
        QVERIFY(info->defaultCount >= 1);
        QVERIFY(info->defaultNoise >= 0 && info->defaultNoise <= 0.5);
        QVERIFY(!info->description.empty());
        QVERIFY(info->description.find('\n') == std::string::npos);
        const bool teaching = name.endsWith("-charge") || name.endsWith("-charges");
        QCOMPARE(info->teaching, teaching);
        const bool expect3d = std::find(kExpected3d.begin(), kExpected3d.end(),
                                        name.toStdString()) != kExpected3d.end();
        QCOMPARE(info->dim, expect3d ? 3 : 2);
    }

    void findUnknownReturnsNull() {
        QVERIFY(findDataset("no-such-set") == nullptr);
        QVERIFY(findDataset("") == nullptr);
        QVERIFY(findDataset("Two-Moons") == nullptr);
    }

    void buildsWithDimAndCount_data() { addAllRows(); }
    void buildsWithDimAndCount() {
        QFETCH(QString, name);
        const DatasetInfo* info = findDataset(name.toStdString());
        QVERIFY(info);
        const ChargeSet byDefault = makeDataset(info->name, {});
        QCOMPARE(byDefault.dim(), info->dim);
        QCOMPARE(byDefault.size(), info->defaultCount);
        DatasetParams params;
        params.count = 77;
        const ChargeSet custom = makeDataset(info->name, params);
        QCOMPARE(custom.dim(), info->dim);
        QCOMPARE(custom.size(), info->teaching ? info->defaultCount : std::size_t(77));
    }

    void valuesAreFinite_data() { addAllRows(); }
    void valuesAreFinite() {
        QFETCH(QString, name);
        DatasetParams params;
        params.count = 2000;
        params.noise = 0.2;
        const ChargeSet set = makeDataset(name.toStdString(), params);
        for (double v : set.positions()) QVERIFY(std::isfinite(v));
        for (double w : set.weights()) QVERIFY(std::isfinite(w) && w > 0);
    }

    void deterministicForSeed_data() { addAllRows(); }
    void deterministicForSeed() {
        QFETCH(QString, name);
        DatasetParams params;
        params.seed = 12345;
        const ChargeSet a = makeDataset(name.toStdString(), params);
        const ChargeSet b = makeDataset(name.toStdString(), params);
        QVERIFY(sameBits(a, b));
    }

    void differsForAnotherSeed_data() { addShapeRows(); }
    void differsForAnotherSeed() {
        QFETCH(QString, name);
        DatasetParams p1, p2;
        p1.seed = 1;
        p2.seed = 2;
        QVERIFY(
            !sameBits(makeDataset(name.toStdString(), p1), makeDataset(name.toStdString(), p2)));
    }

    void teachingIgnoresSeedAndNoise_data() {
        QTest::addColumn<QString>("name");
        QTest::newRow("one-charge") << "one-charge";
        QTest::newRow("two-charges") << "two-charges";
        QTest::newRow("three-charges") << "three-charges";
    }
    void teachingIgnoresSeedAndNoise() {
        QFETCH(QString, name);
        DatasetParams other;
        other.seed = 99;
        other.noise = 0.5;
        other.count = 10;
        QVERIFY(
            sameBits(makeDataset(name.toStdString(), {}), makeDataset(name.toStdString(), other)));
    }

    void standardisedWithoutNoise_data() { addShapeRows(); }
    void standardisedWithoutNoise() {
        QFETCH(QString, name);
        DatasetParams params;
        params.noise = 0;
        params.seed = 7;
        const ChargeSet set = makeDataset(name.toStdString(), params);
        const Stats s = statsOf(set);
        for (double mu : s.mean) QVERIFY2(std::abs(mu) < 1e-9, qPrintable(QString::number(mu)));
        QVERIFY2(std::abs(s.rms - 1.0) < 1e-9, qPrintable(QString::number(s.rms, 'g', 17)));
        QVERIFY(std::abs(set.rmsSpread() - 1.0) < 1e-9);
    }

    void noiseAddsSpread_data() { addShapeRows(); }
    void noiseAddsSpread() {
        // Noise is added after standardising, so the spread becomes about sqrt(1 + noise^2).
        QFETCH(QString, name);
        const DatasetInfo* info = findDataset(name.toStdString());
        QVERIFY(info);
        DatasetParams params;
        params.count = 20000;
        params.noise = 0.3;
        const double rms = statsOf(makeDataset(info->name, params)).rms;
        QVERIFY2(std::abs(rms - std::sqrt(1.09)) < 0.03, qPrintable(QString::number(rms)));
    }

    void scaleMultipliesSpread_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("scale");
        QTest::newRow("two-moons x3") << "two-moons" << 3.0;
        QTest::newRow("torus x0.25") << "torus" << 0.25;
        QTest::newRow("8-gaussians x10") << "8-gaussians" << 10.0;
        QTest::newRow("three-charges x2") << "three-charges" << 2.0;
    }
    void scaleMultipliesSpread() {
        QFETCH(QString, name);
        QFETCH(double, scale);
        DatasetParams unit, scaled;
        unit.seed = scaled.seed = 5;
        scaled.scale = scale;
        const ChargeSet a = makeDataset(name.toStdString(), unit);
        const ChargeSet b = makeDataset(name.toStdString(), scaled);
        QCOMPARE(a.size(), b.size());
        QVERIFY(std::abs(b.rmsSpread() - scale * a.rmsSpread()) < 1e-9 * scale);
        for (std::size_t k = 0; k < a.positions().size(); ++k)
            QVERIFY(std::abs(b.positions()[k] - scale * a.positions()[k]) < 1e-12 * scale);
    }

    void teachingScenes_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<std::vector<double>>("positions");
        QTest::addColumn<std::vector<double>>("weights");
        QTest::newRow("one-charge")
            << "one-charge" << std::vector<double>{0, 0} << std::vector<double>{1};
        QTest::newRow("two-charges")
            << "two-charges" << std::vector<double>{-1, 0, 1, 0} << std::vector<double>{0.5, 0.5};
        QTest::newRow("three-charges")
            << "three-charges" << std::vector<double>{0, 1.2, -1, -0.6, 1, -0.6}
            << std::vector<double>{0.5, 0.3, 0.2};
    }
    void teachingScenes() {
        QFETCH(QString, name);
        QFETCH(std::vector<double>, positions);
        QFETCH(std::vector<double>, weights);
        const double scale = 1.5;
        DatasetParams params;
        params.scale = scale;
        const ChargeSet set = makeDataset(name.toStdString(), params);
        QCOMPARE(set.dim(), 2);
        QCOMPARE(set.size(), weights.size());
        for (std::size_t k = 0; k < positions.size(); ++k)
            QVERIFY(std::abs(set.positions()[k] - scale * positions[k]) < 1e-12);
        for (std::size_t i = 0; i < weights.size(); ++i)
            QVERIFY(std::abs(set.weights()[i] - weights[i]) < 1e-12);
    }

    void invalidParamsThrow_data() {
        const double nan = std::numeric_limits<double>::quiet_NaN();
        const double inf = std::numeric_limits<double>::infinity();
        QTest::addColumn<QString>("name");
        QTest::addColumn<qulonglong>("count");
        QTest::addColumn<double>("noise");
        QTest::addColumn<double>("scale");
        QTest::addColumn<QString>("keyword");
        QTest::newRow("unknown name") << "foo" << 0ull << -1.0 << 1.0 << "unknown data set 'foo'";
        QTest::newRow("empty name") << "" << 0ull << -1.0 << 1.0 << "unknown";
        QTest::newRow("count too large") << "two-moons" << 10'000'001ull << -1.0 << 1.0 << "count";
        QTest::newRow("noise NaN") << "two-moons" << 0ull << nan << 1.0 << "noise";
        QTest::newRow("noise -inf") << "torus" << 0ull << -inf << 1.0 << "noise";
        QTest::newRow("noise +inf") << "torus" << 0ull << inf << 1.0 << "noise";
        QTest::newRow("scale zero") << "two-moons" << 0ull << -1.0 << 0.0 << "scale";
        QTest::newRow("scale negative") << "helix" << 0ull << -1.0 << -2.0 << "scale";
        QTest::newRow("scale NaN") << "helix" << 0ull << -1.0 << nan << "scale";
        QTest::newRow("scale inf") << "spiral" << 0ull << -1.0 << inf << "scale";
        QTest::newRow("teaching scale zero") << "one-charge" << 0ull << -1.0 << 0.0 << "scale";
    }
    void invalidParamsThrow() {
        QFETCH(QString, name);
        QFETCH(qulonglong, count);
        QFETCH(double, noise);
        QFETCH(double, scale);
        QFETCH(QString, keyword);
        DatasetParams params;
        params.count = count;
        params.noise = noise;
        params.scale = scale;
        try {
            makeDataset(name.toStdString(), params);
            QFAIL("no exception");
        } catch (const std::invalid_argument& e) {
            const QString what = QString::fromUtf8(e.what());
            QVERIFY2(what.contains(keyword), qPrintable(what));
            QVERIFY(!what.contains('\n'));
        }
    }

    void largestAllowedCountIsAccepted() {
        DatasetParams params;
        params.count = 10'000'000;
        QCOMPARE(makeDataset("circles", params).size(), std::size_t(10'000'000));
    }

    void singlePointIsCentred() {
        DatasetParams params;
        params.count = 1;
        params.noise = 0;
        const ChargeSet set = makeDataset("two-moons", params);
        QCOMPARE(set.size(), std::size_t(1));
        for (double v : set.positions()) QVERIFY(std::abs(v) < 1e-12);
    }
};

QTEST_APPLESS_MAIN(TestDatasets)
#include "tst_datasets.moc"
