// The tree code against the double reference on data built to be hard for it: clusters eight
// decades apart in scale, outliers, a pile of coincident charges and weights over six decades,
// for D ∈ {1, 3.5, 64, ∞} and σ across eight decades. Every x̂ must lie within its certified
// bound (plus the 0.1 of the tolerance kept for float rounding) and every bound within 0.9 of
// the tolerance.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"
#include "physics/tree_denoiser.h"

#include <QTest>

#include <cmath>
#include <cstdio>

using namespace psc::physics;

namespace {

ChargeSet hardCharges(int n, std::size_t m, std::uint64_t seed) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> decades(-6.0, 0.0), unit(0.0, 1.0);
    std::vector<double> y(m * n), w(m);
    for (std::size_t i = 0; i < m; ++i) {
        double* p = &y[i * n];
        const double kind = unit(rng);
        if (i < m / 10) { // coincident: one pile
            for (int c = 0; c < n; ++c) p[c] = 3.0 + c;
        } else if (kind < 0.45) { // wide cluster
            for (int c = 0; c < n; ++c) p[c] = 10.0 * normal(rng);
        } else if (kind < 0.75) { // a cluster 10⁴ times tighter, off centre
            for (int c = 0; c < n; ++c) p[c] = -7.0 + 1e-3 * normal(rng);
        } else if (kind < 0.995) { // a thin curve
            const double s = 20.0 * unit(rng);
            p[0] = s;
            if (n > 1) p[1] = std::sin(s) + 1e-4 * normal(rng);
            if (n > 2) p[2] = 0.0;
        } else { // outliers, a hundred spreads out
            for (int c = 0; c < n; ++c) p[c] = 1000.0 * normal(rng);
        }
        w[i] = std::pow(10.0, decades(rng));
    }
    return ChargeSet(n, y, w);
}

// On and next to charges of every kind, between clusters, and far out.
std::vector<double> probes(const ChargeSet& charges, double sigma, std::uint64_t seed) {
    const int n = charges.dim();
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_int_distribution<std::size_t> pick(0, charges.size() - 1);
    std::vector<double> x;
    for (int p = 0; p < 24; ++p) {
        const auto y = charges.position(pick(rng));
        const double step = p % 3 == 0 ? 0.0 : (p % 3 == 1 ? 0.3 * sigma : 3.0 * sigma);
        for (int c = 0; c < n; ++c) x.push_back(y[c] + step * normal(rng));
    }
    for (int c = 0; c < n; ++c) x.push_back(-1.5 + 0.1 * c);   // between the clusters
    for (int c = 0; c < n; ++c) x.push_back(5000.0 * (c + 1)); // beyond the outliers
    return x;
}

} // namespace

