// An offscreen OpenGL context and framebuffer, for screenshots, exports and GL tests (no window).
#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <memory>

class QOpenGLContext;
class QOffscreenSurface;
class QOpenGLFramebufferObject;

namespace psc::render {

// Creates an OpenGL 3.3+ core context on an offscreen surface (needs a QGuiApplication and a
// platform that provides GL: a display, Xvfb, or EGL). valid() is false with error() saying why
// when no such context can be made; nothing else may be called then.
class OffscreenTarget {
public:
    OffscreenTarget(QSize size, int samples = 4);
    ~OffscreenTarget();

    bool valid() const { return m_valid; }
    const QString& error() const { return m_error; }
    // "4.5 (Core Profile) Mesa 22.3.6, llvmpipe (LLVM 15.0.6, 256 bits)"
    QString glDescription() const;
    int majorVersion() const;
    int minorVersion() const;

    // Makes the context current and binds the framebuffer for drawing.
    void bind();
    // The framebuffer's pixels (resolved from multisampling), RGBA, top row first.
    QImage image();
    QSize size() const { return m_size; }

private:
    QSize m_size;
    bool m_valid = false;
    QString m_error;
    std::unique_ptr<QOffscreenSurface> m_surface;
    std::unique_ptr<QOpenGLContext> m_context;
    std::unique_ptr<QOpenGLFramebufferObject> m_fbo;
};

} // namespace psc::render
