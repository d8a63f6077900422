#include "app/python/py_common.h"

#include <cmath>
#include <cstdio>

namespace psc::python {

Rows rowsOf(const DoubleArray& array, const char* what, int dim, bool oneRow) {
    Rows rows;
    if (array.ndim() == 2) {
        rows.count = static_cast<std::size_t>(array.shape(0));
        rows.dim = static_cast<int>(array.shape(1));
    } else if (array.ndim() == 1 && oneRow) {
        rows.count = 1;
        rows.dim = static_cast<int>(array.shape(0));
    } else if (array.ndim() == 1 && dim == 1) {
        rows.count = static_cast<std::size_t>(array.shape(0));
        rows.dim = 1;
    } else {
        throw py::value_error(std::string(what) + " must be an array of shape (count, N), got " +
                              std::to_string(array.ndim()) + " dimensions");
    }
    if (rows.dim < 1) throw py::value_error(std::string(what) + " has no coordinates");
    if (dim > 0 && rows.dim != dim)
        throw py::value_error(std::string(what) + " has " + std::to_string(rows.dim) +
                              " coordinates, expected " + std::to_string(dim));
    rows.values = {array.data(), rows.count * static_cast<std::size_t>(rows.dim)};
    for (const double v : rows.values)
        if (!std::isfinite(v))
            throw py::value_error(std::string(what) + " holds a value that is not finite");
    return rows;
}

py::array_t<double> toArray(std::vector<double>&& values, std::vector<py::ssize_t> shape) {
    auto* owned = new std::vector<double>(std::move(values));
    py::capsule release(owned, [](void* p) { delete static_cast<std::vector<double>*>(p); });
    return py::array_t<double>(shape, owned->data(), release);
}

py::array_t<double> shapedLike(std::vector<double>&& values, const DoubleArray& points,
                               const Rows& rows) {
    if (points.ndim() == 1) return toArray(std::move(values), {rows.dim});
    return toArray(std::move(values), {static_cast<py::ssize_t>(rows.count), rows.dim});
}

std::vector<double> sigmasOf(const py::object& sigma, std::size_t count) {
    std::vector<double> sigmas;
    if (py::isinstance<py::float_>(sigma) || py::isinstance<py::int_>(sigma)) {
        sigmas.assign(1, sigma.cast<double>());
    } else {
        const auto s = sigma.cast<DoubleArray>();
        if (s.ndim() != 1 || static_cast<std::size_t>(s.shape(0)) != count)
            throw py::value_error("sigma must be a number or one value per point (" +
                                  std::to_string(count) + ")");
        sigmas.assign(s.data(), s.data() + count);
    }
    for (const double v : sigmas)
        if (!(v > 0) || !std::isfinite(v))
            throw py::value_error("sigma must be positive and finite, got " + std::to_string(v));
    return sigmas;
}

physics::ChargeSet chargesOf(const DoubleArray& positions,
                             const std::optional<DoubleArray>& weights) {
    const auto rows = rowsOf(positions, "charges");
    std::vector<double> w;
    if (weights) {
        const auto q = rowsOf(*weights, "weights", 1);
        if (q.count != rows.count)
            throw py::value_error("weights has " + std::to_string(q.count) + " values for " +
                                  std::to_string(rows.count) + " charges");
        w.assign(q.values.begin(), q.values.end());
    }
    return physics::ChargeSet(rows.dim, {rows.values.begin(), rows.values.end()}, std::move(w));
}

app::OptionParser parseOptions(std::vector<app::OptionSpec> specs, const py::kwargs& kwargs) {
    std::vector<std::string> args;
    for (const auto& [key, value] : kwargs) {
        std::string name = py::str(key);
        for (char& c : name)
            if (c == '_') c = '-';
        if (value.is_none()) continue;
        if (py::isinstance<py::bool_>(value)) {
            if (value.cast<bool>()) args.push_back("--" + name);
            continue;
        }
        std::string text;
        if (py::isinstance<py::float_>(value)) {
            const double v = value.cast<double>();
            char buf[40];
            std::snprintf(buf, sizeof buf, "%.17g", v);
            text = std::isinf(v) ? (v > 0 ? "inf" : "-inf") : buf;
        } else {
            text = py::str(value);
        }
        args.push_back("--" + name);
        args.push_back(text);
    }
    app::OptionParser parser(std::move(specs));
    if (auto e = parser.parse(args)) throw py::value_error(*e);
    return parser;
}

physics::ProgressFn PyProgress::function() {
    return [this](double fraction) {
        py::gil_scoped_acquire gil;
        if (m_cancel.load()) return;
        try {
            if (PyErr_CheckSignals() != 0) throw py::error_already_set();
            if (!m_callback.is_none()) {
                const py::object answer = m_callback(fraction);
                if (py::isinstance<py::bool_>(answer) && !answer.cast<bool>()) m_cancel = true;
            }
        } catch (py::error_already_set& e) {
            m_error.emplace(std::move(e));
            m_cancel = true;
        }
    };
}

void PyProgress::rethrow() {
    if (m_error) {
        auto error = std::move(*m_error);
        m_error.reset();
        throw error;
    }
}

} // namespace psc::python
