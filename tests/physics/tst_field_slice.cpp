// The x₁–σ slice against closed forms (one charge), symmetry (two charges), a brute-force field,
// the reference denoiser, and its validation, cancellation and speed.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/field_slice.h"
#include "physics/kernel.h"
#include "physics/reference_denoiser.h"
#include "physics/tree_denoiser.h"

#include <QElapsedTimer>
#include <QTest>

#include <cmath>
#include <initializer_list>
#include <random>
#include <thread>

using namespace psc::physics;

namespace {

double cellX1(const FieldSlice& s, int i) {
    return s.lo + (i + 0.5) * (s.hi - s.lo) / s.columns;
}
// Rows are spaced logarithmically in σ by default (logAxisGivesEveryDecadeItsRows checks the
// spacing); the closed forms below are evaluated wherever the slice put its rows.
double cellSigma(const FieldSlice& s, int j) {
    return s.cellSigma(j);
}

ChargeSet randomCharges(int n, int count, unsigned seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<double> coord(0.0, 1.0);
    std::uniform_real_distribution<double> weight(0.2, 2.0);
    std::vector<double> positions(count * n), weights(count);
    for (double& p : positions) p = coord(rng);
    for (double& w : weights) w = weight(rng);
    return ChargeSet(n, positions, weights);
}

void addDRows(std::initializer_list<double> ds) {
    QTest::addColumn<double>("d");
    for (double d : ds) QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

SliceSettings smallSettings(std::vector<double> through) {
    SliceSettings s;
    s.lo = -2.5;
    s.hi = 2;
    s.sigmaTop = 2;
    s.columns = 24;
    s.rows = 16;
    s.through = std::move(through);
    return s;
}

} // namespace

class TestFieldSlice : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void oneChargeFieldStrength_data();
    void oneChargeFieldStrength();
    void oneChargeArrowsPointAway_data();
    void oneChargeArrowsPointAway();
    void oneChargeLinesAreStraight_data();
    void oneChargeLinesAreStraight();
    void twoChargesAreMirrorSymmetric_data();
    void twoChargesAreMirrorSymmetric();
    void fieldMatchesBruteForce_data();
    void fieldMatchesBruteForce();
    void treeGivesTheSameSlice();
    void hugeDStaysFinite();
    void infiniteDScoreMatchesReference();
    void arrowsAndLinesMatchReference();
    void logDensityMatchesClosedForm_data();
    void logDensityMatchesClosedForm();
    void invalidSettingsThrow();
    void cancellingReturnsEmpty();
    void logAxisGivesEveryDecadeItsRows();
    void colourWindowSpansAtMostSixDecades_data();
    void colourWindowSpansAtMostSixDecades();
};

void TestFieldSlice::oneChargeFieldStrength_data() {
    addDRows({1.0, 3.0, 1e6, 1e9});
}

// log10 |E| = −(N+D−1) log10 ρ for a unit charge, at every cell; the slice passes 0.3 off it in
// x₂ so that the other coordinates count too.
void TestFieldSlice::oneChargeFieldStrength() {
    QFETCH(double, d);
    const ChargeSet one(2, {0.4, -0.2});
    const FieldSlice s = computeFieldSlice(one, d, smallSettings({0, 0.1}));
    QCOMPARE(s.label, std::string("log10 |E|"));
    QCOMPARE(static_cast<int>(s.value.size()), s.columns * s.rows);
    double worst = 0;
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            const double dx = cellX1(s, i) - 0.4, r2 = std::pow(cellSigma(s, j), 2) * d;
            const double d2 = dx * dx + 0.3 * 0.3;
            // log ρ² = log r² + log1p(d2/r²): exact for any D.
            const double log10Rho = 0.5 * (std::log(r2) + std::log1p(d2 / r2)) / std::log(10.0);
            const double expected = -(2 + d - 1) * log10Rho;
            const double error = std::abs(s.value[j * s.columns + i] - expected);
            worst = std::max(worst, error / std::max(1.0, std::abs(expected)));
        }
    qInfo("worst relative error %.3g", worst);
    QVERIFY2(worst < 1e-13, qPrintable(QString::number(worst)));
    QVERIFY(s.minValue <= s.maxValue);
}

