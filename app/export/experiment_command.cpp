// `poissonscope experiment`: the paper's robustness protocols per D, as a CSV table and a figure.
#include "app/export/experiment_command.h"

#include "app/cli/commands.h"
#include "app/cli/option_parser.h"
#include "app/cli/sample_options.h"
#include "app/cli/scene_options.h"
#include "app/export/experiment_plot.h"
#include "app/export/experiment_table.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/point_io.h"
#include "physics/torch/robustness_experiment.h"

#include <ostream>

namespace psc::exporter {
namespace {

// Held-out data: the same built-in set drawn with another seed, or a fifth of a data file.
std::pair<physics::ChargeSet, physics::ChargeSet> splitData(const app::SceneSettings& source,
                                                            const physics::ChargeSet& all) {
    if (!source.dataPath.empty()) return splitHeldOut(all);
    return splitHeldOut(all, source.dataset, source.datasetParams);
}

} // namespace

int runExperimentCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
    std::vector<app::OptionSpec> specs = app::sceneOptionSpecs(app::dataOptionKeys());
    specs.insert(
        specs.end(),
        {
            {"D", "LIST", "values of D, one learned field each", "1,4,16,128,2048,inf"},
            {"steps", "K", "training steps per D", "3000"},
            {"samples", "P", "generated points per measurement", "2000"},
            {"alpha", "LIST", "(a) noise strengths", "0,0.1,0.2"},
            {"heun-steps", "LIST", "(b) Heun schedule lengths (NFE = 2K - 1)", "4,6,9,13,18"},
            {"bits", "LIST", "(c) weight quantisation bits (5..9)", "5,6,7,8,9"},
            {"seed", "S", "seed of training, start points and noise", "0"},
            {"threads", "T", "LibTorch threads (0 = all cores)", "0"},
            {"out", "FILE.csv", "the table: D, protocol, value, nfe, sw2, mmd", ""},
            {"plot", "FILE.png", "the figure: quality against each protocol, one curve per D", ""},
            {"title", "TEXT", "the figure's title", "Robustness of PFGM++ across D"},
            {"quiet", "", "no progress on stderr", ""},
            {"help", "", "show this help", ""},
        });
    app::OptionParser parser(std::move(specs));
    if (auto e = parser.parse(args)) {
        err << "poissonscope experiment: " << *e << "\n";
        return app::kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope experiment [--dataset NAME | --data FILE] --out table.csv "
               "[--plot figure.png]\n\n"
               "Re-runs the PFGM++ paper's robustness protocols on toy data: for every D, a "
               "learned field is\n"
               "trained, then sampled (a) with noise alpha*sigma_k*N(0, I) injected before every "
               "step, (b) with\n"
               "fewer steps, (c) with weights quantised to fewer bits; each run is scored by its "
               "sliced-W2 and\n"
               "MMD to held-out data: a fresh draw of a built-in set (another seed), or every "
               "fifth point of a\n"
               "data file. The paper's claim to check: smaller D degrades less.\n\nOptions:\n"
            << parser.helpText();
        return app::kExitOk;
    }
    if (!physics::learnedFieldsBuiltIn()) {
        err << "poissonscope experiment: " << physics::kLearnedFieldsNotBuiltIn << "\n";
        return app::kExitFailure;
    }
    physics::ExperimentSettings s;
    const auto ds = parseList<double>(parser.value("D"), physics::parseExtraDims);
    const auto alphas = parseList<double>(parser.value("alpha"), app::parseDouble);
    const auto heun = parseList<int>(parser.value("heun-steps"), app::parseInteger);
    const auto bits = parseList<int>(parser.value("bits"), app::parseInteger);
    const auto steps = app::parseInteger(parser.value("steps")),
               samples = app::parseInteger(parser.value("samples"));
    const auto seed = app::parseInteger(parser.value("seed")),
               threads = app::parseInteger(parser.value("threads"));
    if (!ds || !alphas || !heun || !bits || !steps || *steps < 0 || !samples || *samples < 2 ||
        *samples > 100000 || !seed || *seed < 0 || !threads || *threads < 0) {
        err << "poissonscope experiment: --D, --alpha, --heun-steps and --bits take "
               "comma-separated numbers; "
               "--steps, --samples (2..100000), --seed and --threads non-negative integers\n";
        return app::kExitBadInput;
    }
    if (!parser.has("out") && !parser.has("plot")) {
        err << "poissonscope experiment: give --out FILE.csv and/or --plot FILE.png\n";
        return app::kExitBadInput;
    }
    s.ds = *ds;
    s.alphas = *alphas;
    s.stepCounts = *heun;
    s.bits = *bits;
    s.train.steps = static_cast<int>(*steps);
    s.train.seed = s.seed = static_cast<std::uint64_t>(*seed);
    s.train.threads = static_cast<int>(*threads);
    s.samples = static_cast<std::size_t>(*samples);
    try {
        app::SampleOptions data;
        app::SceneSettings source;
        if (auto e = app::loadDataOptions(parser, data, &source)) {
            err << "poissonscope experiment: " << *e << "\n";
            return app::kExitBadInput;
        }
        const auto [train, heldOut] = splitData(source, *data.charges);
        const bool quiet = parser.has("quiet");
        const auto rows = physics::runRobustnessExperiment(
            train, heldOut, parser.has("data") ? parser.value("data") : parser.value("dataset"), s,
            [&](const std::string& stage) {
                if (!quiet) err << "poissonscope experiment: " << stage << "\n";
            });
        if (parser.has("out")) {
            if (auto e = saveExperimentCsv(QString::fromStdString(parser.value("out")), rows)) {
                err << "poissonscope experiment: " << *e << "\n";
                return app::kExitFailure;
            }
        }
        if (parser.has("plot")) {
            const QImage figure =
                plotExperiment(rows, QString::fromStdString(parser.value("title")));
            if (auto e = saveExperimentPng(QString::fromStdString(parser.value("plot")), figure)) {
                err << "poissonscope experiment: " << *e << "\n";
                return app::kExitFailure;
            }
        }
    } catch (const physics::PointIoError& e) {
        err << "poissonscope experiment: " << e.what() << "\n";
        return app::kExitBadInput;
    } catch (const std::invalid_argument& e) {
        err << "poissonscope experiment: " << e.what() << "\n";
        return app::kExitBadInput;
    } catch (const std::exception& e) {
        err << "poissonscope experiment: " << e.what() << "\n";
        return app::kExitFailure;
    }
    return app::kExitOk;
}

} // namespace psc::exporter
