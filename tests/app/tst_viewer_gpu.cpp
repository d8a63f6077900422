// The window's GPU particles under Xvfb (llvmpipe has compute shaders): auto keeps a software
// rasteriser on the CPU and says why; forced onto the GPU, the particles are moved by compute
// shaders, drawn from their track without read-backs, and land where the exact field lines land,
// in numbers and in pixels (compared with the CPU path's picture).
#include "app/main_window.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/viewport_widget.h"

#include "physics/field_line_tracer.h"
#include "physics/reference_denoiser.h"
#include "render/compute/gpu_particle_flow.h"

#include <QImage>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

using namespace psc;
using namespace psc::app;

namespace {

bool waitForIdleScene(
    ViewportWidget* viewport, const std::function<bool()>& also = [] { return true; }) {
    const bool ok = QTest::qWaitFor(
        [&] { return viewport->session().sceneData() && !viewport->computing() && also(); }, 60000);
    QTest::qWait(100);
    return ok;
}

void setCompute(ViewportWidget* viewport, ComputeChoice choice, unsigned layers) {
    ViewSettings view = viewport->session().viewSettings();
    view.compute = choice;
    view.playing = false;
    view.layers = layers;
    viewport->session().setViewSettings(view);
}

// Pixels brighter than the background, as a mask.
std::vector<bool> litMask(const QImage& image) {
    std::vector<bool> mask(static_cast<std::size_t>(image.width() * image.height()));
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QRgb p = image.pixel(x, y);
            mask[static_cast<std::size_t>(y * image.width() + x)] =
                qRed(p) + qGreen(p) + qBlue(p) > 3 * 50;
        }
    return mask;
}

// |A ∩ B| / |A ∪ B| of two masks.
double overlap(const std::vector<bool>& a, const std::vector<bool>& b, int* litA = nullptr) {
    int both = 0, either = 0, countA = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        both += a[i] && b[i];
        either += a[i] || b[i];
        countA += a[i];
    }
    if (litA) *litA = countA;
    return either ? static_cast<double>(both) / either : 0.0;
}

} // namespace

class TestViewerGpu : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void autoKeepsSoftwareGlOnTheCpu();
    void gpuParticlesMatchTheCpu();
};

void TestViewerGpu::autoKeepsSoftwareGlOnTheCpu() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    QVERIFY(waitForIdleScene(viewport));
    QVERIFY(!viewport->particlesOnGpu());
    QVERIFY(!viewport->session().sceneData()->particlesOnGpu);
    QVERIFY2(viewport->computeNote().contains("software"), qPrintable(viewport->computeNote()));
}

