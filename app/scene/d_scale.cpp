#include "app/scene/d_scale.h"

#include "physics/extra_dims.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::app {

double morphTopD(int dim) {
    return 25.0 * std::max(dim, 1);
}

double dAlongMorph(double u, int dim) {
    return std::pow(morphTopD(dim), std::clamp(u, 0.0, 1.0));
}

double morphPosition(double d, int dim) {
    if (physics::isInfiniteD(d)) return 1.0;
    return std::clamp(std::log(std::max(d, 1.0)) / std::log(morphTopD(dim)), 0.0, 1.0);
}

std::vector<double> morphLadder(int dim, int finite) {
    std::vector<double> ds;
    for (int k = 0; k < finite; ++k)
        ds.push_back(dAlongMorph(finite > 1 ? static_cast<double>(k) / (finite - 1) : 0.0, dim));
    ds.push_back(physics::kInfiniteD);
    return ds;
}

std::string displayD(double d) {
    if (physics::isInfiniteD(d)) return "∞";
    char buf[32];
    if (d == std::round(d) && d < 1e9)
        std::snprintf(buf, sizeof buf, "%.0f", d);
    else
        std::snprintf(buf, sizeof buf, "%.3g", d);
    return buf;
}

} // namespace psc::app
