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
                                    InRange inRange, const std::string& range,
                                    std::vector<T>& out) {
    const std::string text = withoutSpaces(typed);
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

std::optional<std::string> readExperimentLists(const ExperimentLists& lists,
                                               physics::ExperimentSettings& s) {
    physics::ExperimentSettings read = s;
    if (auto e = readList(
            "D values", lists.ds, physics::parseExtraDims,
            [](double d) { return !physics::validateExtraDims(d); }, ">= 1 or inf", read.ds))
        return e;
    if (auto e = readList(
            "Noise alpha", lists.alphas, app::parseDouble,
            [](double a) { return a >= 0 && a <= 10; }, "in [0, 10]", read.alphas))
        return e;
    if (auto e = readList(
            "Heun steps", lists.heunSteps, app::parseInteger,
            [](long long k) { return k >= 2 && k <= 10000; }, "in [2, 10000]", read.stepCounts))
        return e;
    if (auto e = readList(
            "Weight bits", lists.bits, app::parseInteger,
            [](long long b) { return b >= 5 && b <= 9; }, "in [5, 9]", read.bits))
        return e;
    s = read;
    return std::nullopt;
}

std::string experimentCsv(const std::vector<physics::ExperimentRow>& rows) {
    std::string csv = "D,protocol,value,nfe,sw2,mmd\n";
    char line[160];
    for (const auto& r : rows) {
        std::snprintf(line, sizeof line, "%s,%s,%.6g,%zu,%.9g,%.9g\n",
                      physics::formatExtraDims(r.d).c_str(), r.protocol.c_str(), r.value, r.nfe,
                      r.sw2, r.mmd);
        csv += line;
    }
    return csv;
}

std::optional<std::string> saveExperimentCsv(const QString& path,
                                             const std::vector<physics::ExperimentRow>& rows) {
    const std::string csv = experimentCsv(rows);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(csv.data(), static_cast<qint64>(csv.size())) < 0 || !file.commit())
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
