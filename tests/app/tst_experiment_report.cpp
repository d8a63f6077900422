// The experiment's words and tables on results built with known outcomes: a resolved pair is
// named with its interval, an unresolved setting says D cannot be ranked, a poor fit is called
// one, and the summary holds the baseline first with intervals per setting.
#include "app/export/experiment_plot.h"
#include "app/export/experiment_report.h"

#include "physics/extra_dims.h"

#include <QGuiApplication>
#include <QStringList>
#include <QTest>

#include <cmath>

using namespace psc;

namespace {

physics::Measurement row(physics::FieldKind field, double d, const char* protocol, double value,
                         int seed, double sw2) {
    physics::Measurement m;
    m.field = field;
    m.d = d;
    m.protocol = protocol;
    m.value = value;
    m.seed = seed;
    m.sw2 = sw2;
    m.mmd = sw2 / 2;
    m.nfe = field == physics::FieldKind::Data ? 0 : 35; // the baseline flows nothing
    return m;
}

// Four seeds: D = 1 is ten times the data's own on every seed (a poor fit, and worse than D = 8
// by far more than its spread); D = 8 and ∞ differ by noise alone at α = 0.2.
physics::ExperimentResult result() {
    physics::ExperimentResult r;
    r.ds = {1, 8, physics::kInfiniteD};
    const double noise[4] = {0.004, -0.003, 0.002, -0.001};
    for (int s = 0; s < 4; ++s) {
        r.rows.push_back(row(physics::FieldKind::Data, 0, "baseline", 0, s, 0.10 + noise[s]));
        r.rows.push_back(row(physics::FieldKind::Learned, 1, "alpha", 0, s, 1.0 + noise[s]));
        r.rows.push_back(row(physics::FieldKind::Learned, 8, "alpha", 0, s, 0.12 + noise[s]));
        r.rows.push_back(
            row(physics::FieldKind::Learned, physics::kInfiniteD, "alpha", 0, s, 0.12 - noise[s]));
        r.rows.push_back(row(physics::FieldKind::Learned, 8, "alpha", 0.2, s, 0.15 + noise[s]));
        r.rows.push_back(row(physics::FieldKind::Learned, physics::kInfiniteD, "alpha", 0.2, s,
                             0.15 + noise[3 - s]));
    }
    return r;
}

} // namespace

class TestExperimentReport : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void pairsAreNamedOnlyWhenResolved();
    void captionSaysWhatTheIntervalsSupport();
    void summaryHasTheBaselineAndIntervals();
    void figureKeepsAFarWorseDOnTheScale();
};

void TestExperimentReport::pairsAreNamedOnlyWhenResolved() {
    QStringList lines;
    for (const auto& line : exporter::resolvedPairsReport(result()))
        lines << QString::fromStdString(line);
    const QString all = lines.join('\n');
    QVERIFY2(all.contains("learned field, α = 0: D = 1 worse than D = 8 (SW2 1 vs 0.12"),
             qPrintable(all));
    QVERIFY(all.contains("learned field, α = 0: 2 of 3 pairs of D resolved at 95%"));
    // D = 8 against ∞ differ by noise that cancels in the mean: never called a difference.
    QVERIFY(!all.contains("D = 8 better than D = inf") &&
            !all.contains("D = 8 worse than D = inf"));
    QVERIFY(all.contains("learned field, α = 0.2: 0 of 1 pairs of D resolved at 95%"));
    auto oneSeed = result();
    std::erase_if(oneSeed.rows, [](const auto& m) { return m.seed > 0; });
    const auto single = exporter::resolvedPairsReport(oneSeed);
    QCOMPARE(single.size(), std::size_t(1));
    QVERIFY(single[0].find("at least two seeds") != std::string::npos);
}

void TestExperimentReport::captionSaysWhatTheIntervalsSupport() {
    physics::ExperimentSettings settings;
    settings.train.steps = 1200;
    const QString caption =
        QString::fromStdString(exporter::experimentCaption(result(), settings, "two moons"));
    QVERIFY2(caption.startsWith("two moons, 4 seeds per point; bars are 95% intervals"),
             qPrintable(caption));
    QVERIFY(caption.contains("noise tail truncated at its 99th percentile"));
    QVERIFY(caption.contains("Learned field, α = 0.2: best D = ") &&
            caption.contains("0 of 1 pairs resolved, so D cannot be ranked here"));
    QVERIFY2(caption.contains("The learned field at D = 1 fits poorly: its samples are 10 times"),
             qPrintable(caption));
    QVERIFY(!caption.contains("D = 8 fits poorly"));
}

void TestExperimentReport::summaryHasTheBaselineAndIntervals() {
    const QStringList lines =
        QString::fromStdString(exporter::experimentSummaryCsv(result())).trimmed().split('\n');
    QCOMPARE(lines.size(), 1 + 6);
    QVERIFY2(lines[1].startsWith("data,baseline,0,,0,4,"), qPrintable(lines[1]));
    QVERIFY(std::abs(lines[1].split(',')[6].toDouble() - 0.1005) < 1e-12);
    const QStringList d1 = lines[2].split(',');
    QCOMPARE(d1.mid(0, 6), (QStringList{"learned", "alpha", "0", "1", "35", "4"}));
    QVERIFY(d1[7].toDouble() < d1[6].toDouble() && d1[6].toDouble() < d1[8].toDouble());
    QVERIFY(d1[12].isEmpty() && d1[15].isEmpty()); // no end-point scores for a learned field
    QVERIFY(std::abs(d1.last().toDouble() - 1.0005 / 0.1005) < 1e-4); // SW2 over the baseline
    const QStringList seeds =
        QString::fromStdString(exporter::experimentSeedsCsv(result())).trimmed().split('\n');
    QCOMPARE(seeds.size(), 1 + 24);
}

// D = 1 at 10⁵ times the others: the axis keeps to four decades above the lowest interval, so
// D = 1 appears only as a marker on the top edge (in its colour, viridis' first) and nowhere
// lower; the caption is drawn under the panels.
void TestExperimentReport::figureKeepsAFarWorseDOnTheScale() {
    auto r = result();
    for (auto& m : r.rows)
        if (m.d == 1) m.sw2 *= 1e4;
    const QImage image = exporter::plotExperiment(r, "title", "a caption in words", 1500);
    QCOMPARE(image.width(), 1500);
    QVERIFY(image.height() > 400 && image.height() < 1000); // one row: learned only
    auto isD1 = [&](int x, int y) {
        const QColor c = image.pixelColor(x, y);
        return std::abs(c.red() - 68) < 25 && c.green() < 40 && std::abs(c.blue() - 84) < 25;
    };
    const int fs = 15, top = 6 * fs, panelHeight = 26 * fs; // experiment_plot.cpp's layout
    int atTop = 0, below = 0;
    for (int x = 0; x < 500; ++x) {
        for (int y = top - 2; y < top + 14; ++y) atTop += isD1(x, y);
        for (int y = top + 30; y < top + panelHeight; ++y) below += isD1(x, y);
    }
    QVERIFY2(atTop > 20 && below == 0, qPrintable(QString("%1 %2").arg(atTop).arg(below)));
    int dark = 0;
    for (int y = image.height() - 60; y < image.height(); ++y)
        for (int x = 0; x < 400; ++x) dark += qGray(image.pixel(x, y)) < 128;
    QVERIFY2(dark > 50, "the caption is drawn under the panels");
}

QTEST_MAIN(TestExperimentReport)
#include "tst_experiment_report.moc"
