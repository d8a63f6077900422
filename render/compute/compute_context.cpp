// Headless context creation; every failure says what is missing.
#include "render/compute/compute_context.h"

#include "render/compute/gl_field.h"

#include <QGuiApplication>
#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>

#include <stdexcept>

namespace psc::compute {

ComputeContext::ComputeContext() {
    if (!QGuiApplication::instance())
        throw std::runtime_error("the gl backend needs a QGuiApplication (a programming error)");
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setVersion(4, 3);
    m_context = std::make_unique<QOpenGLContext>();
    m_context->setFormat(format);
    if (!m_context->create())
        throw std::runtime_error(
            "cannot create an OpenGL context (is a display or Xvfb available?)");
    m_surface = std::make_unique<QOffscreenSurface>();
    m_surface->setFormat(m_context->format());
    m_surface->create();
    if (!m_surface->isValid() || !m_context->makeCurrent(m_surface.get()))
        throw std::runtime_error("cannot make an offscreen OpenGL context current");
    if (auto problem = computeSupportProblem(m_context.get())) throw std::runtime_error(*problem);
}

ComputeContext::~ComputeContext() {
    if (m_context) m_context->doneCurrent();
}

void ComputeContext::makeCurrent() {
    if (!m_context->makeCurrent(m_surface.get()))
        throw std::runtime_error("the OpenGL context was lost");
}

std::string ComputeContext::description() {
    makeCurrent();
    return currentGlDescription();
}

std::string currentGlDescription() {
    auto* context = QOpenGLContext::currentContext();
    if (!context) return "no OpenGL context";
    auto* f = context->functions();
    auto text = [&](GLenum name) {
        const auto* s = reinterpret_cast<const char*>(f->glGetString(name));
        return std::string(s ? s : "?");
    };
    return text(GL_RENDERER) + ", OpenGL " + text(GL_VERSION);
}

} // namespace psc::compute
