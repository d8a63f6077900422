// CSV text, atomic saving, the protocol lists and held-out splits of the robustness experiment.
#include "app/export/experiment_table.h"

#include "app/cli/option_parser.h"

#include "physics/extra_dims.h"

#include <QSaveFile>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace psc::exporter {
namespace {

std::string cannotWrite(const QString& path, const QSaveFile& file) {
    return "cannot write '" + path.toStdString() + "': " + file.errorString().toStdString();
}

std::string withoutSpaces(std::string text) {
    std::erase_if(text, [](unsigned char c) { return std::isspace(c); });
    return text;
}

std::string number(double v) {
    std::ostringstream out;
    out << v;
    return out.str();
}

// Parses one list and range-checks every value; integers are checked as long long before they
// are narrowed, so 1e12 steps is reported rather than wrapped.
template <class T, class Parse, class InRange>
std::optional<std::string> readList(const std::string& field, const std::string& typed, Parse parse,
                                    InRange inRange, const std::string& range, std::vector<T>& out,
                                    bool emptyIsDefault = false) {
    const std::string text = withoutSpaces(typed);
    if (text.empty() && emptyIsDefault) {
        out.clear();
        return std::nullopt;
    }
    std::string bad;
    const auto values = parseList<typename decltype(parse(text))::value_type>(text, parse, &bad);
    if (!values) {
        if (text.empty()) return field + ": give at least one value";
        if (bad.empty()) return field + ": an empty item between commas";
        return field + ": '" + bad + "' is not a number";
    }
    for (auto v : *values)
        if (!inRange(v)) return field + ": " + number(static_cast<double>(v)) + " is not " + range;
    out.assign(values->begin(), values->end());
    return std::nullopt;
}

} // namespace

const std::vector<ExperimentStudy>& experimentStudies() {
    // Sized on the 2-core reference machine: the full study in about 12 minutes, quick in 2.
    static const std::vector<ExperimentStudy> studies = {
        {"digits",
         "digits",
         "PFGM++ across D on 8x8 digits (N = 64)",
         "the 64-D digits: learned fields at five D and the exact field, five seeds (~12 min)",
         {{"D", "1,16,128,1500,inf"},
          {"seeds", "5"},
          {"steps", "2000"},
          {"samples", "500"},
          {"alpha", "0,0.1,0.2"},
          {"heun-steps", "3,5,9,18"},
          {"bits", "5,7,9"}},
         {{"D", "1,128,inf"},
          {"seeds", "3"},
          {"steps", "600"},
          {"samples", "300"},
          {"heun-steps", "3,9,18"},
          {"bits", "5,9"}}},
    };
    return studies;
}

const ExperimentStudy* findExperimentStudy(std::string_view name) {
    for (const auto& s : experimentStudies())
        if (s.name == name) return &s;
    return nullptr;
}

std::map<std::string, std::string> studyOptions(const ExperimentStudy& study, bool quick) {
    auto options = study.options;
    if (quick)
        for (const auto& [k, v] : study.quick) options[k] = v;
    return options;
}

std::optional<std::string> readExperimentLists(const ExperimentLists& lists,
                                               physics::ExperimentSettings& s) {
    physics::ExperimentSettings read = s;
    if (auto e = readList(
            "D values", lists.ds, physics::parseExtraDims,
            [](double d) { return !physics::validateExtraDims(d); }, ">= 1 or inf", read.ds, true))
        return e;
    if (auto e = readList(
            "Noise alpha", lists.alphas, app::parseDouble,
            [](double a) { return a >= 0 && a <= 10; }, "in [0, 10]", read.lists.alphas))
        return e;
    if (auto e = readList(
            "Heun steps", lists.heunSteps, app::parseInteger,
            [](long long k) { return k >= 2 && k <= 10000; }, "in [2, 10000]",
            read.lists.stepCounts))
        return e;
    if (auto e = readList(
            "Weight bits", lists.bits, app::parseInteger,
            [](long long b) { return b >= 5 && b <= 9; }, "in [5, 9]", read.lists.bits))
        return e;
    s = read;
    return std::nullopt;
}

std::optional<std::string> saveExperimentText(const QString& path, const std::string& text) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) < 0 || !file.commit())
        return cannotWrite(path, file);
    return std::nullopt;
}

std::optional<std::string> saveExperimentPng(const QString& path, const QImage& figure) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !figure.save(&file, "PNG") || !file.commit())
        return cannotWrite(path, file);
    return std::nullopt;
}

std::pair<physics::ChargeSet, physics::ChargeSet>
splitHeldOut(const physics::ChargeSet& all, std::string_view dataset,
             const physics::DatasetParams& params) {
    // A real table or a teaching scene drawn again is the same points: hold out a fifth instead.
    const auto* info = physics::findDataset(dataset);
    if (info && (info->real || info->teaching)) return splitHeldOut(all, dataset);
    return {all, physics::makeHeldOutDataset(dataset, params)};
}

std::pair<physics::ChargeSet, physics::ChargeSet> splitHeldOut(const physics::ChargeSet& all,
                                                               std::string_view source) {
    std::vector<double> train, held;
    const int n = all.dim();
    for (std::size_t i = 0; i < all.size(); ++i) {
        auto& target = i % 5 == 4 ? held : train;
        target.insert(target.end(), all.position(i).begin(), all.position(i).end());
    }
    if (held.empty() || train.empty())
        throw std::invalid_argument(std::string(source) +
                                    " needs at least 5 points to hold out a fifth");
    return {physics::ChargeSet(n, train), physics::ChargeSet(n, held)};
}

} // namespace psc::exporter
