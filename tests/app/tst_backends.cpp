// Oracle 9 for every backend: cpu (SIMD), gl (compute shaders, llvmpipe in CI) and torch agree
// with the double-precision reference on the same points, schedule and seeds.
#include "app/cli/backend_factory.h"

#include "physics/extra_dims.h"
#include "physics/flow_backend.h"
#include "physics/samplers.h"
#include "physics/torch/learned_field.h"

#include <QTest>

#include <cmath>
#include <string>

using namespace psc;
using namespace psc::physics;

namespace {

// Weighted charges around (3, 3[, 3]) with spread ~1: the offset checks that the float paths
// work relative to the data's centre.
ChargeSet weightedCharges(int n, std::size_t m, unsigned seed) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.2, 2.0);
    std::vector<double> y(m * n), w(m);
    for (auto& v : y) v = 3.0 + normal(rng);
    for (auto& v : w) v = uniform(rng);
    return ChargeSet(n, y, w);
}

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

void addGrid() {
    QTest::addColumn<QString>("backend");
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (const std::string backend : {"cpu", "gl", "torch"}) {
        // Without LibTorch the torch backend only says so (tst_cli checks the message).
        if (backend == "torch" && !physics::learnedFieldsBuiltIn()) continue;
        for (int n : {2, 3})
            for (double d : {1.0, 3.5, 64.0, kInfiniteD})
                QTest::addRow("%s N=%d D=%s", backend.c_str(), n, formatExtraDims(d).c_str())
                    << QString::fromStdString(backend) << n << d;
    }
}

std::unique_ptr<FlowBackend> backendNamed(const QString& name, const ChargeSet& charges, double d) {
    return app::makeBackend(*parseBackend(name.toStdString()), charges, d, 2);
}

} // namespace

class TestBackends : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void denoiserAgrees_data() { addGrid(); }
    void denoiserAgrees();
    void flowsAgree_data();
    void flowsAgree();
    void glFieldLinesFollowTheCpuTracer_data();
    void glFieldLinesFollowTheCpuTracer();
    void glRefusesWhatItCannotDo();
};

// Float evaluation: the stated tolerance is 1e-4 of the data's spread at every σ from 0.01 to 50
// (the error grows like ε·|x − y|²/σ², so points are drawn at the data's scale plus σ); 3e-4 for
// torch, whose matrix form |x|² + |y|² − 2x·y cancels more digits at small σ.
void TestBackends::denoiserAgrees() {
    QFETCH(QString, backend);
    QFETCH(int, n);
    QFETCH(double, d);
    const ChargeSet charges = weightedCharges(n, 300, 11);
    auto reference = makeReferenceBackend(charges, d);
    auto tested = backendNamed(backend, charges, d);
    Rng rng(5);
    std::normal_distribution<double> normal;
    double worst = 0;
    for (double sigma : {0.01, 0.3, 2.0, 50.0}) {
        std::vector<double> x(500 * n);
        for (auto& v : x) v = 3.0 + normal(rng) * (1 + sigma);
        std::vector<double> a(x.size()), b(x.size());
        reference->denoise(x, sigma, a);
        tested->denoise(x, sigma, b);
        const double err = maxAbsDiff(a, b) / charges.rmsSpread();
        worst = std::max(worst, err);
        QVERIFY2(err < (backend == "torch" ? 3e-4 : 1e-4),
                 qPrintable(QString("sigma %1: worst error %2 of the spread").arg(sigma).arg(err)));
    }
    qInfo("%s: worst |dx_hat| = %.2g of the spread", qPrintable(backend), worst);
}

void TestBackends::flowsAgree_data() {
    addGrid();
}

// The whole flow from the exact prior at σ_max = 80 to σ = 0 on the EDM schedule, recorded every
// 4 steps: every recorded frame and the end points agree with the reference to 1e-3 of the
// spread (the gl state is float: |x| ≈ 100 at the top carries 1e-5 rounding per step).
void TestBackends::flowsAgree() {
    QFETCH(QString, backend);
    QFETCH(int, n);
    QFETCH(double, d);
    const ChargeSet charges = weightedCharges(n, 60, 3);
    auto reference = makeReferenceBackend(charges, d);
    auto tested = backendNamed(backend, charges, d);
    for (SolverKind solver : {SolverKind::Euler, SolverKind::Heun, SolverKind::Rk4}) {
        FlowSettings settings;
        settings.steps = 18;
        settings.solver = solver;
        settings.recordEvery = 4;
        const auto start = samplePriorMixture(charges, settings.sigmaMax, d, 256, 21);
        const auto a = reference->integrate(start, settings);
        const auto b = tested->integrate(start, settings);
        QCOMPARE(b.status, FlowStatus::Completed);
        QCOMPARE(b.frames.size(), a.frames.size());
        QCOMPARE(b.denoiserCalls, a.denoiserCalls);
        double worst = 0;
        for (std::size_t f = 0; f < a.frames.size(); ++f) {
            QCOMPARE(b.frames[f].sigma, a.frames[f].sigma);
            QCOMPARE(b.frames[f].step, a.frames[f].step);
            worst = std::max(worst, maxAbsDiff(a.frames[f].points, b.frames[f].points));
        }
        worst = std::max(worst, maxAbsDiff(a.points, b.points)) / charges.rmsSpread();
        QVERIFY2(
            worst < 1e-3,
            qPrintable(
                QString("%1: worst error %2 of the spread").arg(solverName(solver)).arg(worst)));
        qInfo("%s %s: worst |dx| along the flow = %.2g of the spread", qPrintable(backend),
              solverName(solver), worst);
    }
}

