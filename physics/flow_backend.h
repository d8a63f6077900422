// One interface for every engine that evaluates the exact field and integrates its flows.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/field_line_tracer.h"
#include "physics/field_method.h"
#include "physics/flow_solver.h"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace psc::physics {

// cpu: FastDenoiser (float SIMD, threads) or the tree code (TreeDenoiser); gl: OpenGL compute
// shaders (render/compute); torch: LibTorch tensors; reference: the double-precision oracle.
enum class BackendKind { Cpu, Gl, Torch, Reference };
struct BackendInfo {
    BackendKind value;
    std::string_view name; // "cpu", "gl", "torch", "reference"
    std::string_view help;
};
std::span<const BackendInfo> backendTable();
const char* backendName(BackendKind kind);
std::optional<BackendKind> parseBackend(std::string_view name);

// A backend owns its copy of the charges and D. Calls come from one thread at a time.
class FlowBackend {
public:
    virtual ~FlowBackend() = default;

    virtual BackendKind kind() const = 0;
    // Where it runs, for logs and the status bar ("fast-cpu, 2 threads", "llvmpipe (LLVM 15…)").
    virtual std::string description() const = 0;
    virtual int dim() const = 0;

    // x̂ for P points at one σ (as Denoiser::denoise).
    virtual void denoise(std::span<const double> points, double sigma, std::span<double> out) = 0;
    // The flow from start (P·N values) with the settings of integrateFlow (validated by the
    // caller).
    virtual FlowResult integrate(std::span<const double> start, const FlowSettings& settings,
                                 const ProgressFn& progress = {},
                                 const CancelFlag* cancel = nullptr) = 0;
    // Field lines seeded as traceFieldLines seeds them (same seeds, same order).
    virtual std::vector<FieldLine> traceFieldLines(const FieldLineSettings& settings,
                                                   const ProgressFn& progress = {},
                                                   const CancelFlag* cancel = nullptr) = 0;
};

// The cpu, torch and reference backends: a Denoiser driven by integrateFlow and traceFieldLines.
class DenoiserBackend final : public FlowBackend {
public:
    // concurrent: the denoiser allows calls from several threads at once (field lines are then
    // traced side by side); otherwise field lines are traced one at a time.
    DenoiserBackend(BackendKind kind, const ChargeSet& charges, double d,
                    std::unique_ptr<Denoiser> denoiser, std::string description, bool concurrent);

    BackendKind kind() const override { return m_kind; }
    std::string description() const override { return m_description; }
    int dim() const override { return m_charges.dim(); }
    void denoise(std::span<const double> points, double sigma, std::span<double> out) override;
    FlowResult integrate(std::span<const double> start, const FlowSettings& settings,
                         const ProgressFn& progress, const CancelFlag* cancel) override;
    std::vector<FieldLine> traceFieldLines(const FieldLineSettings& settings,
                                           const ProgressFn& progress,
                                           const CancelFlag* cancel) override;

private:
    BackendKind m_kind;
    ChargeSet m_charges;
    double m_d;
    std::unique_ptr<Denoiser> m_denoiser;
    std::string m_description;
    bool m_concurrent;
};

// The cpu backend (threads <= 0: one per hardware thread; the exact field by `method`,
// physics/field_method.h; tree: one already built over these charges, or null to build one when
// the method uses it) and the reference backend.
std::unique_ptr<FlowBackend> makeCpuBackend(const ChargeSet& charges, double d, int threads = 0,
                                            FieldMethod method = FieldMethod::Auto,
                                            double tolerance = kDefaultFieldTolerance,
                                            std::shared_ptr<const ChargeTree> tree = nullptr);
std::unique_ptr<FlowBackend> makeReferenceBackend(const ChargeSet& charges, double d);

} // namespace psc::physics