void TestFieldSlice::oneChargeArrowsPointAway_data() {
    addDRows({1.0, 3.0, kInfiniteD});
}

// One charge: dx₁/dσ = (x₁ − y₁)/σ, so each arrow is parallel to (x₁ − y₁, σ).
void TestFieldSlice::oneChargeArrowsPointAway() {
    QFETCH(double, d);
    const ChargeSet one(2, {0.4, -0.2});
    const FieldSlice s = computeFieldSlice(one, d, smallSettings({0, 0.1}));
    QCOMPARE(static_cast<int>(s.arrows.size()), s.arrowColumns * s.arrowRows);
    for (const auto& a : s.arrows) {
        const double ux = a.x1 - 0.4, us = a.sigma, norm = std::hypot(ux, us);
        QVERIFY(std::abs(std::hypot(a.dx1, a.dsigma) - 1) < 1e-14);
        QVERIFY2(
            std::abs(a.dx1 * us - a.dsigma * ux) < 1e-13 * norm,
            qPrintable(
                QString("(%1, %2) at (%3, %4)").arg(a.dx1).arg(a.dsigma).arg(a.x1).arg(a.sigma)));
        QVERIFY(a.dx1 * ux + a.dsigma * us > 0);
    }
}

void TestFieldSlice::oneChargeLinesAreStraight_data() {
    addDRows({1.0, 3.0, kInfiniteD});
}

// One charge: x₁ − y₁ ∝ σ. RK4 in ln σ approximates the exponential, so the line is straight to
// its truncation error (about steps·h⁵/120 = 2.5e-5 for 48 steps over ln 1000), and it ends on y₁.
void TestFieldSlice::oneChargeLinesAreStraight() {
    QFETCH(double, d);
    const ChargeSet one(2, {0.4, -0.2});
    SliceSettings settings = smallSettings({0, 0.1});
    settings.lineCount = 9;
    const FieldSlice s = computeFieldSlice(one, d, settings);
    QCOMPARE(static_cast<int>(s.lines.size()), 9);
    double worst = 0;
    for (const auto& line : s.lines) {
        QCOMPARE(static_cast<int>(line.size()), settings.lineSteps + 2);
        QCOMPARE(line.front()[1], s.sigmaTop);
        QVERIFY(std::abs(line[line.size() - 2][1] - 1e-3 * s.sigmaTop) < 1e-18);
        QCOMPARE(line.back()[1], 0.0);
        QCOMPARE(line.back()[0], 0.4);
        const double slope = (line.front()[0] - 0.4) / s.sigmaTop;
        for (std::size_t p = 1; p + 1 < line.size(); ++p) {
            const double here = (line[p][0] - 0.4) / line[p][1];
            worst = std::max(worst, std::abs(here - slope) / std::abs(slope));
        }
    }
    qInfo("worst relative slope deviation %.3g", worst);
    QVERIFY2(worst < 1e-4, qPrintable(QString::number(worst)));
}

void TestFieldSlice::twoChargesAreMirrorSymmetric_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<int>("quantity");
    for (double d : {1.0, 3.0, kInfiniteD})
        for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity})
            QTest::addRow("D=%s %s", formatExtraDims(d).c_str(),
                          q == SliceQuantity::FieldStrength ? "field" : "density")
                << d << static_cast<int>(q);
}

