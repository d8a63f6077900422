// Plot ticks shared by the slice window and the learned-field window.
#include "app/plot_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {

std::vector<double> niceTicks(double lo, double hi, int count) {
    const double raw = (hi - lo) / std::max(count, 1);
    if (!(raw > 0) || !std::isfinite(raw)) return {};
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    const double f = raw / power;
    const double step = (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
    std::vector<double> ticks;
    for (double k = std::ceil(lo / step); k <= std::floor(hi / step); ++k)
        ticks.push_back(k * step);
    return ticks;
}

std::vector<double> logTicks(double lo, double hi, int count) {
    if (!(lo > 0) || !(hi > lo) || !std::isfinite(hi)) return {};
    // A hair of slack, so that an end that is a power of ten (1e-3 · σ_top) keeps its tick.
    const double first = std::ceil(std::log10(lo) - 1e-9), last = std::floor(std::log10(hi) + 1e-9);
    std::vector<double> ticks;
    if (last - first + 1 >= 2) {
        const int every = static_cast<int>(std::ceil((last - first + 1) / std::max(count, 1)));
        for (double k = first; k <= last; k += std::max(every, 1))
            ticks.push_back(std::pow(10.0, k));
        return ticks;
    }
    for (double k = first - 1; k <= last; ++k)
        for (double m : {1.0, 2.0, 5.0}) {
            const double t = m * std::pow(10.0, k);
            if (t >= lo * (1 - 1e-9) && t <= hi * (1 + 1e-9)) ticks.push_back(t);
        }
    return ticks;
}

std::string tickLabel(double value) {
    if (value == 0) return "0"; // also −0
    char text[32];
    const double magnitude = std::abs(value);
    if (magnitude >= 1e5 || magnitude < 1e-4)
        std::snprintf(text, sizeof text, "%.3g", magnitude);
    else
        // %.3g would write 1000 as 1e+03: the digits with as many decimals as three figures need.
        std::snprintf(text, sizeof text, "%.*f",
                      std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude)))),
                      magnitude);
    std::string label = text;
    if (label.find('.') != std::string::npos && label.find('e') == std::string::npos) {
        while (label.back() == '0') label.pop_back();
        if (label.back() == '.') label.pop_back();
    }
    return value < 0 ? "−" + label : label;
}

} // namespace psc::app
