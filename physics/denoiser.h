// The denoiser x̂(x, σ) that drives every PFGM++ flow, behind one narrow interface.
#pragma once

#include <cstddef>
#include <limits>
#include <span>

namespace psc::physics {

// dx/dσ = (x − x̂(x, σ)) / σ is the PFGM++ flow in the diffusion-aligned time σ = r / √D
// (physics/README.md §2). Implementations: ReferenceDenoiser (double), FastDenoiser (float SIMD,
// threaded), TorchDenoiser (LibTorch), learned networks.
class Denoiser {
public:
    virtual ~Denoiser() = default;

    // Spatial dimension N of the points.
    virtual int dim() const = 0;

    // points: P*N values (row-major); out: P*N values, written with x̂ for each point at the
    // common σ > 0. points and out may alias. Every implementation may be called from one
    // thread at a time and may use threads internally; ReferenceDenoiser and FastDenoiser also
    // allow concurrent calls (the field-line tracer relies on it).
    virtual void denoise(std::span<const double> points, double sigma,
                         std::span<double> out) const = 0;

    // As denoise(), with each point at its own σ (sigmas: P values > 0): curves that start at
    // different heights (hemisphere particles) advance together. This default costs one denoise()
    // per point; learned fields override it with one batched evaluation.
    virtual void denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                             std::span<double> out) const {
        const auto n = static_cast<std::size_t>(dim());
        for (std::size_t p = 0; p < sigmas.size(); ++p)
            denoise(points.subspan(p * n, n), sigmas[p], out.subspan(p * n, n));
    }

    // log p_σ(x) of the exact field's charges (physics/kernel.h, logPerturbedDensity) where this
    // evaluator gets it cheaper than a sum over every charge (the tree code); NaN otherwise.
    virtual double fastLogDensity(std::span<const double> x, double sigma) const {
        (void)x;
        (void)sigma;
        return std::numeric_limits<double>::quiet_NaN();
    }

    // A short name for logs and the UI ("reference", "fast-cpu", "torch").
    virtual const char* name() const = 0;

    // The largest R/σ at which this field may start a flow: the exact field holds everywhere
    // (infinity); a learned field knows only where its training noise reached, so its priors
    // are truncated there (samplers.h, maxRatio).
    virtual double noiseCap() const { return std::numeric_limits<double>::infinity(); }
};

} // namespace psc::physics
