// Trajectory files; CSV/NPY through the point writers, JSON written here in one streaming pass.
#include "physics/trajectory_io.h"

#include "physics/file_util.h"
#include "physics/point_io.h"

#include <cmath>
#include <cstdio>

namespace psc::physics {

TrajectorySet trajectoriesFromFrames(const std::vector<TrajectoryFrame>& frames, int dim,
                                     std::vector<std::string> columnNames) {
    TrajectorySet set;
    set.dim = dim;
    set.columnNames = std::move(columnNames);
    const std::size_t count = frames.empty() ? 0 : frames.front().points.size() / dim;
    set.particles.resize(count);
    // Sized up front: grown by appending, the arrays would hold up to twice the trajectory, and
    // the command line's memory estimate counts on their size (app/cli/sample_options.cpp).
    for (auto& t : set.particles) {
        t.sigma.reserve(frames.size());
        t.step.reserve(frames.size());
        t.x.reserve(frames.size() * dim);
    }
    for (const auto& frame : frames)
        for (std::size_t p = 0; p < count; ++p) {
            auto& t = set.particles[p];
            t.sigma.push_back(frame.sigma);
            t.step.push_back(frame.step);
            t.x.insert(t.x.end(), frame.points.begin() + p * dim,
                       frame.points.begin() + (p + 1) * dim);
        }
    return set;
}

namespace {

std::vector<std::string> names(const TrajectorySet& set) {
    if (static_cast<int>(set.columnNames.size()) == set.dim) return set.columnNames;
    std::vector<std::string> out;
    for (int c = 0; c < set.dim; ++c) out.push_back("x" + std::to_string(c + 1));
    return out;
}

void appendNumber(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    out += buf;
}

void appendString(std::string& out, const std::string& s) {
    out += '"';
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
            continue;
        }
        out += c;
    }
    out += '"';
}

void saveJson(const std::string& path, const TrajectorySet& set) {
    detail::writeAtomically(path, [&](std::FILE* file) {
        std::string buffer = "{\"columns\": [";
        const auto columns = names(set);
        for (std::size_t c = 0; c < columns.size(); ++c) {
            if (c) buffer += ", ";
            appendString(buffer, columns[c]);
        }
        buffer += "],\n \"particles\": [";
        for (std::size_t p = 0; p < set.particles.size(); ++p) {
            const auto& t = set.particles[p];
            buffer += p ? ",\n  {\"step\": [" : "\n  {\"step\": [";
            for (std::size_t k = 0; k < t.step.size(); ++k)
                buffer += (k ? ", " : "") + std::to_string(t.step[k]);
            buffer += "], \"sigma\": [";
            for (std::size_t k = 0; k < t.sigma.size(); ++k) {
                if (k) buffer += ", ";
                appendNumber(buffer, t.sigma[k]);
            }
            buffer += "], \"x\": [";
            for (std::size_t k = 0; k < t.sigma.size(); ++k) {
                buffer += k ? ", [" : "[";
                for (int c = 0; c < set.dim; ++c) {
                    if (c) buffer += ", ";
                    appendNumber(buffer, t.x[k * set.dim + c]);
                }
                buffer += "]";
            }
            buffer += "]}";
            if (buffer.size() >= detail::kChunk && !detail::flushChunk(file, buffer)) return false;
        }
        buffer += "\n]}\n";
        return detail::flushChunk(file, buffer);
    });
}

} // namespace

void saveTrajectories(const std::string& path, const TrajectorySet& set) {
    for (const auto& t : set.particles)
        if (t.x.size() != t.sigma.size() * set.dim || t.step.size() != t.sigma.size())
            detail::fail(path, "trajectory arrays of different lengths");
    if (detail::extensionOf(path) == ".json") return saveJson(path, set);
    std::vector<double> rows;
    std::size_t states = 0;
    for (const auto& t : set.particles) states += t.sigma.size();
    rows.reserve(states * (set.dim + 3)); // appended, it would peak at up to twice its size
    for (std::size_t p = 0; p < set.particles.size(); ++p) {
        const auto& t = set.particles[p];
        for (std::size_t k = 0; k < t.sigma.size(); ++k) {
            rows.push_back(static_cast<double>(t.step[k]));
            rows.push_back(t.sigma[k]);
            rows.push_back(static_cast<double>(p));
            rows.insert(rows.end(), t.x.begin() + k * set.dim, t.x.begin() + (k + 1) * set.dim);
        }
    }
    std::vector<std::string> header{"step", "sigma", "particle"};
    const auto columns = names(set);
    header.insert(header.end(), columns.begin(), columns.end());
    savePoints(path, set.dim + 3, rows, header);
}

} // namespace psc::physics
