// Oracles 1, 3, 6 and 8: straight single-charge flows, the D → ∞ limit, solver orders, round trips.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/flow_solver.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/sigma_schedule.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

Q_DECLARE_METATYPE(SolverKind)

namespace {

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

ChargeSet twoCharges() {
    return ChargeSet(2, {-1.0, 0.2, 1.0, -0.3}, {0.6, 0.4});
}

} // namespace

class TestFlowOracles : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void scheduleEndsAndMonotone();
    void singleChargeFlowsAreStraight_data();
    void singleChargeFlowsAreStraight();
    void largeDMatchesDiffusionLimit_data();
    void largeDMatchesDiffusionLimit();
    void solverOrders_data();
    void solverOrders();
    void forwardThenBackwardReturns_data();
    void forwardThenBackwardReturns();
    void trajectoryRecording();
    void cancelStopsTheFlow();
    void validation();
    void injectedNoise();
};

void TestFlowOracles::scheduleEndsAndMonotone() {
    const auto s = edmSigmaSchedule(80.0, 0.002, 18);
    QCOMPARE(s.size(), std::size_t(18));
    QCOMPARE(s.front(), 80.0);
    QCOMPARE(s.back(), 0.002);
    for (std::size_t k = 1; k < s.size(); ++k) QVERIFY(s[k] < s[k - 1]);
    // EDM's second value for these settings (ρ = 7, 18 steps), computed independently.
    const double a = std::pow(80.0, 1 / 7.0), b = std::pow(0.002, 1 / 7.0);
    QVERIFY(std::abs(s[1] - std::pow(a + (b - a) / 17.0, 7.0)) < 1e-12);
    QCOMPARE(edmSigmaSchedule(5.0, 1.0, 1).size(), std::size_t(1));
}

void TestFlowOracles::singleChargeFlowsAreStraight_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    QTest::addColumn<SolverKind>("solver");
    for (int n : {1, 2, 3, 5, 64, 784})
        for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, kInfiniteD})
            for (auto s : {SolverKind::Euler, SolverKind::Heun, SolverKind::Rk4, SolverKind::Rk45})
                QTest::addRow("N=%d D=%s %s", n, formatExtraDims(d).c_str(), solverName(s))
                    << n << d << s;
}

// x(σ) − y = (x(σ₀) − y) σ/σ₀ exactly: the velocity is constant along the line, so every
// Runge–Kutta method integrates it without error, on both the float and the double path.
void TestFlowOracles::singleChargeFlowsAreStraight() {
    QFETCH(int, n);
    QFETCH(double, d);
    QFETCH(SolverKind, solver);
    std::vector<double> y(n);
    for (int k = 0; k < n; ++k) y[k] = std::sin(1.7 * k + 0.3); // off the origin in most axes
    ChargeSet charge(n, y);
    FlowSettings settings;
    settings.solver = solver;
    settings.sigmaMax = 40.0;
    settings.sigmaMin = 0.01;
    settings.steps = 12;
    settings.finalStepToZero = false;
    settings.recordEvery = 1;
    const auto start = samplePriorMixture(charge, settings.sigmaMax, d, 50, 3);
    const ReferenceDenoiser reference(charge, d);
    const FastDenoiser fast(charge, d, 2);
    for (const Denoiser* denoiser :
         {static_cast<const Denoiser*>(&reference), static_cast<const Denoiser*>(&fast)}) {
        const auto result = integrateFlow(*denoiser, start, settings);
        QCOMPARE(result.status, FlowStatus::Completed);
        QVERIFY(result.frames.size() >= 2);
        for (const auto& frame : result.frames) {
            const double ratio = frame.sigma / settings.sigmaMax;
            double worst = 0, scale = 1.0;
            for (std::size_t p = 0; p < 50; ++p)
                for (int k = 0; k < n; ++k) {
                    const double expected = y[k] + (start[p * n + k] - y[k]) * ratio;
                    worst = std::max(worst, std::abs(frame.points[p * n + k] - expected));
                    scale = std::max(scale, std::abs(start[p * n + k] - y[k]));
                }
            // Exact up to rounding, which accumulates relative to the starting distance (the
            // heavy-tailed D = 1 prior starts some points 1e5 away).
            QVERIFY2(worst <= 1e-10 * scale, qPrintable(QString("%1 at sigma %2: off by %3")
                                                            .arg(denoiser->name())
                                                            .arg(frame.sigma)
                                                            .arg(worst)));
        }
    }
    // And the final step to σ = 0 lands exactly on the charge.
    settings.finalStepToZero = true;
    const auto landed = integrateFlow(reference, start, settings);
    for (std::size_t p = 0; p < 50; ++p)
        for (int k = 0; k < n; ++k) QVERIFY(std::abs(landed.points[p * n + k] - y[k]) < 1e-12);
}