class TestTreeDenoiser : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void boundHoldsOnHardData_data() {
        QTest::addColumn<int>("dim");
        QTest::newRow("N=2") << 2;
        QTest::newRow("N=3") << 3;
        QTest::newRow("N=1") << 1;
    }

    void boundHoldsOnHardData() {
        QFETCH(int, dim);
        const ChargeSet charges = hardCharges(dim, 12000, 7 + dim);
        const double spread = charges.rmsSpread();
        double worstRatio = 0, worstBound = 0;
        std::uint64_t evaluated = 0, second = 0, brute = 0;
        for (double d : {1.0, 3.5, 64.0, kInfiniteD}) {
            const TreeDenoiser tree(charges, d, kDefaultFieldTolerance, 2);
            const ReferenceDenoiser reference(charges, d);
            const double tol = tree.absoluteTolerance();
            QCOMPARE(tol, kDefaultFieldTolerance * spread);
            for (int decade = -5; decade <= 3; ++decade) {
                const double sigma = spread * std::pow(10.0, decade);
                const auto x = probes(charges, sigma, 100 + decade);
                const std::size_t count = x.size() / dim;
                std::vector<double> fast(x.size()), exact(x.size()), bound(count);
                tree.denoiseBounded(x, sigma, fast, bound);
                reference.denoise(x, sigma, exact);
                for (std::size_t p = 0; p < count; ++p) {
                    double err2 = 0;
                    for (int c = 0; c < dim; ++c)
                        err2 += std::pow(fast[p * dim + c] - exact[p * dim + c], 2);
                    const double err = std::sqrt(err2);
                    QVERIFY2(
                        bound[p] <= 0.9 * tol,
                        qPrintable(QString("bound %1 over 0.9 tol %2").arg(bound[p]).arg(tol)));
                    QVERIFY2(err <= bound[p] + 0.1 * tol,
                             qPrintable(QString("D=%1 sigma=%2 point %3: error %4, bound %5, "
                                                "tol %6")
                                            .arg(d)
                                            .arg(sigma)
                                            .arg(p)
                                            .arg(err)
                                            .arg(bound[p])
                                            .arg(tol)));
                    worstRatio = std::max(worstRatio, err / tol);
                    worstBound = std::max(worstBound, bound[p] / tol);
                }
            }
            const auto counts = tree.counters();
            evaluated += counts.points;
            second += counts.secondPasses;
            brute += counts.bruteForce;
            // The test must exercise every kind of summary, not only direct sums.
            QVERIFY(counts.expansions > 0);
            QVERIFY(counts.dropped > 0);
            // A bound inflated by a wrong remainder would hide behind the brute-force fallback.
            QCOMPARE(counts.bruteForce, std::uint64_t(0));
        }
        std::printf("N=%d: worst error %.3g of the tolerance, worst bound %.3g (%llu points, %llu "
                    "redone, %llu by brute force)\n",
                    dim, worstRatio, worstBound, static_cast<unsigned long long>(evaluated),
                    static_cast<unsigned long long>(second),
                    static_cast<unsigned long long>(brute));
    }

    // The certificate is not decoration: a tolerance so loose that nodes are summarised
    // coarsely still bounds the true error, and the error grows with the tolerance.
    void looseToleranceStillBounded() {
        const ChargeSet charges = hardCharges(2, 8000, 3);
        const ReferenceDenoiser reference(charges, 1.0);
        const TreeDenoiser loose(charges, 1.0, 0.05, 1);
        const double sigma = charges.rmsSpread() * 0.05;
        const auto x = probes(charges, sigma, 9);
        std::vector<double> fast(x.size()), exact(x.size()), bound(x.size() / 2);
        loose.denoiseBounded(x, sigma, fast, bound);
        reference.denoise(x, sigma, exact);
        double worst = 0;
        for (std::size_t p = 0; p < bound.size(); ++p) {
            const double err =
                std::hypot(fast[2 * p] - exact[2 * p], fast[2 * p + 1] - exact[2 * p + 1]);
            QVERIFY(err <= bound[p] + 0.1 * loose.absoluteTolerance());
            worst = std::max(worst, err);
        }
        QVERIFY2(worst > 1e-9 * charges.rmsSpread(), "a loose tolerance should show some error");
    }

    void refusesWhatItCannotDo() {
        const ChargeSet four(4, std::vector<double>(40, 1.0));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TreeDenoiser(four, 1.0));
        const ChargeSet two(2, {0, 0, 1, 1});
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TreeDenoiser(two, 0.5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, TreeDenoiser(two, 1.0, 0.0));
    }

    void singleChargeIsExact() {
        const ChargeSet one(2, {2.0, -1.0});
        const TreeDenoiser tree(one, 1.0);
        std::vector<double> x{5.0, 5.0}, out(2);
        tree.denoise(x, 0.3, out);
        QCOMPARE(out[0], 2.0);
        QCOMPARE(out[1], -1.0);
    }
};

QTEST_APPLESS_MAIN(TestTreeDenoiser)
#include "tst_tree_denoiser.moc"
