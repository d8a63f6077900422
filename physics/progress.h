// Progress reporting and cancellation for long computations, in std types only.
#pragma once

#include <atomic>
#include <functional>

namespace psc::physics {

// Called from the computing thread with a fraction in [0, 1]; must be cheap and thread-safe
// with respect to whatever it touches.
using ProgressFn = std::function<void(double fraction)>;

// Polled between steps; a long computation stops at the next step once it reads true.
using CancelFlag = std::atomic<bool>;

} // namespace psc::physics
