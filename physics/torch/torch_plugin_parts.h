// Internal to the LibTorch module: the functions its table (torch_plugin.h) points at.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"

#include <cstddef>
#include <memory>
#include <string>

namespace psc::physics::detail {

// torch_denoiser.cpp
std::unique_ptr<Denoiser> makeTensorDenoiser(const ChargeSet& charges, double d, int threads,
                                             std::size_t chunk, std::string& device);
void setThreads(int threads);
std::string buildSummary();

} // namespace psc::physics::detail