// Equal charges at x₁ = ±1: the picture mirrors about x₁ = 0, and on the midline the flow is
// straight up (x̂₁ = 0 there). Odd column counts put a column on the midline. The slice runs
// through the charges (x₂ = 0.2) so that the lines can end on them.
void TestFieldSlice::twoChargesAreMirrorSymmetric() {
    QFETCH(double, d);
    QFETCH(int, quantity);
    const ChargeSet two(2, {-1, 0.2, 1, 0.2});
    SliceSettings settings = smallSettings({0, 0.2});
    settings.lo = -3;
    settings.hi = 3;
    settings.columns = 31;
    settings.arrowColumns = 15;
    settings.lineCount = 10;
    settings.quantity = static_cast<SliceQuantity>(quantity);
    const FieldSlice s = computeFieldSlice(two, d, settings);
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            const double a = s.value[j * s.columns + i];
            const double b = s.value[j * s.columns + s.columns - 1 - i];
            QVERIFY2(std::abs(a - b) <= 1e-12 * std::max(1.0, std::abs(a)),
                     qPrintable(QString("%1 vs %2").arg(a).arg(b)));
        }
    for (int j = 0; j < s.arrowRows; ++j) {
        const auto* row = &s.arrows[j * s.arrowColumns];
        for (int i = 0; i < s.arrowColumns; ++i)
            QVERIFY(std::abs(row[i].dx1 + row[s.arrowColumns - 1 - i].dx1) < 1e-12);
        const auto& mid = row[s.arrowColumns / 2];
        QVERIFY(std::abs(mid.x1) < 1e-15);
        QVERIFY(std::abs(mid.dx1) < 1e-12);
        QVERIFY(std::abs(mid.dsigma - 1) < 1e-12);
    }
    double worstEnd = 0;
    for (std::size_t k = 0; k < s.lines.size(); ++k) {
        const auto& a = s.lines[k];
        const auto& b = s.lines[s.lines.size() - 1 - k];
        for (std::size_t p = 0; p < a.size(); ++p)
            QVERIFY(std::abs(a[p][0] + b[p][0]) < 1e-9 && a[p][1] == b[p][1]);
        // Ends on the charge on its own side; at D = 1 the other one still pulls with weight
        // about (σ_end/2)^(N+D) ~ 1e-9 at σ_end = 2e-3.
        const double miss = std::abs(a.back()[0] - (a.front()[0] < 0 ? -1 : 1));
        worstEnd = std::max(worstEnd, miss);
        QVERIFY2(miss < 1e-7, qPrintable(QString::number(a.back()[0], 'g', 17)));
    }
    qInfo("worst line end %.3g from its charge", worstEnd);
    // At D = ∞ the score vanishes on the midline (x̂ = x there): those cells take the floor.
    if (isInfiniteD(d) && settings.quantity == SliceQuantity::FieldStrength)
        for (int j = 0; j < s.rows; ++j)
            QCOMPARE(s.value[j * s.columns + s.columns / 2], s.minValue);
}

void TestFieldSlice::fieldMatchesBruteForce_data() {
    QTest::addColumn<int>("n");
    QTest::newRow("N=2") << 2;
    QTest::newRow("N=3") << 3;
}

// E = Σ q_i (x − y_i, r) / ρ_i^(N+D) at D = 3 straight from the definition, no logs.
void TestFieldSlice::fieldMatchesBruteForce() {
    QFETCH(int, n);
    const double d = 3;
    const ChargeSet charges = randomCharges(n, 5, 7);
    std::vector<double> through{0, 0.3, -0.4};
    through.resize(n);
    const FieldSlice s = computeFieldSlice(charges, d, smallSettings(through));
    double worst = 0;
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            std::vector<double> x = through;
            x[0] = cellX1(s, i);
            const double r = cellSigma(s, j) * std::sqrt(d);
            std::vector<double> e(n + 1, 0.0);
            for (std::size_t c = 0; c < charges.size(); ++c) {
                double rho2 = r * r;
                for (int k = 0; k < n; ++k) rho2 += std::pow(x[k] - charges.position(c)[k], 2);
                const double w = charges.weights()[c] / std::pow(std::sqrt(rho2), n + d);
                for (int k = 0; k < n; ++k) e[k] += w * (x[k] - charges.position(c)[k]);
                e[n] += w * r;
            }
            double norm2 = 0;
            for (double v : e) norm2 += v * v;
            const double got = std::pow(10.0, s.value[j * s.columns + i]);
            worst = std::max(worst, std::abs(got - std::sqrt(norm2)) / std::sqrt(norm2));
        }
    qInfo("worst relative error of |E| %.3g", worst);
    QVERIFY2(worst < 1e-9, qPrintable(QString::number(worst)));
}

