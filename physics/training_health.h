// Whether a training run went well, in words: a diverging or non-finite loss is said, not left
// for a person to find in a number.
#pragma once

#include <optional>
#include <span>
#include <string>

namespace psc::physics {

// windowLosses: the mean loss of consecutive windows of windowSteps optimiser steps (what
// TrainProgress reports). Returns nullopt when healthy, else one line beginning with the trouble:
//   "loss not finite: …"  a window's loss is NaN or infinite;
//   "loss rising: …"      the median of the last four windows is over twice the lowest median of
//                         four consecutive windows before them (medians, so that one bad batch of
//                         small D's heavy-tailed noise does not raise the alarm).
// The text ends with what to try (a smaller learning rate, a truncated noise tail).
std::optional<std::string> trainingTrouble(std::span<const double> windowLosses, int windowSteps);

} // namespace psc::physics
