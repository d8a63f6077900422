// `poissonscope --screenshot out.png ...`: renders a scene offscreen and saves a PNG, no window.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace psc::app {

// args: everything after the program name. Needs a QGuiApplication. Exit codes as commands.h.
int runScreenshotCommand(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace psc::app