void TestFieldSlice::hugeDStaysFinite() {
    const ChargeSet charges = randomCharges(2, 5, 11);
    for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity}) {
        SliceSettings settings = smallSettings({0, 0});
        settings.quantity = q;
        const FieldSlice s = computeFieldSlice(charges, 1e9, settings);
        for (double v : s.value) QVERIFY(std::isfinite(v));
        QVERIFY(std::isfinite(s.minValue) && std::isfinite(s.maxValue));
        for (const auto& a : s.arrows) QVERIFY(std::isfinite(a.dx1) && std::isfinite(a.dsigma));
        for (const auto& line : s.lines)
            for (const auto& p : line) QVERIFY(std::isfinite(p[0]) && std::isfinite(p[1]));
    }
}

// D = ∞: the value is log10 |x̂ − x| / σ² with x̂ the reference denoiser's.
void TestFieldSlice::infiniteDScoreMatchesReference() {
    const ChargeSet charges = randomCharges(2, 5, 3);
    const ReferenceDenoiser reference(charges, kInfiniteD);
    const FieldSlice s = computeFieldSlice(charges, kInfiniteD, smallSettings({0, 0.2}));
    QCOMPARE(s.label, std::string("log10 |score|"));
    double worst = 0;
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            const std::vector<double> x{cellX1(s, i), 0.2};
            std::vector<double> xhat(2);
            const double sigma = cellSigma(s, j);
            reference.denoise(x, sigma, xhat);
            const double score = std::hypot(xhat[0] - x[0], xhat[1] - x[1]) / (sigma * sigma);
            worst = std::max(worst, std::abs(s.value[j * s.columns + i] - std::log10(score)));
        }
    qInfo("worst log10 error %.3g", worst);
    QVERIFY2(worst < 1e-9, qPrintable(QString::number(worst)));
}

// Arrows and line ends use x̂₁ of the full N-dimensional point, as the reference computes it.
void TestFieldSlice::arrowsAndLinesMatchReference() {
    const ChargeSet charges = randomCharges(3, 6, 5);
    for (double d : {2.0, 50.0, kInfiniteD}) {
        const ReferenceDenoiser reference(charges, d);
        SliceSettings settings = smallSettings({0, -0.3, 0.5});
        settings.lineCount = 5;
        const FieldSlice s = computeFieldSlice(charges, d, settings);
        for (const auto& a : s.arrows) {
            std::vector<double> xhat(3);
            reference.denoise(std::vector<double>{a.x1, -0.3, 0.5}, a.sigma, xhat);
            const double slope = (a.x1 - xhat[0]) / a.sigma;
            QVERIFY(std::abs(a.dx1 - slope / std::hypot(slope, 1.0)) < 1e-12);
            QVERIFY(std::abs(a.dsigma - 1 / std::hypot(slope, 1.0)) < 1e-12);
        }
        for (const auto& line : s.lines) {
            const auto& last = line[line.size() - 2];
            std::vector<double> xhat(3);
            reference.denoise(std::vector<double>{last[0], -0.3, 0.5}, last[1], xhat);
            QVERIFY(std::abs(line.back()[0] - xhat[0]) < 1e-12);
        }
    }
}

void TestFieldSlice::logDensityMatchesClosedForm_data() {
    addDRows({1.0, 3.0, 1e6, kInfiniteD});
}

