// Shader loading in one place, so every failure reports file, stage and log (no silent fallback).
#include "render/shader_library.h"

#include <QFile>
#include <QOpenGLShaderProgram>

#include <initializer_list>

namespace psc::render {

QByteArray shaderSource(const QString& file, const GlslPreamble& preamble) {
    QFile f(":/shaders/" + file);
    if (!f.open(QIODevice::ReadOnly))
        throw ShaderError("shader source '" + file.toStdString() + "' is not in the resources");
    QByteArray source = "#version " + QByteArray::number(preamble.version) + " core\n";
    if (preamble.hasCompute) source += "#define PSC_HAS_COMPUTE 1\n";
    // Line numbers in driver logs then match the file (the preamble lines are subtracted).
    source += "#line 1\n";
    source += f.readAll();
    return source;
}

namespace {

struct Stage {
    QOpenGLShader::ShaderTypeBit type;
    QString file;
    const char* name;
};

std::unique_ptr<QOpenGLShaderProgram> buildStages(std::initializer_list<Stage> stages,
                                                  const QString& programName,
                                                  const GlslPreamble& preamble) {
    auto program = std::make_unique<QOpenGLShaderProgram>();
    for (const auto& s : stages)
        if (!program->addShaderFromSourceCode(s.type, shaderSource(s.file, preamble)))
            throw ShaderError(s.file.toStdString() + " (" + s.name +
                              "): " + program->log().trimmed().toStdString());
    if (!program->link())
        throw ShaderError(programName.toStdString() +
                          " (link): " + program->log().trimmed().toStdString());
    return program;
}

} // namespace

std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& name,
                                                   const GlslPreamble& preamble) {
    return buildStages({{QOpenGLShader::Vertex, name + ".vert", "vertex shader"},
                        {QOpenGLShader::Fragment, name + ".frag", "fragment shader"}},
                       name, preamble);
}

std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QString& vertexFile,
                                                   const QString& geometryFile,
                                                   const QString& fragmentFile,
                                                   const GlslPreamble& preamble) {
    return buildStages({{QOpenGLShader::Vertex, vertexFile, "vertex shader"},
                        {QOpenGLShader::Geometry, geometryFile, "geometry shader"},
                        {QOpenGLShader::Fragment, fragmentFile, "fragment shader"}},
                       geometryFile, preamble);
}

namespace {

// The files in order under one preamble; "#line 1 k" numbers file k's lines as "k:line" in logs.
QByteArray concatenatedSource(const QStringList& files, const GlslPreamble& preamble,
                              QString& names) {
    QByteArray source = "#version " + QByteArray::number(preamble.version) + " core\n";
    if (preamble.hasCompute) source += "#define PSC_HAS_COMPUTE 1\n";
    for (int k = 0; k < files.size(); ++k) {
        QFile f(":/shaders/" + files[k]);
        if (!f.open(QIODevice::ReadOnly))
            throw ShaderError("shader source '" + files[k].toStdString() +
                              "' is not in the resources");
        source += "#line 1 " + QByteArray::number(k) + "\n" + f.readAll() + "\n";
        names += (k ? ", " : "") + QString::number(k) + " = " + files[k];
    }
    return source;
}

} // namespace

std::unique_ptr<QOpenGLShaderProgram> buildComputeProgram(const QStringList& files,
                                                          const GlslPreamble& preamble) {
    QString names;
    const QByteArray source = concatenatedSource(files, preamble, names);
    auto program = std::make_unique<QOpenGLShaderProgram>();
    if (!program->addShaderFromSourceCode(QOpenGLShader::Compute, source) || !program->link())
        throw ShaderError(files.back().toStdString() + " (compute shader; " + names.toStdString() +
                          "): " + program->log().trimmed().toStdString());
    return program;
}

std::unique_ptr<QOpenGLShaderProgram> buildProgram(const QStringList& vertexFiles,
                                                   const QString& fragmentFile,
                                                   const GlslPreamble& preamble) {
    QString names;
    const QByteArray vertex = concatenatedSource(vertexFiles, preamble, names);
    auto program = std::make_unique<QOpenGLShaderProgram>();
    if (!program->addShaderFromSourceCode(QOpenGLShader::Vertex, vertex))
        throw ShaderError(vertexFiles.back().toStdString() + " (vertex shader; " +
                          names.toStdString() + "): " + program->log().trimmed().toStdString());
    if (!program->addShaderFromSourceCode(QOpenGLShader::Fragment,
                                          shaderSource(fragmentFile, preamble)))
        throw ShaderError(fragmentFile.toStdString() +
                          " (fragment shader): " + program->log().trimmed().toStdString());
    if (!program->link())
        throw ShaderError(vertexFiles.back().toStdString() +
                          " (link): " + program->log().trimmed().toStdString());
    return program;
}

} // namespace psc::render
