// `poissonscope render`: a trajectory video (or PNG frames) of a scene, offscreen, from the command
// line.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace psc::exporter {

// Needs a QGuiApplication (main makes one after checking that a display is there).
int runRenderCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace psc::exporter
