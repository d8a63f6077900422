// Extreme but legal inputs, each against an oracle: D = 1, 1.0001, 1e9 and ∞; σ from 1e-6 to 1e6;
// coincident charges; a point exactly on a charge; one charge; N = 2 data with a constant
// coordinate; 10⁶ charges; and the memory estimate announced before a big run.
#include "physics/charge_set.h"
#include "physics/extra_dims.h"
#include "physics/fast_denoiser.h"
#include "physics/field_line_tracer.h"
#include "physics/field_method.h"
#include "physics/field_slice.h"
#include "physics/flow_backend.h"
#include "physics/flow_solver.h"
#include "physics/kernel.h"
#include "physics/log_sigma_flow.h"
#include "physics/memory_estimate.h"
#include "physics/metrics.h"
#include "physics/point_inspection.h"
#include "physics/reference_denoiser.h"
#include "physics/samplers.h"

#include <QTest>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <memory>
#include <numbers>
#include <string>
#include <unistd.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace psc::physics;

Q_DECLARE_METATYPE(SolverKind)

namespace {

constexpr SolverKind kSolvers[] = {SolverKind::Euler, SolverKind::Heun, SolverKind::Rk4,
                                   SolverKind::Rk45};
constexpr double kExtremeD[] = {1.0, 1.0001, 1e9, kInfiniteD};

ChargeSet randomCharges(int n, std::size_t m, std::uint64_t seed, double offset = 0,
                        bool weighted = true) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::uniform_real_distribution<double> uniform(0.2, 3.0);
    std::vector<double> y(m * n), w;
    for (auto& v : y) v = offset + normal(rng);
    if (weighted)
        for (std::size_t i = 0; i < m; ++i) w.push_back(uniform(rng));
    return ChargeSet(n, std::move(y), std::move(w));
}

std::vector<double> gaussianPoints(int n, std::size_t count, double centre, double scale,
                                   std::uint64_t seed) {
    Rng rng(seed);
    std::normal_distribution<double> normal;
    std::vector<double> x(count * n);
    for (auto& v : x) v = centre + scale * normal(rng);
    return x;
}

std::vector<double> denoised(const Denoiser& denoiser, const std::vector<double>& x, double sigma) {
    std::vector<double> out(x.size());
    denoiser.denoise(x, sigma, out);
    return out;
}

bool allFinite(const std::vector<double>& v) {
    return std::all_of(v.begin(), v.end(), [](double x) { return std::isfinite(x); });
}

double maxAbsDiff(const std::vector<double>& a, const std::vector<double>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
    return worst;
}

// The oracle: physics/README.md §2 in long double, written independently of kernel.cpp.
long double oracleLogWeight(long double d2, double sigma, double d, int n) {
    const long double s = sigma;
    if (isInfiniteD(d)) return -d2 / (2 * s * s);
    return -0.5L * (n + static_cast<long double>(d)) * std::log1p(d2 / (s * s * d));
}

// log q_i + the kernel's log-weight for every charge, in long double; top gets the largest.
std::vector<long double> oracleLogWeights(const ChargeSet& c, std::span<const double> x,
                                          double sigma, double d, long double& top) {
    const int n = c.dim();
    std::vector<long double> lw(c.size());
    top = -INFINITY;
    for (std::size_t i = 0; i < c.size(); ++i) {
        long double d2 = 0;
        for (int k = 0; k < n; ++k) {
            const long double t = static_cast<long double>(x[k]) - c.position(i)[k];
            d2 += t * t;
        }
        lw[i] =
            std::log(static_cast<long double>(c.weights()[i])) + oracleLogWeight(d2, sigma, d, n);
        top = std::max(top, lw[i]);
    }
    return lw;
}

std::vector<long double> oracleLogPosterior(const ChargeSet& c, std::span<const double> x,
                                            double sigma, double d) {
    long double top;
    auto lw = oracleLogWeights(c, x, sigma, d, top);
    long double z = 0;
    for (auto v : lw) z += std::exp(v - top);
    for (auto& v : lw) v -= top + std::log(z);
    return lw;
}

std::vector<double> oracleXhat(const ChargeSet& c, const std::vector<double>& points, double sigma,
                               double d) {
    const int n = c.dim();
    std::vector<double> out(points.size());
    for (std::size_t p = 0; p < points.size() / n; ++p) {
        const auto lp =
            oracleLogPosterior(c, std::span<const double>(points).subspan(p * n, n), sigma, d);
        for (int k = 0; k < n; ++k) {
            long double acc = 0;
            for (std::size_t i = 0; i < c.size(); ++i) acc += std::exp(lp[i]) * c.position(i)[k];
            out[p * n + k] = static_cast<double>(acc);
        }
    }
    return out;
}

// log p_σ(x) = log Σ q_i p_σ(x | y_i) with the normalisation of physics/README.md §3, in long
// double.
double oracleLogDensity(const ChargeSet& c, std::span<const double> x, double sigma, double d) {
    const int n = c.dim();
    const long double s = sigma, pi = std::numbers::pi_v<long double>;
    long double top;
    const auto lw = oracleLogWeights(c, x, sigma, d, top);
    long double z = 0;
    for (auto v : lw) z += std::exp(v - top);
    long double constant;
    if (isInfiniteD(d)) {
        constant = -0.5L * n * std::log(2 * pi * s * s);
    } else {
        const long double dd = d;
        constant = std::lgamma(0.5L * (n + dd)) - std::lgamma(0.5L * dd) - 0.5L * n * std::log(pi) -
                   0.5L * n * std::log(s * s * dd);
    }
    return static_cast<double>(constant + top + std::log(z));
}

// Distance from x (N values) to the nearest charge.
double nearestChargeDistance(const ChargeSet& c, std::span<const double> x) {
    double best = INFINITY;
    for (std::size_t i = 0; i < c.size(); ++i) {
        double d2 = 0;
        for (int k = 0; k < c.dim(); ++k)
            d2 += (x[k] - c.position(i)[k]) * (x[k] - c.position(i)[k]);
        best = std::min(best, d2);
    }
    return std::sqrt(best);
}

FlowSettings flowSettings(SolverKind solver, double sigmaMax, double sigmaMin, int steps) {
    FlowSettings s;
    s.solver = solver;
    s.sigmaMax = sigmaMax;
    s.sigmaMin = sigmaMin;
    s.steps = steps;
    s.rtol = s.atol = 1e-6;
    return s;
}

// Resident memory now (/proc/self/statm) and at its peak since the last reset (VmHWM).
double residentBytes() {
    std::ifstream statm("/proc/self/statm");
    double size = 0, resident = 0;
    statm >> size >> resident;
    return resident * static_cast<double>(sysconf(_SC_PAGE_SIZE));
}

double peakResidentBytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) * 1024.0;
    return 0;
}

// Freed heap blocks would be reused by the next allocation without any growth: give them back.
void releaseFreedMemory() {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

// Writing 5 to clear_refs resets VmHWM to the current resident size (Linux >= 4.0).
bool resetPeakResident() {
    std::ofstream f("/proc/self/clear_refs");
    f << "5";
    f.flush();
    return f.good();
}

QString figures(double a, double b) {
    return QString("%1 vs %2").arg(a, 0, 'g', 17).arg(b, 0, 'g', 17);
}

} // namespace

