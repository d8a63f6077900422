// Data for the Python module: the built-in data sets and data files, read by the same code and
// options as `poissonscope sample --dataset/--data`.
#include "app/python/py_bindings.h"

#include "app/cli/sample_options.h"
#include "app/cli/scene_options.h"

#include "physics/datasets.h"

namespace psc::python {

namespace {

py::tuple chargesTuple(const physics::ChargeSet& charges) {
    std::vector<double> positions(charges.positions().begin(), charges.positions().end());
    std::vector<double> weights(charges.weights().begin(), charges.weights().end());
    const auto m = static_cast<py::ssize_t>(charges.size());
    return py::make_tuple(toArray(std::move(positions), {m, charges.dim()}),
                          toArray(std::move(weights), {m}));
}

py::tuple loadData(const py::kwargs& kwargs) {
    const auto parser = parseOptions(app::sceneOptionSpecs(app::dataOptionKeys()), kwargs);
    app::SampleOptions options;
    {
        py::gil_scoped_release released;
        if (auto e = app::loadDataOptions(parser, options)) throw py::value_error(*e);
    }
    return chargesTuple(*options.charges);
}

} // namespace

void bindData(py::module_& m) {
    m.def(
        "datasets",
        [] {
            py::list out;
            for (const auto& info : physics::builtinDatasets()) {
                py::dict d;
                d["name"] = info.name;
                d["dim"] = info.dim;
                d["description"] = info.description;
                d["any_dim"] = info.anyDim;
                d["real"] = info.real;
                d["teaching"] = info.teaching;
                out.append(d);
            }
            return out;
        },
        "The built-in data sets (as `poissonscope datasets`): a list of dicts with name, dim, "
        "description and whether N is a parameter (any_dim).");
    m.def(
        "dataset",
        [](const std::string& name, const py::kwargs& kwargs) {
            py::kwargs all(kwargs);
            all["dataset"] = name;
            return loadData(all);
        },
        py::arg("name"),
        "A built-in data set as (positions (M, N), weights (M)); keyword arguments are "
        "`poissonscope sample`'s data options: count, noise, scale, data_seed, dim.");
    m.def(
        "load_data",
        [](const std::string& path, const py::kwargs& kwargs) {
            py::kwargs all(kwargs);
            all["data"] = path;
            return loadData(all);
        },
        py::arg("path"),
        "A data file (.csv, .npy, .ply, .xyz, .png, .jpg) as (positions (M, N), weights (M)); "
        "pictures take image_weight, image_threshold and image_stride.");
}

} // namespace psc::python
