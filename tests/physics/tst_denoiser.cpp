// Oracle 9 on the CPU: the fast float path agrees with the double reference; edge cases of x̂.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"

#include <QTest>

#include <cmath>

using namespace psc::physics;

namespace {

ChargeSet randomCharges(int n, std::size_t m, bool weighted, std::uint64_t seed,
                        double offset = 0) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.05, 3.0);
    std::vector<double> y(m * n), w;
    for (auto& v : y) v = offset + normal(rng);
    if (weighted)
        for (std::size_t i = 0; i < m; ++i) w.push_back(uniform(rng));
    return ChargeSet(n, y, w);
}

} // namespace

class TestDenoiser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fastMatchesReference_data();
    void fastMatchesReference();
    void fastIsIndependentOfThreadCount();
    void pointOnAChargeAtTinySigma();
    void hugeSigmaGivesTheMean_data();
    void hugeSigmaGivesTheMean();
    void posteriorIsASoftmax();
    void invalidDIsRefused();
    void extremeInputsStayFinite();
    void parsingD();
};

void TestDenoiser::fastMatchesReference_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    QTest::addColumn<bool>("weighted");
    QTest::addColumn<std::size_t>("m");
    for (int n : {1, 2, 3, 5, 64, 784})
        for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, 1e9, kInfiniteD})
            for (bool weighted : {false, true})
                QTest::addRow("N=%d D=%s %s", n, formatExtraDims(d).c_str(),
                              weighted ? "weighted" : "uniform")
                    << n << d << weighted
                    << std::size_t(n <= 2   ? 203
                                   : n < 64 ? 77
                                            : 37); // not a multiple of 8
}

// Tolerance: 1e-4 of the data's spread. The float kernel's error (N <= 3) grows like
// ε·|x − y|²/σ², the rounding of the log-weights; the measured worst case here is 2.5e-5. Above
// N = 3 the double path is within rounding of the reference.
void TestDenoiser::fastMatchesReference() {
    QFETCH(int, n);
    QFETCH(double, d);
    QFETCH(bool, weighted);
    QFETCH(std::size_t, m);
    const auto charges = randomCharges(n, m, weighted, 17, 5.0);
    const ReferenceDenoiser reference(charges, d);
    const FastDenoiser fast(charges, d, 2);
    Rng rng(99);
    std::normal_distribution<double> normal;
    const double tolerance = 1e-4 * charges.rmsSpread();
    for (double sigma : {1e-3, 0.02, 0.3, 1.0, 10.0, 80.0}) {
        std::vector<double> x(300 * n);
        for (auto& v : x) v = 5.0 + normal(rng) * (1.0 + sigma);
        std::vector<double> a(x.size()), b(x.size());
        reference.denoise(x, sigma, a);
        fast.denoise(x, sigma, b);
        std::size_t worst = 0;
        for (std::size_t i = 0; i < x.size(); ++i)
            if (std::abs(a[i] - b[i]) > std::abs(a[worst] - b[worst])) worst = i;
        QVERIFY2(std::abs(a[worst] - b[worst]) < tolerance,
                 qPrintable(QString("sigma %1, value %2: %3 vs %4")
                                .arg(sigma)
                                .arg(worst)
                                .arg(a[worst])
                                .arg(b[worst])));
    }
}

void TestDenoiser::fastIsIndependentOfThreadCount() {
    const auto charges = randomCharges(2, 1000, true, 3);
    std::vector<double> x(2 * 4001);
    Rng rng(1);
    std::normal_distribution<double> normal;
    for (auto& v : x) v = normal(rng);
    std::vector<double> one(x.size()), four(x.size());
    FastDenoiser(charges, 8.0, 1).denoise(x, 0.4, one);
    FastDenoiser(charges, 8.0, 4).denoise(x, 0.4, four);
    QVERIFY(one == four); // each point is computed by the same code in the same order
}

void TestDenoiser::pointOnAChargeAtTinySigma() {
    const ChargeSet charges(2, {0, 0, 1, 0, 0, 1});
    for (double d : {1.0, 64.0, 1e9, kInfiniteD}) {
        const std::vector<double> x{1, 0};
        std::vector<double> a(2), b(2);
        ReferenceDenoiser(charges, d).denoise(x, 1e-6, a);
        FastDenoiser(charges, d, 1).denoise(x, 1e-6, b);
        QVERIFY(std::abs(a[0] - 1) < 1e-12 && std::abs(a[1]) < 1e-12);
        QVERIFY(std::abs(b[0] - 1) < 1e-6 && std::abs(b[1]) < 1e-6);
    }
}

void TestDenoiser::hugeSigmaGivesTheMean_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 3.5, 1e6, kInfiniteD})
        QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