class TestExtremes : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // First, while the heap is fresh: freed blocks of earlier tests would hide the growth.
    void memoryEstimateMatchesResidentGrowth();
    void memoryEstimateOfBigRuns();

    void extremeD_data();
    void extremeD();
    void extremeDContinuity();
    void extremeDSamplers();
    void extremeDOneChargeFlows_data();
    void extremeDOneChargeFlows();

    void sigmaDecades_data();
    void sigmaDecades();
    void tinySigmaCollapsesOntoTheNearestCharge();
    void flowsAcrossTwelveDecades_data();
    void flowsAcrossTwelveDecades();

    void coincidentChargesMerge();
    void coincidentChargesFieldLines();
    void metricsWithDuplicates();

    void queryOnACharge_data();
    void queryOnACharge();

    void oneChargeFieldLinesAndSlice();
    void metricsWithOnePoint();

    void constantCoordinate();

    void millionCharges();
};

// ---- Memory estimate --------------------------------------------------------------------------

void TestExtremes::memoryEstimateMatchesResidentGrowth() {
#if defined(__SANITIZE_ADDRESS__)
    QSKIP("AddressSanitizer's redzones and quarantine are resident memory the estimate does not "
          "model (3x here); the normal build measures it");
#endif
    const bool peak = resetPeakResident();
    struct Case {
        const char* name;
        std::size_t charges, particles;
        SolverKind solver;
        int steps;
        bool record;
    };
    for (const Case& c : {Case{"frames", 64, 100'000, SolverKind::Heun, 30, true},
                          Case{"charges", 2'000'000, 16, SolverKind::Euler, 3, false},
                          Case{"rk4 state", 16, 400'000, SolverKind::Rk4, 3, false}}) {
        // Without a resettable peak only what the run leaves behind can be measured, and the
        // solver's stages are gone by then.
        if (!peak && !c.record && c.particles > c.charges) continue;
        releaseFreedMemory();
        if (peak) resetPeakResident();
        const double before = residentBytes();
        double measured = 0, estimate = 0;
        {
            const auto charges = randomCharges(2, c.charges, 3, 0, false);
            auto backend = makeCpuBackend(charges, 64.0, 2);
            const auto start = samplePriorCentred(charges, 20.0, 64.0, c.particles, 5);
            auto s = flowSettings(c.solver, 20.0, 0.01, c.steps);
            s.recordEvery = c.record ? 1 : 0;
            const auto result = backend->integrate(start, s, {}, nullptr);
            QCOMPARE(result.status, FlowStatus::Completed);
            measured = (peak ? peakResidentBytes() : residentBytes()) - before;
            SampleRunShape shape;
            shape.dim = 2;
            shape.charges = c.charges;
            shape.particles = c.particles;
            shape.solver = c.solver;
            shape.treeCode = usesTree(charges, FieldMethod::Auto);
            shape.recordedFrames = recordedFrameCount(s);
            QCOMPARE(shape.recordedFrames, result.frames.size());
            estimate = estimateSampleRun(shape).total();
        }
        qInfo("%s: estimate %.1f MB, resident growth %.1f MB (%s), ratio %.2f", c.name,
              estimate / 1048576, measured / 1048576, peak ? "peak" : "after", measured / estimate);
        QVERIFY2(measured > 0.5 * estimate && measured < 2.0 * estimate,
                 qPrintable(QString("%1: ").arg(c.name) + figures(measured, estimate)));
    }
}

void TestExtremes::memoryEstimateOfBigRuns() {
    FlowSettings s;
    s.recordEvery = 1; // 18-entry schedule: 17 steps, the step to 0, and the start
    QCOMPARE(recordedFrameCount(s), std::size_t(19));
    s.recordEvery = 4;
    QCOMPARE(recordedFrameCount(s), std::size_t(1 + 4 + 1));
    s.maxRecordedFrames = 3;
    QCOMPARE(recordedFrameCount(s), std::size_t(3));
    s.recordEvery = 0;
    QCOMPARE(recordedFrameCount(s), std::size_t(0));

    // 10⁶ charges and 10⁶ particles with every step recorded, written as the CLI writes it.
    SampleRunShape big;
    big.dim = 2;
    big.charges = 1'000'000;
    big.particles = 1'000'000;
    big.recordedFrames = 19;
    big.frameCopies = 5.25; // the CLI's for N = 2 to .npy: frames, per particle, rows
    const auto e = estimateSampleRun(big);
    QVERIFY(e.total() > 1024.0 * 1024 * 1024);
    QCOMPARE(e.recorded, 19 * 16e6 * 5.25);
    QCOMPARE(formatBytes(e.total()), std::string("about 1.6 GB"));
    QCOMPARE(formatBytes(0), std::string("about 0 bytes"));
    QCOMPARE(formatBytes(340 * 1048576.0), std::string("about 340 MB"));
    QCOMPARE(formatBytes(12.3 * 1024), std::string("about 12 KB"));
    QCOMPARE(formatBytes(std::nan("")), std::string("an unknown amount"));

    SceneShape scene;
    scene.dim = 3;
    scene.fieldLines = 1000;
    scene.pointsPerLine = 100;
    scene.particles = 10'000;
    scene.pointsPerPath = 20;
    QCOMPARE(estimateScene(scene).recorded, 1.5 * (1000 * 100 * 5 + 10'000 * 20 * 4) * 8.0);
}

// ---- D = 1, 1.0001, 1e9, ∞ --------------------------------------------------------------------

void TestExtremes::extremeD_data() {
    QTest::addColumn<int>("n");
    QTest::addColumn<double>("d");
    for (int n : {2, 3})
        for (double d : kExtremeD)
            QTest::addRow("N=%d D=%s", n, formatExtraDims(d).c_str()) << n << d;
}

// x̂ of both denoisers, the log-density and the inspector against the long-double oracle.
void TestExtremes::extremeD() {
    QFETCH(int, n);
    QFETCH(double, d);
    const auto charges = randomCharges(n, 37, 11, 2.0);
    const double spread = charges.rmsSpread();
    const ReferenceDenoiser reference(charges, d);
    const FastDenoiser fast(charges, d, 2);
    double worstRef = 0, worstFast = 0, worstDensity = 0;
    for (double sigma : {1e-3, 0.05, 1.0, 20.0, 80.0}) {
        const auto x = gaussianPoints(n, 64, 2.0, 1.0 + sigma, 7);
        const auto a = denoised(reference, x, sigma), b = denoised(fast, x, sigma);
        const auto o = oracleXhat(charges, x, sigma, d);
        QVERIFY(allFinite(a) && allFinite(b));
        worstRef = std::max(worstRef, maxAbsDiff(a, o) / spread);
        worstFast = std::max(worstFast, maxAbsDiff(a, b) / spread);
        for (std::size_t p = 0; p < 64; ++p) {
            const std::span<const double> xp(x.data() + p * n, n);
            const double lp = logPerturbedDensity(charges, xp, sigma, d);
            QVERIFY(std::isfinite(lp));
            const double lo = oracleLogDensity(charges, xp, sigma, d);
            worstDensity = std::max(worstDensity, std::abs(lp - lo) / std::max(1.0, std::abs(lo)));
            const auto in = inspectPoint(charges, d, xp, sigma);
            QVERIFY(std::isfinite(in.log10Field));
            for (int k = 0; k < n; ++k)
                QVERIFY(std::abs(in.xhat[k] - a[p * n + k]) < 1e-12 * (1 + std::abs(a[p * n + k])));
        }
    }
    qInfo("x̂ reference vs oracle %.2e, fast vs reference %.2e (of the spread); log p %.2e (rel.)",
          worstRef, worstFast, worstDensity);
    QVERIFY2(worstRef < 1e-12, qPrintable(QString::number(worstRef)));
    QVERIFY2(worstFast < 1e-4, qPrintable(QString::number(worstFast)));
    // lgamma of (N + D)/2 ≈ 5e8 is ~1e10: double keeps ~1e-6 of it; elsewhere, rounding.
    QVERIFY2(worstDensity < (d == 1e9 ? 1e-5 : 1e-13), qPrintable(QString::number(worstDensity)));
}

// 1.0001 is a smooth step from 1 (the difference is linear in ΔD); 1e9 is the ∞ limit.
void TestExtremes::extremeDContinuity() {
    for (int n : {2, 3}) {
        const auto charges = randomCharges(n, 37, 11, 2.0);
        const double spread = charges.rmsSpread();
        for (double sigma : {1e-3, 0.05, 1.0, 20.0}) {
            const auto x = gaussianPoints(n, 64, 2.0, 1.0 + sigma, 8);
            auto at = [&](double d) { return denoised(ReferenceDenoiser(charges, d), x, sigma); };
            auto fastAt = [&](double d) { return denoised(FastDenoiser(charges, d, 2), x, sigma); };
            const auto x1 = at(1.0), x11 = at(1.0001), x12 = at(1.0002);
            const double step1 = maxAbsDiff(x1, x11), step2 = maxAbsDiff(x11, x12);
            QVERIFY2(step1 < 1e-2 * spread && step1 < 1.1 * step2 + 1e-12 &&
                         step2 < 1.1 * step1 + 1e-12,
                     qPrintable(QString("σ %1: ").arg(sigma) + figures(step1, step2)));
            QVERIFY(maxAbsDiff(fastAt(1.0), fastAt(1.0001)) < step1 + 2e-4 * spread);
            // The Student-t kernel differs from the Gaussian by O(d⁴/(σ⁴D)) in log-weight.
            const double limit = maxAbsDiff(at(1e9), at(kInfiniteD));
            const double fastLimit = maxAbsDiff(fastAt(1e9), fastAt(kInfiniteD));
            QVERIFY2(limit < 1e-5 * spread, qPrintable(QString("σ %1: %2").arg(sigma).arg(limit)));
            QVERIFY2(fastLimit < 1e-4 * spread, qPrintable(QString::number(fastLimit)));
            // The densities converge where |x − y|/σ ≪ D^(1/4) ≈ 178: a few σ from a charge. Far
            // out in the tail (|x − y|/σ ~ 1000 at σ = 1e-3) the Student-t kernel is still not the
            // Gaussian (log p differs by ~800 of 9e5 there), which is physics, not rounding.
            Rng rng(3);
            std::normal_distribution<double> normal;
            for (std::size_t i = 0; i < charges.size(); i += 5) {
                std::vector<double> xp(n);
                for (int k = 0; k < n; ++k)
                    xp[k] = charges.position(i)[k] + 2 * sigma * normal(rng);
                const double big = logPerturbedDensity(charges, xp, sigma, 1e9);
                const double inf = logPerturbedDensity(charges, xp, sigma, kInfiniteD);
                QVERIFY2(std::abs(big - inf) < 2e-5 * std::max(1.0, std::abs(inf)),
                         qPrintable(QString("σ %1: ").arg(sigma) + figures(big, inf)));
                const double l1 = logPerturbedDensity(charges, xp, sigma, 1.0);
                const double l11 = logPerturbedDensity(charges, xp, sigma, 1.0001);
                const double l12 = logPerturbedDensity(charges, xp, sigma, 1.0002);
                // Second differences are the curvature (trigamma(1/2) ≈ 4.9 in the constant).
                QVERIFY2(std::abs(l11 - l1) < 1e-2 &&
                             std::abs((l11 - l1) - (l12 - l11)) < 1e-7 + 1e-13 * std::abs(l1),
                         qPrintable(figures(l11 - l1, l12 - l11)));
            }
        }
        // Flows from the same start: D = 1e9 follows D = ∞ (oracle 3), D = 1.0001 follows D = 1.
        const auto start = samplePriorMixture(charges, 20.0, kInfiniteD, 40, 3);
        // Compared at every recorded σ, not only at the end, where both land on the same charges.
        auto flowAt = [&](double d) {
            auto s = flowSettings(SolverKind::Heun, 20.0, 0.01, 18);
            s.recordEvery = 1;
            return integrateFlow(ReferenceDenoiser(charges, d), start, s).frames;
        };
        auto worst = [](const std::vector<TrajectoryFrame>& a,
                        const std::vector<TrajectoryFrame>& b) {
            double w = 0;
            for (std::size_t k = 0; k < a.size(); ++k)
                w = std::max(w, maxAbsDiff(a[k].points, b[k].points));
            return w;
        };
        const double limit = worst(flowAt(1e9), flowAt(kInfiniteD));
        const double near1 = worst(flowAt(1.0001), flowAt(1.0));
        qInfo("N=%d flows: |D=1e9 − D=∞| %.2e, |D=1.0001 − D=1| %.2e", n, limit, near1);
        QVERIFY(limit < 3e-5 * spread); // physics/README.md §6.3 asks 1e-4 of D = 1e6
        QVERIFY(near1 < 1e-2 * spread);
    }
}

// Radii finite; the median of R²/σ² is D(2^(2/D) − 1) for N = 2 (BetaPrime(1, D/2) scaled by D),
// which tends to 2 ln 2, the median of χ²₂, as D → ∞.
void TestExtremes::extremeDSamplers() {
    const ChargeSet charges(2, {0.5, -0.5, 1.5, 0.25});
    const std::vector<double> centre{0.5, -0.5};
    const double sigma = 0.7;
    constexpr std::size_t kCount = 4000;
    for (double d : kExtremeD) {
        const double expected =
            isInfiniteD(d) ? 2 * std::numbers::ln2 : d * std::expm1(2 * std::numbers::ln2 / d);
        Rng rng(4), a(5), b(6), c(7);
        std::vector<double> single, shared;
        for (std::size_t i = 0; i < kCount; ++i) {
            std::vector<double> out(2);
            samplePerturbation(2, sigma, d, rng, out);
            QVERIFY(std::isfinite(out[0]) && std::isfinite(out[1]));
            single.push_back((out[0] * out[0] + out[1] * out[1]) / (sigma * sigma));
            samplePerturbation(2, sigma, d, a, b, c, out);
            QVERIFY(std::isfinite(out[0]) && std::isfinite(out[1]));
            shared.push_back((out[0] * out[0] + out[1] * out[1]) / (sigma * sigma));
        }
        for (auto* v : {&single, &shared}) {
            std::nth_element(v->begin(), v->begin() + kCount / 2, v->end());
            const double median = (*v)[kCount / 2];
            QVERIFY2(std::abs(median / expected - 1) < 0.08,
                     qPrintable(QString("D %1: ").arg(d) + figures(median, expected)));
        }
        QVERIFY(allFinite(samplePriorMixture(charges, 80.0, d, 500, 1)));
        QVERIFY(allFinite(samplePriorCentred(charges, 80.0, d, 500, 1)));
        const auto h = sampleHemisphere(2, d, 80.0, centre, kCount, 2);
        QVERIFY(allFinite(h.x) && allFinite(h.sigma));
        double meanSigma = 0;
        for (double s : h.sigma) {
            QVERIFY(s > 0 && s <= 80.0 * (1 + 1e-12));
            meanSigma += s / 80.0 / kCount;
        }
        // Archimedes at D ≈ 1 (σ/σ_max uniform); the flat noise plane at D = 1e9.
        if (d < 2)
            QVERIFY2(std::abs(meanSigma - 0.5) < 0.02, qPrintable(QString::number(meanSigma)));
        else
            QVERIFY2(std::abs(meanSigma - 1) < 1e-3, qPrintable(QString::number(meanSigma)));
    }
}

void TestExtremes::extremeDOneChargeFlows_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<SolverKind>("solver");
    for (double d : kExtremeD)
        for (SolverKind s : kSolvers)
            QTest::addRow("D=%s %s", formatExtraDims(d).c_str(), solverName(s)) << d << s;
}

// Oracle 1 at every extreme D: x(σ) − y = (x(σ₀) − y)·σ/σ₀, landing exactly on the charge, for
// both denoisers, and for integrateLogSigmaRk4.
void TestExtremes::extremeDOneChargeFlows() {
    QFETCH(double, d);
    QFETCH(SolverKind, solver);
    const ChargeSet charges(3, {0.3, -0.2, 1.7});
    const std::vector<double> y{0.3, -0.2, 1.7};
    const auto start = samplePriorMixture(charges, 80.0, d, 6, 9);
    QVERIFY(allFinite(start));
    auto s = flowSettings(solver, 80.0, 0.002, 12);
    s.recordEvery = 1;
    const ReferenceDenoiser reference(charges, d);
    const FastDenoiser fast(charges, d, 2);
    for (const Denoiser* den :
         {static_cast<const Denoiser*>(&reference), static_cast<const Denoiser*>(&fast)}) {
        const auto r = integrateFlow(*den, start, s);
        QCOMPARE(r.status, FlowStatus::Completed);
        for (std::size_t i = 0; i < r.points.size(); ++i) QCOMPARE(r.points[i], y[i % 3]);
        for (const auto& f : r.frames) {
            if (f.sigma == 0) continue;
            for (std::size_t i = 0; i < start.size(); ++i) {
                const double expected = (start[i] - y[i % 3]) * f.sigma / 80.0;
                const std::size_t p = i / 3;
                const double scale =
                    std::max({std::abs(start[3 * p] - y[0]), std::abs(start[3 * p + 1] - y[1]),
                              std::abs(start[3 * p + 2] - y[2])});
                // Exact but for rounding, which rk45 amplifies: it crosses σ = 30 → 0.002 in one
                // step (the error estimate of a linear flow is 0) and x − y cancels 4 digits
                // there, leaving ~1e-11 of the start's offset.
                QVERIFY2(std::abs((f.points[i] - y[i % 3]) - expected) <= 1e-10 * scale,
                         qPrintable(QString("σ %1: ").arg(f.sigma) +
                                    figures(f.points[i] - y[i % 3], expected)));
            }
        }
    }
    // RK4 in log σ from each point's own σ: the curve is x − y ∝ σ, RK4's error ~h⁵/120 per step.
    const std::vector<double> sigmas{80.0, 3.0, 0.5, 80.0, 1.0, 0.01};
    const auto curves = integrateLogSigmaRk4(fast, start, sigmas, 0.002, 40);
    QCOMPARE(curves.size(), std::size_t(6));
    for (std::size_t p = 0; p < 6; ++p) {
        const auto& c = curves[p];
        QCOMPARE(c.sigma.back(), 0.0);
        for (int k = 0; k < 3; ++k) QCOMPARE(c.x[c.x.size() - 3 + k], y[k]);
        for (std::size_t j = 0; j + 1 < c.sigma.size(); ++j)
            for (int k = 0; k < 3; ++k) {
                const double expected = (start[p * 3 + k] - y[k]) * c.sigma[j] / sigmas[p];
                QVERIFY(std::abs(c.x[j * 3 + k] - y[k] - expected) <=
                        1e-4 * std::abs(start[p * 3 + k] - y[k]) + 1e-12);
            }
    }
}

// ---- σ from 1e-6 to 1e6 -----------------------------------------------------------------------

void TestExtremes::sigmaDecades_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<double>("sigma");
    for (double d : {1.0, 64.0, 1e9, kInfiniteD})
        for (int e = -6; e <= 6; ++e)
            QTest::addRow("D=%s sigma=1e%d", formatExtraDims(d).c_str(), e)
                << d << std::pow(10.0, e);
}

// Every decade: both denoisers finite and on the oracle; near, generic and far points; the
// log-density and the inspector finite.
void TestExtremes::sigmaDecades() {
    QFETCH(double, d);
    QFETCH(double, sigma);
    const auto charges = randomCharges(2, 29, 21, 3.0);
    const double spread = charges.rmsSpread();
    auto x = gaussianPoints(2, 40, 3.0, 1.0 + sigma, 13);
    // Points a few σ from a charge, where the posterior is decided at the scale σ itself.
    Rng rng(2);
    std::normal_distribution<double> normal;
    for (std::size_t i = 0; i < charges.size(); i += 3)
        for (int k = 0; k < 2; ++k) x.push_back(charges.position(i)[k] + 2 * sigma * normal(rng));
    // And points among the data, whatever σ (the last 10 values).
    for (std::size_t i = 1; i < charges.size(); i += 6)
        for (int k = 0; k < 2; ++k) x.push_back(charges.position(i)[k] + 0.1);
    const auto a = denoised(ReferenceDenoiser(charges, d), x, sigma);
    const auto b = denoised(FastDenoiser(charges, d, 2), x, sigma);
    const auto o = oracleXhat(charges, x, sigma, d);
    QVERIFY(allFinite(a) && allFinite(b));
    QVERIFY2(maxAbsDiff(a, o) < 1e-11 * spread, qPrintable(QString::number(maxAbsDiff(a, o))));
    QVERIFY2(maxAbsDiff(a, b) < 1e-4 * spread, qPrintable(QString::number(maxAbsDiff(a, b))));
    for (std::size_t p = 0; p < x.size() / 2; ++p) {
        const std::span<const double> xp(x.data() + 2 * p, 2);
        QVERIFY(std::isfinite(logPerturbedDensity(charges, xp, sigma, d)));
        const auto in = inspectPoint(charges, d, xp, sigma);
        QVERIFY(std::isfinite(in.log10Field));
    }
    // σ = 1e6: every charge pulls alike on points among the data, x̂ is the weighted mean (error
    // O(spread·|x|/σ²)); the points drawn 1e6 away are not among the data and are left out.
    if (sigma == 1e6) {
        const auto mean = charges.mean();
        for (std::size_t i = a.size() - 10; i < a.size(); ++i) {
            QVERIFY(std::abs(a[i] - mean[i % 2]) < 1e-9 * spread);
            QVERIFY(std::abs(b[i] - mean[i % 2]) < 1e-5 * spread);
        }
    }
}

// At σ = 1e-6 the Gaussian posterior collapses onto the nearest charge everywhere. The Student-t
// posterior collapses only within a few r = σ√D of a charge; far from every charge it tends to
// π_i ∝ q_i |x − y_i|^−(N+D), whatever σ (the heavy tails of PFGM++).
void TestExtremes::tinySigmaCollapsesOntoTheNearestCharge() {
    const auto charges = randomCharges(2, 29, 21, 3.0);
    const double sigma = 1e-6;
    const auto generic = gaussianPoints(2, 40, 3.0, 1.0, 13);
    auto nearest = [&](const std::vector<double>& x) {
        std::vector<double> out(x.size());
        for (std::size_t p = 0; p < x.size() / 2; ++p) {
            double best = INFINITY;
            for (std::size_t i = 0; i < charges.size(); ++i) {
                const double d2 = std::pow(x[2 * p] - charges.position(i)[0], 2) +
                                  std::pow(x[2 * p + 1] - charges.position(i)[1], 2);
                if (d2 < best) {
                    best = d2;
                    out[2 * p] = charges.position(i)[0];
                    out[2 * p + 1] = charges.position(i)[1];
                }
            }
        }
        return out;
    };
    std::vector<double> close;
    Rng rng(5);
    std::normal_distribution<double> normal;
    for (std::size_t i = 0; i < charges.size(); ++i)
        for (int k = 0; k < 2; ++k) close.push_back(charges.position(i)[k] + 1e-9 * normal(rng));
    for (double d : {1.0, 1.0001, 64.0, 1e9, kInfiniteD}) {
        const ReferenceDenoiser reference(charges, d);
        const FastDenoiser fast(charges, d, 2);
        // Within 1e-3 of r of a charge: that charge, for every D.
        QVERIFY(maxAbsDiff(denoised(reference, close, sigma), nearest(close)) < 1e-12);
        QVERIFY(maxAbsDiff(denoised(fast, close, sigma), nearest(close)) < 1e-6);
        const auto a = denoised(reference, generic, sigma);
        if (isInfiniteD(d) || d == 1e9) {
            QVERIFY2(maxAbsDiff(a, nearest(generic)) < 1e-12,
                     qPrintable(QString::number(maxAbsDiff(a, nearest(generic)))));
            QVERIFY(maxAbsDiff(denoised(fast, generic, sigma), nearest(generic)) < 1e-6);
            continue;
        }
        // The heavy-tail limit, in log form: log π_i = log q_i − ((N+D)/2) log |x − y_i|².
        std::vector<double> tail(generic.size());
        for (std::size_t p = 0; p < generic.size() / 2; ++p) {
            std::vector<double> lw(charges.size());
            double top = -INFINITY;
            for (std::size_t i = 0; i < charges.size(); ++i) {
                const double d2 = std::pow(generic[2 * p] - charges.position(i)[0], 2) +
                                  std::pow(generic[2 * p + 1] - charges.position(i)[1], 2);
                lw[i] = charges.logWeights()[i] - 0.5 * (2 + d) * std::log(d2);
                top = std::max(top, lw[i]);
            }
            double z = 0;
            for (double& v : lw) z += (v = std::exp(v - top));
            for (std::size_t i = 0; i < charges.size(); ++i)
                for (int k = 0; k < 2; ++k) tail[2 * p + k] += lw[i] / z * charges.position(i)[k];
        }
        // log1p(u) − log u ≈ 1/u with u = |x − y|²/r² ~ 1e9 here: the limit holds to ~1e-8.
        QVERIFY2(maxAbsDiff(a, tail) < 1e-7, qPrintable(QString::number(maxAbsDiff(a, tail))));
        if (d < 2) QVERIFY(maxAbsDiff(a, nearest(generic)) > 1e-3); // really not collapsed
    }
}

void TestExtremes::flowsAcrossTwelveDecades_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<SolverKind>("solver");
    for (double d : {1.0, 1e9, kInfiniteD})
        for (SolverKind s : kSolvers)
            QTest::addRow("D=%s %s", formatExtraDims(d).c_str(), solverName(s)) << d << s;
}

// σ_max = 1e6 down to σ_min = 1e-6: every solver completes with both denoisers, every point
// lands on a charge.
void TestExtremes::flowsAcrossTwelveDecades() {
    QFETCH(double, d);
    QFETCH(SolverKind, solver);
    const ChargeSet charges(2, {-1.0, 0.2, 1.0, -0.3, 0.1, 1.1}, {0.5, 0.3, 0.2});
    const auto start = samplePriorMixture(charges, 1e6, d, 24, 17);
    const ReferenceDenoiser reference(charges, d);
    const FastDenoiser fast(charges, d, 2);
    // 60 schedule steps complete, but over 12 decades (ρ = 7) the last steps span σ ratios of
    // 7, 14 and 78, and Heun's corrector, evaluated at the far lower σ, can throw a D = 1 point
    // off the data; 200 steps keep the last ratio near 5 and every solver lands.
    for (const Denoiser* den :
         {static_cast<const Denoiser*>(&reference), static_cast<const Denoiser*>(&fast)}) {
        const auto r = integrateFlow(*den, start, flowSettings(solver, 1e6, 1e-6, 60));
        QCOMPARE(r.status, FlowStatus::Completed);
        QVERIFY(allFinite(r.points));
    }
    auto s = flowSettings(solver, 1e6, 1e-6, 200);
    s.rtol = s.atol = 1e-5;
    std::vector<double> ends[2];
    int which = 0;
    for (const Denoiser* den :
         {static_cast<const Denoiser*>(&reference), static_cast<const Denoiser*>(&fast)}) {
        const auto r = integrateFlow(*den, start, s);
        QCOMPARE(r.status, FlowStatus::Completed);
        QVERIFY(allFinite(r.points));
        for (std::size_t p = 0; p < 24; ++p) {
            const double dist =
                nearestChargeDistance(charges, std::span(r.points).subspan(2 * p, 2));
            QVERIFY2(dist < 1e-5,
                     qPrintable(QString("%1 point %2: %3").arg(den->name()).arg(p).arg(dist)));
        }
        ends[which++] = r.points;
    }
    QVERIFY2(maxAbsDiff(ends[0], ends[1]) < 1e-5,
             qPrintable(QString::number(maxAbsDiff(ends[0], ends[1]))));
}

// ---- Coincident charges -----------------------------------------------------------------------

namespace {

// Three charges at (0.2, 0.4) (weights 1, 2, 1) among others, and the same set merged.
ChargeSet withDuplicates() {
    return ChargeSet(2, {0.2, 0.4, 1.0, 0.0, 0.2, 0.4, 0.0, 1.0, 0.2, 0.4, -1.0, -0.5},
                     {1, 1.5, 2, 1, 1, 0.5});
}
ChargeSet merged() {
    return ChargeSet(2, {0.2, 0.4, 1.0, 0.0, 0.0, 1.0, -1.0, -0.5}, {4, 1.5, 1, 0.5});
}

} // namespace

// The field of coincident charges is that of one charge of their summed weight: x̂, the density,
// the inspector, the slice and the flows all agree with the merged set.
void TestExtremes::coincidentChargesMerge() {
    const auto a = withDuplicates(), b = merged();
    for (double d : {1.0, 3.5, 1e9, kInfiniteD}) {
        auto x = gaussianPoints(2, 30, 0.2, 1.0, 3);
        x.insert(x.end(), {0.2, 0.4, 0.2 + 1e-7, 0.4});
        for (double sigma : {1e-6, 1e-3, 0.3, 5.0, 1e6}) {
            const auto ra = denoised(ReferenceDenoiser(a, d), x, sigma);
            const auto rb = denoised(ReferenceDenoiser(b, d), x, sigma);
            QVERIFY2(maxAbsDiff(ra, rb) < 1e-12, qPrintable(QString::number(maxAbsDiff(ra, rb))));
            const auto fa = denoised(FastDenoiser(a, d, 2), x, sigma);
            const auto fb = denoised(FastDenoiser(b, d, 2), x, sigma);
            QVERIFY2(maxAbsDiff(fa, fb) < 1e-5, qPrintable(QString::number(maxAbsDiff(fa, fb))));
            for (std::size_t p = 0; p < x.size() / 2; ++p) {
                const std::span<const double> xp(x.data() + 2 * p, 2);
                const double la = logPerturbedDensity(a, xp, sigma, d);
                const double lb = logPerturbedDensity(b, xp, sigma, d);
                QVERIFY2(std::abs(la - lb) < 1e-12 * std::max(1.0, std::abs(lb)),
                         qPrintable(figures(la, lb)));
                const auto ia = inspectPoint(a, d, xp, sigma), ib = inspectPoint(b, d, xp, sigma);
                QVERIFY(maxAbsDiff(ia.xhat, ib.xhat) < 1e-12);
                QVERIFY2(std::abs(ia.log10Field - ib.log10Field) <
                             1e-10 * std::max(1.0, std::abs(ib.log10Field)),
                         qPrintable(figures(ia.log10Field, ib.log10Field)));
            }
        }
        SliceSettings ss;
        ss.through = {0.0, 0.4};
        ss.columns = 24;
        ss.rows = 16;
        ss.lineCount = 6;
        ss.threads = 2;
        for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity}) {
            ss.quantity = q;
            const auto sa = computeFieldSlice(a, d, ss), sb = computeFieldSlice(b, d, ss);
            QVERIFY(maxAbsDiff(sa.value, sb.value) < 1e-10);
            for (std::size_t k = 0; k < sa.lines.size(); ++k)
                for (std::size_t j = 0; j < sa.lines[k].size(); ++j)
                    QVERIFY(std::abs(sa.lines[k][j][0] - sb.lines[k][j][0]) < 1e-9);
        }
        const auto start = samplePriorCentred(b, 80.0, d, 20, 4);
        for (SolverKind solver : kSolvers) {
            const auto s = flowSettings(solver, 80.0, 0.002, 14);
            const auto ea = integrateFlow(ReferenceDenoiser(a, d), start, s).points;
            const auto eb = integrateFlow(ReferenceDenoiser(b, d), start, s).points;
            QVERIFY2(maxAbsDiff(ea, eb) < 1e-9, qPrintable(QString::number(maxAbsDiff(ea, eb))));
        }
    }
}