void TestViewerGpu::gpuParticlesMatchTheCpu() {
    MainWindow window;
    window.resize(900, 700);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto* viewport = window.viewport();
    viewport->setPanelVisible(false);
    QVERIFY(waitForIdleScene(viewport));
    const unsigned particlesOnly = static_cast<unsigned>(render::Layer::Particles);
    const unsigned trailsOnly = static_cast<unsigned>(render::Layer::Trails);

    setCompute(viewport, ComputeChoice::Gpu, particlesOnly);
    QVERIFY(waitForIdleScene(viewport, [&] { return viewport->particlesOnGpu(); }));
    QVERIFY2(viewport->computeNote().contains("GPU"), qPrintable(viewport->computeNote()));
    const auto scene = viewport->session().sceneData();
    QVERIFY(scene->paths.empty()); // nothing moved on the CPU

    // Numbers: the GPU particles (fixed rk4 steps in log σ) and the window's CPU paths (adaptive)
    // end where a tight double-precision trace of the same field lines ends (rtol 1e-7).
    viewport->makeCurrent();
    auto* flow = viewport->gpuFlow();
    QVERIFY(flow && flow->finished());
    const auto track = flow->readTrack();
    viewport->doneCurrent();
    const auto cpuScene = computeScene(scene->settings);
    physics::FieldLineSettings lines;
    lines.seeding = physics::FieldLineSeeding::Hemisphere;
    lines.count = static_cast<std::size_t>(scene->settings.particles);
    lines.seed = scene->settings.seed;
    lines.sigmaMax = scene->settings.sigmaMax;
    lines.sigmaMin = scene->settings.sigmaMin;
    lines.rtol = 1e-7;
    lines.atol = 1e-9;
    lines.maxSteps = 100000;
    lines.threads = 0;
    lines.recordDensity = false;
    const auto reference = physics::traceFieldLines(
        scene->charges, scene->settings.d,
        physics::ReferenceDenoiser(scene->charges, scene->settings.d), lines);
    const int n = scene->charges.dim();
    const double tolerance = 1e-2 * scene->charges.rmsSpread(); // well below the charges' spacing
    int gpuSame = 0, cpuSame = 0;
    for (int p = 0; p < flow->count(); ++p) {
        const float* end = &track[4 * (static_cast<std::size_t>(p + 1) * flow->frames() - 1)];
        QCOMPARE(end[3], 0.0f);
        const auto& exact = reference[static_cast<std::size_t>(p)].x;
        const auto& cpu = cpuScene->paths[static_cast<std::size_t>(p)].x;
        double gpuD2 = 0, cpuD2 = 0;
        for (int c = 0; c < n; ++c) {
            const double e = exact[exact.size() - n + c];
            gpuD2 += std::pow(end[c] + flow->center()[c] - e, 2);
            cpuD2 += std::pow(cpu[cpu.size() - n + c] - e, 2);
        }
        gpuSame += std::sqrt(gpuD2) < tolerance;
        cpuSame += std::sqrt(cpuD2) < tolerance;
    }
    qInfo("of %d particles, %d (GPU) and %d (CPU) end where the exact lines end", flow->count(),
          gpuSame, cpuSame);
    QVERIFY(gpuSame >= static_cast<int>(0.99 * flow->count()));
    QVERIFY(cpuSame >= static_cast<int>(0.99 * flow->count()));

    // File › Export trajectories reads the same track back: every state of every particle, in
    // physics coordinates, σ falling to 0.
    const auto trajectories = viewport->particleTrajectories();
    QCOMPARE(trajectories.particles.size(), static_cast<std::size_t>(flow->count()));
    for (int p = 0; p < flow->count(); ++p) {
        const auto& t = trajectories.particles[static_cast<std::size_t>(p)];
        QCOMPARE(t.sigma.size(), static_cast<std::size_t>(flow->frames()));
        QCOMPARE(t.sigma.back(), 0.0);
        QVERIFY(t.sigma.front() > t.sigma[1]);
        for (int c = 0; c < n; ++c) {
            const float* end = &track[4 * (static_cast<std::size_t>(p + 1) * flow->frames() - 1)];
            QCOMPARE(t.x[t.x.size() - n + c], static_cast<double>(end[c]) + flow->center()[c]);
        }
    }

    // Trail windows: computed from the known times, they hold every state whose clock lies in the
    // window (checked against the read-back track), one more on each side, and nothing else.
    for (double lower :
         {clockBottom(*scene) - 0.5, std::log(0.01), std::log(1.0), std::log(30.0)}) {
        const double upper = lower + 1.2;
        std::vector<int> firsts, counts;
        flow->trailWindows(lower, upper, clockBottom(*scene), firsts, counts);
        for (int p = 0; p < flow->count(); ++p) {
            int inside = 0, insideFirst = -1, insideLast = -1;
            for (int k = 0; k < flow->frames(); ++k) {
                const double clock = clockLogSigma(
                    *scene, track[4 * (static_cast<std::size_t>(p) * flow->frames() + k) + 3]);
                if (clock >= lower && clock <= upper) {
                    ++inside;
                    if (insideFirst < 0) insideFirst = k;
                    insideLast = k;
                }
            }
            const int a = firsts[p] - p * flow->frames(), b = a + counts[p] - 1;
            if (inside == 0) continue;
            QVERIFY2(a <= insideFirst && b >= insideLast && a >= insideFirst - 1 &&
                         b <= insideLast + 1,
                     qPrintable(QString("particle %1: window [%2, %3], states in range [%4, %5]")
                                    .arg(p)
                                    .arg(a)
                                    .arg(b)
                                    .arg(insideFirst)
                                    .arg(insideLast)));
        }
    }

    // Pixels: the same picture from the GPU track as from the CPU paths, landed and mid-flight,
    // through one fixed camera that frames the whole scene (the followed framing would magnify
    // the fixed-step GPU tracks' sub-pixel differences from the adaptive CPU paths at each σ).
    viewport->session().panCamera(glm::vec2(0.0f), glm::vec2(1.0f));
    {
        const auto bounds = sceneBounds(*scene, viewport->session().warp());
        viewport->session().camera().fitBounds(bounds.min, bounds.max);
    }
    struct Shot {
        unsigned layers;
        double logSigma;
        const char* name;
    };
    const Shot shots[] = {{particlesOnly, clockBottom(*scene), "landed particles"},
                          {particlesOnly, std::log(1.0), "particles at sigma 1"},
                          {trailsOnly, std::log(0.5), "trails at sigma 0.5"}};
    std::vector<QImage> gpu;
    for (const auto& shot : shots) {
        setCompute(viewport, ComputeChoice::Gpu, shot.layers);
        viewport->session().setClockLogSigma(shot.logSigma);
        QTest::qWait(150);
        gpu.push_back(viewport->grabFramebuffer());
    }
    setCompute(viewport, ComputeChoice::Cpu, particlesOnly);
    QVERIFY(waitForIdleScene(viewport,
                             [&] { return !viewport->session().sceneData()->particlesOnGpu; }));
    QVERIFY(!viewport->particlesOnGpu());
    for (std::size_t i = 0; i < std::size(shots); ++i) {
        setCompute(viewport, ComputeChoice::Cpu, shots[i].layers);
        viewport->session().setClockLogSigma(shots[i].logSigma);
        QTest::qWait(150);
        const QImage cpu = viewport->grabFramebuffer();
        int lit = 0;
        const double iou = overlap(litMask(gpu[i]), litMask(cpu), &lit);
        qInfo("%s: %d lit pixels, overlap with the CPU picture %.2f", shots[i].name, lit, iou);
        if (iou < 0.8) {
            gpu[i].save(QString("/tmp/gpu-%1.png").arg(i));
            cpu.save(QString("/tmp/cpu-%1.png").arg(i));
        }
        QVERIFY2(lit > 500, shots[i].name);
        QVERIFY2(iou > 0.8, shots[i].name);
    }
}

QTEST_MAIN(TestViewerGpu)
#include "tst_viewer_gpu.moc"
