// The denoiser x̂(x, σ) that drives every PFGM++ flow, behind one narrow interface.
#pragma once

#include <cstddef>
#include <span>

namespace psc::physics {

// dx/dσ = (x − x̂(x, σ)) / σ is the PFGM++ flow in the diffusion-aligned time σ = r / √D
// (physics.md §2). Implementations: ReferenceDenoiser (double), FastDenoiser (float SIMD,
// threaded), TorchDenoiser (LibTorch), learned networks.
class Denoiser {
public:
    virtual ~Denoiser() = default;

    // Spatial dimension N of the points.
    virtual int dim() const = 0;

    // points: P*N values (row-major); out: P*N values, written with x̂ for each point at the
    // common σ > 0. points and out may alias. Must be safe to call from one thread at a time;
    // implementations may use threads internally.
    virtual void denoise(std::span<const double> points, double sigma,
                         std::span<double> out) const = 0;

    // A short name for logs and the UI ("reference", "fast-cpu", "torch").
    virtual const char* name() const = 0;
};

} // namespace psc::physics
