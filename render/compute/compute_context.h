// An OpenGL 4.3 core context of its own, for compute without a window (CLI, benchmarks, tests).
#pragma once

#include <memory>
#include <string>

class QOffscreenSurface;
class QOpenGLContext;

namespace psc::compute {

// Needs a QGuiApplication on a platform with OpenGL (a display, Xvfb). Throws
// std::runtime_error saying why when no 4.3 core context can be made current.
class ComputeContext {
public:
    ComputeContext();
    ~ComputeContext();
    ComputeContext(const ComputeContext&) = delete;
    ComputeContext& operator=(const ComputeContext&) = delete;

    void makeCurrent();
    // "NVIDIA H200/PCIe/SSE2, OpenGL 4.6.0 NVIDIA 550.54" or "llvmpipe (LLVM 15.0.6, 256 bits),
    // OpenGL 4.5 (Core Profile) Mesa 22.3.6"
    std::string description();

private:
    std::unique_ptr<QOffscreenSurface> m_surface;
    std::unique_ptr<QOpenGLContext> m_context;
};

// The current context's renderer and version, as above.
std::string currentGlDescription();

} // namespace psc::compute