// Lines seeded around each of the coincident charges climb straight out without blowing up; lines
// coming down land on the merged point with its share of the flux (4/6).
void TestExtremes::coincidentChargesFieldLines() {
    const auto a = withDuplicates();
    const ReferenceDenoiser reference(a, 1.0);
    FieldLineSettings out;
    out.seeding = FieldLineSeeding::Charges;
    out.count = 36;
    out.threads = 2;
    const auto lines = traceFieldLines(a, 1.0, reference, out);
    QCOMPARE(lines.size(), std::size_t(36));
    for (const auto& l : lines) {
        QCOMPARE(l.stop, FieldLineStop::ReachedTop);
        QVERIFY(allFinite(l.x) && allFinite(l.sigma) && allFinite(l.logDensity));
        const auto y = a.position(l.charge);
        QVERIFY(std::hypot(l.x[0] - y[0], l.x[1] - y[1]) <= 1e-3 * a.rmsSpread() * 1.0001);
    }
    FieldLineSettings in;
    in.count = 150;
    in.threads = 2;
    in.recordDensity = false;
    // At D = 1 a line that comes down at a grazing angle can reach σ_min still far from every
    // charge, its heavy-tailed x̂ a blend (ReachedPlane, documented): 1 line of 150 here.
    std::size_t onMerged = 0, onCharges = 0;
    for (const auto& l : traceFieldLines(a, 1.0, reference, in)) {
        QVERIFY(allFinite(l.x));
        QVERIFY(l.stop == FieldLineStop::ReachedCharge || l.stop == FieldLineStop::ReachedPlane);
        onCharges += l.stop == FieldLineStop::ReachedCharge;
        onMerged += a.position(l.charge)[0] == 0.2 && a.position(l.charge)[1] == 0.4;
    }
    QVERIFY2(onCharges >= 145, qPrintable(QString::number(onCharges)));
    const double fraction = onMerged / 150.0, bound = 3 * std::sqrt(4.0 / 6 * 2.0 / 6 / 150);
    QVERIFY2(std::abs(fraction - 4.0 / 6) < bound, qPrintable(QString::number(fraction)));
}

