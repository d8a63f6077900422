// `poissonscope sample`: the exact PFGM++ flow from the command line, with strict input checks.
#include "app/cli/commands.h"

#include "app/cli/backend_factory.h"

#include "app/cli/option_parser.h"
#include "app/cli/progress_printer.h"
#include "app/cli/sample_options.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/memory_estimate.h"
#include "physics/point_io.h"
#include "physics/samplers.h"
#include "physics/torch/torch_denoiser.h"
#include "physics/trajectory_io.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <unistd.h>

namespace psc::app {
namespace {

std::vector<double> startingPoints(const SampleOptions& o) {
    if (!o.start.empty()) return o.start;
    const bool backward = o.flow.direction == physics::FlowDirection::Backward;
    const double sigma = backward ? o.flow.sigmaMax : o.flow.sigmaMin;
    // A learned field starts only where its training noise reached (physics/README.md §5a).
    const double cap = o.model ? o.model->noiseCap() : physics::kUntruncated;
    return o.prior == Prior::Centred
               ? physics::samplePriorCentred(*o.charges, sigma, o.d, o.particles, o.seed, cap)
               : physics::samplePriorMixture(*o.charges, sigma, o.d, o.particles, o.seed, cap);
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

// Bytes from an environment variable (tests set small thresholds), or fallback when it is unset
// or not a positive number.
double bytesFromEnvironment(const char* name, double fallback) {
    const char* text = std::getenv(name);
    if (!text || !*text) return fallback;
    char* end = nullptr;
    const double value = std::strtod(text, &end);
    return end && *end == '\0' && std::isfinite(value) && value > 0 ? value : fallback;
}

double physicalMemoryBytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGE_SIZE);
    return pages > 0 && pageSize > 0 ? static_cast<double>(pages) * static_cast<double>(pageSize)
                                     : INFINITY;
}

// Runs estimated above 1 GB say so before they start; runs above the machine's physical memory
// are refused unless --force (they would swap or be killed halfway). PSC_MEMORY_NOTICE_BYTES and
// PSC_MEMORY_LIMIT_BYTES replace the two thresholds, for tests. Returns an exit code to stop with.
std::optional<int> checkMemory(const OptionParser& parser, const SampleOptions& o,
                               std::ostream& err) {
    const int n = o.charges->dim();
    const std::size_t points = o.start.empty() ? o.particles : o.start.size() / n;
    const double bytes = estimatePeakBytes(o, points);
    const double notice = bytesFromEnvironment("PSC_MEMORY_NOTICE_BYTES", 1024.0 * 1024 * 1024);
    const double limit = bytesFromEnvironment("PSC_MEMORY_LIMIT_BYTES", physicalMemoryBytes());
    if (bytes <= notice && bytes <= limit) return std::nullopt;
    auto count = [](std::size_t k, const char* noun) {
        return std::to_string(k) + " " + noun + (k == 1 ? "" : "s");
    };
    const std::string what = "this run needs " + physics::formatBytes(bytes) + " of memory (" +
                             count(o.charges->size(), "charge") + ", " + count(points, "particle") +
                             ", " + count(physics::recordedFrameCount(o.flow), "recorded frame") +
                             ")";
    if (bytes > limit && !parser.has("force")) {
        err << "poissonscope sample: " << what << ", more than this machine's physical memory ("
            << physics::formatBytes(limit)
            << "); nothing written (fewer particles, a larger --record-every, or --force)\n";
        return kExitBadInput;
    }
    err << "poissonscope sample: " << what << "\n";
    return std::nullopt;
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
    double noiseCap() const override { return m_inner->noiseCap(); }

private:
    std::shared_ptr<const physics::Denoiser> m_inner;
};

std::unique_ptr<physics::FlowBackend> makeSampleBackend(const SampleOptions& o) {
    if (!o.model)
        return makeBackend(o.backend, *o.charges, o.d, o.threads, o.fieldMethod, o.fieldTolerance);
    physics::setLibTorchThreads(o.threads);
    const auto& info = o.model->info();
    std::string description =
        info.format == physics::ModelFormat::TorchScript
            ? "learned field (TorchScript module " + info.dataset + ", LibTorch)"
            : "learned field (" + countText(info.stepsDone, "step") + " on " +
                  (info.dataset.empty() ? std::string("data") : info.dataset) + ", LibTorch)";
    return std::make_unique<physics::DenoiserBackend>(physics::BackendKind::Torch, *o.charges, o.d,
                                                      std::make_unique<SharedDenoiser>(o.model),
                                                      std::move(description), false);
}

} // namespace

SampleRun runSample(const SampleOptions& o, const physics::ProgressFn& progress,
                    const physics::CancelFlag* cancel) {
    auto backend = makeSampleBackend(o);
    SampleRun run;
    run.start = startingPoints(o);
    run.result = backend->integrate(run.start, o.flow, progress, cancel);
    run.backend = backend->kind();
    run.description = backend->description();
    return run;
}

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
    if (!physics::learnedFieldsBuiltIn() &&
        (parser.has("model") || parser.value("backend") == "torch")) {
        err << "poissonscope sample: "
            << (parser.has("model") ? physics::kLearnedFieldsNotBuiltIn
                                    : physics::kTorchBackendNotBuiltIn)
            << "\n";
        return kExitFailure;
    }
    SampleOptions o;
    if (auto e = resolveSampleOptions(parser, o)) {
        err << "poissonscope sample: " << *e << "\n";
        return kExitBadInput;
    }
    if (auto code = checkMemory(parser, o, err)) return *code;
    const int n = o.charges->dim();
    try {
        ProgressPrinter progress(err, "sample", o.quiet);
        const auto run = runSample(o, [&](double f) { progress.update(f); });
        const auto& result = run.result;
        const auto& start = run.start;
        progress.finish();
        if (result.status != physics::FlowStatus::Completed) {
            err << "poissonscope sample: " << physics::flowStatusText(result.status) << " ("
                << result.nonFinitePoints << " of " << countText(start.size() / n, "point")
                << " non-finite); nothing written\n";
            return kExitFailure;
        }
        if (result.framesTruncated) {
            err << "poissonscope sample: the trajectory outgrew --memory-budget after "
                << countText(result.frames.size(), "frame")
                << "; raise --record-every or the budget; nothing written\n";
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
            err << "poissonscope sample: " << countText(start.size() / n, "point")
                << ", D = " << physics::formatExtraDims(o.d) << ", "
                << physics::solverName(o.flow.solver) << ", "
                << countText(result.acceptedSteps, "step") << ", "
                << countText(result.denoiserCalls, "field evaluation") << " ("
                << physics::backendName(run.backend) << ": " << run.description << ")\n";
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
