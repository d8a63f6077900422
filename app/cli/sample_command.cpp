// `poissonscope sample`: the exact PFGM++ flow from the command line, with strict input checks.
#include "app/cli/commands.h"

#include "app/cli/backend_factory.h"

#include "app/cli/option_parser.h"
#include "app/cli/progress_printer.h"
#include "app/cli/sample_options.h"

#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/point_io.h"
#include "physics/samplers.h"
#include "physics/torch/torch_denoiser.h"
#include "physics/trajectory_io.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <ostream>

namespace psc::app {
namespace {

std::vector<double> startingPoints(const SampleOptions& o) {
    if (!o.start.empty()) return o.start;
    const bool backward = o.flow.direction == physics::FlowDirection::Backward;
    const double sigma = backward ? o.flow.sigmaMax : o.flow.sigmaMin;
    return o.prior == Prior::Centred
               ? physics::samplePriorCentred(*o.charges, sigma, o.d, o.particles, o.seed)
               : physics::samplePriorMixture(*o.charges, sigma, o.d, o.particles, o.seed);
}

void writeCsvToStream(std::ostream& out, int n, const std::vector<std::string>& header,
                      const std::vector<double>& values) {
    for (int c = 0; c < n; ++c) out << (c ? "," : "") << header[c];
    out << "\n";
    char buf[32];
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%.17g", values[i]);
        out << buf << ((i + 1) % n ? "," : "\n");
    }
}

} // namespace

namespace {

// The learned field behind the backend interface (which owns its denoiser).
class SharedDenoiser final : public physics::Denoiser {
public:
    explicit SharedDenoiser(std::shared_ptr<const physics::Denoiser> inner)
        : m_inner(std::move(inner)) {}
    int dim() const override { return m_inner->dim(); }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override {
        m_inner->denoise(points, sigma, out);
    }
    const char* name() const override { return m_inner->name(); }

private:
    std::shared_ptr<const physics::Denoiser> m_inner;
};

std::unique_ptr<physics::FlowBackend> makeSampleBackend(const SampleOptions& o) {
    if (!o.model) return makeBackend(o.backend, *o.charges, o.d, o.threads);
    physics::setLibTorchThreads(o.threads);
    const auto& info = o.model->info();
    std::string description = "learned field (" + std::to_string(info.stepsDone) + " steps on " +
                              (info.dataset.empty() ? std::string("data") : info.dataset) +
                              ", LibTorch)";
    return std::make_unique<physics::DenoiserBackend>(physics::BackendKind::Torch, *o.charges, o.d,
                                                      std::make_unique<SharedDenoiser>(o.model),
                                                      std::move(description), false);
}

} // namespace

int runSampleCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    OptionParser parser(sampleOptionSpecs());
    if (auto e = parser.parse(args)) {
        err << "poissonscope sample: " << *e << "\n";
        return kExitBadInput;
    }
    if (parser.has("help")) {
        out << sampleHelpText(parser);
        return kExitOk;
    }
    SampleOptions o;
    if (auto e = resolveSampleOptions(parser, o)) {
        err << "poissonscope sample: " << *e << "\n";
        return kExitBadInput;
    }
    const int n = o.charges->dim();
    try {
        auto backend = makeSampleBackend(o);
        const auto start = startingPoints(o);
        ProgressPrinter progress(err, "sample", o.quiet);
        const auto result =
            backend->integrate(start, o.flow, [&](double f) { progress.update(f); });
        progress.finish();
        if (result.status != physics::FlowStatus::Completed) {
            err << "poissonscope sample: " << physics::flowStatusText(result.status) << " ("
                << result.nonFinitePoints << " of " << start.size() / n
                << " points non-finite); nothing written\n";
            return kExitFailure;
        }
        if (result.framesTruncated) {
            err << "poissonscope sample: the trajectory outgrew --memory-budget after "
                << result.frames.size()
                << " frames; raise --record-every or the budget; nothing written\n";
            return kExitFailure;
        }
        if (!o.outPath.empty()) physics::savePoints(o.outPath, n, result.points, o.columnNames);
        if (!o.trajectoryPath.empty()) {
            try {
                physics::saveTrajectories(o.trajectoryPath, physics::trajectoriesFromFrames(
                                                                result.frames, n, o.columnNames));
            } catch (const physics::PointIoError&) {
                // Both outputs or neither: a run is repeated as a whole.
                if (!o.outPath.empty()) std::remove(o.outPath.c_str());
                throw;
            }
        }
        if (o.outPath.empty()) writeCsvToStream(out, n, o.columnNames, result.points);
        if (!o.quiet)
            err << "poissonscope sample: " << start.size() / n
                << " points, D = " << physics::formatExtraDims(o.d) << ", "
                << physics::solverName(o.flow.solver) << ", " << result.acceptedSteps << " steps, "
                << result.denoiserCalls << " field evaluations ("
                << physics::backendName(backend->kind()) << ": " << backend->description() << ")\n";
    } catch (const physics::PointIoError& e) {
        err << "poissonscope sample: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::exception& e) {
        err << "poissonscope sample: " << e.what() << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace psc::app