// One charge: p_σ(x) = Γ((N+D)/2) / (Γ(D/2) π^(N/2)) · r^D / (d² + r²)^((N+D)/2), Gaussian at ∞;
// two charges: the mixture, against kernel.h's logPerturbedDensity.
void TestFieldSlice::logDensityMatchesClosedForm() {
    QFETCH(double, d);
    const int n = 2;
    SliceSettings settings = smallSettings({0, 0.1});
    settings.quantity = SliceQuantity::LogDensity;
    // On the linear axis, as before the log axis became the default: its lowest row, σ = 1/16, is
    // where the absolute bound below was set. At σ = 1e-3 of the top the D = ∞ exponent
    // d²/2σ² reaches 1e4, and 1e-12 would be below the closed form's own rounding there.
    settings.sigmaAxis = SliceAxis::Linear;
    const FieldSlice s = computeFieldSlice(ChargeSet(n, {0.4, -0.2}), d, settings);
    QCOMPARE(s.label, std::string("log10 p_σ"));
    double worst = 0;
    for (int j = 0; j < s.rows; ++j)
        for (int i = 0; i < s.columns; ++i) {
            const double sigma = cellSigma(s, j), dx = cellX1(s, i) - 0.4;
            const double d2 = dx * dx + 0.09;
            double logP;
            if (isInfiniteD(d)) {
                logP = -std::log(2 * M_PI * sigma * sigma) - d2 / (2 * sigma * sigma);
            } else {
                const double r = sigma * std::sqrt(d);
                logP = std::lgamma(0.5 * (n + d)) - std::lgamma(0.5 * d) - std::log(M_PI) +
                       d * std::log(r) - 0.5 * (n + d) * std::log(d2 + r * r);
            }
            worst = std::max(worst, std::abs(s.value[j * s.columns + i] - logP / std::log(10.0)));
        }
    qInfo("worst log10 error %.3g", worst);
    // At D = 1e6 the closed form itself subtracts terms of size 1e7: 1e-8 is its own rounding.
    QVERIFY2(worst < (d > 1e3 && !isInfiniteD(d) ? 1e-7 : 1e-12),
             qPrintable(QString::number(worst)));

    const ChargeSet two(n, {0.4, -0.2, -1, 0.5}, {1, 3});
    const FieldSlice m = computeFieldSlice(two, d, settings);
    for (int j = 0; j < m.rows; ++j)
        for (int i = 0; i < m.columns; ++i) {
            const std::vector<double> x{cellX1(m, i), 0.1};
            const double expected =
                logPerturbedDensity(two, x, cellSigma(m, j), d) / std::log(10.0);
            QVERIFY(std::abs(m.value[j * m.columns + i] - expected) <
                    1e-12 * std::max(1.0, std::abs(expected)));
        }
}

void TestFieldSlice::invalidSettingsThrow() {
    const ChargeSet one(2, {0, 0});
    auto with = [](auto change) {
        SliceSettings s = smallSettings({0, 0});
        change(s);
        return s;
    };
    const auto good = with([](SliceSettings&) {});
    QVERIFY(!computeFieldSlice(one, 1, good).empty());
    const FieldSlice bare = computeFieldSlice(one, 1, with([](SliceSettings& s) {
                                                  s.arrowColumns = s.lineCount = 0;
                                                  s.columns = s.rows = 1;
                                              }));
    QVERIFY(bare.value.size() == 1 && bare.arrows.empty() && bare.lines.empty());
    QCOMPARE(bare.minValue, bare.maxValue);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeFieldSlice(one, 0.5, good));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeFieldSlice(one, NAN, good));
    const std::vector<SliceSettings> bad{
        with([](SliceSettings& s) { s.through = {0}; }),
        with([](SliceSettings& s) {
            s.through = {0, 0, 0};
        }),
        with([](SliceSettings& s) {
            s.through = {0, NAN};
        }),
        with([](SliceSettings& s) { s.columns = 0; }),
        with([](SliceSettings& s) { s.rows = 1025; }),
        with([](SliceSettings& s) { s.arrowColumns = -1; }),
        with([](SliceSettings& s) { s.lineCount = -1; }),
        with([](SliceSettings& s) { s.lineSteps = 0; }),
        with([](SliceSettings& s) { s.hi = s.lo; }),
        with([](SliceSettings& s) { s.lo = -INFINITY; }),
        with([](SliceSettings& s) { s.hi = NAN; }),
        with([](SliceSettings& s) { s.sigmaTop = 0; }),
        with([](SliceSettings& s) { s.sigmaTop = INFINITY; }),
    };
    for (const auto& s : bad)
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, computeFieldSlice(one, 1, s));
}

