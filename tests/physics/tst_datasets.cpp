// Tests for the built-in data sets: table contents, determinism, standardisation, the real tables
// with their documented shapes, the embedding in N dimensions, and validation.
#include "physics/datasets.h"
#include "physics/point_io.h"

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
// Sets of more dimensions, with their N and points (the real tables' documented shapes).
struct Shape {
    std::string name;
    int dim;
    std::size_t count;
};
const std::vector<Shape> kExpectedNd = {{"iris", 4, 150},
                                        {"wine", 13, 178},
                                        {"breast-cancer", 30, 569},
                                        {"clusters", 64, 2048},
                                        {"digits", 64, 1797}};

int expectedDim(const std::string& name) {
    if (std::find(kExpected3d.begin(), kExpected3d.end(), name) != kExpected3d.end()) return 3;
    for (const Shape& s : kExpectedNd)
        if (s.name == name) return s.dim;
    return 2;
}

// The statistics of the projection of a set onto the orthonormal columns of basis (N×d): the
// coordinates in the plane, and the RMS of what is left outside it per point.
std::vector<double> project(const ChargeSet& set, const std::vector<double>& basis, int d,
                            double& outside) {
    const int n = set.dim();
    std::vector<double> in;
    double rest = 0;
    for (std::size_t i = 0; i < set.size(); ++i) {
        const auto x = set.position(i);
        std::vector<double> r(x.begin(), x.end());
        for (int j = 0; j < d; ++j) {
            double c = 0;
            for (int k = 0; k < n; ++k) c += x[k] * basis[j * n + k];
            in.push_back(c);
            for (int k = 0; k < n; ++k) r[k] -= c * basis[j * n + k];
        }
        for (double v : r) rest += v * v;
    }
    outside = std::sqrt(rest / static_cast<double>(set.size()));
    return in;
}

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

// The generated shapes of 2 and 3 dimensions.
void addShapeRows() {
    QTest::addColumn<QString>("name");
    for (const DatasetInfo& info : builtinDatasets())
        if (!info.teaching && !info.real && info.dim <= 3)
            QTest::newRow(info.name.c_str()) << QString::fromStdString(info.name);
}

} // namespace

