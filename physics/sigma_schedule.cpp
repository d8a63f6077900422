// EDM schedule (Karras et al. 2022, eq. 5).
#include "physics/sigma_schedule.h"

#include <cassert>
#include <cmath>

namespace psc::physics {

std::vector<double> edmSigmaSchedule(double sigmaMax, double sigmaMin, int steps, double rho) {
    assert(sigmaMin > 0 && sigmaMax > sigmaMin && steps >= 1 && rho > 0);
    std::vector<double> s(steps);
    if (steps == 1) {
        s[0] = sigmaMax;
        return s;
    }
    const double a = std::pow(sigmaMax, 1.0 / rho);
    const double b = std::pow(sigmaMin, 1.0 / rho);
    for (int k = 0; k < steps; ++k)
        s[k] = std::pow(a + static_cast<double>(k) / (steps - 1) * (b - a), rho);
    // Pin the ends exactly: the round trip and the single-charge oracle compare σ ratios.
    s.front() = sigmaMax;
    s.back() = sigmaMin;
    return s;
}

} // namespace psc::physics
