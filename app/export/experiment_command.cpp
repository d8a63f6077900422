// `poissonscope experiment`: the paper's robustness protocols per D over repeated seeds, as
// tables with intervals, a figure, a sheet of samples and the pairs of D the seeds resolve.
#include "app/export/experiment_command.h"

#include "app/cli/commands.h"
#include "app/cli/option_parser.h"
#include "app/cli/sample_options.h"
#include "app/cli/scene_options.h"
#include "app/export/experiment_plot.h"
#include "app/export/experiment_report.h"
#include "app/export/experiment_table.h"
#include "app/export/sample_sheet.h"

#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/point_io.h"
#include "physics/torch/robustness_experiment.h"

#include <QDir>
#include <QFileInfo>

#include <chrono>
#include <ostream>

namespace psc::exporter {
namespace {

// Held-out data: the same built-in set drawn with another seed, or a fifth of a data file.
std::pair<physics::ChargeSet, physics::ChargeSet> splitData(const app::SceneSettings& source,
                                                            const physics::ChargeSet& all) {
    if (!source.dataPath.empty()) return splitHeldOut(all);
    return splitHeldOut(all, source.dataset, source.datasetParams);
}

std::vector<app::OptionSpec> experimentOptions() {
    std::vector<app::OptionSpec> specs = app::sceneOptionSpecs(app::dataOptionKeys());
    specs.insert(
        specs.end(),
        {
            {"D", "LIST",
             "values of D (default: 1, 4, 16, ... up to where D is as good as "
             "infinite for the data's N, and inf)",
             ""},
            {"fields", "LIST", "which fields: learned, exact or both", "learned,exact"},
            {"seeds", "K", "repetitions (training seed, start points and noise), 1..100", "5"},
            {"steps", "K", "training steps per D and seed", "3000"},
            {"tail-quantile", "Q",
             "learned fields: truncate the kernel's noise at this quantile "
             "of its radius (1 = whole)",
             "0.99"},
            {"samples", "P", "generated points per measurement", "2000"},
            {"alpha", "LIST", "(a) noise strengths", "0,0.1,0.2"},
            {"heun-steps", "LIST", "(b) Heun schedule lengths (NFE = 2K - 1)", "3,6,9,13,18"},
            {"bits", "LIST", "(c) weight quantisation bits (5..9), learned fields", "5,6,7,8,9"},
            {"seed", "S", "first seed; repetition k uses S + k", "0"},
            {"threads", "T", "LibTorch threads (0 = all cores)", "0"},
            {"study", "NAME", "run a prepared study: digits (the 64-D digits, about 12 min)", ""},
            {"quick", "", "with --study: the class-sized version (about 2 min)", ""},
            {"dir", "DIR", "write summary.csv, seeds.csv, figure.png, samples.png, report.txt", ""},
            {"out", "FILE.csv", "the summary: mean and 95% interval per setting", ""},
            {"raw", "FILE.csv", "one line per flow and seed", ""},
            {"plot", "FILE.png", "the figure: a panel per protocol, a curve per D, error bars", ""},
            {"sheet", "FILE.png", "what each D generated (images for image data)", ""},
            {"title", "TEXT", "the figure's title", "Robustness of PFGM++ across D"},
            {"quiet", "", "no progress on stderr", ""},
            {"help", "", "show this help", ""},
        });
    return specs;
}

void printHelp(std::ostream& out, const app::OptionParser& parser) {
    out << "Usage: poissonscope experiment [--dataset NAME | --data FILE] (--dir DIR | --out "
           "summary.csv ...)\n"
           "       poissonscope experiment --study digits [--quick] --dir DIR\n\n"
           "Re-runs the PFGM++ paper's robustness protocols for several D, each repeated over "
           "seeds:\n"
           "  (a) noise alpha*sigma_k*N(0, I) injected before every step, (b) fewer Heun steps,\n"
           "  (c) weights quantised to fewer bits (learned fields only).\n"
           "Learned fields (one trained per D and seed) are scored by sliced-W2 and MMD to "
           "held-out data (a\n"
           "fresh draw of a generated set, a fifth of a table or file); the exact field, with no "
           "learning\n"
           "noise, also by the distance to the adaptive rk45 end point of the same start and the "
           "share of\n"
           "points landing on its charge. Every setting is reported as a mean with a 95% "
           "interval over the\n"
           "seeds, and two D are called different only when the paired interval of their "
           "difference\n"
           "excludes zero (the resolved pairs are printed).\n\nOptions:\n"
        << parser.helpText();
}

} // namespace

int runExperimentCommand(const std::vector<std::string>& userArgs, std::ostream& out,
                         std::ostream& err) {
    auto fail = [&](const std::string& why, int code) {
        err << "poissonscope experiment: " << why << "\n";
        return code;
    };
    std::vector<std::string> args = userArgs;
    app::OptionParser parser(experimentOptions());
    if (auto e = parser.parse(args)) return fail(*e, app::kExitBadInput);
    if (parser.has("help")) {
        printHelp(out, parser);
        return app::kExitOk;
    }
    if (parser.has("study")) {
        const auto* study = findExperimentStudy(parser.value("study"));
        if (!study)
            return fail("unknown study '" + parser.value("study") + "' (there is: digits)",
                        app::kExitBadInput);
        auto preset = studyOptions(*study, parser.has("quick"));
        preset["dataset"] = study->dataset;
        preset["title"] = study->title;
        for (const auto& [k, v] : preset)
            if (!parser.has(k) && !(k == "dataset" && parser.has("data"))) {
                args.push_back("--" + k);
                args.push_back(v);
            }
        parser = app::OptionParser(experimentOptions());
        if (auto e = parser.parse(args)) return fail(*e, app::kExitBadInput);
    } else if (parser.has("quick")) {
        return fail("--quick goes with --study", app::kExitBadInput);
    }

    physics::ExperimentSettings s;
    const std::string fields = parser.value("fields");
    s.learned = fields.find("learned") != std::string::npos;
    s.exact = fields.find("exact") != std::string::npos;
    if (fields != "learned" && fields != "exact" && fields != "learned,exact" &&
        fields != "exact,learned")
        return fail("--fields takes learned, exact or learned,exact", app::kExitBadInput);
    ExperimentLists lists{parser.value("D"), parser.value("alpha"), parser.value("heun-steps"),
                          parser.value("bits")};
    if (auto e = readExperimentLists(lists, s)) return fail(*e, app::kExitBadInput);
    const auto steps = app::parseInteger(parser.value("steps")),
               samples = app::parseInteger(parser.value("samples")),
               seeds = app::parseInteger(parser.value("seeds"));
    const auto seed = app::parseInteger(parser.value("seed")),
               threads = app::parseInteger(parser.value("threads"));
    const auto tail = app::parseDouble(parser.value("tail-quantile"));
    if (!steps || *steps < 0 || !samples || *samples < 2 || *samples > 100000 || !seed ||
        *seed < 0 || !threads || *threads < 0 || !seeds || *seeds < 1 || *seeds > 100 || !tail ||
        !(*tail > 0 && *tail <= 1))
        return fail("--steps, --seed and --threads take non-negative integers, --samples "
                    "2..100000, --seeds 1..100, --tail-quantile a number in (0, 1]",
                    app::kExitBadInput);
    const bool toDir = parser.has("dir");
    if (!toDir && !parser.has("out") && !parser.has("plot") && !parser.has("raw") &&
        !parser.has("sheet"))
        return fail("give --dir DIR, or one of --out, --raw, --plot, --sheet", app::kExitBadInput);
    if (s.learned && !physics::learnedFieldsBuiltIn())
        return fail(std::string(physics::kLearnedFieldsNotBuiltIn) +
                        "; --fields exact runs without them",
                    app::kExitFailure);
    s.train.steps = static_cast<int>(*steps);
    s.train.threads = static_cast<int>(*threads);
    s.train.tailQuantile = *tail;
    s.seed = static_cast<std::uint64_t>(*seed);
    s.seeds = static_cast<int>(*seeds);
    s.samples = static_cast<std::size_t>(*samples);

    // The folder is made only when there are results to put in it: a refused input or a failed
    // run leaves nothing behind. Its place is checked now, before minutes of work.
    QString dir;
    if (toDir) {
        dir = QString::fromStdString(parser.value("dir"));
        const QFileInfo info(dir);
        const QFileInfo parent(info.absolutePath());
        if (info.exists() ? !info.isDir() || !info.isWritable()
                          : !parent.isDir() || !parent.isWritable())
            return fail("--dir: cannot write into '" + dir.toStdString() +
                            "' (it must be a writable folder, or a new one in a writable folder)",
                        app::kExitBadInput);
    }
    auto target = [&](const char* option, const char* inDir) {
        if (parser.has(option)) return QString::fromStdString(parser.value(option));
        return toDir ? QDir(dir).filePath(inDir) : QString();
    };
    try {
        app::SampleOptions data;
        app::SceneSettings source;
        if (auto e = app::loadDataOptions(parser, data, &source))
            return fail(*e, app::kExitBadInput);
        const auto [train, heldOut] = splitData(source, *data.charges);
        const bool quiet = parser.has("quiet");
        const std::string name =
            parser.has("data") ? parser.value("data") : parser.value("dataset");
        const auto started = std::chrono::steady_clock::now();
        const auto result = physics::runRobustnessExperiment(
            train, heldOut, name, s, [&](const std::string& stage) {
                if (!quiet) err << "poissonscope experiment: " << stage << "\n";
            });
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const std::string caption = experimentCaption(result, s, name);
        std::string report = caption + "\n\n";
        for (const auto& line : resolvedPairsReport(result)) report += line + "\n";
        for (const auto& w : result.warnings) report += "warning: " + w + "\n";
        char timing[96];
        std::snprintf(timing, sizeof timing, "took %.0f s; %zu training points, %zu held out\n",
                      seconds, train.size(), heldOut.size());
        report += timing;
        out << report;
        auto save = [&](const QString& path, const std::string& text) {
            if (path.isEmpty()) return true;
            if (auto e = saveExperimentText(path, text)) {
                err << "poissonscope experiment: " << *e << "\n";
                return false;
            }
            return true;
        };
        auto savePng = [&](const QString& path, const QImage& image) {
            if (path.isEmpty() || image.isNull()) return true;
            if (auto e = saveExperimentPng(path, image)) {
                err << "poissonscope experiment: " << *e << "\n";
                return false;
            }
            return true;
        };
        if (toDir && !QDir().mkpath(dir))
            return fail("cannot create '" + dir.toStdString() + "'", app::kExitFailure);
        const QString plotPath = target("plot", "figure.png"),
                      sheetPath = target("sheet", "samples.png");
        const auto* info = parser.has("data") ? nullptr : physics::findDataset(name);
        bool ok = save(target("out", "summary.csv"), experimentSummaryCsv(result)) &&
                  save(target("raw", "seeds.csv"), experimentSeedsCsv(result)) &&
                  save(toDir ? QDir(dir).filePath("report.txt") : QString(), report);
        if (ok && !plotPath.isEmpty())
            ok = savePng(plotPath,
                         plotExperiment(result, QString::fromStdString(parser.value("title")),
                                        QString::fromStdString(caption)));
        if (ok && !sheetPath.isEmpty())
            ok = savePng(sheetPath,
                         sampleSheet(result, heldOut, info ? info->imageWidth : 0,
                                     info ? info->imageHeight : 0,
                                     QString::fromStdString("Samples per D (learned, seed " +
                                                            std::to_string(s.seed) +
                                                            ", α = 0, 18 Heun steps)")));
        if (!ok) return app::kExitFailure;
    } catch (const physics::PointIoError& e) {
        return fail(e.what(), app::kExitBadInput);
    } catch (const std::invalid_argument& e) {
        return fail(e.what(), app::kExitBadInput);
    } catch (const std::exception& e) {
        return fail(e.what(), app::kExitFailure);
    }
    return app::kExitOk;
}

} // namespace psc::exporter
