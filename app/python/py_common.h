// Shared by the Python module's bindings: NumPy arrays in and out, keyword arguments read as the
// command line's options, and progress, cancel and the GIL around long work.
#pragma once

#include "app/cli/option_parser.h"

#include "physics/charge_set.h"
#include "physics/progress.h"

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace psc::python {

namespace py = pybind11;

// float64, C order: an array that is already so is used in place, anything else is converted once.
using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

// Rows of an (P, N) array, or of a 1-D array taken as one point (oneRow) or as P points of one
// coordinate. Throws ValueError naming `what` for other shapes, a wrong N or non-finite values.
struct Rows {
    std::span<const double> values;
    std::size_t count = 0;
    int dim = 0;
};
Rows rowsOf(const DoubleArray& array, const char* what, int dim = 0, bool oneRow = false);

// An array that owns values (no copy), of the given shape.
py::array_t<double> toArray(std::vector<double>&& values, std::vector<py::ssize_t> shape);
// Values for each of the rows, shaped as `points` was: (P, N), or (N,) for one point given so.
py::array_t<double> shapedLike(std::vector<double>&& values, const DoubleArray& points,
                               const Rows& rows);

// σ as a number (one value) or one positive value per point (count values); ValueError
// otherwise.
std::vector<double> sigmasOf(const py::object& sigma, std::size_t count);

// Charges from positions (M, N) and optional weights (M); ValueError with ChargeSet's message.
physics::ChargeSet chargesOf(const DoubleArray& positions,
                             const std::optional<DoubleArray>& weights);

// Keyword arguments as a command's options: name_with_underscores=value → --name-with-dashes
// value (True: a flag; False and None: left out; floats with every digit, inf as "inf"). Parsed by
// the command's own parser, so refusals read as the command line's (ValueError).
app::OptionParser parseOptions(std::vector<app::OptionSpec> specs, const py::kwargs& kwargs);

// Progress and cancel for work run without the GIL: the callback (or None) is called with the
// fraction done, holding the GIL; returning False cancels, an exception cancels and is raised
// when the work returns, and so is Ctrl+C (KeyboardInterrupt).
class PyProgress {
public:
    explicit PyProgress(py::object callback) : m_callback(std::move(callback)) {}
    physics::ProgressFn function();
    const physics::CancelFlag* cancelFlag() const { return &m_cancel; }
    bool cancelled() const { return m_cancel.load(); }
    // Raises what the callback raised (or the pending KeyboardInterrupt), if anything.
    void rethrow();

private:
    py::object m_callback;
    physics::CancelFlag m_cancel{false};
    std::optional<py::error_already_set> m_error;
};

} // namespace psc::python
