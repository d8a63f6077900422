// Learned fields for the Python module: train (as `poissonscope train`), load our archives and
// TorchScript modules, evaluate, quantise and save.
#include "app/python/py_bindings.h"

#include "app/cli/sample_options.h"
#include "app/cli/train_options.h"

#include "physics/extra_dims.h"
#include "physics/torch/learned_field.h"

#include <cmath>

namespace psc::python {
namespace {

using Field = physics::LearnedField;
using FieldPtr = std::shared_ptr<Field>; // pybind11 holds fields in non-const holders

py::dict infoDict(const physics::ModelInfo& info) {
    py::dict d;
    d["format"] = info.format == physics::ModelFormat::TorchScript ? "torchscript" : "network";
    d["N"] = info.dim;
    d["D"] = info.d;
    d["sigma_data"] = info.sigmaData;
    d["dataset"] = info.dataset;
    d["steps_done"] = info.stepsDone;
    d["final_loss"] = info.finalLoss;
    d["loss_history"] = info.lossHistory;
    d["quantized_bits"] = info.quantizedBits;
    d["noise_cap"] = info.noiseCap;
    d["width"] = info.settings.shape.width;
    d["depth"] = info.settings.shape.depth;
    d["seed"] = info.settings.seed;
    return d;
}

py::array_t<double> denoiseWith(const Field& field, const DoubleArray& points,
                                const py::object& sigma) {
    const auto rows = rowsOf(points, "points", field.dim(), true);
    auto sigmas = sigmasOf(sigma, rows.count);
    if (sigmas.size() == 1) sigmas.assign(rows.count, sigmas[0]);
    std::vector<double> out(rows.values.size());
    {
        py::gil_scoped_release released;
        field.denoiseEach(rows.values, sigmas, out);
    }
    return shapedLike(std::move(out), points, rows);
}

FieldPtr train(const std::optional<DoubleArray>& charges, const std::optional<DoubleArray>& weights,
               const py::object& progress, const py::kwargs& kwargs) {
    const auto parser = parseOptions(app::trainOptionSpecs(), kwargs);
    app::SampleOptions data;
    if (charges) {
        if (parser.has("data") || parser.has("dataset"))
            throw py::value_error("give the charges as an array or as data/dataset, not both");
        data.charges.emplace(chargesOf(*charges, weights));
    } else {
        py::gil_scoped_release released;
        std::optional<std::string> refusal;
        try {
            refusal = app::loadDataOptions(parser, data);
        } catch (const std::exception& e) {
            refusal = e.what();
        }
        if (refusal) {
            py::gil_scoped_acquire gil;
            throw py::value_error(*refusal);
        }
    }
    physics::TrainSettings settings;
    if (auto e = app::resolveTrainSettings(parser, settings)) throw py::value_error(*e);
    const std::string name = charges              ? "array"
                             : parser.has("data") ? parser.value("data")
                                                  : parser.value("dataset");
    PyProgress watch(progress);
    std::unique_ptr<Field> field;
    {
        py::gil_scoped_release released;
        auto report = watch.function();
        field = Field::train(
            *data.charges, settings, name,
            [&](const physics::TrainProgress& p) {
                report(p.steps > 0 ? static_cast<double>(p.step) / p.steps : 1.0);
            },
            watch.cancelFlag());
    }
    watch.rethrow();
    if (parser.has("out")) field->save(parser.value("out"));
    return FieldPtr(std::move(field));
}

} // namespace

void bindLearned(py::module_& m) {
    py::class_<Field, FieldPtr>(m, "LearnedField",
                                "A learned denoiser D_θ(x, σ) ≈ x̂: a network trained by "
                                "poissonscope.train(), or a TorchScript module.")
        .def_property_readonly("N", &Field::dim)
        .def_property_readonly("D", [](const Field& f) { return f.info().d; })
        .def_property_readonly("format",
                               [](const Field& f) {
                                   return f.info().format == physics::ModelFormat::TorchScript
                                              ? "torchscript"
                                              : "network";
                               })
        .def_property_readonly("info", [](const Field& f) { return infoDict(f.info()); })
        .def("denoise", &denoiseWith, py::arg("points"), py::arg("sigma"),
             "x̂ for points (P, N) or (N,) at sigma (a number or one per point).")
        .def(
            "save",
            [](const Field& f, const std::string& path) {
                py::gil_scoped_release released;
                f.save(path);
            },
            py::arg("path"), "Writes the field so that load_field() gives it back.")
        .def(
            "quantized", [](const Field& f, int bits) { return FieldPtr(f.quantized(bits)); },
            py::arg("bits"), "A copy with every weight tensor quantised to 5..9 bits.")
        .def(
            "evaluation_loss",
            [](const Field& f, const DoubleArray& charges, int samples, std::uint64_t seed,
               const std::optional<DoubleArray>& weights) {
                const auto set = chargesOf(charges, weights);
                py::gil_scoped_release released;
                return f.evaluationLoss(set, samples, seed);
            },
            py::arg("charges"), py::arg("samples") = 4096, py::arg("seed") = 0,
            py::arg("weights") = py::none(),
            "EDM's weighted loss λ(σ)|D_θ − y|² on fresh training draws from the charges.")
        .def("__repr__", [](const Field& f) {
            const auto& i = f.info();
            return std::string("<poissonscope.LearnedField ") +
                   (i.format == physics::ModelFormat::TorchScript ? "torchscript " : "network ") +
                   i.dataset + ", N = " + std::to_string(i.dim) +
                   ", D = " + physics::formatExtraDims(i.d) + ">";
        });
    m.def("train", &train, py::arg("charges") = py::none(), py::arg("weights") = py::none(),
          py::kw_only(), py::arg("progress") = py::none(),
          "Trains a learned field as `poissonscope train` does with the same options (D, steps, "
          "batch, lr, width, depth, ema, seed, tail_quantile, threads, out, and the data "
          "options); charges/weights: arrays instead of data/dataset. progress: called with "
          "the fraction done; returning False stops early (the field so far is returned).");
    m.def(
        "load_field",
        [](const std::string& path, int n, const py::object& d) {
            physics::LoadOptions options;
            options.dim = n;
            if (!d.is_none()) options.d = d.cast<double>();
            py::gil_scoped_release released;
            return FieldPtr(Field::load(path, options));
        },
        py::arg("path"), py::arg("N") = 0, py::arg("D") = py::none(),
        "A learned field from a file: a Poissonscope model (poissonscope train, save()) or a "
        "TorchScript module whose forward(x: Tensor[B, N], sigma: Tensor[B]) returns x̂. "
        "N and D fill in what a module's poissonscope.json metadata leaves out.");
}

} // namespace psc::python