void TestExtremes::metricsWithDuplicates() {
    const std::vector<double> t{0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1};
    QCOMPARE(memorisationRatio(t, t, 2), 1.0);
    // Spacings 0, 0, 0, 1, 1, 1: median 0.5, threshold 1/6.
    QCOMPARE(memorisationRatio(std::vector<double>{0.1, 0, 0.5, 0.5, 0, 0}, t, 2), 2.0 / 3);
    const std::vector<double> same{0.3, 0.3, 0.3, 0.3, 0.3, 0.3};
    QCOMPARE(memorisationRatio(std::vector<double>{0.3, 0.3, 0.3, 0.30001}, same, 2), 0.5);
    QCOMPARE(mmdRbf(t, t, 2), 0.0);
    QCOMPARE(mmdRbf(same, same, 2), 0.0);
    const double m = mmdRbf(t, same, 2);
    QVERIFY(std::isfinite(m) && m > 0 && m <= std::sqrt(2.0));
    QCOMPARE(slicedWasserstein2(t, t, 2), 0.0);
    std::vector<double> shifted = t;
    for (std::size_t i = 0; i < t.size(); i += 2) shifted[i] += 0.6;
    // E[(θ·v)²] = |v|²/N over directions θ: sqrt(0.36 / 2).
    const double sw = slicedWasserstein2(t, shifted, 2, 4096);
    QVERIFY2(std::abs(sw / std::sqrt(0.18) - 1) < 0.02, qPrintable(QString::number(sw)));
}

