// Explicit Runge–Kutta steps as sequences of stage dispatches (flow_stage.comp).
#include "render/compute/gl_curves.h"

#include "render/compute/gl_field.h"

#include "physics/solvers.h"

#include <QOpenGLShaderProgram>

#include <cmath>
#include <stdexcept>

namespace psc::compute {
namespace {

// The CPU's tableaux (physics/solvers.h): stage j evaluates at τ + c_j·h at the point
// x + a_j·h·k_(j−1), and the step is x + h·Σ b_j k_j.
const physics::ButcherTableau& tableau(physics::SolverKind solver) {
    const auto& info = physics::solverInfo(solver);
    if (info.adaptive)
        throw std::invalid_argument(
            "the GPU steps euler, heun and rk4; rk45 is adaptive per point");
    return info.tableau;
}

} // namespace

struct GlCurves::Stage {
    float sigmaEval = 0, h = 0, sigmaNext = 0, evalC = 0, weight = 1, nextC = 0, sphereR2 = 0;
    bool first = true, last = true, land = false, recordOnly = false;
    int recordFrame = -1;
};

GlCurves::GlCurves(GlField& field, std::size_t count, std::size_t frames)
    : m_field(field), m_count(count), m_frames(frames), m_state(field.gl()), m_eval(field.gl()),
      m_slope(field.gl()), m_steps(field.gl()), m_track(field.gl()) {
    const std::size_t vec4 = 4 * sizeof(float);
    m_state.allocate(count * vec4);
    m_eval.allocate(count * vec4);
    m_slope.allocate(count * vec4);
    m_steps.allocate(count * sizeof(float));
    m_track.allocate(count * frames * vec4);
}

void GlCurves::startAtSigma(std::span<const double> points, double sigma) {
    m_time = CurveTime::Sigma;
    auto device = m_field.toDevice(points);
    for (std::size_t p = 0; p < m_count; ++p) device[4 * p + 3] = static_cast<float>(sigma);
    m_state.write(0, device.size() * sizeof(float), device.data());
    Stage record;
    record.recordOnly = true;
    record.recordFrame = m_frames > 0 ? 0 : -1;
    if (m_frames > 0) dispatch(record);
}

void GlCurves::startInLogSigma(std::span<const double> points, std::span<const double> sigmas,
                               std::span<const double> logSteps) {
    m_time = CurveTime::LogSigma;
    auto device = m_field.toDevice(points);
    std::vector<float> steps(m_count);
    for (std::size_t p = 0; p < m_count; ++p) {
        device[4 * p + 3] = static_cast<float>(std::log(sigmas[p]));
        steps[p] = static_cast<float>(logSteps[p]);
    }
    m_state.write(0, device.size() * sizeof(float), device.data());
    m_steps.write(0, steps.size() * sizeof(float), steps.data());
    Stage record;
    record.recordOnly = true;
    record.recordFrame = m_frames > 0 ? 0 : -1;
    if (m_frames > 0) dispatch(record);
}

int GlCurves::stepSigma(physics::SolverKind solver, double sigma0, double sigma1, int recordFrame) {
    if (sigma1 == 0.0) {
        Stage land;
        land.land = true;
        land.sigmaEval = static_cast<float>(sigma0);
        land.recordFrame = recordFrame;
        dispatch(land);
        return 1;
    }
    const physics::ButcherTableau& t = tableau(solver);
    const double h = sigma1 - sigma0;
    for (int j = 0; j < t.stages; ++j) {
        Stage s;
        s.sigmaEval = static_cast<float>(t.c[j] == 1.0 ? sigma1 : sigma0 + t.c[j] * h);
        s.h = static_cast<float>(h);
        s.sigmaNext = static_cast<float>(sigma1);
        s.weight = static_cast<float>(t.b[j]);
        s.nextC = j + 1 < t.stages ? static_cast<float>(t.a[j + 1]) : 0.0f;
        s.first = j == 0;
        s.last = j + 1 == t.stages;
        s.recordFrame = s.last ? recordFrame : -1;
        dispatch(s);
    }
    return t.stages;
}

int GlCurves::stepLogSigma(physics::SolverKind solver, int recordFrame, double sphereR2) {
    const physics::ButcherTableau& t = tableau(solver);
    for (int j = 0; j < t.stages; ++j) {
        Stage s;
        s.evalC = static_cast<float>(t.c[j]);
        s.weight = static_cast<float>(t.b[j]);
        s.nextC = j + 1 < t.stages ? static_cast<float>(t.a[j + 1]) : 0.0f;
        s.first = j == 0;
        s.last = j + 1 == t.stages;
        s.recordFrame = s.last ? recordFrame : -1;
        s.sphereR2 = static_cast<float>(sphereR2);
        dispatch(s);
    }
    return t.stages;
}

void GlCurves::landLogSigma(int recordFrame) {
    Stage land;
    land.land = true;
    land.recordFrame = recordFrame;
    dispatch(land);
}

void GlCurves::dispatch(const Stage& s) {
    if (m_count == 0) return;
    QOpenGLShaderProgram& program = m_field.useStageProgram();
    program.setUniformValue("uCount", static_cast<GLint>(m_count));
    program.setUniformValue("uLogTime", m_time == CurveTime::LogSigma);
    program.setUniformValue("uSigmaEval", s.sigmaEval);
    program.setUniformValue("uH", s.h);
    program.setUniformValue("uSigmaNext", s.sigmaNext);
    program.setUniformValue("uEvalC", s.evalC);
    program.setUniformValue("uWeight", s.weight);
    program.setUniformValue("uNextC", s.nextC);
    program.setUniformValue("uFirst", s.first);
    program.setUniformValue("uLast", s.last);
    program.setUniformValue("uLand", s.land);
    program.setUniformValue("uRecordOnly", s.recordOnly);
    program.setUniformValue("uRecordFrame", s.recordFrame);
    program.setUniformValue("uFrames", static_cast<GLint>(m_frames));
    program.setUniformValue("uSphereR2", s.sphereR2);
    program.setUniformValue("uD", static_cast<float>(m_field.extraDims()));
    m_state.bindBase(1);
    m_eval.bindBase(2);
    m_slope.bindBase(3);
    m_steps.bindBase(4);
    m_track.bindBase(5);
    auto& gl = m_field.gl();
    gl.glDispatchCompute(GlField::groupsFor(m_count), 1, 1);
    // The next stage reads what this one wrote; the renderer may draw the track as vertices.
    gl.glMemoryBarrier(GL_SHADER_STORAGE_BARRIER_BIT | GL_VERTEX_ATTRIB_ARRAY_BARRIER_BIT);
}

std::vector<float> GlCurves::readState() {
    std::vector<float> out(4 * m_count);
    if (m_count) m_state.read(0, out.size() * sizeof(float), out.data());
    return out;
}

std::vector<float> GlCurves::readTrack() {
    std::vector<float> out(4 * m_count * m_frames);
    if (!out.empty()) m_track.read(0, out.size() * sizeof(float), out.data());
    return out;
}

} // namespace psc::compute
