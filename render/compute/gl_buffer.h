// A shader storage buffer that frees itself (its context must be current when it dies).
#pragma once

#include <QOpenGLFunctions_4_3_Core>

#include <cstddef>

namespace psc::compute {

class GlBuffer {
public:
    explicit GlBuffer(QOpenGLFunctions_4_3_Core& gl) : m_gl(&gl) {}
    ~GlBuffer() {
        if (m_id) m_gl->glDeleteBuffers(1, &m_id);
    }
    GlBuffer(const GlBuffer&) = delete;
    GlBuffer& operator=(const GlBuffer&) = delete;

    // (Re)allocates bytes, filled from data when given.
    void allocate(std::size_t bytes, const void* data = nullptr) {
        if (!m_id) m_gl->glGenBuffers(1, &m_id);
        m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        m_gl->glBufferData(GL_SHADER_STORAGE_BUFFER, static_cast<GLsizeiptr>(bytes > 0 ? bytes : 16), data,
                           GL_DYNAMIC_COPY);
        m_bytes = bytes;
    }
    void write(std::size_t offset, std::size_t bytes, const void* data) {
        m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        m_gl->glBufferSubData(GL_SHADER_STORAGE_BUFFER, static_cast<GLintptr>(offset),
                              static_cast<GLsizeiptr>(bytes), data);
    }
    void bindBase(GLuint index) { m_gl->glBindBufferBase(GL_SHADER_STORAGE_BUFFER, index, m_id); }
    // Waits for the shaders that wrote it.
    void read(std::size_t offset, std::size_t bytes, void* out) {
        m_gl->glMemoryBarrier(GL_BUFFER_UPDATE_BARRIER_BIT);
        m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        m_gl->glGetBufferSubData(GL_SHADER_STORAGE_BUFFER, static_cast<GLintptr>(offset),
                                 static_cast<GLsizeiptr>(bytes), out);
    }
    GLuint id() const { return m_id; }
    std::size_t bytes() const { return m_bytes; }

private:
    QOpenGLFunctions_4_3_Core* m_gl;
    GLuint m_id = 0;
    std::size_t m_bytes = 0;
};

} // namespace psc::compute
