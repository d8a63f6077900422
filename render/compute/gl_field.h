// The charges of one scene on the GPU and the compute programs that evaluate their field.
#pragma once

#include "physics/charge_set.h"
#include "render/compute/gl_buffer.h"

#include <QOpenGLFunctions_4_3_Core>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

class QOpenGLContext;
class QOpenGLShaderProgram;

namespace psc::compute {

// Empty when the current context can run the compute path (OpenGL ≥ 4.3 core), else why not.
std::optional<std::string> computeSupportProblem(QOpenGLContext* context);

// Positions are stored in float relative to the charges' mean (as on the fast CPU path), so float
// precision is spent on the data's spread; every GPU coordinate is relative to center().
// Needs a current OpenGL 4.3 context for construction, every call and destruction.
class GlField {
public:
    // Throws std::invalid_argument for an invalid D or N > 3 (points are vec4 on the GPU),
    // std::runtime_error without compute support, render::ShaderError when a program fails.
    GlField(const physics::ChargeSet& charges, double d);
    ~GlField();
    GlField(const GlField&) = delete;
    GlField& operator=(const GlField&) = delete;

    int dim() const { return m_dim; }
    double extraDims() const { return m_d; }
    std::size_t chargeCount() const { return m_count; }
    std::span<const double> center() const { return m_center; }
    QOpenGLFunctions_4_3_Core& gl() { return *m_gl; }

    // x̂ for P points at σ (reads back; for tests, rk45 and one-off queries).
    void denoise(std::span<const double> points, double sigma, std::span<double> out);

    // The stage program with the charges bound and the kernel's uniforms set (for GlCurves).
    QOpenGLShaderProgram& useStageProgram();
    // Work groups for count invocations.
    static unsigned groupsFor(std::size_t count);

    // Absolute points (P·N doubles) → relative vec4s, and back.
    std::vector<float> toDevice(std::span<const double> points) const;
    void fromDevice(std::span<const float> vec4s, std::span<double> out) const;

private:
    void setKernelUniforms(QOpenGLShaderProgram& program);

    int m_dim;
    double m_d;
    std::size_t m_count;
    std::vector<double> m_center;
    QOpenGLFunctions_4_3_Core* m_gl;
    GlBuffer m_charges;
    GlBuffer m_points, m_denoised;
    std::unique_ptr<QOpenGLShaderProgram> m_denoise, m_stage;
};

} // namespace psc::compute
