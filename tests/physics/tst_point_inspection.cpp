// The inspector's numbers: x̂ against the double reference denoiser, π summing to one in order,
// one charge's closed form, a brute-force |E|, and the D = ∞ score.
#include "physics/extra_dims.h"
#include "physics/point_inspection.h"
#include "physics/reference_denoiser.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace psc::physics;

namespace {

ChargeSet randomCharges(std::size_t count, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::normal_distribution<double> g;
    std::uniform_real_distribution<double> w(0.5, 2.0);
    std::vector<double> x, q;
    for (std::size_t i = 0; i < count; ++i) {
        x.push_back(g(rng));
        x.push_back(g(rng));
        q.push_back(w(rng));
    }
    return ChargeSet(2, x, q);
}

} // namespace

class TestPointInspection : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void matchesTheReference_data();
    void matchesTheReference();
    void oneChargeClosedForm();
    void bruteForceField();
    void infiniteDIsTheScore();
    void validation();
};

void TestPointInspection::matchesTheReference_data() {
    QTest::addColumn<double>("d");
    for (double d : {1.0, 3.5, 128.0, kInfiniteD})
        QTest::addRow("D=%s", formatExtraDims(d).c_str()) << d;
}

void TestPointInspection::matchesTheReference() {
    QFETCH(double, d);
    const ChargeSet charges = randomCharges(40, 3);
    const ReferenceDenoiser reference(charges, d);
    for (double sigma : {0.05, 0.7, 20.0}) {
        const std::vector<double> x{0.4, -0.3};
        const auto p = inspectPoint(charges, d, x, sigma, charges.size());
        std::vector<double> xhat(2);
        reference.denoise(x, sigma, xhat);
        QVERIFY(std::abs(p.xhat[0] - xhat[0]) < 1e-12 && std::abs(p.xhat[1] - xhat[1]) < 1e-12);
        QVERIFY(std::abs(p.velocity[0] - (x[0] - xhat[0]) / sigma) < 1e-10);
        double total = 0, mean0 = 0;
        for (std::size_t j = 0; j < p.strongest.size(); ++j) {
            total += p.strongest[j].second;
            mean0 += p.strongest[j].second * charges.position(p.strongest[j].first)[0];
            if (j) QVERIFY(p.strongest[j].second <= p.strongest[j - 1].second);
        }
        QVERIFY(std::abs(total - 1) < 1e-12);
        QVERIFY(std::abs(mean0 - xhat[0]) < 1e-12); // x̂ is the π-weighted mean of the charges
        double norm = 0;
        for (double c : p.fieldDirection) norm += c * c;
        QVERIFY(std::abs(norm - 1) < 1e-12);
    }
    QCOMPARE(inspectPoint(charges, d, std::vector<double>{0, 0}, 1.0).strongest.size(),
             std::size_t(5));
}

void TestPointInspection::oneChargeClosedForm() {
    // |E| = q/ρ^(N+D−1) with q = 1, pointing along (x − y, r).
    const ChargeSet charge(2, {0.5, -1.0});
    const std::vector<double> x{2.0, 1.0};
    for (double d : {1.0, 3.0, 1e6}) {
        const double sigma = 0.8, r = sigma * std::sqrt(d);
        const double dx = 1.5, dy = 2.0, rho = std::sqrt(dx * dx + dy * dy + r * r);
        const auto p = inspectPoint(charge, d, x, sigma);
        QVERIFY(std::abs(p.log10Field - (-(2 + d - 1) * std::log10(rho))) <
                1e-9 * std::max(1.0, std::abs(p.log10Field)));
        QVERIFY(std::abs(p.fieldDirection[0] - dx / rho) < 1e-12);
        QVERIFY(std::abs(p.fieldDirection[2] - r / rho) < 1e-12);
        QCOMPARE(p.strongest.front().second, 1.0);
        QCOMPARE(p.r, r);
    }
}

void TestPointInspection::bruteForceField() {
    const ChargeSet charges = randomCharges(5, 9);
    const double d = 3, sigma = 0.6, r = sigma * std::sqrt(d);
    const std::vector<double> x{0.2, 0.9};
    double e[3] = {0, 0, 0};
    for (std::size_t i = 0; i < charges.size(); ++i) {
        const auto y = charges.position(i);
        const double rho2 = (x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) + r * r;
        const double scale = charges.weights()[i] / std::pow(rho2, (2 + d) / 2);
        e[0] += scale * (x[0] - y[0]);
        e[1] += scale * (x[1] - y[1]);
        e[2] += scale * r;
    }
    const double norm = std::sqrt(e[0] * e[0] + e[1] * e[1] + e[2] * e[2]);
    const auto p = inspectPoint(charges, d, x, sigma);
    QVERIFY2(std::abs(p.log10Field - std::log10(norm)) < 1e-12,
             qPrintable(QString("%1 vs %2").arg(p.log10Field).arg(std::log10(norm))));
    for (int k = 0; k < 3; ++k) QVERIFY(std::abs(p.fieldDirection[k] - e[k] / norm) < 1e-12);
}

void TestPointInspection::infiniteDIsTheScore() {
    const ChargeSet charges = randomCharges(12, 4);
    const std::vector<double> x{-0.5, 0.25};
    const double sigma = 0.4;
    const auto p = inspectPoint(charges, kInfiniteD, x, sigma);
    const double score = std::hypot(p.xhat[0] - x[0], p.xhat[1] - x[1]) / (sigma * sigma);
    QVERIFY(std::abs(p.log10Field - std::log10(score)) < 1e-12);
    QCOMPARE(p.fieldDirection.size(), std::size_t(2));
    QVERIFY(std::isinf(p.r));
}

void TestPointInspection::validation() {
    const ChargeSet charges = randomCharges(3, 1);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             inspectPoint(charges, 1.0, std::vector<double>{0.0}, 1.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             inspectPoint(charges, 1.0, std::vector<double>{0.0, 0.0}, 0.0));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument,
                             inspectPoint(charges, 1.0, std::vector<double>{0.0, 0.0}, NAN));
}

QTEST_GUILESS_MAIN(TestPointInspection)
#include "tst_point_inspection.moc"