void TestBackends::glFieldLinesFollowTheCpuTracer_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<bool>("inward");
    for (double d : {1.0, 64.0, kInfiniteD})
        for (bool inward : {true, false})
            QTest::addRow("D=%s %s", formatExtraDims(d).c_str(),
                          inward ? "hemisphere->data" : "data->hemisphere")
                << d << inward;
}

// The GPU traces with fixed rk4 steps in log σ, the CPU adaptively (rtol 1e-6): the same seeds
// must end at the same place (inward: on the same charge; outward: on the hemisphere within
// 1% of its radius), and every GPU outward line must end on the hemisphere itself.
void TestBackends::glFieldLinesFollowTheCpuTracer() {
    QFETCH(double, d);
    QFETCH(bool, inward);
    const ChargeSet charges = weightedCharges(2, 12, 8);
    FieldLineSettings settings;
    settings.seeding = inward ? FieldLineSeeding::Hemisphere : FieldLineSeeding::Charges;
    settings.count = 96;
    settings.stopAtHemisphere = true;
    settings.rtol = 1e-6;
    settings.atol = 1e-8;
    settings.threads = 2;
    auto cpu = makeReferenceBackend(charges, d);
    auto gl = backendNamed("gl", charges, d);
    const auto a = cpu->traceFieldLines(settings);
    const auto b = gl->traceFieldLines(settings);
    QCOMPARE(b.size(), a.size());
    const auto center = charges.mean();
    const double radius = isInfiniteD(d) ? settings.sigmaMax : settings.sigmaMax * std::sqrt(d);
    int sameEnd = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        QCOMPARE(b[i].stop, a[i].stop == FieldLineStop::ReachedPlane ? b[i].stop : a[i].stop);
        const auto ea = std::span<const double>(a[i].x).last(2),
                   eb = std::span<const double>(b[i].x).last(2);
        if (inward) {
            sameEnd += b[i].charge == a[i].charge;
            QCOMPARE(b[i].sigma.back(), 0.0);
        } else {
            const double dist =
                std::hypot(ea[0] - eb[0], ea[1] - eb[1]) +
                (isInfiniteD(d) ? 0.0
                                : std::sqrt(d) * std::abs(a[i].sigma.back() - b[i].sigma.back()));
            sameEnd += dist < 0.01 * radius;
            const double r2 = (eb[0] - center[0]) * (eb[0] - center[0]) +
                              (eb[1] - center[1]) * (eb[1] - center[1]);
            const double onSphere =
                isInfiniteD(d) ? b[i].sigma.back() / settings.sigmaMax
                               : std::sqrt(r2 + d * b[i].sigma.back() * b[i].sigma.back()) / radius;
            QVERIFY2(std::abs(onSphere - 1) < 1e-3,
                     qPrintable(QString("line %1 ends at %2 of the radius").arg(i).arg(onSphere)));
        }
    }
    qInfo("%d of %zu GPU lines end where the CPU's do", sameEnd, a.size());
    QVERIFY2(sameEnd >= static_cast<int>(0.95 * a.size()),
             qPrintable(QString("only %1 of %2").arg(sameEnd).arg(a.size())));
}

void TestBackends::glRefusesWhatItCannotDo() {
    const ChargeSet four(4, {0, 0, 0, 0, 1, 1, 1, 1});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, backendNamed("gl", four, 1.0));
    const ChargeSet two(2, {0, 0, 1, 1});
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, backendNamed("gl", two, 0.5));
    // rk45 runs through the GPU denoiser on the CPU's step control and still agrees.
    FlowSettings settings;
    settings.solver = SolverKind::Rk45;
    settings.rtol = settings.atol = 1e-4;
    const auto start = samplePriorMixture(two, settings.sigmaMax, 2.0, 16, 1);
    const auto a = makeReferenceBackend(two, 2.0)->integrate(start, settings);
    const auto b = backendNamed("gl", two, 2.0)->integrate(start, settings);
    QCOMPARE(b.status, FlowStatus::Completed);
    QVERIFY(maxAbsDiff(a.points, b.points) < 1e-3);
    // Injected noise (protocol (a)) is drawn on the CPU from the same seed on every backend.
    settings.solver = SolverKind::Heun;
    settings.noiseAlpha = 0.1;
    settings.noiseSeed = 5;
    const auto c = makeReferenceBackend(two, 2.0)->integrate(start, settings);
    const auto e = backendNamed("gl", two, 2.0)->integrate(start, settings);
    QVERIFY(maxAbsDiff(c.points, e.points) < 1e-3);
}

QTEST_MAIN(TestBackends)
#include "tst_backends.moc"
