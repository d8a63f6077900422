// The robustness experiment's protocol lists, table, files and held-out data, shared by
// `poissonscope experiment` and the Tools › Robustness experiment dialog.
#pragma once

#include "physics/charge_set.h"
#include "physics/datasets.h"
#include "physics/torch/robustness_experiment.h"

#include <QImage>
#include <QString>

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace psc::exporter {

// Comma-separated values, each read by `parse` (text → optional number). nullopt when the list is
// empty or an item does not parse; that item then goes to *badItem when given. No trimming:
// "1, 4" fails on " 4".
template <class T, class Parse>
std::optional<std::vector<T>> parseList(const std::string& text, Parse parse,
                                        std::string* badItem = nullptr) {
    std::vector<T> values;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');) {
        const auto v = parse(item);
        if (!v) {
            if (badItem) *badItem = item;
            return std::nullopt;
        }
        values.push_back(static_cast<T>(*v));
    }
    if (values.empty()) return std::nullopt;
    return values;
}

// The protocol lists as a person types them: comma separated, spaces allowed.
struct ExperimentLists {
    std::string ds, alphas, heunSteps, bits;
};

// A prepared study: option values (as `poissonscope experiment` names them: D, seeds, steps,
// samples, alpha, heun-steps, bits) for its data set, and the smaller class-sized version's
// changes to them. Shared by --study and the dialog's Study choice.
struct ExperimentStudy {
    std::string name;    // "digits"
    std::string dataset; // the built-in data set it runs on
    std::string title;   // of its figure
    std::string about;   // one line for help and tooltips
    std::map<std::string, std::string> options, quick;
};
const std::vector<ExperimentStudy>& experimentStudies();
const ExperimentStudy* findExperimentStudy(std::string_view name);
// The options of a study, its quick changes applied when quick is true.
std::map<std::string, std::string> studyOptions(const ExperimentStudy& study, bool quick);

// Reads the lists into s.ds (empty text: the default D for the data), s.lists.alphas,
// s.lists.stepCounts and s.lists.bits, with the ranges runRobustnessExperiment accepts (D per
// validateExtraDims, α in [0, 10], steps in [2, 10000], bits in [5, 9]). On failure returns a
// message naming the field and the item ("Weight bits: 4 is not in [5, 9]") and leaves s as it was.
std::optional<std::string> readExperimentLists(const ExperimentLists& lists,
                                               physics::ExperimentSettings& s);

// Write a table (text) / the figure atomically (QSaveFile): on failure nothing appears at `path`
// and the result is "cannot write 'PATH': REASON"; empty on success.
std::optional<std::string> saveExperimentText(const QString& path, const std::string& text);
std::optional<std::string> saveExperimentPng(const QString& path, const QImage& figure);

// Training and held-out data for a built-in data set: all of `all` trains, and the held-out set
// is the same data set drawn with seed 1000 + params.seed (same count, noise and scale); a real
// table or teaching scene, which would come back unchanged, is split as a data file is.
// Throws std::invalid_argument for an unknown data set or bad parameters (physics::makeDataset).
std::pair<physics::ChargeSet, physics::ChargeSet>
splitHeldOut(const physics::ChargeSet& all, std::string_view dataset,
             const physics::DatasetParams& params);

// Training and held-out data for a data file or edited points: every fifth point (indices 4, 9,
// ...) is held out, the rest trains; weights are dropped. Throws std::invalid_argument
// ("<source> needs at least 5 points to hold out a fifth") for fewer than 5 points.
std::pair<physics::ChargeSet, physics::ChargeSet>
splitHeldOut(const physics::ChargeSet& all, std::string_view source = "the data file");

} // namespace psc::exporter