// ---- A query point exactly on a charge ---------------------------------------------------------

void TestExtremes::queryOnACharge_data() {
    QTest::addColumn<double>("d");
    QTest::addColumn<double>("sigma");
    for (double d : kExtremeD)
        for (double sigma : {1e-6, 1e-3, 0.5})
            QTest::addRow("D=%s sigma=%g", formatExtraDims(d).c_str(), sigma) << d << sigma;
}

void TestExtremes::queryOnACharge() {
    QFETCH(double, d);
    QFETCH(double, sigma);
    const ChargeSet charges(2, {0.25, -0.5, 1.0, 0.0, -0.75, 0.5}, {1, 2, 1});
    const std::vector<double> x{0.25, -0.5};
    const auto a = denoised(ReferenceDenoiser(charges, d), x, sigma);
    const auto b = denoised(FastDenoiser(charges, d, 2), x, sigma);
    const auto o = oracleXhat(charges, x, sigma, d);
    QVERIFY(allFinite(a) && allFinite(b));
    QVERIFY(maxAbsDiff(a, o) < 1e-12 && maxAbsDiff(a, b) < 1e-5);
    if (sigma < 1e-3) QVERIFY(maxAbsDiff(a, x) < 1e-12); // the posterior collapsed onto it
    const double lp = logPerturbedDensity(charges, x, sigma, d);
    const double lo = oracleLogDensity(charges, x, sigma, d);
    QVERIFY2(std::isfinite(lp) &&
                 std::abs(lp - lo) < (d == 1e9 ? 1e-5 : 1e-10) * std::max(1.0, std::abs(lo)),
             qPrintable(figures(lp, lo)));
    const auto in = inspectPoint(charges, d, x, sigma);
    QVERIFY(maxAbsDiff(in.xhat, a) < 1e-12 && allFinite(in.velocity) &&
            allFinite(in.fieldDirection));
    QVERIFY2(std::isfinite(in.log10Field), qPrintable(QString::number(in.log10Field)));
    QCOMPARE(in.strongest.front().first, std::size_t(0));
    // The slice cell centred on the charge: x₁ = 0.25 is the centre of column 4 of 8 over
    // [−2, 2], σ the centre of row 0 of the linear axis (the log axis, the default, puts its rows
    // elsewhere); `through` passes through the charge.
    SliceSettings ss;
    ss.lo = -2, ss.hi = 2, ss.columns = 8, ss.rows = 4;
    ss.sigmaTop = 8 * sigma;
    ss.sigmaAxis = SliceAxis::Linear;
    ss.through = {0.0, -0.5};
    ss.arrowColumns = ss.arrowRows = 0;
    ss.lineCount = 8;
    ss.threads = 2;
    for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity}) {
        ss.quantity = q;
        const auto slice = computeFieldSlice(charges, d, ss);
        const double cell = slice.value[4];
        QVERIFY(allFinite(slice.value));
        const double cellSigma = sigma; // (0 + ½)·8σ/4
        const auto at = inspectPoint(charges, d, x, cellSigma);
        const double expected =
            q == SliceQuantity::LogDensity
                ? logPerturbedDensity(charges, x, cellSigma, d) / std::numbers::ln10
                : at.log10Field;
        // Where every other charge's π underflows, the slice's D = ∞ score is 0 and the cell takes
        // the floor of the colour range (field_slice.h); the inspector resolves the tiny value.
        if (isInfiniteD(d) && q == SliceQuantity::FieldStrength && sigma < 0.01)
            QCOMPARE(cell, slice.minValue);
        else
            QVERIFY2(std::abs(cell - expected) < 1e-9 * std::max(1.0, std::abs(expected)),
                     qPrintable(figures(cell, expected)));
        for (const auto& line : slice.lines)
            for (const auto& p : line) QVERIFY(std::isfinite(p[0]) && std::isfinite(p[1]));
    }
}

