// The batched log-σ integrator behind learned hemisphere flows, and the denoiser difference map:
// a closed form (one charge), the adaptive exact tracer as reference, and constructed denoisers.
#include "physics/datasets.h"
#include "physics/denoiser_map.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/field_line_tracer.h"
#include "physics/log_sigma_flow.h"
#include "physics/reference_denoiser.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

namespace {

// x̂ = scale·x + shift, whatever σ: a denoiser whose difference from another is known exactly.
class AffineDenoiser final : public Denoiser {
public:
    AffineDenoiser(int n, double scale, std::vector<double> shift)
        : m_n(n), m_scale(scale), m_shift(std::move(shift)) {}
    int dim() const override { return m_n; }
    void denoise(std::span<const double> points, double, std::span<double> out) const override {
        for (std::size_t i = 0; i < points.size(); ++i)
            out[i] = m_scale * points[i] + m_shift[i % m_n];
    }
    const char* name() const override { return "affine"; }

private:
    int m_n;
    double m_scale;
    std::vector<double> m_shift;
};

} // namespace

class TestLogSigmaFlow : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void defaultDenoiseEachUsesEachSigma();
    void singleChargeCurvesAreStraight();
    void matchesTheAdaptiveTracer_data();
    void matchesTheAdaptiveTracer();
    void cancelAndValidation();
    void differenceMapOfIdenticalDenoisersIsZero();
    void differenceMapMeasuresAKnownOffset();
    void differenceMapSamplesCellCentres();
    void differenceMapValidation();
};

void TestLogSigmaFlow::defaultDenoiseEachUsesEachSigma() {
    const ChargeSet charges(2, {-1.0, 0.0, 1.0, 0.5, 0.2, -0.7}, {1.0, 2.0, 1.0});
    const ReferenceDenoiser reference(charges, 3.0);
    const std::vector<double> points{0.3, 0.1, -2.0, 1.0, 4.0, 4.0};
    const std::vector<double> sigmas{0.05, 1.0, 20.0};
    std::vector<double> each(points.size());
    reference.denoiseEach(points, sigmas, each);
    for (std::size_t p = 0; p < sigmas.size(); ++p) {
        std::vector<double> one(2);
        reference.denoise(std::span(points).subspan(2 * p, 2), sigmas[p], one);
        QCOMPARE(each[2 * p], one[0]);
        QCOMPARE(each[2 * p + 1], one[1]);
    }
}

void TestLogSigmaFlow::singleChargeCurvesAreStraight() {
    // One charge c: x̂ = c, so x(σ) = c + (x0 − c)·σ/σ0, a straight line landing on c.
    const ChargeSet charge(2, {0.7, -0.4});
    const ReferenceDenoiser denoiser(charge, 1.0);
    const std::vector<double> start{3.0, 2.0, -5.0, 1.0, 0.9, -0.3};
    const std::vector<double> sigma{10.0, 80.0, 0.5};
    const auto curves = integrateLogSigmaRk4(denoiser, start, sigma, 0.002, 96);
    QCOMPARE(curves.size(), std::size_t(3));
    for (std::size_t p = 0; p < curves.size(); ++p) {
        const auto& c = curves[p];
        QCOMPARE(c.sigma.size(), std::size_t(98));
        QCOMPARE(c.sigma.front(), sigma[p]);
        QCOMPARE(c.sigma[96], 0.002);
        QCOMPARE(c.sigma.back(), 0.0);
        double worst = 0;
        for (std::size_t k = 0; k + 1 < c.sigma.size(); ++k)
            for (int i = 0; i < 2; ++i) {
                const double exact =
                    charge.position(0)[i] +
                    (start[2 * p + i] - charge.position(0)[i]) * c.sigma[k] / sigma[p];
                worst = std::max(worst, std::abs(c.x[2 * k + i] - exact));
            }
        QVERIFY2(worst < 1e-5, qPrintable(QString("off the straight line by %1").arg(worst)));
        QCOMPARE(c.x[c.x.size() - 2], 0.7);
        QCOMPARE(c.x.back(), -0.4);
    }
}

void TestLogSigmaFlow::matchesTheAdaptiveTracer_data() {
    QTest::addColumn<double>("d");
    QTest::newRow("D=1") << 1.0;
    QTest::newRow("D=64") << 64.0;
    QTest::newRow("D=inf") << kInfiniteD;
}