void TestFlowOracles::largeDMatchesDiffusionLimit_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<SolverKind>("solver");
    for (int n : {1, 2, 3, 5, 64, 784})
        for (auto s : {SolverKind::Euler, SolverKind::Heun, SolverKind::Rk4})
            QTest::addRow("N=%d %s", n, solverName(s)) << n << s;
}

// The flow at D = 10⁶ matches the D = ∞ (Gaussian) code path to ~1e−4 (O(1/D) apart).
void TestFlowOracles::largeDMatchesDiffusionLimit() {
    QFETCH(int, n);
    QFETCH(SolverKind, solver);
    Rng rng(8);
    std::normal_distribution<double> normal;
    std::vector<double> y(40 * n);
    for (auto& v : y) v = normal(rng);
    ChargeSet charges(n, y);
    FlowSettings settings;
    settings.solver = solver;
    settings.steps = 24;
    settings.sigmaMax = 20.0;
    const auto start = samplePriorCentred(charges, settings.sigmaMax, kInfiniteD, 200, 4);
    const auto big = integrateFlow(ReferenceDenoiser(charges, 1e6), start, settings);
    const auto inf = integrateFlow(ReferenceDenoiser(charges, kInfiniteD), start, settings);
    QVERIFY2(maxAbsDiff(big.points, inf.points) < 1e-4,
             qPrintable(QString::number(maxAbsDiff(big.points, inf.points))));
    // The same through the float path.
    const auto bigFast = integrateFlow(FastDenoiser(charges, 1e6, 1), start, settings);
    const auto infFast = integrateFlow(FastDenoiser(charges, kInfiniteD, 1), start, settings);
    QVERIFY(maxAbsDiff(bigFast.points, infFast.points) < 1e-3);
}

void TestFlowOracles::solverOrders_data() {
    QTest::addColumn<SolverKind>("solver");
    QTest::addColumn<double>("order");
    QTest::addColumn<double>("d");
    const std::pair<SolverKind, double> solvers[] = {
        {SolverKind::Euler, 1.0}, {SolverKind::Heun, 2.0}, {SolverKind::Rk4, 4.0}};
    for (auto [solver, order] : solvers)
        for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, kInfiniteD})
            QTest::addRow("%s D=%s", solverName(solver), formatExtraDims(d).c_str())
                << solver << order << d;
}

// Against a Dormand–Prince run at rtol 1e−12, halving the step must divide the error by 2^p.
void TestFlowOracles::solverOrders() {
    QFETCH(SolverKind, solver);
    QFETCH(double, order);
    QFETCH(double, d);
    const auto charges = twoCharges();
    const ReferenceDenoiser denoiser(charges, d);
    FlowSettings settings;
    settings.sigmaMax = 3.0;
    settings.sigmaMin = 0.6;
    settings.rho = 1.0; // uniform steps: a smooth, well-resolved problem
    settings.finalStepToZero = false;
    const std::vector<double> start{0.4, 2.0, -2.5, -1.0, 1.5, 0.5};
    FlowSettings exactSettings = settings;
    exactSettings.solver = SolverKind::Rk45;
    exactSettings.rtol = exactSettings.atol = 1e-13;
    const auto exact = integrateFlow(denoiser, start, exactSettings);
    settings.solver = solver;
    std::vector<double> errors;
    for (int steps : {33, 65, 129}) { // 32, 64, 128 intervals: in the asymptotic regime for every D
        settings.steps = steps;
        errors.push_back(maxAbsDiff(integrateFlow(denoiser, start, settings).points, exact.points));
    }
    for (std::size_t i = 1; i < errors.size(); ++i) {
        const double observed = std::log2(errors[i - 1] / errors[i]);
        QVERIFY2(std::abs(observed - order) < 0.3,
                 qPrintable(QString("observed order %1 (errors %2, %3)")
                                .arg(observed)
                                .arg(errors[i - 1])
                                .arg(errors[i])));
    }
}

void TestFlowOracles::forwardThenBackwardReturns_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<SolverKind>("solver");
    QTest::addColumn<double>("tolerance");
    for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, kInfiniteD}) {
        QTest::addRow("D=%s rk45", formatExtraDims(d).c_str()) << d << SolverKind::Rk45 << 1e-6;
        QTest::addRow("D=%s rk4", formatExtraDims(d).c_str()) << d << SolverKind::Rk4 << 1e-3;
    }
}

void TestFlowOracles::forwardThenBackwardReturns() {
    QFETCH(double, d);
    QFETCH(SolverKind, solver);
    QFETCH(double, tolerance);
    const auto charges = twoCharges();
    const ReferenceDenoiser denoiser(charges, d);
    FlowSettings settings;
    settings.solver = solver;
    settings.sigmaMin = 0.05;
    settings.sigmaMax = 10.0;
    settings.steps = 200;
    settings.rtol = settings.atol = 1e-10;
    settings.finalStepToZero = false;
    settings.direction = FlowDirection::Forward;
    const auto start = samplePriorMixture(charges, settings.sigmaMin, d, 30, 6);
    const auto up = integrateFlow(denoiser, start, settings);
    QCOMPARE(up.sigmaReached, settings.sigmaMax);
    settings.direction = FlowDirection::Backward;
    const auto down = integrateFlow(denoiser, up.points, settings);
    QCOMPARE(down.sigmaReached, settings.sigmaMin);
    QVERIFY2(maxAbsDiff(down.points, start) < tolerance,
             qPrintable(QString::number(maxAbsDiff(down.points, start))));
}

