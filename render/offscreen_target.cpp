// Offscreen rendering: a multisampled framebuffer resolved into a QImage on read-back.
#include "render/offscreen_target.h"

#include <QOffscreenSurface>
#include <QOpenGLContext>
#include <QOpenGLFramebufferObject>
#include <QOpenGLFunctions>
#include <QSurfaceFormat>

namespace psc::render {

OffscreenTarget::OffscreenTarget(QSize size, int samples) : m_size(size) {
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setVersion(4, 3);
    m_context = std::make_unique<QOpenGLContext>();
    m_context->setFormat(format);
    if (!m_context->create()) {
        m_error = "cannot create an OpenGL context (is a display or Xvfb available?)";
        return;
    }
    const auto got = m_context->format();
    if (got.majorVersion() < 3 || (got.majorVersion() == 3 && got.minorVersion() < 3) ||
        got.profile() != QSurfaceFormat::CoreProfile) {
        m_error = QString("OpenGL %1.%2 core is below the 3.3 core this renderer needs")
                      .arg(got.majorVersion())
                      .arg(got.minorVersion());
        return;
    }
    m_surface = std::make_unique<QOffscreenSurface>();
    m_surface->setFormat(got);
    m_surface->create();
    if (!m_surface->isValid() || !m_context->makeCurrent(m_surface.get())) {
        m_error = "cannot make the offscreen OpenGL context current";
        return;
    }
    QOpenGLFramebufferObjectFormat fboFormat;
    fboFormat.setAttachment(QOpenGLFramebufferObject::CombinedDepthStencil);
    fboFormat.setSamples(samples);
    m_fbo = std::make_unique<QOpenGLFramebufferObject>(size, fboFormat);
    if (!m_fbo->isValid()) {
        m_error = QString("cannot create a %1x%2 framebuffer").arg(size.width()).arg(size.height());
        return;
    }
    m_valid = true;
}

OffscreenTarget::~OffscreenTarget() {
    // GL objects must die while their context is current.
    if (m_context && m_surface && m_surface->isValid()) m_context->makeCurrent(m_surface.get());
    m_fbo.reset();
    if (m_context) m_context->doneCurrent();
}

QString OffscreenTarget::glDescription() const {
    auto* f = m_context->functions();
    return QString("%1, %2")
        .arg(reinterpret_cast<const char*>(f->glGetString(GL_VERSION)))
        .arg(reinterpret_cast<const char*>(f->glGetString(GL_RENDERER)));
}

int OffscreenTarget::majorVersion() const {
    return m_context->format().majorVersion();
}
int OffscreenTarget::minorVersion() const {
    return m_context->format().minorVersion();
}

void OffscreenTarget::bind() {
    m_context->makeCurrent(m_surface.get());
    m_fbo->bind();
}

QImage OffscreenTarget::image() {
    m_context->makeCurrent(m_surface.get());
    return m_fbo->toImage(true).convertToFormat(QImage::Format_RGBA8888);
}

} // namespace psc::render
