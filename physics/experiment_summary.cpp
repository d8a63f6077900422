#include "physics/experiment_summary.h"

#include "physics/extra_dims.h"
#include "physics/radial_law.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

namespace psc::physics {
namespace {

using SettingKey = std::tuple<int, std::string, double, double>; // field, protocol, value, D

SettingKey keyOf(const Measurement& r) {
    return {static_cast<int>(r.field), r.protocol, r.value, r.d};
}

double roundTwoDigits(double x) {
    const double scale = std::pow(10.0, std::floor(std::log10(x)) - 1);
    return std::round(x / scale) * scale;
}

} // namespace

const char* fieldKindName(FieldKind field) {
    switch (field) {
    case FieldKind::Learned:
        return "learned";
    case FieldKind::Exact:
        return "exact";
    case FieldKind::Data:
        return "data";
    }
    return "?";
}

double metricOf(const Measurement& row, Metric metric) {
    switch (metric) {
    case Metric::Sw2:
        return row.sw2;
    case Metric::Mmd:
        return row.mmd;
    case Metric::EndpointDistance:
        return row.endpointDistance;
    case Metric::LandedFraction:
        return row.landedFraction;
    }
    return NAN;
}

Interval metricOf(const SummaryPoint& point, Metric metric) {
    switch (metric) {
    case Metric::Sw2:
        return point.sw2;
    case Metric::Mmd:
        return point.mmd;
    case Metric::EndpointDistance:
        return point.endpointDistance;
    case Metric::LandedFraction:
        return point.landedFraction;
    }
    return {};
}

std::vector<SummaryPoint> summarize(const std::vector<Measurement>& rows, double confidence) {
    std::vector<SettingKey> order;
    std::map<SettingKey, std::vector<const Measurement*>> groups;
    for (const auto& r : rows) {
        auto& group = groups[keyOf(r)];
        if (group.empty()) order.push_back(keyOf(r));
        group.push_back(&r);
    }
    std::vector<SummaryPoint> out;
    for (const auto& key : order) {
        const auto& group = groups[key];
        SummaryPoint p;
        p.field = group.front()->field;
        p.protocol = group.front()->protocol;
        p.value = group.front()->value;
        p.d = group.front()->d;
        auto column = [&](Metric m) {
            std::vector<double> xs;
            for (const auto* r : group) xs.push_back(metricOf(*r, m));
            return meanInterval(xs, confidence);
        };
        for (const auto* r : group) p.nfe += static_cast<double>(r->nfe) / group.size();
        p.sw2 = column(Metric::Sw2);
        p.mmd = column(Metric::Mmd);
        p.endpointDistance = column(Metric::EndpointDistance);
        p.landedFraction = column(Metric::LandedFraction);
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<PairComparison> comparePairs(const std::vector<Measurement>& rows, FieldKind field,
                                         Metric metric, double confidence) {
    // Per setting: D in order of appearance, and per D the metric by seed.
    std::vector<std::tuple<std::string, double>> settings;
    std::map<std::tuple<std::string, double>, std::vector<double>> ds;
    std::map<SettingKey, std::map<int, double>> bySeed;
    for (const auto& r : rows) {
        if (r.field != field) continue;
        const auto setting = std::make_tuple(r.protocol, r.value);
        auto& list = ds[setting];
        if (list.empty()) settings.push_back(setting);
        if (std::find(list.begin(), list.end(), r.d) == list.end()) list.push_back(r.d);
        bySeed[keyOf(r)][r.seed] = metricOf(r, metric);
    }
    std::vector<PairComparison> out;
    for (const auto& setting : settings) {
        const auto& [protocol, value] = setting;
        const auto& list = ds[setting];
        for (std::size_t i = 0; i < list.size(); ++i)
            for (std::size_t j = i + 1; j < list.size(); ++j) {
                const auto& a = bySeed[{static_cast<int>(field), protocol, value, list[i]}];
                const auto& b = bySeed[{static_cast<int>(field), protocol, value, list[j]}];
                std::vector<double> xa, xb;
                for (const auto& [seed, v] : a)
                    if (auto it = b.find(seed); it != b.end()) {
                        xa.push_back(v);
                        xb.push_back(it->second);
                    }
                if (xa.size() < 2) continue;
                out.push_back({field, protocol, value, list[i], list[j],
                               meanInterval(xa, confidence), meanInterval(xb, confidence),
                               pairedDifference(xa, xb, confidence)});
            }
    }
    return out;
}

std::vector<double> defaultExperimentDs(int n) {
    const double like = roundTwoDigits(diffusionLikeD(n, 0.01));
    std::vector<double> ds;
    for (double d = 1; d < 0.5 * like; d *= 4) ds.push_back(d);
    ds.push_back(like);
    ds.push_back(kInfiniteD);
    return ds;
}

} // namespace psc::physics
