// `poissonscope train`: a PFGM++ network learned from data at one D, saved for `sample --model`.
#include "app/cli/commands.h"
#include "app/cli/train_options.h"

#include "app/cli/option_parser.h"
#include "app/cli/progress_printer.h"
#include "app/cli/sample_options.h"
#include "app/cli/scene_options.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"
#include "physics/training_health.h"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <ostream>

namespace psc::app {

std::vector<OptionSpec> trainOptionSpecs() {
    std::vector<OptionSpec> specs = sceneOptionSpecs(dataOptionKeys());
    const std::vector<OptionSpec> own{
        {"D", "VALUE|inf", "augmented dimensions the noise is drawn with; inf trains EDM", "128"},
        {"steps", "K", "optimiser steps (Adam)", "3000"},
        {"batch", "B", "samples per step", "512"},
        {"lr", "X", "learning rate", "0.001"},
        {"width", "W", "units per hidden layer", "128"},
        {"depth", "L", "hidden layers", "3"},
        {"ema", "X", "decay of the weights' moving average (what is saved)", "0.999"},
        {"seed", "S", "seed: the same seed and settings give the same weights", "0"},
        {"tail-quantile", "Q",
         "truncate the kernel's noise at this quantile of its radius, in (0, 1]; 1 keeps it "
         "whole (small D then trains badly: its tail is heavy)",
         "0.99"},
        {"threads", "T", "LibTorch threads (0 = all cores)", "0"},
        {"out", "FILE.pt", "where to save the model", ""},
        {"quiet", "", "no progress or summary on stderr", ""},
        {"help", "", "show this help", ""},
    };
    specs.insert(specs.end(), own.begin(), own.end());
    return specs;
}

std::optional<std::string> resolveTrainSettings(const OptionParser& p, physics::TrainSettings& s) {
    const auto d = physics::parseExtraDims(p.value("D"));
    if (!d || physics::validateExtraDims(*d)) return "--D must be a number >= 1 or inf";
    s.d = *d;
    struct Int {
        const char* name;
        int* target;
    } ints[] = {{"steps", &s.steps},
                {"batch", &s.batch},
                {"width", &s.shape.width},
                {"depth", &s.shape.depth},
                {"threads", &s.threads}};
    for (const auto& o : ints) {
        const auto v = parseInteger(p.value(o.name));
        if (!v || *v < 0 || *v > (1 << 24))
            return std::string("--") + o.name + " must be a non-negative integer";
        *o.target = static_cast<int>(*v);
    }
    const auto lr = parseDouble(p.value("lr")), ema = parseDouble(p.value("ema")),
               tail = parseDouble(p.value("tail-quantile"));
    if (!tail) return std::string("--tail-quantile must be a number in (0, 1]");
    s.tailQuantile = *tail;
    const auto seed = parseInteger(p.value("seed"));
    if (!lr || !ema) return std::string("--lr and --ema must be numbers");
    if (!seed || *seed < 0) return std::string("--seed must be an integer >= 0");
    s.learningRate = *lr;
    s.emaDecay = *ema;
    s.seed = static_cast<std::uint64_t>(*seed);
    if (auto e = physics::validateTrainSettings(s)) return *e;
    return std::nullopt;
}

int runTrainCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    OptionParser parser(trainOptionSpecs());
    if (auto e = parser.parse(args)) {
        err << "poissonscope train: " << *e << "\n";
        return kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope train (--dataset NAME | --data FILE) --D VALUE --out model.pt "
               "[options]\n\n"
               "Trains a PFGM++ denoiser on the data (physics/README.md §5: EDM preconditioning "
               "and loss weighting,\n"
               "noise from the PFGM++ kernel at r = sigma*sqrt(D)) and saves it with its settings; "
               "then\n"
               "`poissonscope sample --model model.pt` flows with the learned field instead of the "
               "exact one.\n\n"
               "Options:\n"
            << parser.helpText()
            << "\nExit codes: 0 success, 1 training failed, 2 input refused (nothing written).\n";
        return kExitOk;
    }
    if (!physics::learnedFieldsBuiltIn()) {
        err << "poissonscope train: " << physics::kLearnedFieldsNotBuiltIn << "\n";
        return kExitFailure;
    }
    SampleOptions data;
    physics::TrainSettings settings;
    try {
        if (auto e = loadDataOptions(parser, data)) {
            err << "poissonscope train: " << *e << "\n";
            return kExitBadInput;
        }
    } catch (const std::exception& e) {
        err << "poissonscope train: " << e.what() << "\n";
        return kExitBadInput;
    }
    if (auto e = resolveTrainSettings(parser, settings)) {
        err << "poissonscope train: " << *e << "\n";
        return kExitBadInput;
    }
    const std::string path = parser.value("out");
    std::error_code ec;
    const auto folder = std::filesystem::path(path).parent_path();
    if (path.empty() || std::filesystem::is_directory(path, ec) ||
        !std::filesystem::is_directory(folder.empty() ? "." : folder, ec)) {
        err << "poissonscope train: --out must name a file in an existing folder\n";
        return kExitBadInput;
    }
    const bool quiet = parser.has("quiet");
    const std::string name = parser.has("data") ? parser.value("data") : parser.value("dataset");
    try {
        ProgressPrinter progress(err, "train", quiet);
        double loss = 0, rate = 0;
        const auto model = physics::LearnedField::train(
            *data.charges, settings, name, [&](const physics::TrainProgress& p) {
                progress.update(p.steps > 0 ? static_cast<double>(p.step) / p.steps : 1.0);
                loss = p.loss;
                rate = p.samplesPerSecond;
            });
        progress.finish();
        model->save(path);
        if (!quiet) {
            char line[240];
            std::snprintf(line, sizeof line, ", loss %.4g, %.0f samples/s; saved %s\n", loss, rate,
                          path.c_str());
            err << "poissonscope train: " << countText(model->info().stepsDone, "step")
                << " at D = " << physics::formatExtraDims(settings.d) << " on "
                << countText(static_cast<long long>(data.charges->size()), "point") << line;
        }
        // Said even with --quiet: a diverging fit must not pass as a number.
        if (const auto trouble = physics::trainingTrouble(model->info().lossHistory, 50))
            err << "poissonscope train: warning: " << *trouble << "\n";
    } catch (const physics::ModelFileError& e) {
        err << "poissonscope train: " << e.what() << "\n";
        return kExitFailure;
    } catch (const std::exception& e) {
        err << "poissonscope train: " << e.what() << "\n";
        return kExitFailure;
    }
    return kExitOk;
}

} // namespace psc::app
