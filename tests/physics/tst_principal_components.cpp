// Principal components against data whose covariance is known exactly, and against a direct
// eigen-decomposition of the explicit covariance of a real table.
#include "physics/datasets.h"
#include "physics/principal_components.h"

#include <QTest>

#include <cmath>
#include <vector>

using namespace psc::physics;

namespace {

// 2N charges at ±s_k u_k for an orthonormal basis u: with equal
// weights the covariance is Σ s_k² u_k u_kᵀ / N exactly, so the axes are u_k by decreasing s_k.
struct Known {
    ChargeSet charges;
    std::vector<double> basis; // N rows of N
    std::vector<double> variance;
};

// The orthonormal basis is the data sets' embedding of N in N (another module's Gram–Schmidt).
Known knownCovariance(int n) {
    const std::vector<double> basis = embeddingBasis(n, n);
    std::vector<double> positions, variance;
    for (int j = 0; j < n; ++j) {
        const double s = 3.0 * std::pow(0.8, j); // distinct, decreasing spreads
        variance.push_back(s * s / n);
        for (double sign : {-1.0, 1.0})
            for (int k = 0; k < n; ++k)
                positions.push_back(sign * s * basis[static_cast<std::size_t>(j) * n + k]);
    }
    return {ChargeSet(n, positions), basis, variance};
}

double absDot(const double* a, const double* b, int n) {
    double dot = 0;
    for (int k = 0; k < n; ++k) dot += a[k] * b[k];
    return std::abs(dot);
}

} // namespace

class TestPrincipalComponents : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void axesOfAKnownCovariance_data() {
        QTest::addColumn<int>("n");
        for (int n : {5, 64, 784}) QTest::newRow(qPrintable(QString("N=%1").arg(n))) << n;
    }
    void axesOfAKnownCovariance() {
        QFETCH(int, n);
        const Known known = knownCovariance(n);
        const PrincipalComponents pc = principalComponents(known.charges, 3);
        QCOMPARE(pc.count, 3);
        double total = 0;
        for (double v : known.variance) total += v;
        QVERIFY(std::abs(pc.totalVariance - total) <= 1e-12 * total);
        for (int j = 0; j < 3; ++j) {
            // The axis is ±u_j: |cos| = 1 to rounding of the residual tolerance (1e-9 of the top
            // variance over a gap of 36% of it: under 1e-8).
            const double cosine = absDot(&pc.axes[static_cast<std::size_t>(j) * n],
                                         &known.basis[static_cast<std::size_t>(j) * n], n);
            QVERIFY2(std::abs(cosine - 1) < 1e-8, qPrintable(QString::number(cosine - 1)));
            QVERIFY(std::abs(pc.variance[j] - known.variance[j]) < 1e-10 * known.variance[0]);
        }
    }

    // Weighted charges: the covariance is Σ q_i (y_i − μ)(y_i − μ)ᵀ with the weights, so a heavy
    // charge pulls the first axis towards itself; checked against the explicit matrix.
    void weightsAndRealDataAgainstADirectDecomposition() {
        for (const bool weighted : {false, true}) {
            ChargeSet wine = makeDataset("wine", {});
            const int n = wine.dim();
            std::vector<double> weights;
            for (std::size_t i = 0; i < wine.size(); ++i)
                weights.push_back(weighted ? 1.0 + 20.0 * (i % 7 == 0) : 1.0);
            const ChargeSet charges(n, {wine.positions().begin(), wine.positions().end()}, weights);
            const auto mean = charges.mean();
            std::vector<double> cov(static_cast<std::size_t>(n) * n, 0.0);
            for (std::size_t i = 0; i < charges.size(); ++i)
                for (int r = 0; r < n; ++r)
                    for (int c = 0; c < n; ++c)
                        cov[static_cast<std::size_t>(r) * n + c] +=
                            charges.weights()[i] * (charges.position(i)[r] - mean[r]) *
                            (charges.position(i)[c] - mean[c]);
            std::vector<double> values, vectors;
            symmetricEigen(cov, n, values, vectors);
            const PrincipalComponents pc = principalComponents(charges, 2);
            for (int j = 0; j < 2; ++j) {
                QVERIFY(std::abs(pc.variance[j] - values[j]) < 1e-9 * values[0]);
                QVERIFY(std::abs(absDot(&pc.axes[static_cast<std::size_t>(j) * n],
                                        &vectors[static_cast<std::size_t>(j) * n], n) -
                                 1) < 1e-7);
            }
            double trace = 0;
            for (int k = 0; k < n; ++k) trace += cov[static_cast<std::size_t>(k) * n + k];
            QVERIFY(std::abs(pc.totalVariance - trace) < 1e-12 * trace);
        }
    }

    // The Jacobi solver itself, on a matrix with known eigenpairs (the Rayleigh–Ritz step and the
    // direct reference above both rest on it).
    void jacobiOnAKnownMatrix() {
        const int n = 6;
        const Known known = knownCovariance(n);
        std::vector<double> m(static_cast<std::size_t>(n) * n, 0.0);
        for (int j = 0; j < n; ++j)
            for (int r = 0; r < n; ++r)
                for (int c = 0; c < n; ++c)
                    m[static_cast<std::size_t>(r) * n + c] +=
                        known.variance[j] * known.basis[static_cast<std::size_t>(j) * n + r] *
                        known.basis[static_cast<std::size_t>(j) * n + c];
        std::vector<double> values, vectors;
        symmetricEigen(m, n, values, vectors);
        for (int j = 0; j < n; ++j) {
            QVERIFY(std::abs(values[j] - known.variance[j]) < 1e-14 * known.variance[0]);
            QVERIFY(std::abs(absDot(&vectors[static_cast<std::size_t>(j) * n],
                                    &known.basis[static_cast<std::size_t>(j) * n], n) -
                             1) < 1e-12);
        }
    }

    void signIsFixedAndClampedToN() {
        const Known known = knownCovariance(2);
        const PrincipalComponents pc = principalComponents(known.charges, 5);
        QCOMPARE(pc.count, 2);
        for (int j = 0; j < 2; ++j) {
            const double a = pc.axes[static_cast<std::size_t>(j) * 2];
            const double b = pc.axes[static_cast<std::size_t>(j) * 2 + 1];
            QVERIFY((std::abs(a) >= std::abs(b) ? a : b) > 0);
        }
    }
};

QTEST_APPLESS_MAIN(TestPrincipalComponents)
#include "tst_principal_components.moc"
