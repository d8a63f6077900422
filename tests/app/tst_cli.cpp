// The headless command line, run as a separate process: outputs, exit codes, and refusals.
#include "physics/datasets.h"
#include "physics/point_io.h"
#include "physics/torch/learned_field.h"
#include "tests/support/app_process.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <array>
#include <cmath>

namespace {

void writeFile(const QString& path, const QByteArray& content) {
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(content);
}

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void init() { QVERIFY(m_dir.isValid()); }
    void helpDocumentsEveryOption();
    void datasetsListsEverySet();
    void sampleWritesPointsOnTheData();
    void sampleTakesAnyDimension_data();
    void sampleTakesAnyDimension();
    void sampleIsDeterministic();
    void sampleTakesPicturesAndPointClouds();
    void sampleWritesNpyAndTrajectory();
    void sampleFromStartFileForward();
    void sampleToStdout();
    void badInputIsRefused_data();
    void badInputIsRefused();
    void failedRunLeavesExistingOutputUntouched();
    void adaptiveTrajectoryStaysInsideTheBudget();
    void bigRunsAnnounceTheirMemory();
    void evalComparesSamplesWithData();
    void trainThenSampleWithTheModel();
    void experimentWritesTableAndFigure();

private:
    QString path(const QString& name) const { return m_dir.filePath(name); }
    QTemporaryDir m_dir;
};

void TestCli::helpDocumentsEveryOption() {
    const auto top = runApp({"--help"});
    QCOMPARE(top.code, 0);
    QVERIFY(top.out.contains("sample") && top.out.contains("datasets"));
    const auto r = runApp({"sample", "--help"});
    QCOMPARE(r.code, 0);
    for (const char* option :
         {"--dataset", "--data", "--D", "--particles", "--seed", "--start", "--sigma-max",
          "--sigma-min", "--steps", "--solver", "--rtol", "--atol", "--direction", "--out",
          "--trajectory", "--backend", "--memory-budget", "--force"})
        QVERIFY2(r.out.contains(option), option);
    QVERIFY(r.out.contains("default: heun"));
}

void TestCli::datasetsListsEverySet() {
    const auto r = runApp({"datasets"});
    QCOMPARE(r.code, 0);
    for (const auto& info : psc::physics::builtinDatasets())
        QVERIFY2(r.out.contains(QString::fromStdString(info.name)), info.name.c_str());
}