void TestFieldSlice::cancellingReturnsEmpty() {
    const ChargeSet charges = randomCharges(2, 512, 1);
    CancelFlag cancel{true};
    QVERIFY(computeFieldSlice(charges, 3, smallSettings({0, 0}), &cancel).empty());
    // Mid-run: a slice that takes seconds stops soon after the flag is raised.
    SliceSettings big = smallSettings({0, 0});
    big.columns = big.rows = 1024;
    cancel = false;
    std::thread raiser([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        cancel = true;
    });
    QElapsedTimer timer;
    timer.start();
    const FieldSlice s = computeFieldSlice(charges, 3, big, &cancel);
    raiser.join();
    QVERIFY(s.empty() && s.lines.empty() && s.arrows.empty());
    qInfo("returned %lld ms after the start", static_cast<long long>(timer.elapsed()));
}

// The default σ axis is logarithmic from 1e-3·σ_top (where the lines end) to σ_top: the rows'
// σ grow by one factor, the arrows' rows too; the linear axis is still there on request.
void TestFieldSlice::logAxisGivesEveryDecadeItsRows() {
    const ChargeSet one(2, {0.4, -0.2});
    const FieldSlice s = computeFieldSlice(one, 3.0, smallSettings({0, 0.1}));
    QVERIFY(s.sigmaAxis == SliceAxis::Log);
    QCOMPARE(s.sigmaBottom, kSliceLogBottom * s.sigmaTop);
    const double factor = std::pow(1.0 / kSliceLogBottom, 1.0 / s.rows);
    for (int j = 0; j + 1 < s.rows; ++j)
        QVERIFY(std::abs(s.cellSigma(j + 1) / s.cellSigma(j) / factor - 1) < 1e-12);
    QVERIFY(std::abs(s.cellSigma(0) / (s.sigmaBottom * std::sqrt(factor)) - 1) < 1e-12);
    for (double v : {0.0, 0.25, 0.5, 1.0}) QVERIFY(std::abs(s.heightOf(s.sigmaAt(v)) - v) < 1e-12);
    QCOMPARE(s.heightOf(0.0), -INFINITY);
    // A third of the rows per decade: σ below a tenth of the top gets two thirds of them, where a
    // linear axis gave it a tenth.
    int below = 0;
    for (int j = 0; j < s.rows; ++j) below += s.cellSigma(j) < 0.1 * s.sigmaTop;
    QVERIFY2(below >= s.rows * 2 / 3 - 1, qPrintable(QString::number(below)));
    for (int j = 0; j < s.arrowRows; ++j)
        QVERIFY(std::abs(s.arrows[j * s.arrowColumns].sigma - s.cellSigma(j, s.arrowRows)) <
                1e-15 * s.sigmaTop);
    const auto& line = s.lines.front();
    QVERIFY(std::abs(line[line.size() - 2][1] - s.sigmaBottom) < 1e-18);

    SliceSettings linear = smallSettings({0, 0.1});
    linear.sigmaAxis = SliceAxis::Linear;
    const FieldSlice l = computeFieldSlice(one, 3.0, linear);
    QCOMPARE(l.sigmaBottom, 0.0);
    for (int j = 0; j < l.rows; ++j)
        QVERIFY(std::abs(l.cellSigma(j) - (j + 0.5) * l.sigmaTop / l.rows) < 1e-15);
}

void TestFieldSlice::colourWindowSpansAtMostSixDecades_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<int>("quantity");
    QTest::addColumn<int>("axis");
    for (double d : {1.0, 128.0, kInfiniteD})
        for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity})
            for (auto a : {SliceAxis::Log, SliceAxis::Linear})
                QTest::addRow("D=%s %s %s", formatExtraDims(d).c_str(),
                              q == SliceQuantity::FieldStrength ? "field" : "density",
                              a == SliceAxis::Log ? "log" : "linear")
                    << d << static_cast<int>(q) << static_cast<int>(a);
}

