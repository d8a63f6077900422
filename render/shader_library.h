// Loads the GLSL sources compiled into the binary, prepends the version preamble, and links
// programs.
#pragma once

#include <QString>
#include <QStringList>

#include <memory>
#include <stdexcept>

class QOpenGLShaderProgram;

namespace psc::render {

// A shader failed to compile or link. what() names the file, the stage and the driver's log,
// e.g. "lines.vert (vertex shader): 0:12(3): error: ...".
class ShaderError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct GlslPreamble {
    int version = 330;       // 330 core for rendering; 430 where compute shaders are used
    bool hasCompute = false; // adds "#define PSC_HAS_COMPUTE 1"
};

// The source of ":/shaders/<file>" with the preamble prepended. Throws ShaderError when the
// resource is missing.
QByteArray shaderSource(const QString& file, const GlslPreamble& preamble);

// Compiles "<name>.vert" and "<name>.frag" into a linked program. Needs a current GL context.
// Throws ShaderError.
std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& name,
                                                   const GlslPreamble& preamble);

// The vertex stage from several files concatenated in order (shared .glsl first), the fragment
// stage from one; each file restarts the line count with its index as source-string number
// (how a driver prints that varies: "1:12", "1(12)"). Throws ShaderError.
std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QStringList& vertexFiles,
                                                   const QString& fragmentFile,
                                                   const GlslPreamble& preamble);

// A vertex, a geometry and a fragment stage, one file each (GL 3.2+ core). Throws ShaderError.
std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& vertexFile,
                                                   const QString& geometryFile,
                                                   const QString& fragmentFile,
                                                   const GlslPreamble& preamble);

// Compiles the files, concatenated in order (shared .glsl code first, the .comp last), as one
// compute shader, numbered as above.
// Needs a current GL 4.3 context. Throws ShaderError.
std::unique_ptr<QOpenGLShaderProgram> buildComputeProgram(const QStringList& files,
                                                          const GlslPreamble& preamble);

} // namespace psc::render
