// Entry points of the headless subcommands; each returns the process exit code.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace psc::app {

enum ExitCode : int {
    kExitOk = 0,
    kExitFailure = 1,  // the computation itself failed (non-finite state, step limit, I/O error)
    kExitBadInput = 2, // the user's input was refused; nothing was written
};

// `poissonscope sample ...`: generate (backward) or encode (forward) points with the exact field.
int runSampleCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `poissonscope datasets`: the built-in data sets with their parameters.
int runDatasetsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `poissonscope train`: a learned PFGM++ field from data, saved for `sample --model`.
int runTrainCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// `poissonscope eval`: sliced Wasserstein-2, MMD and memorisation of samples against data.
int runEvalCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// The top-level --help text.
std::string mainHelpText();

} // namespace psc::app