// Far above the data every charge pulls equally per unit charge: x̂ → the weighted mean.
void TestDenoiser::hugeSigmaGivesTheMean() {
    QFETCH(double, d);
    const auto charges = randomCharges(3, 50, true, 5);
    const auto mean = charges.mean();
    const std::vector<double> x{0.1, 0.2, -0.1};
    std::vector<double> a(3), b(3);
    ReferenceDenoiser(charges, d).denoise(x, 1e6, a);
    FastDenoiser(charges, d, 1).denoise(x, 1e6, b);
    for (int k = 0; k < 3; ++k) {
        QVERIFY(std::abs(a[k] - mean[k]) < 1e-8);
        QVERIFY(std::abs(b[k] - mean[k]) < 1e-5);
    }
}

void TestDenoiser::posteriorIsASoftmax() {
    const ChargeSet charges(2, {0, 0, 2, 0}, {1, 3});
    const ReferenceDenoiser denoiser(charges, 2.0);
    const std::vector<double> x{0.5, 0.5};
    const double sigma = 0.7, r2 = sigma * sigma * 2.0;
    const auto pi = denoiser.posterior(x, sigma);
    // Closed form with raw powers (fine at D = 2): w_i ∝ q_i (d_i² + r²)^(−(N+D)/2).
    const double w0 = 0.25 * std::pow(0.5 + r2, -2.0), w1 = 0.75 * std::pow(2.25 + 0.25 + r2, -2.0);
    QVERIFY(std::abs(pi[0] - w0 / (w0 + w1)) < 1e-14);
    QVERIFY(std::abs(pi[1] - w1 / (w0 + w1)) < 1e-14);
}

void TestDenoiser::invalidDIsRefused() {
    const ChargeSet charges(2, {0, 0});
    for (double d : {0.0, 0.5, -1.0, std::nan(""), -kInfiniteD}) {
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ReferenceDenoiser(charges, d));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, FastDenoiser(charges, d));
    }
}

// A point 1e11 away at σ = 1e-9 overflows the float log-weights; D = 1e300 leaves float's
// range for (N+D)/2. Neither may produce NaN.
void TestDenoiser::extremeInputsStayFinite() {
    const ChargeSet charges(2, {0, 0, 1, 0, 0, 1}, {1, 2, 3});
    const std::vector<double> far{1e11, 1.0};
    for (double d : {1.0, 64.0, kInfiniteD}) {
        std::vector<double> a(2), b(2);
        ReferenceDenoiser(charges, d).denoise(far, 1e-9, a);
        FastDenoiser(charges, d, 1).denoise(far, 1e-9, b);
        // Float cannot tell these charges apart from 1e11 away (1e11 − 1 rounds to 1e11): the
        // fast path must stay finite and inside the charges' hull; only double resolves them.
        QVERIFY2(std::isfinite(b[0]) && std::isfinite(b[1]) && b[0] >= -1e-6 && b[1] >= -1e-6 &&
                     b[0] + b[1] <= 1 + 1e-6,
                 qPrintable(QString("%1, %2").arg(b[0]).arg(b[1])));
        // Double: the Gaussian kernel picks the nearest charge, (1, 0); the Student-t kernels'
        // heavy tails weigh all charges alike from that far, giving the weighted mean (1/3, 1/2).
        const double ex = isInfiniteD(d) ? 1.0 : 1.0 / 3.0, ey = isInfiniteD(d) ? 0.0 : 0.5;
        QVERIFY2(std::abs(a[0] - ex) < 1e-9 && std::abs(a[1] - ey) < 1e-9,
                 qPrintable(QString("%1, %2").arg(a[0]).arg(a[1])));
    }
    std::vector<double> x{0.3, 0.4, 2.0, -1.0}, a(4), b(4);
    ReferenceDenoiser(charges, 1e300).denoise(x, 0.5, a);
    FastDenoiser(charges, 1e300, 1).denoise(x, 0.5, b);
    for (int i = 0; i < 4; ++i)
        QVERIFY2(std::abs(a[i] - b[i]) < 1e-5, qPrintable(QString("%1 vs %2").arg(a[i]).arg(b[i])));
}

void TestDenoiser::parsingD() {
    QCOMPARE(*parseExtraDims("inf"), kInfiniteD);
    QCOMPARE(*parseExtraDims("128"), 128.0);
    QCOMPARE(*parseExtraDims("3.5"), 3.5);
    QVERIFY(!parseExtraDims("12abc"));
    QVERIFY(!parseExtraDims(""));
    QVERIFY(validateExtraDims(*parseExtraDims("0.5")));
    QVERIFY(validateExtraDims(*parseExtraDims("nan")));
    QCOMPARE(formatExtraDims(1e6), std::string("1e+06"));
    QCOMPARE(formatExtraDims(kInfiniteD), std::string("inf"));
}

QTEST_APPLESS_MAIN(TestDenoiser)
#include "tst_denoiser.moc"