void TestFlowOracles::trajectoryRecording() {
    const auto charges = twoCharges();
    const ReferenceDenoiser denoiser(charges, 2.0);
    FlowSettings settings;
    settings.steps = 10;
    settings.recordEvery = 4;
    const auto start = samplePriorMixture(charges, settings.sigmaMax, 2.0, 5, 1);
    const auto r = integrateFlow(denoiser, start, settings);
    // σ_max, steps 4 and 8 of the 10 (9 scheduled + final), and σ = 0.
    QCOMPARE(r.frames.size(), std::size_t(4));
    QCOMPARE(r.frames.front().sigma, 80.0);
    QCOMPARE(r.frames.back().sigma, 0.0);
    QVERIFY(r.frames.back().points == r.points);
    QCOMPARE(r.acceptedSteps, 10);
    QCOMPARE(r.denoiserCalls, std::size_t(9 * 2 + 1)); // Heun: no corrector on the last step
    QVERIFY(!r.framesTruncated);
    settings.recordEvery = 1;
    settings.maxRecordedFrames = 3;
    const auto capped = integrateFlow(denoiser, start, settings);
    QCOMPARE(capped.frames.size(), std::size_t(3));
    QVERIFY(capped.framesTruncated);
    QCOMPARE(capped.status, FlowStatus::Completed);
}

void TestFlowOracles::cancelStopsTheFlow() {
    const auto charges = twoCharges();
    const ReferenceDenoiser denoiser(charges, 2.0);
    FlowSettings settings;
    CancelFlag cancel{false};
    int calls = 0;
    const auto r = integrateFlow(
        denoiser, std::vector<double>{50.0, 3.0}, settings,
        [&](double) {
            if (++calls == 3) cancel = true;
        },
        &cancel);
    QCOMPARE(r.status, FlowStatus::Cancelled);
    QCOMPARE(r.acceptedSteps, 3);
}

void TestFlowOracles::validation() {
    FlowSettings s;
    QVERIFY(!validateFlowSettings(s));
    s.sigmaMin = 0;
    QVERIFY(validateFlowSettings(s));
    s = {};
    s.sigmaMax = 0.001;
    QVERIFY(validateFlowSettings(s)->find("sigma-max") != std::string::npos);
    s = {};
    s.steps = 0;
    QVERIFY(validateFlowSettings(s));
    s = {};
    s.rtol = std::nan("");
    QVERIFY(validateFlowSettings(s));
    QVERIFY(parseSolver("rk45") == SolverKind::Rk45);
    QVERIFY(!parseSolver("rk5"));
}

// Protocol (a): noise before every step. One charge: the last step still lands exactly on it
// (x̂ = y whatever x), while the path in between is no longer the straight line; α = 0 changes
// nothing; the noise has its own seed; rk45 and negative α are refused.
void TestFlowOracles::injectedNoise() {
    const ChargeSet one(2, {0.3, -0.7});
    const ReferenceDenoiser denoiser(one, 16.0);
    FlowSettings settings;
    settings.steps = 12;
    settings.recordEvery = 1;
    const auto start = samplePriorMixture(one, settings.sigmaMax, 16.0, 50, 4);
    const auto plain = integrateFlow(denoiser, start, settings);
    settings.noiseAlpha = 0.2;
    settings.noiseSeed = 9;
    const auto noisy = integrateFlow(denoiser, start, settings);
    const auto again = integrateFlow(denoiser, start, settings);
    QCOMPARE(noisy.points, again.points);
    for (std::size_t p = 0; p < 50; ++p) {
        QVERIFY(std::abs(noisy.points[2 * p] - 0.3) < 1e-12);
        QVERIFY(std::abs(noisy.points[2 * p + 1] + 0.7) < 1e-12);
    }
    double moved = 0;
    const auto& mid = noisy.frames[6].points;
    for (std::size_t i = 0; i < mid.size(); ++i)
        moved = std::max(moved, std::abs(mid[i] - plain.frames[6].points[i]));
    QVERIFY2(moved > 1e-3, qPrintable(QString::number(moved)));
    settings.noiseAlpha = 0;
    QCOMPARE(integrateFlow(denoiser, start, settings).points, plain.points);
    settings.noiseAlpha = 0.1;
    settings.solver = SolverKind::Rk45;
    QVERIFY(validateFlowSettings(settings).has_value());
    settings.solver = SolverKind::Heun;
    settings.noiseAlpha = -0.1;
    QVERIFY(validateFlowSettings(settings).has_value());
}

QTEST_APPLESS_MAIN(TestFlowOracles)
#include "tst_flow_oracles.moc"
