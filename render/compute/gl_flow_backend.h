// The `gl` backend: flows and field lines stepped by compute shaders (physics::FlowBackend).
#pragma once

#include "physics/flow_backend.h"

#include <memory>

namespace psc::compute {

class ComputeContext;
class GlField;

// Fixed-step solvers (euler, heun, rk4) run entirely on the GPU and read back once at the end;
// rk45, whose steps differ per call, drives the GPU denoiser through the CPU's integrateFlow.
// Field lines are rk4 in log σ with 128 fixed steps per line (the CPU tracer is adaptive),
// seeded exactly as the CPU seeds them.
class GlFlowBackend final : public physics::FlowBackend {
public:
    // On the current context (the viewer's), which must stay current for every call.
    GlFlowBackend(const physics::ChargeSet& charges, double d);
    // On a context of its own (throws std::runtime_error when none can be made; needs a
    // QGuiApplication).
    static std::unique_ptr<GlFlowBackend> createHeadless(const physics::ChargeSet& charges,
                                                         double d);
    ~GlFlowBackend() override;

    physics::BackendKind kind() const override { return physics::BackendKind::Gl; }
    std::string description() const override { return m_description; }
    int dim() const override { return m_charges.dim(); }
    void denoise(std::span<const double> points, double sigma, std::span<double> out) override;
    physics::FlowResult integrate(std::span<const double> start,
                                  const physics::FlowSettings& settings,
                                  const physics::ProgressFn& progress,
                                  const physics::CancelFlag* cancel) override;
    std::vector<physics::FieldLine> traceFieldLines(const physics::FieldLineSettings& settings,
                                                    const physics::ProgressFn& progress,
                                                    const physics::CancelFlag* cancel) override;

    GlField& field() { return *m_field; }

private:
    GlFlowBackend(const physics::ChargeSet& charges, double d,
                  std::unique_ptr<ComputeContext> context);
    void makeCurrent();

    std::unique_ptr<ComputeContext> m_context; // declared first: destroyed after the field
    physics::ChargeSet m_charges;
    double m_d;
    std::unique_ptr<GlField> m_field;
    std::string m_description;
};

} // namespace psc::compute
