// `poissonscope render`: a trajectory video (or PNG frames) of a scene, offscreen, from the command
// line.
#pragma once

#include "app/cli/option_parser.h"
#include "app/export/video_job.h"

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace psc::exporter {

// Its options: its own, then every scene key with an option (app/cli/scene_options.h).
std::vector<app::OptionSpec> renderOptionSpecs();
// Fills job from parsed options (a scene file first, the options given over it) and checks the
// output path; a one-line refusal otherwise. Reads the scene file, writes nothing.
std::optional<std::string> resolveRenderJob(const app::OptionParser& parser, VideoJob& job);

// Needs a QGuiApplication (main makes one after checking that a display is there).
int runRenderCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace psc::exporter
