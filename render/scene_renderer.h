// Draws a SceneGeometry and the animated particles with small GL programs: lines (field lines as
// quads 2 px × the pixel ratio wide, built by a geometry shader), sprites.
#pragma once

#include "render/scene_geometry.h"
#include "render/shader_library.h"

#include <glm/glm.hpp>

#include <array>
#include <memory>

class QOpenGLShaderProgram;

namespace psc::render {

struct FrameParams {
    glm::mat4 viewProjection{1.0f};
    glm::ivec2 framebufferSize{1, 1}; // of the area drawn into
    glm::ivec2 viewportOrigin{0, 0};  // lower-left corner of that area in the framebuffer
    float pixelRatio = 1.0f;
    float nowLogSigma = 0.0f;     // the animation clock
    float trailLength = 1.5f;     // log σ units
    float trailDirection = 1.0f;  // +1 backward flow, −1 forward
    unsigned layers = kAllLayers; // bit set of Layer
    glm::vec4 background{0.07f, 0.08f, 0.11f, 1.0f};
    bool clear = true; // clears only the area drawn into
    // Particle glows add up where they crowd (a dark stage), or cover what is behind them (a
    // light one, where added light would vanish into the background).
    bool additiveGlow = true;
};

// Particle tracks computed on the GPU (render/compute/gl_curves.h) and drawn from their buffer:
// trails as line strips read as vertices, heads interpolated at the clock in a vertex shader.
// Nothing is read back or uploaded per frame. Plain data: the buffer belongs to its producer.
struct GpuTrack {
    unsigned buffer = 0;    // vec4(x − offset, σ) per state, each particle's states contiguous
    int count = 0;          // particles
    int frames = 0;         // states per particle in the buffer
    int framesDone = 0;     // states computed so far
    int dim = 2;            // N = 2: σ is the third world coordinate
    glm::vec3 offset{0.0f}; // added to each state's xyz (the charges' mean)
    glm::vec3 warpCentre{0.0f}; // the view warp (render/axis_warp.h)
    float warpRho0 = 1.0f;
    float clockTop = 0, clockBottom = -1;
    std::array<glm::vec3, 32> colors{}; // the colour map from the clock's bottom to its top
};

// Needs a current OpenGL 3.3+ core context for construction, every call and destruction.
// Construction compiles the shaders (throws ShaderError). Renders into the bound framebuffer.
class SceneRenderer {
public:
    explicit SceneRenderer(const GlslPreamble& preamble = {});
    ~SceneRenderer();
    SceneRenderer(const SceneRenderer&) = delete;
    SceneRenderer& operator=(const SceneRenderer&) = delete;

    // Uploads the static geometry (replaces the previous one).
    void setGeometry(const SceneGeometry& geometry);
    // Replaces only the hemisphere's lines (cheap; for a D slider that is still moving).
    void setHemisphere(const Polylines& hemisphere);
    // Restricts the trail strips drawn next frame to these vertex ranges of the trails buffer, or
    // of the GPU track while one is set (the part of each path near the clock); without a call
    // since the last setGeometry, whole strips are drawn. Saves
    // most of the vertex work, which dominates on software GL.
    void setTrailRanges(const std::vector<int>& firsts, const std::vector<int>& counts);
    // Uploads the particle heads for the next frame.
    void setParticles(const std::vector<PointVertex>& particles);
    // Builds the two GLSL 4.30 programs that draw GPU tracks (once; the context must be 4.3 with
    // storage buffers in vertex shaders). Throws ShaderError.
    void prepareGpuTracks();
    // Draws trails and particles from a GPU track instead of the CPU vertices (null: back to
    // those). Calls prepareGpuTracks. Cheap to call every frame (framesDone grows while computing).
    void setGpuTrack(const GpuTrack* track);
    void render(const FrameParams& frame);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace psc::render
