// A shader storage buffer that frees itself (its context must be current when it dies).
#pragma once

#include <QOpenGLFunctions_4_3_Core>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace psc::compute {

class GlBuffer {
public:
    explicit GlBuffer(QOpenGLFunctions_4_3_Core& gl) : m_gl(&gl) {}
    ~GlBuffer() {
        if (m_id) m_gl->glDeleteBuffers(1, &m_id);
    }
    GlBuffer(const GlBuffer&) = delete;
    GlBuffer& operator=(const GlBuffer&) = delete;

    // (Re)allocates bytes, filled from data when given. Throws std::runtime_error beyond the
    // driver's storage-block limit or when the GPU is out of memory (the callers fall back to the
    // CPU).
    void allocate(std::size_t bytes, const void* data = nullptr) {
        GLint64 limit = 0;
        m_gl->glGetInteger64v(GL_MAX_SHADER_STORAGE_BLOCK_SIZE, &limit);
        if (limit > 0 && bytes > static_cast<std::size_t>(limit))
            throw std::runtime_error("a GPU buffer of " + std::to_string(bytes >> 20) +
                                     " MB exceeds this driver's " + std::to_string(limit >> 20) +
                                     " MB storage-buffer limit (use fewer particles or steps)");
        if (!m_id) m_gl->glGenBuffers(1, &m_id);
        while (m_gl->glGetError() != GL_NO_ERROR) {
        } // only this allocation's error counts
        m_gl->glBindBuffer(GL_SHADER_STORAGE_BUFFER, m_id);
        m_gl->glBufferData(GL_SHADER_STORAGE_BUFFER,
                           static_cast<GLsizeiptr>(bytes > 0 ? bytes : 16), data, GL_DYNAMIC_COPY);
        if (m_gl->glGetError() == GL_OUT_OF_MEMORY)
            throw std::runtime_error("the GPU is out of memory for a " +
                                     std::to_string(bytes >> 20) + " MB buffer");
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
