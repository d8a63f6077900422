// Option table, help text and validation for `poissonscope sample`.
#include "app/cli/sample_options.h"

#include "app/cli/scene_options.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/memory_estimate.h"
#include "physics/named_choices.h"
#include "physics/plugin_library.h"
#include "physics/point_io.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

namespace psc::app {

namespace {

// sample follows the reference code: 18 Heun steps (35 evaluations), starting points from seed 0.
SceneSettings sampleDefaults() {
    SceneSettings s;
    s.steps = 18;
    s.seed = 0;
    return s;
}

// The scene keys sample takes, besides the data source.
const SceneOptionKeys& flowKeys() {
    static const SceneOptionKeys keys{"field.D",        "field.seed",     "field.sigmaMax",
                                      "field.sigmaMin", "field.steps",    "field.solver",
                                      "field.method",   "field.tolerance"};
    return keys;
}

void append(std::vector<OptionSpec>& to, std::vector<OptionSpec> specs) {
    to.insert(to.end(), specs.begin(), specs.end());
}

} // namespace

std::vector<OptionSpec> sampleOptionSpecs() {
    const SceneSettings defaults = sampleDefaults();
    std::string backends;
    for (const auto& b : physics::backendTable())
        backends +=
            (backends.empty() ? "" : "; ") + std::string(b.name) + ": " + std::string(b.help);
    std::vector<OptionSpec> specs = sceneOptionSpecs(dataOptionKeys(), defaults);
    append(specs, sceneOptionSpecs({"field.D"}, defaults));
    specs.push_back({"particles", "P", "points to flow (ignored with --start)", "1000"});
    append(specs, sceneOptionSpecs({"field.seed"}, defaults));
    append(specs,
           {{"prior", "mixture|centred",
             "starting distribution: the exact mixture of kernels around every charge, or one "
             "kernel at the data mean (the reference code's)",
             "mixture"},
            {"start", "FILE",
             "starting points (.csv/.npy/.ply/.xyz, same dimension as the data) instead of prior "
             "draws",
             ""}});
    append(specs, sceneOptionSpecs({"field.sigmaMax", "field.sigmaMin", "field.steps"}, defaults));
    specs.push_back({"rho", "R", "EDM schedule exponent", "7"});
    append(specs, sceneOptionSpecs({"field.solver", "field.method", "field.tolerance"}, defaults));
    append(specs,
           {{"rtol", "X", "rk45 relative tolerance", "1e-5"},
            {"atol", "X", "rk45 absolute tolerance", "1e-5"},
            {"noise-alpha", "A",
             "robustness protocol (a) of PFGM++: add alpha*sigma_k*N(0, I) before every step "
             "(fixed-step solvers)",
             "0"},
            {"direction", "backward|forward",
             "backward generates (sigma-max to 0); forward encodes (sigma-min to sigma-max)",
             "backward"},
            {"model", "FILE",
             "a learned field instead of the exact field: a network from poissonscope train (its D "
             "is used; without --data/--dataset the prior is centred on its data's mean) or a "
             "TorchScript module with forward(x, sigma) -> x_hat (its D from --D or its "
             "poissonscope.json metadata; N from the data or the metadata)",
             ""},
            {"backend", physics::choiceNames(physics::backendTable()),
             "field evaluator: " + backends, "cpu"},
            {"threads", "T", "worker threads (0 = all cores)", "0"},
            {"out", "FILE", "final points (.csv with header, or .npy); stdout as CSV when omitted",
             ""},
            {"trajectory", "FILE",
             "every recorded step: columns step, sigma, particle, coordinates (.csv/.npy), or per "
             "particle arrays of step, sigma and x (.json)",
             ""},
            {"record-every", "K",
             "with --trajectory: record every K-th step (first and last always)", "1"},
            {"memory-budget", "MB", "refuse runs whose estimated peak memory exceeds this", "4096"},
            {"force", "",
             "run even when the estimated peak memory exceeds the machine's physical memory (runs "
             "estimated above 1 GB always announce their size on stderr first)",
             ""},
            {"quiet", "", "no progress or summary on stderr", ""},
            {"help", "", "show this help", ""}});
    return specs;
}

std::string sampleHelpText(const OptionParser& parser) {
    std::ostringstream out;
    out << "Usage: poissonscope sample [options]\n\n"
           "Flows points with the exact PFGM++ field of the data's charges, for any D from 1 to "
           "inf.\n"
           "Backward (default) starts from the prior at sigma-max and ends on the data "
           "(generation);\n"
           "forward starts near the data at sigma-min and ends at sigma-max (encoding).\n"
           "Outputs are written to a temporary file and renamed on success.\n"
           "--backend gl runs the flow in OpenGL compute shaders on an offscreen context of its "
           "own: it\n"
           "needs OpenGL 4.3 through a display; without one, run it under xvfb-run (Mesa's "
           "llvmpipe).\n\nOptions:\n"
        << parser.helpText()
        << "\nExit codes: 0 success, 1 the computation failed, 2 input refused (nothing written).\n"
           "Example: poissonscope sample --dataset 8-gaussians --D 128 --particles 5000 --out "
           "samples.csv\n";
    return out.str();
}

namespace {

// The data a scene names: its data file (with the file's column names) or its built-in set.
void loadData(const SceneSettings& scene, SampleOptions& o) {
    if (!scene.dataPath.empty()) {
        const auto table = loadDataFile(scene.dataPath, scene.image);
        o.charges.emplace(physics::chargesFromTable(table));
        o.columnNames = table.columnNames;
        return;
    }
    o.charges.emplace(physics::makeDataset(scene.dataset, scene.datasetParams));
    for (int c = 0; c < o.charges->dim(); ++c) o.columnNames.push_back("x" + std::to_string(c + 1));
}

} // namespace

std::optional<std::string> loadDataOptions(const OptionParser& p, SampleOptions& o,
                                           SceneSettings* source) {
    SceneSettings scene;
    ViewSettings view;
    if (auto e = applySceneOptions(p, dataOptionKeys(), scene, view)) return e;
    loadData(scene, o);
    if (source) *source = scene;
    return std::nullopt;
}

namespace {

// A TorchScript module takes N from the data and D from --D when its metadata lacks them.
std::optional<std::string> loadModel(const OptionParser& p, const SceneSettings& scene,
                                     SampleOptions& o) {
    physics::LoadOptions options;
    if (o.charges) options.dim = o.charges->dim();
    if (p.has("D")) options.d = scene.d;
    try {
        o.model = physics::LearnedField::load(p.value("model"), options);
    } catch (const physics::ModelFileError& e) {
        return std::string(e.what());
    } catch (const physics::PluginError& e) {
        return std::string(e.what());
    }
    return std::nullopt;
}

std::optional<std::string> checkOutputPath(const std::string& path, const char* option,
                                           bool json = false) {
    if (path.empty()) return std::nullopt;
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (ext != ".csv" && ext != ".npy" && !(json && ext == ".json"))
        return std::string("--") + option + " '" + path + "': use a .csv" +
               (json ? ", .npy or .json" : " or .npy") + " file name";
    std::error_code ec;
    auto parent = std::filesystem::path(path).parent_path();
    if (parent.empty()) parent = ".";
    if (!std::filesystem::is_directory(parent, ec))
        return std::string("--") + option + " '" + path + "': folder '" + parent.string() +
               "' does not exist";
    if (std::filesystem::is_directory(path, ec))
        return std::string("--") + option + " '" + path + "' is a folder";
    return std::nullopt;
}

} // namespace

namespace {

// How many times a recorded frame is held at the peak of a run with --trajectory: the frames, their
// regrouping per particle (x, σ and the int step: (N + 1.5)/N of a frame), and for .csv and .npy
// the rows written (step, σ, particle, x: (N + 3)/N). Measured within 3% of the growth of the
// peak resident size for N = 2 and 3, .npy, .csv and .json (2e5 particles, 19 frames).
double trajectoryCopies(int n, const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    return 1.0 + (n + 1.5) / n + (ext == ".json" ? 0.0 : (n + 3.0) / n);
}

} // namespace

// The options' charges and the backend's copy are alive during the run, with the denoiser's own
// (floats on the fast CPU path, a ChargeSet for the reference); frames as above.
double estimatePeakBytes(const SampleOptions& o, std::size_t points) {
    physics::SampleRunShape shape;
    shape.dim = o.charges ? o.charges->dim() : 3;
    shape.charges = o.charges ? o.charges->size() : 0;
    shape.particles = points;
    shape.solver = o.flow.solver;
    shape.recordedFrames = physics::recordedFrameCount(o.flow);
    shape.fastDenoiser = o.backend != physics::BackendKind::Reference;
    shape.treeCode = o.backend == physics::BackendKind::Cpu && o.charges &&
                     physics::usesTree(*o.charges, o.fieldMethod);
    shape.chargeSetCopies = 2;
    shape.frameCopies = trajectoryCopies(shape.dim, o.trajectoryPath);
    return physics::estimateSampleRun(shape).total();
}

std::optional<std::string> resolveSampleOptions(const OptionParser& p, SampleOptions& o) {
    SceneSettings scene = sampleDefaults();
    ViewSettings view;
    SceneOptionKeys keys = dataOptionKeys();
    keys.insert(keys.end(), flowKeys().begin(), flowKeys().end());
    if (auto e = applySceneOptions(p, keys, scene, view)) return e;
    try {
        if (!o.charges && (p.has("data") || p.has("dataset") || !(p.has("model") || o.model)))
            loadData(scene, o);
        if (p.has("model") && !o.model)
            if (auto e = loadModel(p, scene, o)) return e;
        if (o.model && p.has("backend"))
            return std::string(
                "--backend does not apply to --model (the network runs on LibTorch)");
        // With a model and no data, the charges are the model's centre alone (the origin for a
        // TorchScript module): the prior around it is the reference code's centred prior, which
        // is all a learned field needs.
        if (o.model && !o.charges) {
            const auto& info = o.model->info();
            o.charges.emplace(info.dim, info.center);
        }
        if (o.columnNames.empty())
            for (int c = 0; c < o.charges->dim(); ++c)
                o.columnNames.push_back("x" + std::to_string(c + 1));
    } catch (const physics::PointIoError& e) {
        return std::string(e.what());
    } catch (const std::invalid_argument& e) {
        return std::string(e.what());
    }
    const int n = o.charges->dim();

    o.d = scene.d;
    if (o.model) {
        // The network learned one D's noise: flows at another D start from the wrong prior.
        const double trained = o.model->info().d;
        if (p.has("D") && !(scene.d == trained ||
                            (physics::isInfiniteD(scene.d) && physics::isInfiniteD(trained))))
            return "the model was trained at D = " + physics::formatExtraDims(trained) +
                   "; omit --D or give that";
        o.d = trained;
        if (o.model->info().dim != n)
            return "the model has " + std::to_string(o.model->info().dim) +
                   " coordinates, the data " + std::to_string(n);
    }
    o.seed = scene.seed;
    o.flow.sigmaMax = scene.sigmaMax;
    o.flow.sigmaMin = scene.sigmaMin;
    o.flow.steps = scene.steps;
    o.flow.solver = scene.solver;
    o.fieldMethod = scene.fieldMethod;
    o.fieldTolerance = scene.fieldTolerance;

    auto number = [&](const char* name, double& target) -> std::optional<std::string> {
        const auto v = parseDouble(p.value(name));
        if (!v)
            return std::string("--") + name + " must be a finite number, got '" + p.value(name) +
                   "'";
        target = *v;
        return std::nullopt;
    };
    auto integer = [&](const char* name, long long lo, long long hi,
                       long long& target) -> std::optional<std::string> {
        const auto v = parseInteger(p.value(name));
        if (!v || *v < lo || *v > hi)
            return std::string("--") + name + " must be an integer in [" + std::to_string(lo) +
                   ", " + std::to_string(hi) + "], got '" + p.value(name) + "'";
        target = *v;
        return std::nullopt;
    };
    long long particles = 0, threads = 0, every = 0, budget = 0;
    for (auto e :
         {integer("particles", 1, 100'000'000, particles), integer("threads", 0, 1024, threads),
          integer("record-every", 1, 1'000'000, every),
          integer("memory-budget", 1, 1LL << 30, budget), number("rho", o.flow.rho),
          number("rtol", o.flow.rtol), number("atol", o.flow.atol),
          number("noise-alpha", o.flow.noiseAlpha)})
        if (e) return e;
    o.particles = static_cast<std::size_t>(particles);
    // Its own stream: the same start points with and without noise.
    o.flow.noiseSeed = o.seed ^ 0x9e3779b97f4a7c15ULL;
    o.threads = static_cast<int>(threads);

    const auto direction = physics::parseDirection(p.value("direction"));
    if (!direction)
        return "--direction must be backward or forward, got '" + p.value("direction") + "'";
    o.flow.direction = *direction;
    if (p.value("prior") == "mixture")
        o.prior = Prior::Mixture;
    else if (p.value("prior") == "centred" || p.value("prior") == "centered")
        o.prior = Prior::Centred;
    else
        return "--prior must be mixture or centred, got '" + p.value("prior") + "'";
    const std::string backend = p.value("backend");
    if (auto kind = physics::parseBackend(backend))
        o.backend = *kind;
    else
        return "--backend must be " + physics::choiceSentence(physics::backendTable()) + ", got '" +
               backend + "'";
    if (auto e = physics::validateFlowSettings(o.flow)) return *e;

    o.outPath = p.value("out");
    o.trajectoryPath = p.value("trajectory");
    if (auto e = checkOutputPath(o.outPath, "out")) return e;
    if (auto e = checkOutputPath(o.trajectoryPath, "trajectory", true)) return e;
    if (!o.trajectoryPath.empty()) o.flow.recordEvery = static_cast<int>(every);
    o.quiet = p.has("quiet");

    if (p.has("start")) {
        if (p.has("particles")) return "give either --start or --particles, not both";
        try {
            physics::LoadLimits limits;
            limits.minDim = limits.maxDim = n;
            auto table = physics::loadPoints(p.value("start"), limits);
            if (!table.weights.empty())
                return "--start '" + p.value("start") + "': starting points take no weights";
            o.start = std::move(table.values);
        } catch (const physics::PointIoError& e) {
            return std::string(e.what());
        }
    }
    const std::size_t points = o.start.empty() ? o.particles : o.start.size() / n;
    if (o.flow.recordEvery > 0) {
        // Frames (and the rows written from them) must fit the budget whatever rk45's step count.
        const double frameBytes = static_cast<double>(points) * n * sizeof(double) *
                                  trajectoryCopies(n, o.trajectoryPath);
        o.flow.maxRecordedFrames = static_cast<std::size_t>(
            std::max(2.0, 0.8 * static_cast<double>(budget) * 1048576.0 / frameBytes));
    }
    const double bytes = estimatePeakBytes(o, points);
    if (bytes > static_cast<double>(budget) * 1024 * 1024) {
        char buf[200];
        std::snprintf(
            buf, sizeof buf,
            "this run needs about %.0f MB, above --memory-budget %lld MB (fewer particles, "
            "a larger --record-every, or a larger budget)",
            bytes / 1048576.0, budget);
        return std::string(buf);
    }
    return std::nullopt;
}

} // namespace psc::app
