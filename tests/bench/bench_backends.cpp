// Every backend on the same charges and points, in one process: pair evaluations per second of
// one field evaluation (upload, compute, read-back), and the time of one Heun step of the flow;
// for gl also a step resident on the GPU (state stays in storage buffers, as in the viewer).
// Ratios are against the cpu backend measured in the same run.
//
//   xvfb-run -a ./build/tests/bench/bench_backends [sizes=4096,65536] [backends=cpu,gl,torch]
//   [D=128]
#include "app/cli/backend_factory.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/samplers.h"
#include "physics/torch/learned_field.h"
#include "render/compute/gl_curves.h"
#include "render/compute/gl_field.h"
#include "render/compute/gl_flow_backend.h"

#include <QGuiApplication>
#include <QOpenGLFunctions_4_3_Core>

#include <chrono>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using namespace psc;
using Clock = std::chrono::steady_clock;

namespace {

std::vector<std::string> split(const std::string& text) {
    std::vector<std::string> parts;
    std::stringstream in(text);
    for (std::string part; std::getline(in, part, ',');) parts.push_back(part);
    return parts;
}

// Repeats f until minSeconds have passed (after one warm-up call); seconds per call.
template <class F>
double timePerCall(F&& f, double minSeconds) {
    f();
    int calls = 0;
    const auto start = Clock::now();
    double elapsed = 0;
    do {
        f();
        ++calls;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < minSeconds);
    return elapsed / calls;
}

} // namespace

int main(int argc, char** argv) {
    QGuiApplication app(argc, argv);
    const auto sizes = split(argc > 1 ? argv[1] : "4096,65536");
    const auto names = split(argc > 2                          ? argv[2]
                             : physics::learnedFieldsBuiltIn() ? "cpu,gl,torch"
                                                               : "cpu,gl");
    const double d = argc > 3 ? *physics::parseExtraDims(argv[3]) : 128.0;
    std::printf("backends at D = %s, N = 2, one field evaluation = M x P pairs; heun step = 2 "
                "evaluations\n",
                physics::formatExtraDims(d).c_str());
    for (const auto& sizeText : sizes) {
        const std::size_t size = std::stoul(sizeText);
        physics::DatasetParams params;
        params.count = size;
        const auto charges = physics::makeDataset("two-moons", params);
        const auto points = physics::samplePriorMixture(charges, 1.0, d, size, 5);
        const double pairs = static_cast<double>(size) * static_cast<double>(size);
        // One call of the large sizes takes seconds on a CPU: time single calls there.
        const double minSeconds = size > 10000 ? 0.0 : 1.0;
        std::printf("\nM = P = %zu (%.2g pairs per evaluation)\n", size, pairs);
        std::printf("  %-6s %14s %12s %14s   %s\n", "backend", "pairs/s", "ratio", "heun step",
                    "device");
        double cpuRate = 0;
        for (const auto& name : names) {
            std::unique_ptr<physics::FlowBackend> backend;
            try {
                backend = app::makeBackend(*physics::parseBackend(name), charges, d, 0);
            } catch (const std::exception& e) {
                std::printf("  %-6s unavailable: %s\n", name.c_str(), e.what());
                continue;
            }
            std::vector<double> out(points.size());
            const double evalSeconds =
                timePerCall([&] { backend->denoise(points, 1.0, out); }, minSeconds);
            physics::FlowSettings step;
            step.steps = 2;
            step.finalStepToZero = false;
            step.sigmaMax = 2.0;
            step.sigmaMin = 1.0;
            const double stepSeconds =
                timePerCall([&] { backend->integrate(points, step); }, minSeconds);
            const double rate = pairs / evalSeconds;
            if (name == "cpu") cpuRate = rate;
            std::printf("  %-6s %14.3g %11.2fx %12.2f ms   %s\n", name.c_str(), rate,
                        cpuRate > 0 ? rate / cpuRate : 0.0, 1e3 * stepSeconds,
                        backend->description().c_str());
            if (auto* gl = dynamic_cast<compute::GlFlowBackend*>(backend.get())) {
                // The viewer's case: state resident in storage buffers, no upload or read-back.
                compute::GlCurves curves(gl->field(), size, 0);
                curves.startAtSigma(points, 2.0);
                const double resident = timePerCall(
                    [&] {
                        curves.stepSigma(physics::SolverKind::Heun, 2.0, 1.0, -1);
                        gl->field().gl().glFinish();
                    },
                    minSeconds);
                std::printf("  %-6s %14.3g %11.2fx %12.2f ms   (step resident on the GPU)\n", "gl",
                            2 * pairs / resident,
                            cpuRate > 0 ? 2 * pairs / resident / cpuRate : 0.0, 1e3 * resident);
            }
        }
    }
    return 0;
}
