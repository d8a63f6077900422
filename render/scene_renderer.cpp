// Opaque charges first with depth writes; every translucent layer after them with depth tests
// but no depth writes, so lines behind a charge are hidden and translucent layers never punch
// holes into each other.
#include "render/scene_renderer.h"

#include <QOpenGLBuffer>
#include <QOpenGLFunctions_3_3_Core>
#include <QOpenGLShaderProgram>
#include <QOpenGLVertexArrayObject>

#include <glm/gtc/type_ptr.hpp>

#include <cstddef>
#include <optional>

#ifndef GL_SHADER_STORAGE_BUFFER
#define GL_SHADER_STORAGE_BUFFER 0x90D2
#endif

namespace psc::render {
namespace {

// One vertex buffer with its vertex array. Both vertex types share a layout: vec3 position at
// location 0, one float (log σ or sprite size) at 1, vec4 colour at 2.
template <class Vertex>
class VertexBuffer {
public:
    VertexBuffer(std::size_t scalarOffset, QOpenGLBuffer::UsagePattern usage)
        : m_scalarOffset(scalarOffset), m_usage(usage) {}

    void upload(QOpenGLFunctions_3_3_Core& gl, const std::vector<Vertex>& vertices) {
        if (!m_vao.isCreated()) create(gl);
        m_vao.bind();
        m_vbo.bind();
        m_vbo.allocate(vertices.data(), static_cast<int>(vertices.size() * sizeof(Vertex)));
        m_vao.release();
    }
    bool created() const { return m_vao.isCreated(); }
    void bind() { m_vao.bind(); }
    void release() { m_vao.release(); }

private:
    void create(QOpenGLFunctions_3_3_Core& gl) {
        m_vao.create();
        m_vao.bind();
        m_vbo.create();
        m_vbo.setUsagePattern(m_usage);
        m_vbo.bind();
        const std::size_t offsets[3] = {offsetof(Vertex, position), m_scalarOffset,
                                        offsetof(Vertex, color)};
        const int sizes[3] = {3, 1, 4};
        for (GLuint i = 0; i < 3; ++i) {
            gl.glEnableVertexAttribArray(i);
            gl.glVertexAttribPointer(i, sizes[i], GL_FLOAT, GL_FALSE, sizeof(Vertex),
                                     reinterpret_cast<void*>(offsets[i]));
        }
        m_vao.release();
    }
    std::size_t m_scalarOffset;
    QOpenGLBuffer::UsagePattern m_usage;
    QOpenGLVertexArrayObject m_vao;
    QOpenGLBuffer m_vbo{QOpenGLBuffer::VertexBuffer};
};

class LineBatch {
public:
    void upload(QOpenGLFunctions_3_3_Core& gl, const Polylines& lines) {
        m_buffer.upload(gl, lines.vertices);
        m_firsts = lines.firsts;
        m_counts = lines.counts;
    }
    void draw(QOpenGLFunctions_3_3_Core& gl) { drawRanges(gl, m_firsts, m_counts); }
    void drawRanges(QOpenGLFunctions_3_3_Core& gl, const std::vector<GLint>& firsts,
                    const std::vector<GLsizei>& counts) {
        if (firsts.empty() || !m_buffer.created()) return;
        m_buffer.bind();
        gl.glMultiDrawArrays(GL_LINE_STRIP, firsts.data(), counts.data(),
                             static_cast<GLsizei>(firsts.size()));
        m_buffer.release();
    }

private:
    VertexBuffer<LineVertex> m_buffer{offsetof(LineVertex, logSigma), QOpenGLBuffer::StaticDraw};
    std::vector<GLint> m_firsts;
    std::vector<GLsizei> m_counts;
};

class PointBatch {
public:
    void upload(QOpenGLFunctions_3_3_Core& gl, const std::vector<PointVertex>& points) {
        m_buffer.upload(gl, points);
        m_count = static_cast<int>(points.size());
    }
    void draw(QOpenGLFunctions_3_3_Core& gl) {
        if (m_count == 0) return;
        m_buffer.bind();
        gl.glDrawArrays(GL_POINTS, 0, m_count);
        m_buffer.release();
    }

private:
    VertexBuffer<PointVertex> m_buffer{offsetof(PointVertex, size), QOpenGLBuffer::DynamicDraw};
    int m_count = 0;
};

// Field lines in device pixels at pixel ratio 1 (scaled by it): wide enough for a projector.
constexpr float kFieldLineWidth = 2.0f;

} // namespace

struct SceneRenderer::Impl {
    QOpenGLFunctions_3_3_Core gl;
    std::unique_ptr<QOpenGLShaderProgram> lines, wideLines, points;
    LineBatch grid, axes, hemisphere, fieldLines, trails;
    PointBatch charges, endCloud, particles;
    bool trailRangesSet = false;
    bool chargeDots = false;
    std::vector<GLint> trailFirsts;
    std::vector<GLsizei> trailCounts;

    std::optional<GpuTrack> track;
    std::unique_ptr<QOpenGLShaderProgram> trackTrails, trackHeads;
    QOpenGLVertexArrayObject trackVao, emptyVao;
    std::vector<GLint> trackFirsts;
    std::vector<GLsizei> trackCounts;

