// Oracle 9 for LibTorch: the torch denoiser agrees with the double reference.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/torch/torch_denoiser.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

class TestTorchDenoiser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void chunkingDoesNotChangeResults();
    void flowsAgree();
};

void TestTorchDenoiser::matchesReference_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {2, 3})
        for (double d : {1.0, 3.5, 64.0, 1e6, kInfiniteD})
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

// Float32 with the |x|² + |y|² − 2x·y expansion: 1e-4 of the spread is the stated tolerance.
void TestTorchDenoiser::matchesReference() {
    QFETCH(int, n);
    QFETCH(double, d);
    Rng rng(12);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.1, 2.0);
    std::vector<double> y(150 * n), w(150);
    for (auto& v : y) v = 3.0 + normal(rng);
    for (auto& v : w) v = uniform(rng);
    const ChargeSet charges(n, y, w);
    const ReferenceDenoiser reference(charges, d);
    const TorchDenoiser torchDenoiser(charges, d, 2, 64);
    for (double sigma : {0.01, 0.3, 2.0, 50.0}) {
        std::vector<double> x(200 * n);
        for (auto& v : x) v = 3.0 + normal(rng) * (1 + sigma);
        std::vector<double> a(x.size()), b(x.size());
        reference.denoise(x, sigma, a);
        torchDenoiser.denoise(x, sigma, b);
        for (std::size_t i = 0; i < x.size(); ++i)
            QVERIFY2(std::abs(a[i] - b[i]) < 1e-4 * charges.rmsSpread(),
                     qPrintable(QString("sigma %1: %2 vs %3").arg(sigma).arg(a[i]).arg(b[i])));
    }
}

void TestTorchDenoiser::chunkingDoesNotChangeResults() {
    const ChargeSet charges(2, {0, 0, 1, 0, 0, 1, 1, 1});
    std::vector<double> x{0.2, 0.3, 0.9, 0.1, 0.5, 0.5, -1, 2, 3, 3};
    std::vector<double> a(x.size()), b(x.size());
    TorchDenoiser(charges, 4.0, 1, 1).denoise(x, 0.5, a);
    TorchDenoiser(charges, 4.0, 1, 1000).denoise(x, 0.5, b);
    for (std::size_t i = 0; i < x.size(); ++i) QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
}

void TestTorchDenoiser::flowsAgree() {
    const ChargeSet charges(2, {-1, 0, 1, 0, 0, 1.5}, {1, 1, 2});
    FlowSettings settings;
    settings.steps = 32;
    const auto start = samplePriorMixture(charges, settings.sigmaMax, 8.0, 100, 1);
    const auto a = integrateFlow(ReferenceDenoiser(charges, 8.0), start, settings);
    const auto b = integrateFlow(TorchDenoiser(charges, 8.0, 2), start, settings);
    for (std::size_t i = 0; i < a.points.size(); ++i)
        QVERIFY(std::abs(a.points[i] - b.points[i]) < 1e-3);
}

QTEST_APPLESS_MAIN(TestTorchDenoiser)
#include "tst_torch_denoiser.moc"
