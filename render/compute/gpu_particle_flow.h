// The viewer's animated particles integrated on the GPU, a few steps per frame, into a track the
// renderer draws in place (render::GpuTrack).
#pragma once

#include "physics/charge_set.h"
#include "physics/flow_solver.h"

#include <memory>
#include <span>
#include <vector>

namespace psc::compute {

class GlCurves;
class GlField;

// Needs the viewer's GL 4.3 context current for construction, every call and destruction.
class GpuParticleFlow {
public:
    // Hemisphere particles: each from its own (x, σ₀) along its exact field line, rk4 with
    // `steps` equal steps in log σ down to σ_min, then onto x̂ (σ = 0).
    static std::unique_ptr<GpuParticleFlow> alongFieldLines(const physics::ChargeSet& charges,
                                                            double d, std::span<const double> x,
                                                            std::span<const double> sigma,
                                                            double sigmaMin, int steps);
    // Prior particles: all from σ_max on the EDM schedule of settings (euler, heun or rk4), then
    // onto x̂ — the same steps as the CPU's integrateFlow.
    static std::unique_ptr<GpuParticleFlow> onSchedule(const physics::ChargeSet& charges, double d,
                                                       std::span<const double> x,
                                                       const physics::FlowSettings& settings);
    ~GpuParticleFlow();

    // Queues solver steps until about pairBudget charge–particle pairs are evaluated (at least
    // one step); true when the flow is complete. Does not wait for the GPU.
    bool advance(double pairBudget);
    bool finished() const { return m_next >= m_steps; }
    double progress() const { return static_cast<double>(m_next) / m_steps; }

    unsigned trackBuffer() const;
    int count() const;
    int frames() const;
    int framesDone() const { return m_next + 1; } // the start, then one state per step
    std::span<const double> center() const;
    int dim() const;
    // Vertex ranges in the track of each particle's states whose clock value (log σ, with σ = 0
    // at clockBottom) lies in [lower, upper], plus one on each side, among the states computed so
    // far: the trail near the clock, found without reading the GPU (the times are known here).
    void trailWindows(double lower, double upper, double clockBottom, std::vector<int>& firsts,
                      std::vector<int>& counts) const;
    // The track read back (waits for the GPU): vec4(x − center, σ) per particle and frame.
    std::vector<float> readTrack();

private:
    // Charge–particle pairs one dispatch evaluates.
    double pairsPerStage() const;

    GpuParticleFlow() = default;

    std::unique_ptr<GlField> m_field;
    std::unique_ptr<GlCurves> m_curves;
    bool m_logTime = false;
    physics::SolverKind m_solver = physics::SolverKind::Rk4;
    std::vector<double> m_sigmas;              // schedule mode
    std::vector<double> m_logStart, m_logStep; // log-σ mode, per particle
    int m_steps = 0, m_next = 0;
};

} // namespace psc::compute
