// The parts of the Python module (module.cpp puts them together).
#pragma once

#include "app/python/py_common.h"

namespace psc::python {

void bindData(py::module_& m);    // py_data.cpp
void bindField(py::module_& m);   // py_field.cpp
void bindSample(py::module_& m);  // py_sample.cpp
void bindLearned(py::module_& m); // py_learned.cpp
void bindRender(py::module_& m);  // py_render.cpp

// The QGuiApplication that OpenGL (the gl backend, rendering) needs, made once on first use.
// RuntimeError, with the command line's words, when there is no display to make it on.
void ensureGuiApplication();

} // namespace psc::python