void TestLogSigmaFlow::matchesTheAdaptiveTracer() {
    // The viewer's exact hemisphere particles are traced adaptively at rtol 1e-5; 96 fixed steps
    // over the same seeds must end at the same charges.
    QFETCH(double, d);
    DatasetParams params;
    params.count = 200;
    const ChargeSet charges = makeDataset("two-moons", params);
    const FastDenoiser denoiser(charges, d);
    FieldLineSettings lines;
    lines.seeding = FieldLineSeeding::Hemisphere;
    lines.count = 150;
    lines.rtol = 1e-7;
    lines.atol = 1e-9;
    lines.recordDensity = false;
    lines.threads = 0;
    const auto traced = traceFieldLines(charges, d, denoiser, lines);
    std::vector<double> start, sigma;
    for (const auto& seed : fieldLineSeeds(charges, d, lines)) {
        start.insert(start.end(), seed.x.begin(), seed.x.end());
        sigma.push_back(seed.sigma);
    }
    const auto curves = integrateLogSigmaRk4(denoiser, start, sigma, lines.sigmaMin, 96);
    QCOMPARE(curves.size(), traced.size());
    int same = 0;
    for (std::size_t p = 0; p < curves.size(); ++p) {
        std::size_t a = 0, b = 0;
        inwardLineStop(charges, std::span(curves[p].x).last(2), lines.sigmaMin, a);
        inwardLineStop(charges, std::span(traced[p].x).last(2), lines.sigmaMin, b);
        same += a == b;
    }
    QVERIFY2(same >= 147, qPrintable(QString("%1 of 150 end on the traced charge").arg(same)));
}

void TestLogSigmaFlow::cancelAndValidation() {
    const ChargeSet charge(2, {0.0, 0.0});
    const ReferenceDenoiser denoiser(charge, 1.0);
    const std::vector<double> start{1.0, 1.0};
    const std::vector<double> sigma{5.0};
    CancelFlag cancel{true};
    QVERIFY(integrateLogSigmaRk4(denoiser, start, sigma, 0.01, 8, &cancel).empty());
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             integrateLogSigmaRk4(denoiser, start, sigma, 0.01, 0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             integrateLogSigmaRk4(denoiser, start, sigma, 0.0, 8));
    const std::vector<double> nanSigma{std::nan("")};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             integrateLogSigmaRk4(denoiser, start, nanSigma, 0.01, 8));
    const std::vector<double> twoSigmas{1.0, 2.0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             integrateLogSigmaRk4(denoiser, start, twoSigmas, 0.01, 8));
}

void TestLogSigmaFlow::differenceMapOfIdenticalDenoisersIsZero() {
    const ChargeSet charges = makeDataset("two-moons", {});
    const FastDenoiser a(charges, 16.0), b(charges, 16.0);
    const auto map = denoiserDifferenceMap(a, b, 0.3, {-2, -1.5}, {3, 2}, charges.mean(), 40, 30);
    QCOMPARE(map.value.size(), std::size_t(1200));
    QCOMPARE(map.max, 0.0);
}

void TestLogSigmaFlow::differenceMapMeasuresAKnownOffset() {
    const AffineDenoiser a(2, 1.0, {0.0, 0.0}), b(2, 1.0, {0.3, -0.4});
    const std::vector<double> through{0.0, 0.0};
    const auto map = denoiserDifferenceMap(a, b, 2.0, {-1, -1}, {1, 1}, through, 8, 8);
    for (double v : map.value) QVERIFY(std::abs(v - 0.5) < 1e-12);
    QVERIFY(std::abs(map.max - 0.5) < 1e-12);
    QCOMPARE(map.sigma, 2.0);
}

void TestLogSigmaFlow::differenceMapSamplesCellCentres() {
    // Identity against zero: each cell holds the norm of its own centre, third coordinate 1.5.
    const AffineDenoiser identity(3, 1.0, {0, 0, 0}), zero(3, 0.0, {0, 0, 0});
    const std::vector<double> through{9.0, 9.0, 1.5};
    const auto map = denoiserDifferenceMap(identity, zero, 1.0, {0, 0}, {4, 2}, through, 4, 2);
    QCOMPARE(map.columns, 4);
    QCOMPARE(map.rows, 2);
    auto centre = [](double x, double y) { return std::sqrt(x * x + y * y + 1.5 * 1.5); };
    QVERIFY(std::abs(map.value[0] - centre(0.5, 0.5)) < 1e-12);
    QVERIFY(std::abs(map.value[3] - centre(3.5, 0.5)) < 1e-12);
    QVERIFY(std::abs(map.value[4] - centre(0.5, 1.5)) < 1e-12);
    QVERIFY(std::abs(map.max - centre(3.5, 1.5)) < 1e-12);
}

void TestLogSigmaFlow::differenceMapValidation() {
    const AffineDenoiser two(2, 1.0, {0, 0}), three(3, 1.0, {0, 0, 0});
    const std::vector<double> p2{0, 0};
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             denoiserDifferenceMap(two, three, 1.0, {0, 0}, {1, 1}, p2, 4, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             denoiserDifferenceMap(two, two, 0.0, {0, 0}, {1, 1}, p2, 4, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             denoiserDifferenceMap(two, two, 1.0, {1, 0}, {1, 1}, p2, 4, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             denoiserDifferenceMap(two, two, 1.0, {0, 0}, {1, 1}, p2, 0, 4));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             denoiserDifferenceMap(two, two, 1.0, {0, 0}, {1, 1}, p2, 4, 2000));
}

QTEST_GUILESS_MAIN(TestLogSigmaFlow)
#include "tst_log_sigma_flow.moc"
