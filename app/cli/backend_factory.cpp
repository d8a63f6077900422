#include "app/cli/backend_factory.h"

#include "app/scene/count_text.h"

#include "app/scene/exact_field.h"
#include "physics/torch/torch_denoiser.h"
#include "render/compute/gl_flow_backend.h"

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace psc::app {

std::unique_ptr<physics::FlowBackend> makeBackend(physics::BackendKind kind,
                                                  const physics::ChargeSet& charges, double d,
                                                  int threads, physics::FieldMethod method,
                                                  double tolerance) {
    switch (kind) {
    case physics::BackendKind::Cpu:
        return physics::makeCpuBackend(charges, d, threads, method, tolerance,
                                       physics::usesTree(charges, method) ? keptChargeTree(charges)
                                                                          : nullptr);
    case physics::BackendKind::Reference:
        return physics::makeReferenceBackend(charges, d);
    case physics::BackendKind::Gl:
        return compute::GlFlowBackend::createHeadless(charges, d);
    case physics::BackendKind::Torch: {
        const int count = threads > 0
                              ? threads
                              : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        auto denoiser = std::make_unique<physics::TorchDenoiser>(charges, d, count);
        std::string description =
            "LibTorch on " + denoiser->device() + ", " + countText(count, "thread");
        // LibTorch runs one call at a time; its own threads parallelise inside a call.
        return std::make_unique<physics::DenoiserBackend>(physics::BackendKind::Torch, charges, d,
                                                          std::move(denoiser),
                                                          std::move(description), false);
    }
    }
    throw std::invalid_argument("unknown backend");
}

std::optional<std::string> headlessGlProblem() {
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"})
        if (const char* v = std::getenv(name); v && *v) return std::nullopt;
    return std::string(
        "OpenGL needs a display: set DISPLAY, or run under xvfb-run (Mesa's llvmpipe "
        "provides OpenGL 4.5 in software)");
}

} // namespace psc::app