// Charges spread like the window's data: the values span tens to thousands of decades (σ down to
// 1e-3 of the top), the colours at most kSliceColourDecades, from the top of the values (their
// 98th percentile) down, never outside minValue..maxValue; a slice that spans few decades keeps
// its whole range.
void TestFieldSlice::colourWindowSpansAtMostSixDecades() {
    QFETCH(double, d);
    QFETCH(int, quantity);
    QFETCH(int, axis);
    const ChargeSet charges = randomCharges(2, 40, 9);
    SliceSettings settings = smallSettings(charges.mean());
    settings.lo = -3.5, settings.hi = 3.5, settings.sigmaTop = 3;
    settings.columns = 64, settings.rows = 48;
    settings.quantity = static_cast<SliceQuantity>(quantity);
    settings.sigmaAxis = static_cast<SliceAxis>(axis);
    const FieldSlice s = computeFieldSlice(charges, d, settings);
    qInfo("values %.3g..%.3g (%.3g decades), colours %.3g..%.3g", s.minValue, s.maxValue,
          s.maxValue - s.minValue, s.colourLo, s.colourHi);
    QVERIFY(s.minValue <= s.colourLo && s.colourLo < s.colourHi && s.colourHi <= s.maxValue);
    QVERIFY2(s.colourHi - s.colourLo <= kSliceColourDecades,
             qPrintable(QString::number(s.colourHi - s.colourLo)));
    if (s.maxValue - s.minValue <= kSliceColourDecades) {
        QCOMPARE(s.colourLo, s.minValue);
        QCOMPARE(s.colourHi, s.maxValue);
        return;
    }
    QVERIFY(s.clippedLow() || s.clippedHigh());
    int above = 0, inside = 0;
    for (double v : s.value) {
        above += v > s.colourHi;
        inside += v >= s.colourLo && v <= s.colourHi;
    }
    QVERIFY2(above <= static_cast<int>(0.02 * s.value.size()) + 1,
             qPrintable(QString::number(above)));
    // The density is normalised at every σ, so six decades at its top colour a good part of the
    // map. |E| grows like σ^−(N+D−1) towards the plane: at large D its top six decades are the
    // cells nearest the charges, and the rest takes the floor colour.
    if (settings.quantity == SliceQuantity::LogDensity)
        QVERIFY2(inside >= static_cast<int>(0.2 * s.value.size()),
                 qPrintable(QString::number(inside)));
}

// Many charges: the slice from the tree code's x̂ and density equals the direct one, the density
// to within the tree's tolerance on Σw, the field strength where |x − x̂| is well above it.
void TestFieldSlice::treeGivesTheSameSlice() {
    std::mt19937_64 rng(4);
    std::normal_distribution<double> normal;
    std::vector<double> y;
    for (int i = 0; i < 6000; ++i) {
        y.push_back(normal(rng) + (i % 2 ? 2.0 : -2.0));
        y.push_back(0.5 * normal(rng));
    }
    const ChargeSet charges(2, y);
    for (double d : {1.0, kInfiniteD}) {
        const TreeDenoiser tree(charges, d, 1e-4, 1);
        SliceSettings s;
        s.lo = -5;
        s.hi = 5;
        s.through = {0.0, 0.3};
        s.columns = 24;
        s.rows = 16;
        s.arrowColumns = s.arrowRows = 0;
        s.lineCount = 4;
        for (auto quantity : {SliceQuantity::LogDensity, SliceQuantity::FieldStrength}) {
            s.quantity = quantity;
            const FieldSlice direct = computeFieldSlice(charges, d, s);
            const FieldSlice viaTree = computeFieldSlice(charges, d, s, nullptr, &tree);
            QCOMPARE(viaTree.value.size(), direct.value.size());
            double worst = 0;
            for (std::size_t i = 0; i < direct.value.size(); ++i)
                worst = std::max(worst, std::abs(viaTree.value[i] - direct.value[i]));
            // log10 units: 1e-5 is a relative error of 2e-5 in the density; the field strength
            // also carries x̂'s error, 1e-4 of the spread against |x − x̂| of order σ.
            QVERIFY2(worst < (quantity == SliceQuantity::LogDensity ? 1e-5 : 1e-3),
                     qPrintable(QString("D = %1: %2").arg(d).arg(worst)));
            QCOMPARE(viaTree.lines.size(), direct.lines.size());
        }
    }
}

QTEST_GUILESS_MAIN(TestFieldSlice)
#include "tst_field_slice.moc"
