// The exact denoiser written as plain LibTorch tensor algebra; the public header exposes only std
// types, and the tensors live in the LibTorch module (physics/torch/torch_plugin.h).
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"

#include <memory>
#include <string>

namespace psc::physics {

// Pairwise squared distances → log-weights → softmax → weighted mean, in float32 tensors,
// processed in chunks of points so memory stays at chunk × M floats. Runs on CUDA when the
// linked LibTorch has it and a device is present, else on the CPU.
// Throws std::invalid_argument for an invalid D, std::runtime_error for a LibTorch failure.
class TorchDenoiser final : public Denoiser {
public:
    // threads > 0 sets LibTorch's intra-op thread count (a process-wide LibTorch setting);
    // threads <= 0 leaves it as it is.
    TorchDenoiser(const ChargeSet& charges, double d, int threads = 0, std::size_t chunk = 1024);
    ~TorchDenoiser() override;

    int dim() const override { return m_dim; }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    const char* name() const override { return "torch"; }

    // "cpu" or "cuda".
    std::string device() const;

private:
    int m_dim;
    std::string m_device;
    std::unique_ptr<Denoiser> m_impl;
};

// Sets LibTorch's intra-op thread count for the process; threads <= 0: one per hardware thread.
// LibTorch's own default can oversubscribe or under-use the cores, so callers always set it.
void setLibTorchThreads(int threads);

// LibTorch's version and its BLAS/threading configuration, for logs and benchmark headers.
std::string torchBuildSummary();

} // namespace psc::physics