void TestCli::sampleWritesPointsOnTheData() {
    const QString out = path("moons.csv");
    const auto r = runApp({"sample", "--dataset", "two-moons", "--count", "64", "--particles", "40",
                           "--D", "inf", "--out", out, "--quiet"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.err.isEmpty());
    const auto table = psc::physics::loadCsv(out.toStdString());
    QCOMPARE(table.rows(), std::size_t(40));
    QCOMPARE(table.columnNames, (std::vector<std::string>{"x1", "x2"}));
    psc::physics::DatasetParams params;
    params.count = 64;
    const auto charges = psc::physics::makeDataset("two-moons", params);
    for (std::size_t p = 0; p < 40; ++p) {
        double best = INFINITY;
        for (std::size_t i = 0; i < charges.size(); ++i)
            best = std::min(best, std::hypot(table.values[2 * p] - charges.position(i)[0],
                                             table.values[2 * p + 1] - charges.position(i)[1]));
        QVERIFY2(best < 1e-3, qPrintable(QString::number(best)));
    }
}

void TestCli::sampleTakesAnyDimension_data() {
    QTest::addColumn<QStringList>("data");
    QTest::addColumn<int>("n");
    QTest::newRow("N = 1, a file") << QStringList{"--data", "@line.csv"} << 1;
    QTest::newRow("N = 4, iris") << QStringList{"--dataset", "iris"} << 4;
    QTest::newRow("N = 64, digits") << QStringList{"--dataset", "digits", "--count", "200"} << 64;
    QTest::newRow("N = 300, clusters")
        << QStringList{"--dataset", "clusters", "--dim", "300", "--count", "200"} << 300;
}

// The exact field memorises in any dimension: every sample lands on one of the data's points,
// written with one column per coordinate.
void TestCli::sampleTakesAnyDimension() {
    QFETCH(QStringList, data);
    QFETCH(int, n);
    writeFile(path("line.csv"), "x\n-1\n0.5\n2\n");
    for (auto& a : data)
        if (a.startsWith('@')) a = path(a.mid(1));
    const QString out = path("any.npy"), charges = path("charges.npy");
    const auto r = runApp(
        QStringList{"sample", "--particles", "30", "--D", "8", "--out", out, "--quiet"} + data);
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto samples = psc::physics::loadNpy(out.toStdString());
    QCOMPARE(samples.dim, n);
    QCOMPARE(samples.rows(), std::size_t(30));
    // The charges the command flowed to, in the same coordinates: sampled at σ = 0 they are the
    // data (the prior's points land on them); compare with the data set itself.
    std::vector<double> points;
    if (data.first() == "--data") {
        points = {-1, 0.5, 2};
    } else {
        psc::physics::DatasetParams params;
        for (int i = 0; i + 1 < data.size(); ++i) {
            if (data[i] == "--count") params.count = data[i + 1].toULongLong();
            if (data[i] == "--dim") params.dim = data[i + 1].toInt();
        }
        const auto set = psc::physics::makeDataset(data[1].toStdString(), params);
        points.assign(set.positions().begin(), set.positions().end());
    }
    for (std::size_t p = 0; p < 30; ++p) {
        double best = INFINITY;
        for (std::size_t i = 0; i < points.size() / n; ++i) {
            double d2 = 0;
            for (int k = 0; k < n; ++k)
                d2 += std::pow(samples.values[p * n + k] - points[i * n + k], 2);
            best = std::min(best, std::sqrt(d2));
        }
        QVERIFY2(best < 1e-3,
                 qPrintable(QString("sample %1: %2 from the nearest point").arg(p).arg(best)));
    }
}

void TestCli::sampleIsDeterministic() {
    const QStringList args{"sample", "--dataset", "8-gaussians", "--particles", "30",
                           "--D",    "3.5",       "--seed",      "5",           "--quiet"};
    const auto a = runApp(args), b = runApp(args);
    QCOMPARE(a.code, 0);
    QCOMPARE(a.out, b.out);
    QCOMPARE(a.out.count('\n'), 31);
    auto c = args;
    c[c.indexOf("5")] = "6";
    QVERIFY(runApp(c).out != a.out);
}

// A picture's dark pixels and a PLY scan's vertices are charges: samples land on them, by the
// tree code as by brute force.
void TestCli::sampleTakesPicturesAndPointClouds() {
    QImage picture(40, 30, QImage::Format_RGB32);
    picture.fill(Qt::white);
    std::vector<std::array<double, 2>> dark; // the charges, where loadImageCharges puts them
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x)
            if (std::hypot(x - 12.0, y - 15.0) < 6 || (x > 28 && x < 34 && y > 4 && y < 26)) {
                picture.setPixel(x, y, qRgb(20, 20, 20));
                dark.push_back({(x + 0.5 - 20) * 0.1, (15 - y - 0.5) * 0.1});
            }
    QVERIFY(picture.save(path("pic.png")));
    for (const char* method : {"tree", "direct"}) {
        const QString out = path(QString("pic-%1.csv").arg(method));
        const auto r = runApp({"sample", "--data", path("pic.png"), "--particles", "40", "--D", "4",
                               "--field-method", method, "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(method == std::string("tree") ? "tree code" : "fast-cpu"),
                 qPrintable(r.err));
        const auto table = psc::physics::loadCsv(out.toStdString());
        QCOMPARE(table.rows(), std::size_t(40));
        for (std::size_t p = 0; p < 40; ++p) {
            double best = INFINITY;
            for (const auto& c : dark)
                best = std::min(
                    best, std::hypot(table.values[2 * p] - c[0], table.values[2 * p + 1] - c[1]));
            QVERIFY2(best < 1e-3,
                     qPrintable(QString("%1: %2 off a dark pixel").arg(method).arg(best)));
        }
    }
    writeFile(path("scan.ply"), "ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\n"
                                "property float y\nproperty float z\nproperty uchar red\n"
                                "end_header\n0 0 0 255\n1 2 3 0\n-1 0.5 2 9\n");
    const QString out = path("scan.csv");
    const auto r = runApp({"sample", "--data", path("scan.ply"), "--particles", "20", "--D", "8",
                           "--out", out, "--quiet"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const auto table = psc::physics::loadCsv(out.toStdString());
    QCOMPARE(table.dim, 3);
    const double vertices[3][3] = {{0, 0, 0}, {1, 2, 3}, {-1, 0.5, 2}};
    for (std::size_t p = 0; p < 20; ++p) {
        double best = INFINITY;
        for (const auto& v : vertices)
            best = std::min(best,
                            std::hypot(table.values[3 * p] - v[0], table.values[3 * p + 1] - v[1],
                                       table.values[3 * p + 2] - v[2]));
        QVERIFY2(best < 1e-3, qPrintable(QString::number(best)));
    }
}

void TestCli::sampleWritesNpyAndTrajectory() {
    const QString out = path("final.npy"), traj = path("traj.csv");
    const auto r =
        runApp({"sample", "--dataset", "torus", "--count", "50", "--particles", "7", "--steps", "6",
                "--solver", "rk4", "--out", out, "--trajectory", traj, "--quiet"});
    QCOMPARE(r.code, 0);
    const auto final = psc::physics::loadNpy(out.toStdString());
    QCOMPARE(final.dim, 3);
    QCOMPARE(final.rows(), std::size_t(7));
    const auto t = psc::physics::loadCsv(traj.toStdString(), {.maxDim = 6});
    QCOMPARE(t.columnNames,
             (std::vector<std::string>{"step", "sigma", "particle", "x1", "x2", "x3"}));
    QCOMPARE(t.rows(), std::size_t(7 * 7)); // σ_max, 5 schedule steps, σ = 0
    QCOMPARE(t.values[1], 80.0);
    QCOMPARE(t.values[t.values.size() - 5], 0.0);
    for (int k = 0; k < 3; ++k) QCOMPARE(t.values[t.values.size() - 3 + k], final.values[18 + k]);
}

void TestCli::sampleFromStartFileForward() {
    const QString start = path("start.csv"), out = path("up.csv");
    writeFile(start, "a,b\n0.1,0.2\n-0.5,1.0\n");
    const auto r =
        runApp({"sample", "--dataset", "one-charge", "--start", start, "--direction", "forward",
                "--sigma-min", "0.1", "--sigma-max", "10", "--out", out, "--quiet"});
    QCOMPARE(r.code, 0);
    const auto t = psc::physics::loadCsv(out.toStdString());
    // One charge at the origin: forward flow scales x by σ_max/σ_min = 100.
    QVERIFY(std::abs(t.values[0] - 10.0) < 1e-5 && std::abs(t.values[1] - 20.0) < 1e-5);
    QVERIFY(std::abs(t.values[2] + 50.0) < 1e-4 && std::abs(t.values[3] - 100.0) < 1e-4);
}

void TestCli::sampleToStdout() {
    const auto r = runApp(
        {"sample", "--dataset", "three-charges", "--particles", "5", "--backend", "reference"});
    QCOMPARE(r.code, 0);
    QVERIFY(r.out.startsWith("x1,x2\n"));
    QVERIFY(r.err.contains("reference")); // the summary names the backend
}

void TestCli::badInputIsRefused_data() {
    QTest::addColumn<QByteArray>("fileContent");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    const QStringList base{"sample", "--particles", "10"};
    QTest::newRow("missing file") << QByteArray() << (base + QStringList{"--data", "@missing.csv"})
                                  << "missing.csv";
    QTest::newRow("malformed csv") << QByteArray("x,y\n1,2\n3,abc\n")
                                   << (base + QStringList{"--data", "@in.csv"}) << "in.csv:3";
    QTest::newRow("nan") << QByteArray("1,2\nnan,3\n") << (base + QStringList{"--data", "@in.csv"})
                         << "in.csv:2";
    QTest::newRow("ragged") << QByteArray("1,2\n3,4,5\n")
                            << (base + QStringList{"--data", "@in.csv"}) << "in.csv:2";
    QByteArray wide;
    for (int k = 0; k <= psc::physics::kMaxDataDim; ++k) wide += k ? ",1" : "1";
    QTest::newRow("too many coordinates")
        << wide + "\n"
        << (base + QStringList{"--data", "@in.csv"}) << "dimension";
    QTest::newRow("zero weight") << QByteArray("x,y,q\n1,2,1\n3,4,0\n")
                                 << (base + QStringList{"--data", "@in.csv"}) << "in.csv:3";
    QTest::newRow("D below 1") << QByteArray() << (base + QStringList{"--D", "0.5"}) << "D must be";
    QTest::newRow("D nan") << QByteArray() << (base + QStringList{"--D", "nan"}) << "D must be";
    QTest::newRow("D text") << QByteArray() << (base + QStringList{"--D", "big"}) << "--D";
    QTest::newRow("unknown data set")
        << QByteArray() << (base + QStringList{"--dataset", "moons"}) << "unknown data set";
    QTest::newRow("bad solver") << QByteArray() << (base + QStringList{"--solver", "rk5"})
                                << "--solver";
    QTest::newRow("bad sigma") << QByteArray() << (base + QStringList{"--sigma-min", "-1"})
                               << "sigma-min";
    QTest::newRow("unwritable out")
        << QByteArray() << (base + QStringList{"--out", "@nowhere/out.csv"}) << "does not exist";
    QTest::newRow("bad extension")
        << QByteArray() << (base + QStringList{"--out", "@out.txt"}) << ".csv or .npy";
    QTest::newRow("start dimension")
        << QByteArray("1,2,3\n") << QStringList{"sample", "--start", "@in.csv"} << "in.csv";
    QTest::newRow("memory budget")
        << QByteArray() << QStringList{"sample", "--particles", "100000000"} << "memory-budget";
    QTest::newRow("unknown option")
        << QByteArray() << (base + QStringList{"--frobnicate"}) << "unknown option";
    QTest::newRow("unreadable picture")
        << QByteArray("not a png") << (base + QStringList{"--data", "@in.png"})
        << "cannot read the picture";
    QTest::newRow("field tolerance")
        << QByteArray() << (base + QStringList{"--field-tolerance", "0.5"}) << "--field-tolerance";
    QTest::newRow("field method") << QByteArray() << (base + QStringList{"--field-method", "fmm"})
                                  << "--field-method";
    QTest::newRow("both sources") << QByteArray("1,2\n")
                                  << (base +
                                      QStringList{"--data", "@in.csv", "--dataset", "spiral"})
                                  << "either";
}

void TestCli::badInputIsRefused() {
    QFETCH(QByteArray, fileContent);
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    if (!fileContent.isEmpty())
        writeFile(path(args.contains("@in.png") ? "in.png" : "in.csv"), fileContent);
    for (auto& a : args)
        if (a.startsWith('@')) a = path(a.mid(1));
    const QString out = path("result.csv");
    if (!args.contains("--out")) args << "--out" << out;
    const auto r = runApp(args);
    QCOMPARE(r.code, 2);
    QVERIFY2(r.err.contains(expected), qPrintable(r.err));
    QCOMPARE(r.err.count('\n'), 1); // one clear line
    QVERIFY(!QFile::exists(out));
    const auto leftovers = QDir(m_dir.path()).entryList({"*.tmp-*"});
    QVERIFY(leftovers.isEmpty());
}

void TestCli::failedRunLeavesExistingOutputUntouched() {
    const QString out = path("keep.csv");
    writeFile(out, "x1,x2\n1,2\n");
    const auto r = runApp({"sample", "--D", "0", "--out", out});
    QCOMPARE(r.code, 2);
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), QByteArray("x1,x2\n1,2\n"));
}

// rk45's step count is unknown in advance: recording stops at the budget and nothing is written.
void TestCli::adaptiveTrajectoryStaysInsideTheBudget() {
    const QString out = path("o.npy"), traj = path("t.npy");
    const auto r =
        runApp({"sample", "--dataset",    "two-moons", "--count", "32",    "--particles",
                "2000",   "--solver",     "rk45",      "--rtol",  "1e-10", "--atol",
                "1e-10",  "--trajectory", traj,        "--out",   out,     "--memory-budget",
                "2",      "--quiet"});
    QCOMPARE(r.code, 1);
    QVERIFY2(r.err.contains("outgrew --memory-budget"), qPrintable(r.err));
    QVERIFY(!QFile::exists(out) && !QFile::exists(traj));
}

// Runs estimated above 1 GB announce it, runs above the physical memory are refused unless
// --force; the thresholds come down through the environment so that a tiny run trips them.
void TestCli::bigRunsAnnounceTheirMemory() {
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("PSC_MEMORY_NOTICE_BYTES", "100000");
    const QString out = path("big.npy"), traj = path("big-traj.npy");
    const QStringList args{"sample", "--dataset", "one-charge", "--particles",
                           "2000",   "--steps",   "6",          "--trajectory",
                           traj,     "--out",     out,          "--quiet"};
    const auto noticed = runApp(args, env);
    QCOMPARE(noticed.code, 0);
    QCOMPARE(noticed.err.count('\n'), 1); // the notice, even with --quiet
    const QRegularExpression notice("^poissonscope sample: this run needs about [0-9.]+ [KMG]?B of "
                                    "memory \\(1 charge, 2000 particles, 7 recorded frames\\)\n$");
    QVERIFY2(notice.match(noticed.err).hasMatch(), qPrintable(noticed.err));
    QVERIFY(QFile::exists(out) && QFile::exists(traj));
    QVERIFY(QFile::remove(out) && QFile::remove(traj));
    // Below the notice threshold: silent.
    QVERIFY(runApp(args).err.isEmpty());
    QVERIFY(QFile::remove(out) && QFile::remove(traj));

    env.insert("PSC_MEMORY_LIMIT_BYTES", "200000");
    const auto refused = runApp(args, env);
    QCOMPARE(refused.code, 2);
    QCOMPARE(refused.err.count('\n'), 1);
    QVERIFY2(refused.err.contains("more than this machine's physical memory (about 195 KB)") &&
                 refused.err.contains("--force") && refused.err.contains("nothing written"),
             qPrintable(refused.err));
    QVERIFY(!QFile::exists(out) && !QFile::exists(traj));
    QVERIFY(QDir(m_dir.path()).entryList({"*.tmp-*"}).isEmpty());

    const auto forced = runApp(args + QStringList{"--force"}, env);
    QCOMPARE(forced.code, 0);
    QVERIFY2(notice.match(forced.err).hasMatch(), qPrintable(forced.err));
    QVERIFY(QFile::exists(out) && QFile::exists(traj));
}

// The exact field's samples copy the data (memorisation near 1, distance small); a shifted copy
// is far; eval's own numbers come from physics/metrics (tested there).
void TestCli::evalComparesSamplesWithData() {
    const QString data = path("data.csv"), copy = path("copy.csv"), shifted = path("shifted.csv"),
                  samples = path("s.csv");
    writeFile(data, "x1,x2\n0,0\n1,0\n0,1\n1,1\n0.5,0.5\n");
    writeFile(copy, "x1,x2\n0,0\n1,0\n0,1\n1,1\n0.5,0.5\n");
    writeFile(shifted, "x1,x2\n3,3\n4,3\n3,4\n4,4\n3.5,3.5\n");
    auto number = [](const QString& out, const QString& key) {
        for (const auto& line : out.split('\n'))
            if (line.startsWith(key + " ")) return line.section(' ', 1).toDouble();
        return -1.0;
    };
    const auto same = runApp({"eval", "--samples", copy, "--data", data});
    QCOMPARE(same.code, 0);
    QCOMPARE(number(same.out, "sw2"), 0.0);
    QCOMPARE(number(same.out, "mmd"), 0.0);
    QCOMPARE(number(same.out, "memorisation"), 1.0);
    const auto far = runApp({"eval", "--samples", shifted, "--data", data});
    QCOMPARE(far.code, 0);
    QVERIFY(number(far.out, "sw2") > 2.0);
    QVERIFY(number(far.out, "mmd") > 0.5);
    QCOMPARE(number(far.out, "memorisation"), 0.0);
    // The exact field's samples sit on the charges they came from: memorisation ≈ 1 against them.
    psc::physics::DatasetParams params;
    params.count = 200;
    const auto charges = psc::physics::makeDataset("two-moons", params);
    const QString chargesFile = path("charges.csv");
    psc::physics::savePoints(
        chargesFile.toStdString(), 2,
        std::vector<double>(charges.positions().begin(), charges.positions().end()));
    QCOMPARE(
        runApp({"sample", "--data", chargesFile, "--particles", "300", "--quiet", "--out", samples})
            .code,
        0);
    const auto exact = runApp({"eval", "--samples", samples, "--data", chargesFile});
    QVERIFY2(number(exact.out, "memorisation") > 0.95, qPrintable(exact.out));
    const auto refused = runApp({"eval", "--samples", path("missing.csv"), "--data", data});
    QCOMPARE(refused.code, 2);
    QVERIFY(refused.err.contains("missing.csv"));
}

// A small network trained from the command line, saved, and used by sample; its refusals.
void TestCli::trainThenSampleWithTheModel() {
    const QString model = path("m.pt"), out = path("learned.csv");
    if (!psc::physics::learnedFieldsBuiltIn()) {
        // Built without LibTorch: every learned-field command says so, in one line, and writes
        // nothing.
        for (const QStringList& args :
             {QStringList{"train", "--dataset", "three-charges", "--out", model},
              QStringList{"sample", "--model", model, "--out", out}}) {
            const auto r = runApp(args);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.contains("not built into this Poissonscope") && r.err.count('\n') == 1,
                     qPrintable(r.err));
        }
        const auto torch = runApp({"sample", "--backend", "torch", "--out", out});
        QCOMPARE(torch.code, 1);
        QVERIFY2(torch.err.contains("the torch backend needs LibTorch"), qPrintable(torch.err));
        QVERIFY(!QFile::exists(model) && !QFile::exists(out));
        return;
    }
    const QStringList small{"--steps", "300",     "--batch", "256",       "--width",
                            "32",      "--depth", "2",       "--threads", "2"};
    const auto trained = runApp(
        QStringList{"train", "--dataset", "three-charges", "--D", "inf", "--out", model} + small);
    QVERIFY2(trained.code == 0, qPrintable(trained.err));
    QVERIFY(trained.err.contains("300 steps"));
    const auto sampled = runApp({"sample", "--model", model, "--particles", "500", "--out", out});
    QVERIFY2(sampled.code == 0, qPrintable(sampled.err));
    QVERIFY(sampled.err.contains("learned field"));
    const auto points = psc::physics::loadPoints(out.toStdString());
    QCOMPARE(points.values.size(), std::size_t(1000));
    // The learned field still brings the noise (spread ~80) back near the three charges (spread
    // ~1).
    double r2 = 0;
    for (double v : points.values) r2 += v * v;
    QVERIFY2(std::sqrt(r2 / 500) < 5.0, qPrintable(QString::number(std::sqrt(r2 / 500))));

    const auto wrongD = runApp({"sample", "--model", model, "--D", "4", "--out", path("x.csv")});
    QCOMPARE(wrongD.code, 2);
    QVERIFY(wrongD.err.contains("trained at D = inf"));
    writeFile(path("junk.pt"), "not a model");
    const auto junk = runApp({"sample", "--model", path("junk.pt"), "--out", path("x.csv")});
    QCOMPARE(junk.code, 2);
    QVERIFY(junk.err.contains("junk.pt"));
    const auto noFolder = runApp(QStringList{"train", "--out", path("no/such/m.pt")} + small);
    QCOMPARE(noFolder.code, 2);
    QVERIFY(!QFile::exists(path("x.csv")));
}

