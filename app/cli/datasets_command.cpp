// `poissonscope datasets`: lists the built-in data sets.
#include "app/cli/commands.h"

#include "physics/datasets.h"

#include <cstdio>
#include <ostream>

namespace psc::app {

int runDatasetsCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
        out << "Usage: poissonscope datasets\n\nLists the built-in data sets: name, dimension, "
               "default count and noise, and what they are.\nUse them with `poissonscope sample "
               "--dataset NAME [--count M] [--dim N] [--noise S] [--scale K] [--data-seed S]`.\n";
        return kExitOk;
    }
    if (!args.empty()) {
        err << "poissonscope datasets: unexpected argument '" << args[0] << "'\n";
        return kExitBadInput;
    }
    out << "name                  dim  count  noise  description\n";
    for (const auto& info : physics::builtinDatasets()) {
        char line[160];
        std::snprintf(line, sizeof line, "%-21s %3d  %5zu  %5s  ", info.name.c_str(), info.dim,
                      info.teaching ? physics::makeDataset(info.name, {}).size()
                                    : info.defaultCount,
                      info.teaching ? "-" : std::to_string(info.defaultNoise).substr(0, 5).c_str());
        out << line << info.description << "\n";
    }
    out << "\nGenerated sets are centred and scaled to unit RMS spread per coordinate before "
           "noise (same units) is added;\n--dim N embeds a generated shape in N dimensions (a "
           "fixed random rotation, the same noise\nalong the new directions) and sets the "
           "dimension of 'clusters'. Real tables (iris, wine, breast-cancer,\ndigits) are "
           "standardised per column (digits: pixels to [-1, 1]); --count picks that many rows.\n"
           "--scale multiplies the result. Teaching scenes have fixed charges and weights.\n";
    return kExitOk;
}

} // namespace psc::app
