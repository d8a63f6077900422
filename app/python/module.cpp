// `import poissonscope`: the exact PFGM++ field, flows, field lines, samplers, metrics, learned
// fields and offscreen rendering for Python, on NumPy arrays. Each function reads the same
// options and gives the same results and messages as the command line's.
#include "app/python/py_bindings.h"

#include "app/export/video_encoder.h"
#include "app/export/video_frames.h"

#include "physics/plugin_library.h"
#include "physics/point_io.h"
#include "physics/torch/learned_field.h"

namespace {

// File problems are OSError, refused input ValueError, the rest RuntimeError (pybind11's own
// translation of std::invalid_argument and std::runtime_error).
void translateErrors(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const psc::physics::PointIoError& e) {
        PyErr_SetString(PyExc_OSError, e.what());
    } catch (const psc::physics::ModelFileError& e) {
        PyErr_SetString(PyExc_OSError, e.what());
    } catch (const psc::exporter::ExportError& e) {
        PyErr_SetString(PyExc_OSError, e.what());
    } catch (const psc::exporter::ExportSetupError& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    }
}

} // namespace

PYBIND11_MODULE(poissonscope, m) {
    m.doc() = "Poissonscope: PFGM++ (Xu et al., ICML 2023) as electrostatics. Data points are "
              "charges on the plane r = 0 of a space with D extra dimensions; their field carries "
              "a huge hemisphere down to the data, and D → ∞ is a diffusion model's flow (EDM). "
              "D is a float; float('inf') is the diffusion limit.";
    m.attr("__version__") = PSC_VERSION;
    pybind11::register_exception_translator(&translateErrors);
    psc::python::bindData(m);
    psc::python::bindField(m);
    psc::python::bindSample(m);
    psc::python::bindLearned(m);
    psc::python::bindRender(m);
    m.def("learned_fields_built_in", &psc::physics::learnedFieldsBuiltIn,
          "Whether this build has learned fields (LibTorch); they load on first use.");
}