// A tiny robustness experiment over two seeds: the summary with intervals, the per-seed table,
// the figure, the sample sheet and the report of resolved pairs, all in --dir.
void TestCli::experimentWritesTableAndFigure() {
    const QString dir = path("exp");
    const QStringList small{
        "experiment", "--dataset", "two-moons", "--count",      "200",   "--D",
        "1,inf",      "--seeds",   "2",         "--steps",      "100",   "--samples",
        "300",        "--alpha",   "0,0.2",     "--heun-steps", "4,9",   "--bits",
        "5,9",        "--threads", "2",         "--quiet",      "--dir", dir};
    if (!psc::physics::learnedFieldsBuiltIn()) {
        const auto r = runApp(small);
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains("not built into this Poissonscope") &&
                     r.err.contains("--fields exact"),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir + "/summary.csv"));
    }
    const auto r = runApp(
        psc::physics::learnedFieldsBuiltIn() ? small : small + QStringList{"--fields", "exact"});
    QVERIFY2(r.code == 0, qPrintable(r.err));
    const bool learned = psc::physics::learnedFieldsBuiltIn();
    auto lines = [](const QString& file) {
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) return QStringList();
        return QString::fromUtf8(f.readAll()).trimmed().split('\n');
    };
    // Per seed: the data baseline, 2 D × (2 α + 2 Heun) exact and, when built, 2 D × 6 learned.
    const int settings = 1 + 8 + (learned ? 12 : 0);
    const QStringList summary = lines(dir + "/summary.csv");
    QVERIFY(summary.first().startsWith("field,protocol,value,D,nfe,seeds,sw2,sw2_lo,sw2_hi,"));
    QCOMPARE(summary.size(), 1 + settings);
    QVERIFY(summary[1].startsWith("data,baseline,0,,0,2,"));
    QVERIFY(summary.contains(QRegularExpression("^exact,nfe,7,inf,7,2,[^,]+,[^,]+,[^,]+,.*")));
    if (learned) QVERIFY(summary.contains(QRegularExpression("^learned,bits,5,1,35,2,.*")));
    QCOMPARE(lines(dir + "/seeds.csv").size(), 1 + 2 * settings);
    const QImage image(dir + "/figure.png");
    QCOMPARE(image.width(), 1500);
    int ink = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) ink += image.pixel(x, y) != qRgb(255, 255, 255);
    QVERIFY2(ink > 4000, qPrintable(QString::number(ink)));
    QCOMPARE(QFile::exists(dir + "/samples.png"), learned);
    const QString report = lines(dir + "/report.txt").join('\n');
    QVERIFY2(report.contains("pairs of D resolved at 95%") && report.contains("2 seeds per point"),
             qPrintable(report));
    QVERIFY(r.out.contains("pairs of D resolved at 95%"));

    const auto bad = runApp({"experiment", "--D", "1,zero", "--out", path("never.csv")});
    QCOMPARE(bad.code, 2);
    QVERIFY(!QFile::exists(path("never.csv")));
    const auto study = runApp({"experiment", "--study", "faces", "--dir", path("never")});
    QCOMPARE(study.code, 2);
    QVERIFY(study.err.contains("unknown study 'faces'"));
    QCOMPARE(runApp({"experiment", "--quick", "--dir", path("never")}).code, 2);
    QCOMPARE(runApp({"experiment", "--seeds", "0", "--dir", path("never")}).code, 2);
    QCOMPARE(runApp({"experiment", "--fields", "exact", "--data", path("missing.csv"), "--dir",
                     path("never")})
                 .code,
             2);
    QVERIFY(!QDir(path("never")).exists());
    const auto noParent =
        runApp({"experiment", "--fields", "exact", "--dir", path("no/such/place")});
    QCOMPARE(noParent.code, 2);
    QVERIFY(noParent.err.contains("--dir: cannot write into"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
