// Many curves of the PFGM++ flow advanced together on the GPU, in place, with an optional track.
#pragma once

#include "physics/flow_solver.h"
#include "render/compute/gl_buffer.h"

#include <span>
#include <vector>

namespace psc::compute {

class GlField;

// The time variable τ: σ (every curve on one schedule, as the CPU solvers) or log σ (each curve
// with its own start and step: field lines, whose speed in log σ is |x − x̂|).
enum class CurveTime { Sigma, LogSigma };

// State, Runge–Kutta scratch and the track live in storage buffers; nothing is read back
// unless asked. The track holds frames states per curve, curve-major (curve p's states are
// contiguous: a line strip), each vec4(x − center, σ). Needs the field's context current.
class GlCurves {
public:
    GlCurves(GlField& field, std::size_t count, std::size_t frames);

    std::size_t count() const { return m_count; }
    std::size_t frames() const { return m_frames; }

    // σ time: every curve starts at points (absolute, P·N) at sigma; records frame 0.
    void startAtSigma(std::span<const double> points, double sigma);
    // log-σ time: curve p starts at sigmas[p] and moves logSteps[p] in log σ per step (0: stays);
    // records frame 0.
    void startInLogSigma(std::span<const double> points, std::span<const double> sigmas,
                         std::span<const double> logSteps);

    // σ time: one step σ0 → σ1 (σ1 = 0: the landing step x ← x̂(x, σ0), any solver).
    // Returns the denoiser evaluations it took per curve. recordFrame < 0: not recorded.
    int stepSigma(physics::SolverKind solver, double sigma0, double sigma1, int recordFrame);
    // log-σ time: one step of every curve; sphereR2 > 0 stops a curve where it pierces
    // |x − center|² + D σ² = sphereR2 (placed on it).
    int stepLogSigma(physics::SolverKind solver, int recordFrame, double sphereR2 = 0);
    // log-σ time: x ← x̂(x, σ) at each curve's σ, then σ = 0.
    void landLogSigma(int recordFrame);

    // Read-backs (wait for the GPU): vec4 per curve (x − center, τ); vec4 per curve and frame.
    std::vector<float> readState();
    std::vector<float> readTrack();
    // The track as a buffer object, for drawing without a read-back.
    GLuint trackBuffer() const { return m_track.id(); }

private:
    struct Stage;
    void dispatch(const Stage& stage);

    GlField& m_field;
    std::size_t m_count, m_frames;
    CurveTime m_time = CurveTime::Sigma;
    GlBuffer m_state, m_eval, m_slope, m_steps, m_track;
};

} // namespace psc::compute