// ---- One charge --------------------------------------------------------------------------------

// Field lines of one charge are straight rays through it in (x, σ): (x − y)/σ is constant along
// each, inward lines end on it; the slice is the kernel itself.
void TestExtremes::oneChargeFieldLinesAndSlice() {
    const ChargeSet charges(2, {0.3, -0.2});
    const std::vector<double> y{0.3, -0.2};
    QCOMPARE(charges.rmsSpread(), 0.0);
    for (double d : kExtremeD) {
        const FastDenoiser fast(charges, d, 2);
        for (auto seeding : {FieldLineSeeding::Hemisphere, FieldLineSeeding::Charges}) {
            FieldLineSettings s;
            s.seeding = seeding;
            s.count = 8;
            s.threads = 2;
            s.rtol = 1e-8;
            s.atol = 1e-10;
            const auto lines = traceFieldLines(charges, d, fast, s);
            QCOMPARE(lines.size(), std::size_t(8));
            for (const auto& l : lines) {
                QVERIFY(allFinite(l.x) && allFinite(l.sigma));
                QCOMPARE(l.stop, seeding == FieldLineSeeding::Hemisphere
                                     ? FieldLineStop::ReachedCharge
                                     : FieldLineStop::ReachedTop);
                // rtol = 1e-4 per step of the adaptive tracer: ~1e-3 over a line.
                const double s0 = l.sigma[0];
                const double r0 = std::hypot(l.x[0] - y[0], l.x[1] - y[1]);
                for (std::size_t j = 0; j < l.sigma.size(); ++j) {
                    const double e0 = l.x[2 * j] - y[0] - (l.x[0] - y[0]) * l.sigma[j] / s0;
                    const double e1 = l.x[2 * j + 1] - y[1] - (l.x[1] - y[1]) * l.sigma[j] / s0;
                    // The tracer's error is ~rtol·|x| per step, |x| ≈ |y| near the end.
                    QVERIFY2(std::hypot(e0, e1) <= 1e-5 * (r0 * l.sigma[j] / s0 + 0.4),
                             qPrintable(QString("D %1 σ %2: %3 of %4")
                                            .arg(d)
                                            .arg(l.sigma[j])
                                            .arg(std::hypot(e0, e1))
                                            .arg(r0 * l.sigma[j] / s0)));
                }
                if (seeding == FieldLineSeeding::Hemisphere)
                    QVERIFY(l.x[l.x.size() - 2] == y[0] && l.x.back() == y[1]);
            }
        }
        SliceSettings ss;
        ss.through = {0.0, 0.1};
        ss.columns = 12;
        ss.rows = 6;
        ss.quantity = SliceQuantity::LogDensity;
        ss.threads = 2;
        const auto slice = computeFieldSlice(charges, d, ss);
        for (int j = 0; j < ss.rows; ++j)
            for (int i = 0; i < ss.columns; ++i) {
                const double x1 = ss.lo + (i + 0.5) * (ss.hi - ss.lo) / ss.columns;
                const double sigma = slice.cellSigma(j); // where the (log) axis put row j
                const double d2 = (x1 - 0.3) * (x1 - 0.3) + 0.09;
                const double expected = kernelLogDensity(d2, sigma, d, 2) / std::numbers::ln10;
                QVERIFY(std::abs(slice.value[j * ss.columns + i] - expected) <
                        1e-12 * std::max(1.0, std::abs(expected)));
            }
        for (const auto& line : slice.lines) QCOMPARE(line.back()[0], 0.3);
        const auto in = inspectPoint(charges, d, std::vector<double>{1.0, 1.0}, 0.4);
        QVERIFY(maxAbsDiff(in.xhat, y) < 1e-15);
        QCOMPARE(in.strongest.size(), std::size_t(1));
        QCOMPARE(in.strongest[0].second, 1.0);
    }
}