    void setTrackUniforms(QOpenGLShaderProgram& program, const FrameParams& f) {
        const GpuTrack& t = *track;
        program.bind();
        gl.glUniformMatrix4fv(program.uniformLocation("uViewProjection"), 1, GL_FALSE,
                              glm::value_ptr(f.viewProjection));
        program.setUniformValue("uTrackOffset", t.offset.x, t.offset.y, t.offset.z);
        program.setUniformValue("uTrackDim", t.dim);
        program.setUniformValue("uWarpCentre", t.warpCentre.x, t.warpCentre.y, t.warpCentre.z);
        program.setUniformValue("uWarpRho0", t.warpRho0);
        program.setUniformValue("uClockTop", t.clockTop);
        program.setUniformValue("uClockBottom", t.clockBottom);
        gl.glUniform3fv(program.uniformLocation("uColorLut"), static_cast<GLsizei>(t.colors.size()),
                        glm::value_ptr(t.colors[0]));
        program.setUniformValue("uNowLogSigma", f.nowLogSigma);
    }
};

SceneRenderer::SceneRenderer(const GlslPreamble& preamble) : m_impl(std::make_unique<Impl>()) {
    if (!m_impl->gl.initializeOpenGLFunctions())
        throw ShaderError("OpenGL 3.3 core functions are not available in this context");
    m_impl->lines = buildProgram("lines", preamble);
    m_impl->wideLines = buildProgram("lines.vert", "wide_lines.geom", "wide_lines.frag", preamble);
    m_impl->points = buildProgram("points", preamble);
}

SceneRenderer::~SceneRenderer() = default;

void SceneRenderer::setGeometry(const SceneGeometry& g) {
    auto& gl = m_impl->gl;
    m_impl->grid.upload(gl, g.grid);
    m_impl->axes.upload(gl, g.axes);
    m_impl->hemisphere.upload(gl, g.hemisphere);
    m_impl->fieldLines.upload(gl, g.fieldLines);
    m_impl->trails.upload(gl, g.trails);
    m_impl->trailRangesSet = false;
    m_impl->charges.upload(gl, g.charges);
    m_impl->chargeDots = g.chargeDots;
    m_impl->endCloud.upload(gl, g.endCloud);
}

void SceneRenderer::setHemisphere(const Polylines& hemisphere) {
    m_impl->hemisphere.upload(m_impl->gl, hemisphere);
}

void SceneRenderer::setTrailRanges(const std::vector<int>& firsts, const std::vector<int>& counts) {
    m_impl->trailFirsts.assign(firsts.begin(), firsts.end());
    m_impl->trailCounts.assign(counts.begin(), counts.end());
    m_impl->trailRangesSet = true;
}

void SceneRenderer::setParticles(const std::vector<PointVertex>& particles) {
    m_impl->particles.upload(m_impl->gl, particles);
}

void SceneRenderer::prepareGpuTracks() {
    auto& d = *m_impl;
    if (d.trackTrails) return;
    const GlslPreamble preamble{430, true};
    d.trackTrails =
        buildProgram({"track_common.glsl", "track_trails.vert"}, "lines.frag", preamble);
    d.trackHeads = buildProgram({"track_common.glsl", "track_heads.vert"}, "points.frag", preamble);
    d.trackVao.create();
    d.emptyVao.create();
}

void SceneRenderer::setGpuTrack(const GpuTrack* track) {
    auto& d = *m_impl;
    if (!track) {
        d.track.reset();
        return;
    }
    prepareGpuTracks();
    // Re-pointed every time: a deleted buffer's name is soon handed out again, and a VAO that
    // still refers to the old storage would draw another flow's trails.
    d.trackVao.bind();
    d.gl.glBindBuffer(GL_ARRAY_BUFFER, track->buffer);
    d.gl.glEnableVertexAttribArray(0);
    d.gl.glVertexAttribPointer(0, 4, GL_FLOAT, GL_FALSE, 4 * sizeof(float), nullptr);
    d.trackVao.release();
    d.gl.glBindBuffer(GL_ARRAY_BUFFER, 0);
    if (!d.track || d.track->count != track->count || d.track->frames != track->frames ||
        d.track->framesDone != track->framesDone) {
        d.trackFirsts.resize(track->count);
        d.trackCounts.assign(track->count, track->framesDone);
        for (int p = 0; p < track->count; ++p) d.trackFirsts[p] = p * track->frames;
    }
    d.track = *track;
}

void SceneRenderer::render(const FrameParams& f) {
    auto& gl = m_impl->gl;
    auto has = [&](Layer layer) { return (f.layers & static_cast<unsigned>(layer)) != 0; };
    gl.glViewport(f.viewportOrigin.x, f.viewportOrigin.y, f.framebufferSize.x, f.framebufferSize.y);
    if (f.clear) {
        gl.glEnable(GL_SCISSOR_TEST);
        gl.glScissor(f.viewportOrigin.x, f.viewportOrigin.y, f.framebufferSize.x,
                     f.framebufferSize.y);
        gl.glClearColor(f.background.r, f.background.g, f.background.b, f.background.a);
        gl.glClearDepth(1.0);
        gl.glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT);
        gl.glDisable(GL_SCISSOR_TEST);
    }
    gl.glEnable(GL_DEPTH_TEST);
    gl.glDepthFunc(GL_LEQUAL);
    gl.glEnable(GL_PROGRAM_POINT_SIZE);
    gl.glEnable(GL_BLEND);
    // Colour as usual; alpha as coverage (a + d·(1 − a)), so a background cleared to transparent
    // black ends up with premultiplied colour and the right opacity, and an opaque one stays
    // opaque.
    gl.glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    auto& points = *m_impl->points;
    points.bind();
    points.setUniformValue("uPixelRatio", f.pixelRatio);
    gl.glUniformMatrix4fv(points.uniformLocation("uViewProjection"), 1, GL_FALSE,
                          glm::value_ptr(f.viewProjection));
    gl.glDepthMask(GL_TRUE);
    if (has(Layer::Charges)) {
        points.setUniformValue("uStyle", m_impl->chargeDots ? 2 : 0);
        m_impl->charges.draw(gl);
    }

