// Trajectory files: every format holds each particle's σ and positions per step, read back by an
// independent reader (the point loader for CSV/NPY, Qt's JSON parser for JSON).
#include "physics/point_io.h"
#include "physics/trajectory_io.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace psc::physics;

namespace {

// Two particles, three recorded frames, the last landed at σ = 0.
std::vector<TrajectoryFrame> frames() {
    return {{80.0, {1.0, 2.0, -3.0, 4.0}, 0},
            {2.5, {0.5, 0.25, -1.0, 1.5}, 9},
            {0.0, {0.0, 0.125, -1.0, 1.0}, 18}};
}

} // namespace

class TestTrajectoryIo : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void framesBecomeParticles();
    void csvAndNpyRows_data();
    void csvAndNpyRows();
    void jsonPerParticle();
    void unwritablePathLeavesNothing();
};

void TestTrajectoryIo::framesBecomeParticles() {
    const auto set = trajectoriesFromFrames(frames(), 2, {"a", "b"});
    QCOMPARE(set.particles.size(), std::size_t(2));
    QCOMPARE(set.particles[1].sigma, (std::vector<double>{80.0, 2.5, 0.0}));
    QCOMPARE(set.particles[1].x, (std::vector<double>{-3.0, 4.0, -1.0, 1.5, -1.0, 1.0}));
    QCOMPARE(set.particles[0].step, (std::vector<int>{0, 9, 18}));
}

void TestTrajectoryIo::csvAndNpyRows_data() {
    QTest::addColumn<QString>("name");
    QTest::newRow("csv") << "t.csv";
    QTest::newRow("npy") << "t.npy";
}

void TestTrajectoryIo::csvAndNpyRows() {
    QFETCH(QString, name);
    QTemporaryDir dir;
    const std::string path = dir.filePath(name).toStdString();
    saveTrajectories(path, trajectoriesFromFrames(frames(), 2, {"a", "b"}));
    LoadLimits limits;
    limits.maxDim = 16;
    const auto table = loadPoints(path, limits);
    QCOMPARE(table.dim, 5); // step, sigma, particle, a, b
    QCOMPARE(table.values.size(), std::size_t(6 * 5));
    // Row 4: particle 1 at its second state.
    const double* row = &table.values[4 * 5];
    QCOMPARE(row[0], 9.0);
    QCOMPARE(row[1], 2.5);
    QCOMPARE(row[2], 1.0);
    QCOMPARE(row[3], -1.0);
    QCOMPARE(row[4], 1.5);
    if (name.endsWith(".csv"))
        QCOMPARE(table.columnNames,
                 (std::vector<std::string>{"step", "sigma", "particle", "a", "b"}));
}

void TestTrajectoryIo::jsonPerParticle() {
    QTemporaryDir dir;
    const QString path = dir.filePath("t.json");
    auto set = trajectoriesFromFrames(frames(), 2, {"a", "b"});
    set.particles[0].x[0] = 0.1 + 0.2; // full precision survives
    set.particles[0].x[1] = std::nan("");
    saveTrajectories(path.toStdString(), set);
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QJsonParseError error;
    const auto doc = QJsonDocument::fromJson(f.readAll(), &error);
    QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
    QCOMPARE(doc["columns"].toArray().size(), 2);
    const auto particles = doc["particles"].toArray();
    QCOMPARE(particles.size(), 2);
    const auto first = particles[0].toObject();
    QCOMPARE(first["sigma"].toArray()[1].toDouble(), 2.5);
    QCOMPARE(first["step"].toArray()[2].toInt(), 18);
    QCOMPARE(first["x"].toArray()[0].toArray()[0].toDouble(), 0.1 + 0.2);
    QVERIFY(first["x"].toArray()[0].toArray()[1].isNull()); // NaN is written as null
    QCOMPARE(particles[1].toObject()["x"].toArray()[2].toArray()[1].toDouble(), 1.0);
}

void TestTrajectoryIo::unwritablePathLeavesNothing() {
    QTemporaryDir dir;
    const QString missing = dir.filePath("no/such/folder/t.json");
    QVERIFY_THROWS_EXCEPTION(
        PointIoError, saveTrajectories(missing.toStdString(), trajectoriesFromFrames(frames(), 2)));
    QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).size(), 0);
}

QTEST_APPLESS_MAIN(TestTrajectoryIo)
#include "tst_trajectory_io.moc"
