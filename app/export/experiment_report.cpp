#include "app/export/experiment_report.h"

#include "physics/extra_dims.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

namespace psc::exporter {
namespace {

// SW2 over the data baseline above which a learned field's samples are called a poor fit.
constexpr double kPoorFit = 5.0;

std::string dText(double d) {
    return "D = " + physics::formatExtraDims(d);
}

std::string g(double v, int digits = 3) {
    if (!std::isfinite(v)) return "";
    char text[32];
    std::snprintf(text, sizeof text, "%.*g", digits, v);
    return text;
}

std::string settingText(physics::FieldKind field, const std::string& protocol, double value) {
    const std::string what = protocol == "alpha"  ? "α = " + g(value)
                             : protocol == "nfe"  ? "NFE = " + g(value)
                             : protocol == "bits" ? g(value) + "-bit weights"
                                                  : protocol;
    return std::string(physics::fieldKindName(field)) + " field, " + what;
}

std::string metricText(physics::Metric m) {
    switch (m) {
    case physics::Metric::Sw2:
        return "SW2";
    case physics::Metric::Mmd:
        return "MMD";
    case physics::Metric::EndpointDistance:
        return "distance to the rk45 end point";
    case physics::Metric::LandedFraction:
        return "share landing on the rk45 charge";
    }
    return "";
}

double baselineMean(const physics::ExperimentResult& r) {
    std::vector<double> xs;
    for (const auto& m : r.rows)
        if (m.field == physics::FieldKind::Data) xs.push_back(m.sw2);
    return physics::meanInterval(xs).mean;
}

// The setting of a field and protocol furthest from the baseline: the largest α, the smallest
// NFE, the fewest bits.
double hardestValue(const std::vector<physics::SummaryPoint>& points, physics::FieldKind field,
                    const std::string& protocol) {
    double hardest = NAN;
    for (const auto& p : points)
        if (p.field == field && p.protocol == protocol)
            if (std::isnan(hardest) ||
                (protocol == "alpha" ? p.value > hardest : p.value < hardest))
                hardest = p.value;
    return hardest;
}

} // namespace

physics::Metric primaryMetric(physics::FieldKind field, const std::string& protocol) {
    return field == physics::FieldKind::Exact && protocol == "nfe"
               ? physics::Metric::EndpointDistance
               : physics::Metric::Sw2;
}

std::string experimentSummaryCsv(const physics::ExperimentResult& result) {
    std::ostringstream csv;
    csv << "field,protocol,value,D,nfe,seeds,sw2,sw2_lo,sw2_hi,mmd,mmd_lo,mmd_hi,endpoint,"
           "endpoint_lo,endpoint_hi,landed,landed_lo,landed_hi,sw2_over_data\n";
    const double base = baselineMean(result);
    auto points = physics::summarize(result.rows);
    std::stable_partition(points.begin(), points.end(),
                          [](const auto& p) { return p.field == physics::FieldKind::Data; });
    for (const auto& p : points) {
        csv << physics::fieldKindName(p.field) << ',' << p.protocol << ',' << g(p.value, 6) << ','
            << (p.field == physics::FieldKind::Data ? "" : physics::formatExtraDims(p.d)) << ','
            << g(p.nfe, 6) << ',' << p.sw2.count;
        for (const auto& i : {p.sw2, p.mmd, p.endpointDistance, p.landedFraction})
            csv << ',' << g(i.mean, 9) << ',' << (i.spread ? g(i.lo, 9) : "") << ','
                << (i.spread ? g(i.hi, 9) : "");
        csv << ',' << g(p.sw2.mean / base, 6) << '\n';
    }
    return csv.str();
}

std::string experimentSeedsCsv(const physics::ExperimentResult& result) {
    std::ostringstream csv;
    csv << "field,protocol,value,D,seed,nfe,sw2,mmd,endpoint,landed\n";
    for (const auto& m : result.rows)
        csv << physics::fieldKindName(m.field) << ',' << m.protocol << ',' << g(m.value, 6) << ','
            << (m.field == physics::FieldKind::Data ? "" : physics::formatExtraDims(m.d)) << ','
            << m.seed << ',' << m.nfe << ',' << g(m.sw2, 9) << ',' << g(m.mmd, 9) << ','
            << g(m.endpointDistance, 9) << ',' << g(m.landedFraction, 9) << '\n';
    return csv.str();
}

std::vector<std::string> resolvedPairsReport(const physics::ExperimentResult& result) {
    std::vector<std::string> lines;
    for (auto field : {physics::FieldKind::Learned, physics::FieldKind::Exact}) {
        for (const char* protocol : {"alpha", "nfe", "bits"}) {
            const auto metric = primaryMetric(field, protocol);
            std::map<double, std::vector<physics::PairComparison>> bySetting;
            for (auto& c : physics::comparePairs(result.rows, field, metric))
                if (c.protocol == protocol) bySetting[c.value].push_back(c);
            for (const auto& [value, pairs] : bySetting) {
                std::size_t resolved = 0;
                for (const auto& c : pairs) {
                    if (!c.resolved()) continue;
                    ++resolved;
                    const bool aBetter = c.difference.mean < 0;
                    lines.push_back(settingText(field, protocol, value) + ": " + dText(c.dA) +
                                    (aBetter ? " better than " : " worse than ") + dText(c.dB) +
                                    " (" + metricText(metric) + " " + g(c.meanA.mean) + " vs " +
                                    g(c.meanB.mean) + ", difference " + g(c.difference.mean, 2) +
                                    " [" + g(c.difference.lo, 2) + ", " + g(c.difference.hi, 2) +
                                    "])");
                }
                lines.push_back(settingText(field, protocol, value) + ": " +
                                std::to_string(resolved) + " of " + std::to_string(pairs.size()) +
                                " pairs of D resolved at 95%");
            }
        }
    }
    if (lines.empty())
        lines.push_back("no pair of D can be resolved: each setting needs at least two seeds");
    return lines;
}

std::string experimentCaption(const physics::ExperimentResult& result,
                              const physics::ExperimentSettings& settings,
                              const std::string& dataset) {
    const auto points = physics::summarize(result.rows);
    int seeds = 0;
    for (const auto& m : result.rows) seeds = std::max(seeds, m.seed + 1);
    std::ostringstream out;
    out << dataset << ", " << seeds << (seeds == 1 ? " seed" : " seeds")
        << " per point; bars are 95% intervals of the mean. SW2 is shown as a multiple of the "
           "data's own (training draws against held-out data: "
        << g(baselineMean(result)) << ").";
    if (settings.learned)
        out << " Learned fields: " << settings.train.steps << " training steps, noise tail "
            << (settings.train.tailQuantile < 1
                    ? "truncated at its " + g(100 * settings.train.tailQuantile) + "th percentile"
                    : std::string("whole"))
            << ".";
    for (auto field : {physics::FieldKind::Learned, physics::FieldKind::Exact})
        for (const char* protocol : {"alpha", "nfe", "bits"}) {
            const double value = hardestValue(points, field, protocol);
            if (std::isnan(value)) continue;
            const auto metric = primaryMetric(field, protocol);
            std::vector<const physics::SummaryPoint*> at;
            for (const auto& p : points)
                if (p.field == field && p.protocol == protocol && p.value == value)
                    at.push_back(&p);
            if (at.size() < 2) continue;
            std::sort(at.begin(), at.end(), [&](auto* a, auto* b) {
                return physics::metricOf(*a, metric).mean < physics::metricOf(*b, metric).mean;
            });
            std::size_t resolved = 0, pairs = 0;
            for (const auto& c : physics::comparePairs(result.rows, field, metric))
                if (c.protocol == protocol && c.value == value) ++pairs, resolved += c.resolved();
            std::string setting = settingText(field, protocol, value);
            setting[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(setting[0])));
            out << " " << setting << ": best " << dText(at.front()->d) << ", worst "
                << dText(at.back()->d) << " by " << metricText(metric) << " ("
                << g(physics::metricOf(*at.front(), metric).mean) << " vs "
                << g(physics::metricOf(*at.back(), metric).mean) << "); " << resolved << " of "
                << pairs << " pairs resolved"
                << (resolved == 0 ? ", so D cannot be ranked here" : "") << ".";
        }
    // A fit far from the data is said in words, not left to be read off a number.
    const double base = baselineMean(result);
    for (const auto& p : points)
        if (p.field == physics::FieldKind::Learned && p.protocol == "alpha" && p.value == 0 &&
            base > 0 && p.sw2.mean > kPoorFit * base)
            out << " The learned field at " << dText(p.d) << " fits poorly: its samples are "
                << g(p.sw2.mean / base, 2) << " times as far from held-out data as the data's own.";
    if (!result.warnings.empty())
        out << " " << result.warnings.size() << " training run"
            << (result.warnings.size() == 1 ? "" : "s") << " went wrong (see the log).";
    return out.str();
}

} // namespace psc::exporter