    auto& lines = *m_impl->lines;
    lines.bind();
    gl.glUniformMatrix4fv(lines.uniformLocation("uViewProjection"), 1, GL_FALSE,
                          glm::value_ptr(f.viewProjection));
    lines.setUniformValue("uNowLogSigma", f.nowLogSigma);
    lines.setUniformValue("uTrailLength", f.trailLength);
    lines.setUniformValue("uTrailDirection", f.trailDirection);
    lines.setUniformValue("uTrailMode", 0);
    gl.glDepthMask(GL_FALSE);
    if (has(Layer::Grid)) m_impl->grid.draw(gl);
    if (has(Layer::Axes)) m_impl->axes.draw(gl);
    if (has(Layer::Hemisphere)) m_impl->hemisphere.draw(gl);
    if (has(Layer::FieldLines)) {
        auto& wide = *m_impl->wideLines;
        wide.bind();
        gl.glUniformMatrix4fv(wide.uniformLocation("uViewProjection"), 1, GL_FALSE,
                              glm::value_ptr(f.viewProjection));
        wide.setUniformValue("uTrailMode", 0);
        wide.setUniformValue("uViewportSize", static_cast<float>(f.framebufferSize.x),
                             static_cast<float>(f.framebufferSize.y));
        wide.setUniformValue("uLineWidth", kFieldLineWidth * f.pixelRatio);
        m_impl->fieldLines.draw(gl);
        lines.bind();
    }
    const bool gpu = m_impl->track && m_impl->track->framesDone > 0 && m_impl->track->count > 0;
    if (has(Layer::Trails) && gpu) {
        auto& program = *m_impl->trackTrails;
        m_impl->setTrackUniforms(program, f);
        program.setUniformValue("uTrailLength", f.trailLength);
        program.setUniformValue("uTrailDirection", f.trailDirection);
        m_impl->trackVao.bind();
        const bool windowed = m_impl->trailRangesSet;
        const auto& firsts = windowed ? m_impl->trailFirsts : m_impl->trackFirsts;
        const auto& counts = windowed ? m_impl->trailCounts : m_impl->trackCounts;
        gl.glMultiDrawArrays(GL_LINE_STRIP, firsts.data(), counts.data(),
                             static_cast<GLsizei>(firsts.size()));
        m_impl->trackVao.release();
    } else if (has(Layer::Trails) && !m_impl->track) {
        lines.setUniformValue("uTrailMode", 1);
        if (m_impl->trailRangesSet)
            m_impl->trails.drawRanges(gl, m_impl->trailFirsts, m_impl->trailCounts);
        else
            m_impl->trails.draw(gl);
    }

    points.bind();
    points.setUniformValue("uStyle", 1);
    if (f.additiveGlow)
        gl.glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE, GL_ONE,
                               GL_ONE_MINUS_SRC_ALPHA); // glows add up where particles crowd
    if (has(Layer::EndCloud)) m_impl->endCloud.draw(gl);
    if (has(Layer::Particles) && gpu) {
        auto& program = *m_impl->trackHeads;
        m_impl->setTrackUniforms(program, f);
        program.setUniformValue("uPixelRatio", f.pixelRatio);
        program.setUniformValue("uStyle", 1);
        program.setUniformValue("uFrames", m_impl->track->frames);
        program.setUniformValue("uFramesDone", m_impl->track->framesDone);
        gl.glBindBufferBase(GL_SHADER_STORAGE_BUFFER, 5, m_impl->track->buffer);
        m_impl->emptyVao.bind();
        gl.glDrawArrays(GL_POINTS, 0, m_impl->track->count);
        m_impl->emptyVao.release();
    } else if (has(Layer::Particles) && !m_impl->track) {
        m_impl->particles.draw(gl);
    }
    gl.glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    gl.glDepthMask(GL_TRUE);
    points.release();
}

} // namespace psc::render
