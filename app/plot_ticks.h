// Tick values and labels for the panels' small plots (slice, loss curve); GL-free and ImGui-free.
#pragma once

#include <string>
#include <vector>

namespace psc::app {

// About `count` ticks in [lo, hi] at multiples of 1, 2 or 5 × 10^k, computed from integers so
// that 0 is exactly 0 and no rounding accumulates. Empty for an empty, reversed or non-finite
// range.
std::vector<double> niceTicks(double lo, double hi, int count);

// Ticks of a logarithmic axis over [lo, hi], 0 < lo < hi: the powers of ten inside, thinned to
// every second, third, ... power when there are more than `count`; with 2 and 5 × 10^k added
// when fewer than two powers fall inside. Empty for an invalid range.
std::vector<double> logTicks(double lo, double hi, int count);

// A tick's label in few digits: "0.002", "0.15", "15", "2000" (three significant figures after
// the point, none dropped before it), exponent form from 1e+05 and below 1e-04, and a minus sign
// (U+2212) rather than a hyphen.
std::string tickLabel(double value);

} // namespace psc::app