void TestExtremes::metricsWithOnePoint() {
    const std::vector<double> one{0.3, -0.2}, other{1.3, -0.2}, two{0, 0, 1, 1};
    QCOMPARE(slicedWasserstein2(one, one, 2), 0.0);
    const double sw = slicedWasserstein2(one, other, 2, 4096);
    QVERIFY2(std::abs(sw / std::sqrt(0.5) - 1) < 0.02, qPrintable(QString::number(sw)));
    QCOMPARE(mmdRbf(one, one, 2), 0.0);
    // Two points one bandwidth apart: MMD² = 2 − 2e^(−1/2).
    QVERIFY(std::abs(mmdRbf(one, other, 2) - std::sqrt(2 - 2 * std::exp(-0.5))) < 1e-6);
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(one, one, 2));
    QVERIFY_THROWS_EXCEPTION(std::invalid_argument, memorisationRatio(two, one, 2));
    QCOMPARE(memorisationRatio(one, two, 2), 1.0); // 0.36 from (0, 0), threshold √2/3
}

// ---- N = 2 data with a constant coordinate
// -------------------------------------------------------

// Every x₂ = 0.7: dx₂/dσ = (x₂ − 0.7)/σ exactly, so x₂ − 0.7 ∝ σ along every flow, and x̂₂ = 0.7.
void TestExtremes::constantCoordinate() {
    Rng rng(8);
    std::normal_distribution<double> normal;
    std::vector<double> y;
    for (int i = 0; i < 40; ++i) y.insert(y.end(), {normal(rng), 0.7});
    const ChargeSet charges(2, y);
    const double spread = charges.rmsSpread();
    double lo1 = INFINITY, hi1 = -INFINITY;
    for (std::size_t i = 0; i < y.size(); i += 2)
        lo1 = std::min(lo1, y[i]), hi1 = std::max(hi1, y[i]);
    QVERIFY(std::isfinite(spread) && spread > 0.5);
    for (double d : {1.0, 64.0, kInfiniteD}) {
        const ReferenceDenoiser reference(charges, d);
        const FastDenoiser fast(charges, d, 2);
        for (double sigma : {1e-6, 0.01, 1.0, 1e6}) {
            const auto x = gaussianPoints(2, 50, 0.5, 1.0 + sigma, 2);
            for (const auto& v : {denoised(reference, x, sigma), denoised(fast, x, sigma)}) {
                QVERIFY(allFinite(v));
                for (std::size_t p = 0; p < 50; ++p)
                    QVERIFY2(std::abs(v[2 * p + 1] - 0.7) < 1e-14,
                             qPrintable(QString::number(v[2 * p + 1], 'g', 17)));
            }
        }
        const auto start = samplePriorMixture(charges, 80.0, d, 200, 3);
        QVERIFY(allFinite(start));
        if (isInfiniteD(d)) {
            double var = 0;
            for (std::size_t p = 0; p < 200; ++p) var += std::pow(start[2 * p + 1] - 0.7, 2) / 200;
            QVERIFY2(std::abs(std::sqrt(var) / 80.0 - 1) < 0.15, qPrintable(QString::number(var)));
        }
        for (SolverKind solver : kSolvers) {
            auto s = flowSettings(solver, 80.0, 0.002, 12);
            s.recordEvery = 1;
            const auto r = integrateFlow(fast, std::span(start).first(16), s);
            QCOMPARE(r.status, FlowStatus::Completed);
            for (std::size_t p = 0; p < 8; ++p) {
                QVERIFY(std::abs(r.points[2 * p + 1] - 0.7) < 1e-14);
                // Charges ~1e-3 apart in x₁ are not resolved at σ_min = 0.002, and the heavy
                // tails of finite D keep neighbours in x̂(x, σ_min) (12 Euler steps at D = 1 end
                // 0.025 from the nearest charge): the end is a convex blend of the charges.
                QVERIFY(r.points[2 * p] >= lo1 - 1e-12 && r.points[2 * p] <= hi1 + 1e-12);
            }
            for (const auto& f : r.frames)
                for (std::size_t p = 0; p < 8; ++p) {
                    const double expected = (start[2 * p + 1] - 0.7) * f.sigma / 80.0;
                    QVERIFY(std::abs(f.points[2 * p + 1] - 0.7 - expected) <=
                            1e-9 * std::abs(start[2 * p + 1] - 0.7) + 1e-14);
                }
        }
        FieldLineSettings fl;
        fl.count = 12;
        fl.threads = 2;
        for (const auto& l : traceFieldLines(charges, d, fast, fl)) {
            QVERIFY(allFinite(l.x) && allFinite(l.sigma));
            QCOMPARE(l.stop, FieldLineStop::ReachedCharge);
            QVERIFY(std::abs(l.x.back() - 0.7) < 1e-12);
        }
        SliceSettings ss;
        ss.threads = 2;
        ss.columns = 16;
        ss.rows = 8;
        for (double through : {0.7, 1.7}) {
            ss.through = {0.0, through};
            for (auto q : {SliceQuantity::FieldStrength, SliceQuantity::LogDensity}) {
                ss.quantity = q;
                const auto slice = computeFieldSlice(charges, d, ss);
                QVERIFY(allFinite(slice.value));
                QVERIFY(std::isfinite(slice.minValue) && std::isfinite(slice.maxValue));
                for (const auto& line : slice.lines)
                    for (const auto& p : line) QVERIFY(std::isfinite(p[0]) && std::isfinite(p[1]));
            }
        }
        const auto in = inspectPoint(charges, d, std::vector<double>{0.1, 0.7}, 0.05);
        QVERIFY(allFinite(in.fieldDirection) && std::isfinite(in.log10Field));
    }
    const auto h = sampleHemisphere(2, 1.0, 80.0, charges.mean(), 100, 1);
    QVERIFY(allFinite(h.x) && allFinite(h.sigma));
    const auto samples = samplePriorMixture(charges, 0.01, kInfiniteD, 100, 1);
    QVERIFY(std::isfinite(mmdRbf(samples, y, 2)) &&
            std::isfinite(slicedWasserstein2(samples, y, 2)));
    QVERIFY(memorisationRatio(samples, y, 2) >= 0);
}

