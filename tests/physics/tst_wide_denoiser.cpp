// The large-N fast path (WideDenoiser through FastDenoiser) against the double reference,
// including the case float matrix products get wrong: σ near σ_min with x on or next to a charge
// that has close neighbours.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/wide_denoiser.h"

#include <QTest>

#include <cmath>
#include <thread>

using namespace psc::physics;

namespace {

// Gaussian charges offset by 5 (so centring matters), a third of them twins of another at a
// distance comparable to the smallest σ, weights spread over four decades.
ChargeSet clusteredCharges(int n, std::size_t m, std::uint64_t seed) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> decades(-4.0, 0.0);
    std::vector<double> y(m * n), w(m);
    const double twinStep = 0.004 / std::sqrt(static_cast<double>(n));
    for (std::size_t i = 0; i < m; ++i) {
        const bool twin = i >= 1 && i % 3 == 0;
        for (int c = 0; c < n; ++c)
            y[i * n + c] = twin ? y[(i - 1) * n + c] + twinStep * normal(rng) : 5.0 + normal(rng);
        w[i] = std::pow(10.0, decades(rng));
    }
    return ChargeSet(n, y, w);
}

// Points of every kind: on a charge, within 1e-4·σ-ish of one, between twins, and spread out.
std::vector<double> probePoints(const ChargeSet& charges, double sigma, std::uint64_t seed) {
    const int n = charges.dim();
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_int_distribution<std::size_t> pick(1, charges.size() - 1);
    std::vector<double> x;
    for (int p = 0; p < 48; ++p) {
        const std::size_t i = pick(rng);
        const auto y = charges.position(i);
        const auto prev = charges.position(i - 1);
        const double jitter = (p % 4 == 1 ? 1e-3 : 0.3) * sigma / std::sqrt(double(n));
        for (int c = 0; c < n; ++c) {
            switch (p % 4) {
            case 0:
                x.push_back(y[c]);
                break; // on a charge
            case 1:
                x.push_back(y[c] + jitter * normal(rng));
                break; // very near one
            case 2:
                x.push_back(0.5 * (y[c] + prev[c]) + jitter * normal(rng));
                break; // between
            default:
                x.push_back(5.0 + normal(rng) * (1.0 + sigma));
                break; // anywhere
            }
        }
    }
    return x;
}

// The bound of wide_denoiser.h, per point and coordinate, from the reference posterior π:
//   2τ · Σ_i π_i |y_ik − x̂_k|  +  2e-6 · s
// (τ = WideDenoiser::kExactAbove; the second term covers the float rounding of the weighted sums,
// about √512·u·max|y − ȳ| ≈ 1.3e-6 · 4s for a block of 512 charges, and the negligible charges'
// M·e⁻³⁰). Without the exact re-evaluation, points on and near charges at σ ≤ 0.02 miss by up
// to 1e-3 of the spread, far above this bound.
double tolerance(const ReferenceDenoiser& reference, std::span<const double> x, double sigma,
                 std::span<const double> xhat, int k) {
    const auto pi = reference.posterior(x, sigma);
    double mad = 0;
    for (std::size_t i = 0; i < pi.size(); ++i)
        mad += pi[i] * std::abs(reference.charges().position(i)[k] - xhat[k]);
    return 2.0 * WideDenoiser::kExactAbove * mad + 2e-6 * reference.charges().rmsSpread();
}

} // namespace

class TestWideDenoiser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesReference_data();
    void matchesReference();
    void manyBlocksAndThreads();
    void concurrentCallsAgree();
};

void TestWideDenoiser::matchesReference_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {5, 64, 784})
        for (double d : {1.0, 128.0, kInfiniteD})
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

