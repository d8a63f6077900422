// Charges upload, kernel uniforms and the one-shot denoise dispatch.
#include "render/compute/gl_field.h"

#include "physics/extra_dims.h"
#include "render/shader_library.h"

#include <QOpenGLContext>
#include <QOpenGLShaderProgram>
#include <QOpenGLVersionFunctionsFactory>

#include <cmath>
#include <stdexcept>

namespace psc::compute {
namespace {

constexpr unsigned kTile = 256; // PSC_TILE in field_kernel.glsl
// Above this D the Student-t kernel equals the Gaussian to below float precision (O(1/D)),
// and (N+D)/2 · log1p(u) would only lose digits; the fast CPU path switches at the same D.
constexpr double kGaussianAboveD = 1e12;

} // namespace

std::optional<std::string> computeSupportProblem(QOpenGLContext* context) {
    if (!context) return std::string("no current OpenGL context");
    const auto format = context->format();
    const int version = format.majorVersion() * 10 + format.minorVersion();
    if (context->isOpenGLES() || version < 43)
        return "OpenGL " + std::to_string(format.majorVersion()) + "." +
               std::to_string(format.minorVersion()) + (context->isOpenGLES() ? " ES" : "") +
               " has no compute shaders (4.3 core needed)";
    auto* gl = QOpenGLVersionFunctionsFactory::get<QOpenGLFunctions_4_3_Core>(context);
    if (!gl) return std::string("the OpenGL 4.3 core functions cannot be resolved");
    // The renderer reads GPU tracks from a storage buffer in a vertex shader, which GL 4.3
    // allows a driver not to support.
    GLint vertexBlocks = 0;
    gl->glGetIntegerv(GL_MAX_VERTEX_SHADER_STORAGE_BLOCKS, &vertexBlocks);
    if (vertexBlocks < 1)
        return std::string("this OpenGL driver has no storage buffers in vertex shaders");
    return std::nullopt;
}

namespace {

int checkedDim(const physics::ChargeSet& charges, double d) {
    if (auto err = physics::validateExtraDims(d)) throw std::invalid_argument(*err);
    if (charges.dim() > 3)
        throw std::invalid_argument("the gl backend handles N <= 3 coordinates (use --backend cpu "
                                    "or torch), the data have " +
                                    std::to_string(charges.dim()));
    return charges.dim();
}

QOpenGLFunctions_4_3_Core& computeFunctions() {
    QOpenGLContext* context = QOpenGLContext::currentContext();
    if (auto problem = computeSupportProblem(context)) throw std::runtime_error(*problem);
    return *QOpenGLVersionFunctionsFactory::get<QOpenGLFunctions_4_3_Core>(context);
}

} // namespace

GlField::GlField(const physics::ChargeSet& charges, double d)
    : m_dim(checkedDim(charges, d)), m_d(d), m_count(charges.size()), m_center(charges.mean()),
      m_gl(&computeFunctions()), m_charges(*m_gl), m_points(*m_gl), m_denoised(*m_gl) {
    std::vector<float> packed(4 * m_count);
    for (std::size_t i = 0; i < m_count; ++i) {
        const auto y = charges.position(i);
        for (int c = 0; c < m_dim; ++c) packed[4 * i + c] = static_cast<float>(y[c] - m_center[c]);
        packed[4 * i + 3] = static_cast<float>(charges.logWeights()[i]);
    }
    m_charges.allocate(packed.size() * sizeof(float), packed.data());
    const render::GlslPreamble preamble{430, true};
    m_denoise = render::buildComputeProgram({"field_kernel.glsl", "denoise.comp"}, preamble);
    m_stage = render::buildComputeProgram({"field_kernel.glsl", "flow_stage.comp"}, preamble);
}

GlField::~GlField() = default;

unsigned GlField::groupsFor(std::size_t count) {
    return static_cast<unsigned>((count + kTile - 1) / kTile);
}

void GlField::setKernelUniforms(QOpenGLShaderProgram& program) {
    m_charges.bindBase(0);
    const bool gaussian = physics::isInfiniteD(m_d) || m_d > kGaussianAboveD;
    program.setUniformValue("uChargeCount", static_cast<GLint>(m_count));
    program.setUniformValue("uGaussian", gaussian);
    program.setUniformValue("uHalfNPlusD",
                            gaussian ? 0.0f : static_cast<float>(0.5 * (m_dim + m_d)));
    program.setUniformValue("uInvD", gaussian ? 0.0f : static_cast<float>(1.0 / m_d));
}

QOpenGLShaderProgram& GlField::useStageProgram() {
    m_stage->bind();
    setKernelUniforms(*m_stage);
    return *m_stage;
}

std::vector<float> GlField::toDevice(std::span<const double> points) const {
    const std::size_t count = points.size() / m_dim;
    std::vector<float> out(4 * count, 0.0f);
    for (std::size_t p = 0; p < count; ++p)
        for (int c = 0; c < m_dim; ++c)
            out[4 * p + c] = static_cast<float>(points[p * m_dim + c] - m_center[c]);
    return out;
}

void GlField::fromDevice(std::span<const float> vec4s, std::span<double> out) const {
    const std::size_t count = vec4s.size() / 4;
    for (std::size_t p = 0; p < count; ++p)
        for (int c = 0; c < m_dim; ++c)
            out[p * m_dim + c] = static_cast<double>(vec4s[4 * p + c]) + m_center[c];
}

void GlField::denoise(std::span<const double> points, double sigma, std::span<double> out) {
    const std::size_t count = points.size() / m_dim;
    if (count == 0) return;
    const auto device = toDevice(points);
    m_points.allocate(device.size() * sizeof(float), device.data());
    m_denoised.allocate(device.size() * sizeof(float));
    m_denoise->bind();
    setKernelUniforms(*m_denoise);
    m_denoise->setUniformValue("uPointCount", static_cast<GLint>(count));
    m_denoise->setUniformValue("uSigma", static_cast<float>(sigma));
    m_points.bindBase(1);
    m_denoised.bindBase(2);
    m_gl->glDispatchCompute(groupsFor(count), 1, 1);
    std::vector<float> result(device.size());
    m_denoised.read(0, result.size() * sizeof(float), result.data());
    m_denoise->release();
    fromDevice(result, out);
}

} // namespace psc::compute
