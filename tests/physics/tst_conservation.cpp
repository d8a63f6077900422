// Oracle 2 (Gauss's law): flows from the exact prior land on each charge in proportion to its
// charge.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/flow_solver.h"
#include "physics/samplers.h"

#include <QTest>

#include <algorithm>
#include <cmath>

using namespace psc::physics;

class TestConservation : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void eachChargeReceivesItsShare_data();
    void eachChargeReceivesItsShare();
};

void TestConservation::eachChargeReceivesItsShare_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {1, 2, 3, 5, 64})
        for (double d : {1.0, 2.0, 3.5, 64.0, 1e6, kInfiniteD})
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

void TestConservation::eachChargeReceivesItsShare() {
    QFETCH(int, n);
    QFETCH(double, d);
    // Three unequal charges, close enough that their basins share long boundaries; in more than
    // three dimensions the other coordinates are 0, on a line in one.
    const double layout[3][3] = {{0, 1.2, 0.3}, {-1, -0.6, -0.2}, {1, -0.6, 0.4}};
    std::vector<double> y(3 * static_cast<std::size_t>(n), 0.0);
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < std::min(n, 3); ++k) y[i * n + k] = layout[i][k];
    const ChargeSet charges(n, y, {0.5, 0.3, 0.2});
    const FastDenoiser denoiser(charges, d, 2);
    FlowSettings settings;
    settings.sigmaMax = 40.0;
    settings.steps = 96;
    // The heavy-tailed D = 1 prior starts some points 1e4 data spreads out; their lines reach the
    // data only at σ ~ 1e-4 of σ_max times less, so the flow must go that deep.
    settings.sigmaMin = 1e-7;
    const std::size_t count = 6000;
    const auto start = samplePriorMixture(charges, settings.sigmaMax, d, count, 2024);
    const auto result = integrateFlow(denoiser, start, settings);
    QCOMPARE(result.status, FlowStatus::Completed);
    std::vector<double> landed(3, 0.0);
    std::size_t unresolved = 0;
    for (std::size_t p = 0; p < count; ++p) {
        int hit = -1;
        for (int i = 0; i < 3; ++i) {
            double d2 = 0;
            for (int k = 0; k < n; ++k) d2 += std::pow(result.points[p * n + k] - y[i * n + k], 2);
            if (d2 < 1e-6) hit = i;
        }
        if (hit < 0)
            ++unresolved;
        else
            landed[hit] += 1.0 / count;
    }
    // Every flow of the exact field ends on a charge (it memorises).
    QVERIFY2(unresolved == 0,
             qPrintable(QString("%1 points ended between charges").arg(unresolved)));
    for (int i = 0; i < 3; ++i) {
        const double q = charges.weights()[i];
        const double binomial = std::sqrt(q * (1 - q) / count);
        QVERIFY2(std::abs(landed[i] - q) < 4.0 * binomial,
                 qPrintable(QString("charge %1: landed %2, expected %3 ± %4")
                                .arg(i)
                                .arg(landed[i])
                                .arg(q)
                                .arg(binomial)));
    }
}

QTEST_APPLESS_MAIN(TestConservation)
#include "tst_conservation.moc"