class TestDatasets : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void tableListsEveryNameOnce() {
        std::vector<std::string> expected = kExpected2d;
        expected.insert(expected.end(), kExpected3d.begin(), kExpected3d.end());
        for (const Shape& s : kExpectedNd) expected.push_back(s.name);
        std::vector<std::string> actual;
        for (const DatasetInfo& info : builtinDatasets()) actual.push_back(info.name);
        QCOMPARE(actual.size(), expected.size());
        QCOMPARE(std::set<std::string>(actual.begin(), actual.end()),
                 std::set<std::string>(expected.begin(), expected.end()));
    }

    void setsComeByDimension() {
        int last = 0;
        for (const DatasetInfo& info : builtinDatasets()) {
            QVERIFY2(info.dim >= last, info.name.c_str());
            last = info.dim;
        }
        QCOMPARE(builtinDatasets().front().dim, 2);
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
        QCOMPARE(info->dim, expectedDim(info->name));
        QCOMPARE(info->anyDim, !info->teaching && !info->real);
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
        params.count = std::min<std::size_t>(2000, findDataset(name.toStdString())->defaultCount);
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

    // The real tables as the scikit-learn collection documents them: rows, columns, and values
    // that match the first row of each file after standardising (or the pixel map).
    void realTablesHaveTheirShapes_data() {
        QTest::addColumn<QString>("name");
        for (const Shape& s : kExpectedNd)
            if (s.name != "clusters")
                QTest::newRow(s.name.c_str()) << QString::fromStdString(s.name);
    }
    void realTablesHaveTheirShapes() {
        QFETCH(QString, name);
        const DatasetInfo* info = findDataset(name.toStdString());
        QVERIFY(info && info->real && !info->anyDim);
        const ChargeSet set = makeDataset(info->name, {});
        const Shape* shape = nullptr;
        for (const Shape& s : kExpectedNd)
            if (s.name == info->name) shape = &s;
        QCOMPARE(set.dim(), shape->dim);
        QCOMPARE(set.size(), shape->count);
        const int n = set.dim();
        if (info->imageWidth > 0) {
            QCOMPARE(info->imageWidth * info->imageHeight, n);
            // The first image's top row in the file is 0,0,5,13,9,1,0,0; pixels map 0..16 to -1..1.
            const double top[8] = {0, 0, 5, 13, 9, 1, 0, 0};
            for (int k = 0; k < 8; ++k) QCOMPARE(set.position(0)[k], 2.0 * top[k] / 16.0 - 1.0);
            for (double v : set.positions()) QVERIFY(v >= -1.0 && v <= 1.0);
            return;
        }
        // Each column has mean 0 and RMS 1.
        for (int k = 0; k < n; ++k) {
            double mean = 0, squares = 0;
            for (std::size_t i = 0; i < set.size(); ++i) mean += set.position(i)[k];
            mean /= static_cast<double>(set.size());
            for (std::size_t i = 0; i < set.size(); ++i)
                squares += std::pow(set.position(i)[k] - mean, 2);
            QVERIFY(std::abs(mean) < 1e-9);
            QVERIFY(std::abs(std::sqrt(squares / static_cast<double>(set.size())) - 1.0) < 1e-9);
        }
        if (info->name == "iris") {
            // Fisher's first flower, 5.1 3.5 1.4 0.2, against the columns' means and SDs
            // (population SD) as published: 5.8433 0.8253, 3.0573 0.4344, 3.7580 1.7594,
            // 1.1993 0.7597.
            const double z[4] = {(5.1 - 5.843333) / 0.825301, (3.5 - 3.057333) / 0.434411,
                                 (1.4 - 3.758) / 1.759404, (0.2 - 1.199333) / 0.759693};
            for (int k = 0; k < 4; ++k)
                QVERIFY2(std::abs(set.position(0)[k] - z[k]) < 1e-5,
                         qPrintable(QString("%1 vs %2").arg(set.position(0)[k]).arg(z[k])));
        }
    }

    // A count below the table's rows picks distinct rows of it, the same ones for one seed.
    void countPicksRowsOfARealTable() {
        const ChargeSet all = makeDataset("wine", {});
        DatasetParams params;
        params.count = 50;
        params.seed = 3;
        const ChargeSet some = makeDataset("wine", params);
        QCOMPARE(some.size(), std::size_t(50));
        QVERIFY(sameBits(some, makeDataset("wine", params)));
        params.seed = 4;
        QVERIFY(!sameBits(some, makeDataset("wine", params)));
        std::set<std::size_t> rows;
        for (std::size_t i = 0; i < some.size(); ++i) {
            std::size_t found = all.size();
            for (std::size_t j = 0; j < all.size(); ++j)
                if (std::equal(some.position(i).begin(), some.position(i).end(),
                               all.position(j).begin()))
                    found = j;
            QVERIFY(found < all.size());
            rows.insert(found);
        }
        QCOMPARE(rows.size(), std::size_t(50));
    }

    void embeddingBasisIsOrthonormal() {
        for (auto [d, n] : {std::pair{2, 2}, {2, 16}, {3, 5}, {10, 784}}) {
            const auto b = embeddingBasis(d, n);
            QCOMPARE(b.size(), static_cast<std::size_t>(d * n));
            for (int i = 0; i < d; ++i)
                for (int j = 0; j < d; ++j) {
                    double dot = 0;
                    for (int k = 0; k < n; ++k) dot += b[i * n + k] * b[j * n + k];
                    QVERIFY(std::abs(dot - (i == j ? 1.0 : 0.0)) < 1e-12);
                }
        }
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, embeddingBasis(3, 2));
    }

    // Embedded in N dimensions, a shape is the same picture on the embedding's plane: projected
    // back it is the 2-D set drawn with the same seed (noise 0), and its noise along the other
    // N − 2 directions has the size asked for.
    void embeddedShapesKeepTheirPicture() {
        DatasetParams flat;
        flat.noise = 0;
        flat.seed = 11;
        const ChargeSet moons = makeDataset("two-moons", flat);
        for (int n : {5, 64}) {
            DatasetParams params = flat;
            params.dim = n;
            const ChargeSet embedded = makeDataset("two-moons", params);
            QCOMPARE(embedded.dim(), n);
            QCOMPARE(embedded.size(), moons.size());
            double outside = 0;
            const auto in = project(embedded, embeddingBasis(2, n), 2, outside);
            QVERIFY(outside < 1e-12);
            for (std::size_t k = 0; k < in.size(); ++k)
                QVERIFY(std::abs(in[k] - moons.positions()[k]) < 1e-12);
            params.noise = 0.1;
            params.count = 4000;
            const ChargeSet noisy = makeDataset("two-moons", params);
            project(noisy, embeddingBasis(2, n), 2, outside);
            const double expected = 0.1 * std::sqrt(n - 2.0);
            QVERIFY2(std::abs(outside - expected) < 0.05 * expected,
                     qPrintable(QString("N = %1: %2 vs %3").arg(n).arg(outside).arg(expected)));
        }
    }

    // "clusters" lies in its 10-D subspace (all of N below 10), at any N.
    void clustersLieInTheirSubspace() {
        for (int n : {1, 5, 64, 784}) {
            DatasetParams params;
            params.dim = n;
            params.count = 500;
            const ChargeSet set = makeDataset("clusters", params);
            QCOMPARE(set.dim(), n);
            const int d = std::min(10, n);
            double outside = 0;
            project(set, embeddingBasis(d, n), d, outside);
            QVERIFY2(outside < 1e-9 * std::max(1.0, set.rmsSpread()),
                     qPrintable(QString::number(outside)));
        }
    }

    void dimensionsAreValidated() {
        const auto message = [](const std::string& name, int dim, std::size_t count = 0) {
            DatasetParams params;
            params.dim = dim;
            params.count = count;
            try {
                makeDataset(name, params);
            } catch (const std::invalid_argument& e) {
                return QString::fromUtf8(e.what());
            }
            return QString();
        };
        QVERIFY(message("iris", 5).contains("must be 4 for 'iris'"));
        QVERIFY(message("one-charge", 3).contains("must be 2"));
        QVERIFY(message("torus", 2).contains("[3, 16384]"));
        QVERIFY(message("two-moons", kMaxDataDim + 1).contains("[2, 16384]"));
        QVERIFY(message("clusters", 1).isEmpty());
        QVERIFY(message("clusters", 16384, 100000).contains("values"));
        QVERIFY(message("iris", 0, 151).contains("at most 150"));
        QVERIFY(message("iris", 4).isEmpty());
        QVERIFY(message("two-moons", 2).isEmpty());
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
