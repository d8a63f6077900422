// `poissonscope experiment`: robustness of learned PFGM++ fields against noise, steps and bits, per
// D.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace psc::exporter {

// Needs a QGuiApplication (the figure's fonts); main makes one on the offscreen platform.
int runExperimentCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace psc::exporter
