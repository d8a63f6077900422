// `poissonscope.sample`: the `sample` command's options, checks and run, with arrays for files.
#include "app/python/py_bindings.h"

#include "app/cli/sample_options.h"
#include "app/scene/count_text.h"

#include "physics/extra_dims.h"
#include "physics/point_io.h"
#include "physics/torch/learned_field.h"
#include "physics/trajectory_io.h"

#include <cstdio>

namespace psc::python {
namespace {

using Field = physics::LearnedField;

struct SampleResult {
    py::array_t<double> points, start;
    py::object frames = py::none();
    std::string status;
    double d = 0;
    std::string backend, description;
    std::size_t fieldEvaluations = 0;
    int steps = 0;
};

SampleResult sample(const std::optional<DoubleArray>& charges,
                    const std::optional<DoubleArray>& weights, const py::object& model,
                    const std::optional<DoubleArray>& start, const py::object& trajectory,
                    const py::object& progress, const py::kwargs& kwargs) {
    py::kwargs options(kwargs);
    app::SampleOptions o;
    if (charges) {
        if (options.contains("data") || options.contains("dataset"))
            throw py::value_error("give the charges as an array or as data/dataset, not both");
        o.charges.emplace(chargesOf(*charges, weights));
    } else if (weights) {
        throw py::value_error("weights need charges");
    }
    if (py::isinstance<py::str>(model))
        options["model"] = model;
    else if (py::isinstance<Field>(model))
        o.model = model.cast<std::shared_ptr<Field>>();
    else if (!model.is_none())
        throw py::type_error("model must be a LearnedField or the path of a model file");
    const bool keepFrames = py::isinstance<py::str>(trajectory) || py::cast<bool>(trajectory);
    if (py::isinstance<py::str>(trajectory)) options["trajectory"] = trajectory;

    const auto parser = parseOptions(app::sampleOptionSpecs(), options);
    {
        py::gil_scoped_release released;
        std::optional<std::string> refusal;
        try {
            refusal = app::resolveSampleOptions(parser, o);
        } catch (const physics::PointIoError& e) {
            refusal = e.what();
        }
        if (refusal) {
            py::gil_scoped_acquire gil;
            throw py::value_error(*refusal);
        }
    }
    const int n = o.charges->dim();
    if (start) {
        const auto rows = rowsOf(*start, "start", n);
        o.start.assign(rows.values.begin(), rows.values.end());
    }
    if (keepFrames && o.flow.recordEvery == 0)
        o.flow.recordEvery = static_cast<int>(*app::parseInteger(parser.value("record-every")));

    PyProgress watch(progress);
    app::SampleRun run;
    {
        py::gil_scoped_release released;
        run = app::runSample(o, watch.function(), watch.cancelFlag());
    }
    watch.rethrow();
    const auto& result = run.result;
    const std::size_t count = run.start.size() / static_cast<std::size_t>(n);
    if (result.status == physics::FlowStatus::NonFinite ||
        result.status == physics::FlowStatus::StepLimit)
        throw std::runtime_error(std::string(physics::flowStatusText(result.status)) + " (" +
                                 std::to_string(result.nonFinitePoints) + " of " +
                                 app::countText(count, "point") + " non-finite)");
    if (result.framesTruncated)
        throw std::runtime_error("the trajectory outgrew --memory-budget after " +
                                 app::countText(result.frames.size(), "frame") +
                                 "; raise record_every or memory_budget");
    const bool completed = result.status == physics::FlowStatus::Completed;
    if (completed && !o.outPath.empty())
        physics::savePoints(o.outPath, n, result.points, o.columnNames);
    if (completed && !o.trajectoryPath.empty())
        physics::saveTrajectories(o.trajectoryPath,
                                  physics::trajectoriesFromFrames(result.frames, n, o.columnNames));

    SampleResult out;
    const auto p = static_cast<py::ssize_t>(count);
    out.points = toArray(std::vector<double>(result.points), {p, n});
    out.start = toArray(std::move(run.start), {p, n});
    if (keepFrames) {
        const auto f = static_cast<py::ssize_t>(result.frames.size());
        std::vector<double> sigma, x;
        std::vector<double> step;
        x.reserve(result.frames.size() * count * n);
        for (const auto& frame : result.frames) {
            sigma.push_back(frame.sigma);
            step.push_back(frame.step);
            x.insert(x.end(), frame.points.begin(), frame.points.end());
        }
        py::dict frames;
        frames["sigma"] = toArray(std::move(sigma), {f});
        frames["step"] = toArray(std::move(step), {f});
        frames["x"] = toArray(std::move(x), {f, p, n});
        out.frames = frames;
    }
    out.status = completed ? "completed" : "cancelled";
    out.d = o.d;
    out.backend = physics::backendName(run.backend);
    out.description = run.description;
    out.fieldEvaluations = result.denoiserCalls;
    out.steps = result.acceptedSteps;
    return out;
}

} // namespace

void bindSample(py::module_& m) {
    py::class_<SampleResult>(m, "Sample", "What poissonscope.sample() returns.")
        .def_readonly("points", &SampleResult::points, "the final points (P, N)")
        .def_readonly("start", &SampleResult::start, "where the flow started (P, N)")
        .def_readonly("frames", &SampleResult::frames,
                      "with trajectory: a dict of sigma (F), step (F) and x (F, P, N); else None")
        .def_readonly("status", &SampleResult::status, "'completed', or 'cancelled' by progress")
        .def_readonly("D", &SampleResult::d)
        .def_readonly("backend", &SampleResult::backend)
        .def_readonly("description", &SampleResult::description)
        .def_readonly("field_evaluations", &SampleResult::fieldEvaluations)
        .def_readonly("steps", &SampleResult::steps)
        .def("__repr__", [](const SampleResult& r) {
            return "<poissonscope.Sample " + std::to_string(r.points.shape(0)) +
                   " points, D = " + physics::formatExtraDims(r.d) + ", " + r.status + ", " +
                   r.backend + ">";
        });
    m.def("sample", &sample, py::arg("charges") = py::none(), py::arg("weights") = py::none(),
          py::kw_only(), py::arg("model") = py::none(), py::arg("start") = py::none(),
          py::arg("trajectory") = false, py::arg("progress") = py::none(),
          "Generates by the PFGM++ flow, as `poissonscope sample` does with the same options "
          "(D, particles, seed, solver, steps, sigma_max, backend, method, dataset, data, "
          "count, ...: `poissonscope sample --help` lists them; dashes become underscores). "
          "charges/weights: arrays instead of data/dataset. model: a LearnedField or a file. "
          "start: (P, N) starting points instead of the prior. trajectory: True to keep every "
          "recorded step (record_every), or a file to write them to. out: a file for the final "
          "points. progress: called with the fraction done; returning False cancels.");
}

} // namespace psc::python