// ---- 10⁶ charges --------------------------------------------------------------------------------

void TestExtremes::millionCharges() {
    const auto started = std::chrono::steady_clock::now();
    const auto charges = randomCharges(2, 1'000'000, 12, 0.0);
    const double spread = charges.rmsSpread();
    const auto x = gaussianPoints(2, 3, 0.0, 1.5, 4);
    for (double d : {1.0, 64.0, kInfiniteD}) {
        const ReferenceDenoiser reference(charges, d);
        const FastDenoiser fast(charges, d, 2);
        for (double sigma : {0.01, 1.0}) {
            const auto a = denoised(reference, x, sigma), b = denoised(fast, x, sigma);
            QVERIFY(allFinite(a) && allFinite(b));
            qInfo("D=%s σ=%g: fast vs reference %.2e of the spread", formatExtraDims(d).c_str(),
                  sigma, maxAbsDiff(a, b) / spread);
            QVERIFY2(maxAbsDiff(a, b) < 1e-4 * spread,
                     qPrintable(QString::number(maxAbsDiff(a, b))));
        }
        if (d != 64.0) continue;
        // A short flow of a few particles; the exact field memorises: each lands on a charge.
        const auto start = samplePriorMixture(charges, 10.0, d, 4, 6);
        // σ_min well below the charges' spacing (~2e-3) over r = σ√D, so x̂ picks one charge.
        const auto r = integrateFlow(fast, start, flowSettings(SolverKind::Heun, 10.0, 1e-5, 8));
        QCOMPARE(r.status, FlowStatus::Completed);
        for (std::size_t p = 0; p < 4; ++p)
            QVERIFY(nearestChargeDistance(charges, std::span(r.points).subspan(2 * p, 2)) < 1e-5);
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    qInfo("10⁶ charges: %.1f s", seconds);
}

QTEST_APPLESS_MAIN(TestExtremes)
#include "tst_extremes.moc"