void TestWideDenoiser::matchesReference() {
    QFETCH(int, n);
    QFETCH(double, d);
    const auto charges = clusteredCharges(n, n == 784 ? 150 : 303, 7);
    const ReferenceDenoiser reference(charges, d);
    const FastDenoiser fast(charges, d, 2);
    double worstAll = 0, worstShare = 0;
    for (double sigma : {0.002, 0.005, 0.02, 0.1, 0.3, 1.0, 3.0, 10.0, 80.0}) {
        const auto x = probePoints(charges, sigma, 11);
        std::vector<double> a(x.size()), b(x.size());
        reference.denoise(x, sigma, a);
        fast.denoise(x, sigma, b);
        for (std::size_t p = 0; p < x.size() / n; ++p) {
            const std::span<const double> xp(x.data() + p * n, n), ap(a.data() + p * n, n);
            for (int k = 0; k < n; ++k) {
                const double err = std::abs(a[p * n + k] - b[p * n + k]);
                if (!(err <= 1e-3 * worstShare)) { // the bound is costly: only near the worst
                    const double tol = tolerance(reference, xp, sigma, ap, k);
                    worstShare = std::max(worstShare, err / tol);
                    QVERIFY2(err < tol, qPrintable(QString("sigma %1, point %2 (kind %3), "
                                                           "coordinate %4: %5 vs %6, bound %7")
                                                       .arg(sigma)
                                                       .arg(p)
                                                       .arg(p % 4)
                                                       .arg(k)
                                                       .arg(a[p * n + k], 0, 'g', 12)
                                                       .arg(b[p * n + k], 0, 'g', 12)
                                                       .arg(tol)));
                }
                worstAll = std::max(worstAll, err);
            }
        }
    }
    qInfo("worst |fast - reference| = %.3g of the spread, %.3g of the bound",
          worstAll / charges.rmsSpread(), worstShare);
}

// Several point blocks and charge blocks (M not a multiple of the SIMD width), any thread count.
void TestWideDenoiser::manyBlocksAndThreads() {
    const int n = 64;
    const auto charges = clusteredCharges(n, 1203, 3);
    const ReferenceDenoiser reference(charges, 128.0);
    std::vector<double> x;
    for (double sigma : {0.003, 0.5})
        for (int k = 0; k < 3; ++k) {
            const auto more = probePoints(charges, sigma, 20 + k);
            x.insert(x.end(), more.begin(), more.end());
        }
    for (double sigma : {0.003, 0.5}) {
        std::vector<double> a(x.size()), one(x.size()), three(x.size());
        reference.denoise(x, sigma, a);
        FastDenoiser(charges, 128.0, 1).denoise(x, sigma, one);
        FastDenoiser(charges, 128.0, 3).denoise(x, sigma, three);
        QVERIFY(one == three); // each point block is computed by the same code in the same order
        for (std::size_t p = 0; p < x.size() / n; ++p)
            for (int k = 0; k < n; ++k) {
                const std::span<const double> xp(x.data() + p * n, n), ap(a.data() + p * n, n);
                const double err = std::abs(a[p * n + k] - one[p * n + k]);
                if (err > 2e-6 * charges.rmsSpread())
                    QVERIFY2(err < tolerance(reference, xp, sigma, ap, k),
                             qPrintable(QString::number(err)));
            }
    }
}

// FastDenoiser's contract: denoise() from several threads at once, small and large calls.
void TestWideDenoiser::concurrentCallsAgree() {
    const auto charges = clusteredCharges(64, 600, 5);
    const FastDenoiser fast(charges, kInfiniteD, 2);
    const auto big = probePoints(charges, 0.05, 1);
    const std::vector<double> small(big.begin(), big.begin() + 3 * 64);
    std::vector<double> bigAlone(big.size()), smallAlone(small.size());
    fast.denoise(big, 0.05, bigAlone);
    fast.denoise(small, 0.05, smallAlone);
    std::vector<std::vector<double>> results(6);
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t)
        threads.emplace_back([&, t] {
            const auto& in = t % 2 ? small : big;
            results[t].resize(in.size());
            for (int rep = 0; rep < 5; ++rep) fast.denoise(in, 0.05, results[t]);
        });
    for (auto& t : threads) t.join();
    for (int t = 0; t < 6; ++t) QVERIFY(results[t] == (t % 2 ? smallAlone : bigAlone));
}

QTEST_GUILESS_MAIN(TestWideDenoiser)
#include "tst_wide_denoiser.moc"
