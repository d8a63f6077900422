// The exact field for the Python module: x̂ by any backend, log p_σ, field lines, the kernel's
// and the prior's samplers, and the metrics.
#include "app/python/py_bindings.h"

#include "app/cli/backend_factory.h"

#include "physics/extra_dims.h"
#include "physics/field_line_tracer.h"
#include "physics/field_method.h"
#include "physics/kernel.h"
#include "physics/metrics.h"
#include "physics/named_choices.h"
#include "physics/samplers.h"

#include <cmath>

namespace psc::python {
namespace {

double checkedD(double d) {
    if (auto e = physics::validateExtraDims(d)) throw py::value_error(*e);
    return d;
}

physics::FieldMethod methodNamed(const std::string& name) {
    if (auto m = physics::parseChoice(physics::kFieldMethods, name)) return *m;
    throw py::value_error("unknown field method '" + name + "' (" +
                          physics::choiceNames(physics::kFieldMethods, ", ") + ")");
}

std::unique_ptr<physics::FlowBackend> backendFor(const std::string& name,
                                                 const physics::ChargeSet& charges, double d,
                                                 int threads, const std::string& method,
                                                 double tolerance) {
    const auto kind = physics::parseBackend(name);
    if (!kind)
        throw py::value_error("unknown backend '" + name + "' (" +
                              physics::choiceNames(physics::backendTable(), ", ") + ")");
    if (*kind == physics::BackendKind::Gl) ensureGuiApplication();
    if (!(tolerance >= 1e-8 && tolerance <= 1e-2))
        throw py::value_error("tolerance must be in [1e-08, 0.01], got " +
                              std::to_string(tolerance));
    py::gil_scoped_release released;
    return app::makeBackend(*kind, charges, d, threads, methodNamed(method), tolerance);
}

py::array_t<double> denoise(const DoubleArray& points, const py::object& sigma,
                            const DoubleArray& charges, double d,
                            const std::optional<DoubleArray>& weights,
                            const std::string& backendName, const std::string& method,
                            double tolerance, int threads) {
    const auto set = chargesOf(charges, weights);
    const auto rows = rowsOf(points, "points", set.dim(), true);
    checkedD(d);
    const auto sigmas = sigmasOf(sigma, rows.count);
    auto backend = backendFor(backendName, set, d, threads, method, tolerance);
    std::vector<double> out(rows.values.size());
    {
        py::gil_scoped_release released;
        const auto n = static_cast<std::size_t>(rows.dim);
        if (sigmas.size() == 1)
            backend->denoise(rows.values, sigmas[0], out);
        else
            for (std::size_t p = 0; p < rows.count; ++p)
                backend->denoise(rows.values.subspan(p * n, n), sigmas[p],
                                 std::span(out).subspan(p * n, n));
    }
    return shapedLike(std::move(out), points, rows);
}

py::array_t<double> logDensity(const DoubleArray& points, double sigma, const DoubleArray& charges,
                               double d, const std::optional<DoubleArray>& weights) {
    const auto set = chargesOf(charges, weights);
    const auto rows = rowsOf(points, "points", set.dim(), true);
    checkedD(d);
    if (!(sigma > 0) || !std::isfinite(sigma))
        throw py::value_error("sigma must be positive and finite");
    std::vector<double> out(rows.count);
    {
        py::gil_scoped_release released;
        const auto n = static_cast<std::size_t>(rows.dim);
        for (std::size_t p = 0; p < rows.count; ++p)
            out[p] = physics::logPerturbedDensity(set, rows.values.subspan(p * n, n), sigma, d);
    }
    return toArray(std::move(out), {static_cast<py::ssize_t>(rows.count)});
}

py::array_t<double> augmented(const DoubleArray& points, double r, const DoubleArray& charges,
                              double d, const std::optional<DoubleArray>& weights) {
    const auto set = chargesOf(charges, weights);
    const auto rows = rowsOf(points, "points", set.dim(), true);
    checkedD(d);
    if (std::isinf(d)) throw py::value_error("the field in N + D dimensions needs a finite D");
    if (!(r > 0) || !std::isfinite(r)) throw py::value_error("r must be positive and finite");
    const auto n = static_cast<std::size_t>(rows.dim);
    std::vector<double> out;
    out.reserve(rows.count * (n + 1));
    {
        py::gil_scoped_release released;
        for (std::size_t p = 0; p < rows.count; ++p) {
            const auto e = physics::augmentedField(set, rows.values.subspan(p * n, n), r, d);
            out.insert(out.end(), e.begin(), e.end());
        }
    }
    return toArray(std::move(out), {static_cast<py::ssize_t>(rows.count), rows.dim + 1});
}

py::list fieldLines(const DoubleArray& charges, double d, const std::optional<DoubleArray>& weights,
                    std::size_t count, const std::string& seeding, double sigmaMax, double sigmaMin,
                    std::uint64_t seed, bool toHemisphere, int threads, const std::string& method,
                    double tolerance, const py::object& progress) {
    const auto set = chargesOf(charges, weights);
    checkedD(d);
    physics::FieldLineSettings s;
    if (seeding == "hemisphere")
        s.seeding = physics::FieldLineSeeding::Hemisphere;
    else if (seeding == "charges")
        s.seeding = physics::FieldLineSeeding::Charges;
    else
        throw py::value_error("seeding must be 'hemisphere' or 'charges', got '" + seeding + "'");
    s.count = count;
    s.sigmaMax = sigmaMax;
    s.sigmaMin = sigmaMin;
    s.seed = seed;
    s.stopAtHemisphere = toHemisphere;
    s.threads = threads;
    if (auto e = physics::validateFieldLineSettings(s)) throw py::value_error(*e);
    auto backend = backendFor("cpu", set, d, threads, method, tolerance);
    PyProgress watch(progress);
    std::vector<physics::FieldLine> lines;
    {
        py::gil_scoped_release released;
        lines = backend->traceFieldLines(s, watch.function(), watch.cancelFlag());
    }
    watch.rethrow();
    py::list out;
    for (auto& line : lines) {
        const auto k = static_cast<py::ssize_t>(line.sigma.size());
        py::dict item;
        item["x"] = toArray(std::move(line.x), {k, set.dim()});
        item["sigma"] = toArray(std::move(line.sigma), {k});
        item["log_density"] = toArray(std::move(line.logDensity), {k});
        item["stop"] = physics::fieldLineStopText(line.stop);
        item["charge"] = line.charge;
        out.append(std::move(item));
    }
    return out;
}

} // namespace

void bindField(py::module_& m) {
    const double defaultTolerance = physics::kDefaultFieldTolerance;
    m.def("denoise", &denoise, py::arg("points"), py::arg("sigma"), py::arg("charges"),
          py::arg("D"), py::arg("weights") = py::none(), py::arg("backend") = "cpu",
          py::arg("method") = "auto", py::arg("tolerance") = defaultTolerance,
          py::arg("threads") = 0,
          "The exact PFGM++ denoiser x̂(x, σ) of the charges at D (float('inf') for EDM): the "
          "weighted mean of the charges under the kernel (1 + |x − y|²/(σ²D))^(−(N+D)/2). "
          "points (P, N) or (N,); sigma a number or one per point. backend: cpu (tree code or "
          "SIMD brute force, see method), gl (OpenGL compute shaders), torch (LibTorch) or "
          "reference (double precision).");
    m.def("log_density", &logDensity, py::arg("points"), py::arg("sigma"), py::arg("charges"),
          py::arg("D"), py::arg("weights") = py::none(),
          "log p_σ(x) of the perturbed data: the log of the weighted mean of the normalised "
          "kernels around the charges, in double precision.");
    m.def("augmented_field", &augmented, py::arg("points"), py::arg("r"), py::arg("charges"),
          py::arg("D"), py::arg("weights") = py::none(),
          "The electrostatic field of the charges in N + D dimensions at (x, r), up to a positive "
          "constant: Σ q_i (x − y_i, r)(|x − y_i|² + r²)^(−(N+D)/2), as (P, N + 1) values (E_x, "
          "then E_r). Its direction is the flow's: dx/dσ = (x − x̂)/σ with r = σ√D.");
    m.def("field_lines", &fieldLines, py::arg("charges"), py::arg("D"),
          py::arg("weights") = py::none(), py::arg("count") = 64, py::arg("seeding") = "hemisphere",
          py::arg("sigma_max") = 80.0, py::arg("sigma_min") = 0.002, py::arg("seed") = 7,
          py::arg("to_hemisphere") = false, py::arg("threads") = 0, py::arg("method") = "auto",
          py::arg("tolerance") = defaultTolerance, py::arg("progress") = py::none(),
          "Field lines of the charges at D, as the window traces them: a list of dicts with x "
          "(K, N), sigma (K), log_density (K), stop (why it ended) and charge (where it "
          "started or landed). seeding: 'hemisphere' (down from σ_max) or 'charges' (up).");
    m.def(
        "sample_kernel",
        [](int n, double sigma, double d, std::size_t count, std::uint64_t seed) {
            checkedD(d);
            if (n < 1) throw py::value_error("n must be at least 1");
            if (!(sigma > 0)) throw py::value_error("sigma must be positive");
            std::vector<double> out(count * static_cast<std::size_t>(n));
            physics::Rng rng(seed);
            for (std::size_t i = 0; i < count; ++i)
                physics::samplePerturbation(
                    n, sigma, d, rng, std::span(out).subspan(i * n, static_cast<std::size_t>(n)));
            return toArray(std::move(out), {static_cast<py::ssize_t>(count), n});
        },
        py::arg("n"), py::arg("sigma"), py::arg("D"), py::arg("count"), py::arg("seed") = 0,
        "count draws x − y from the PFGM++ kernel p_σ(· | y) in n dimensions: radius "
        "σ√D·sqrt(u/(1 − u)), u ~ Beta(n/2, D/2), uniform direction; σ·N(0, I) at D = ∞.");
    m.def(
        "sample_prior",
        [](const DoubleArray& charges, double sigma, double d, std::size_t count,
           const std::optional<DoubleArray>& weights, std::uint64_t seed, bool centred) {
            const auto set = chargesOf(charges, weights);
            checkedD(d);
            if (!(sigma > 0)) throw py::value_error("sigma must be positive");
            auto out = centred ? physics::samplePriorCentred(set, sigma, d, count, seed)
                               : physics::samplePriorMixture(set, sigma, d, count, seed);
            return toArray(std::move(out), {static_cast<py::ssize_t>(count), set.dim()});
        },
        py::arg("charges"), py::arg("sigma"), py::arg("D"), py::arg("count"),
        py::arg("weights") = py::none(), py::arg("seed") = 0, py::arg("centred") = false,
        "count points from the perturbed data at σ: the mixture Σ q_i p_σ(· | y_i), or with "
        "centred=True the kernel around the data's mean (the reference code's prior).");
    m.def(
        "sliced_wasserstein",
        [](const DoubleArray& a, const DoubleArray& b, int projections, std::uint64_t seed) {
            const auto ra = rowsOf(a, "a"), rb = rowsOf(b, "b", ra.dim);
            return physics::slicedWasserstein2(ra.values, rb.values, ra.dim, projections, seed);
        },
        py::arg("a"), py::arg("b"), py::arg("projections") = 256, py::arg("seed") = 0,
        "Sliced 2-Wasserstein distance between two point sets.");
    m.def(
        "mmd",
        [](const DoubleArray& a, const DoubleArray& b, std::size_t maxPoints, std::uint64_t seed) {
            const auto ra = rowsOf(a, "a"), rb = rowsOf(b, "b", ra.dim);
            return physics::mmdRbf(ra.values, rb.values, ra.dim, maxPoints, seed);
        },
        py::arg("a"), py::arg("b"), py::arg("max_points") = 2000, py::arg("seed") = 0,
        "Maximum mean discrepancy with a Gaussian kernel (median-distance bandwidth).");
    m.def(
        "memorisation_ratio",
        [](const DoubleArray& samples, const DoubleArray& training, double factor) {
            const auto rs = rowsOf(samples, "samples"), rt = rowsOf(training, "training", rs.dim);
            return physics::memorisationRatio(rs.values, rt.values, rs.dim, factor);
        },
        py::arg("samples"), py::arg("training"), py::arg("factor") = 1.0 / 3.0,
        "The fraction of samples whose nearest training point is closer than factor times the "
        "median nearest-neighbour distance among the training points: copies of the data (about "
        "0 for a model that generalises, 1 for the exact field).");
}

} // namespace psc::python
