// `poissonscope eval`: how close generated samples are to reference data, and whether they copy it.
#include "app/cli/commands.h"

#include "app/cli/option_parser.h"

#include "physics/metrics.h"
#include "physics/point_io.h"

#include <cstdio>
#include <ostream>

namespace psc::app {

int runEvalCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    OptionParser parser({
        {"samples", "FILE", "generated points (.csv/.npy/.ply/.xyz)", ""},
        {"data", "FILE", "reference points, e.g. held-out data (.csv/.npy/.ply/.xyz)", ""},
        {"train", "FILE", "training points for the memorisation ratio (default: --data)", ""},
        {"projections", "P", "random directions of the sliced Wasserstein distance", "256"},
        {"max-points", "M", "MMD subsamples larger sets to M points (its cost is O(M^2))", "2000"},
        {"seed", "S", "seed of the directions and subsamples", "0"},
        {"help", "", "show this help", ""},
    });
    if (auto e = parser.parse(args)) {
        err << "poissonscope eval: " << *e << "\n";
        return kExitBadInput;
    }
    if (parser.has("help")) {
        out << "Usage: poissonscope eval --samples A --data B [options]\n\n"
               "Prints three numbers comparing generated samples A with reference data B:\n"
               "  sw2      sliced Wasserstein-2 distance (same units as the data; 0 for identical "
               "sets)\n"
               "  mmd      maximum mean discrepancy, RBF kernel with the median-distance "
               "bandwidth\n"
               "  memorisation  fraction of samples closer to a training point than a third of "
               "the\n"
               "           training points' median nearest-neighbour distance (the exact field: "
               "~1)\n\n"
               "Options:\n"
            << parser.helpText();
        return kExitOk;
    }
    if (!parser.has("samples") || !parser.has("data")) {
        err << "poissonscope eval: give --samples FILE and --data FILE\n";
        return kExitBadInput;
    }
    const auto projections = parseInteger(parser.value("projections"));
    const auto maxPoints = parseInteger(parser.value("max-points"));
    const auto seed = parseInteger(parser.value("seed"));
    if (!projections || *projections < 1 || *projections > 100000 || !maxPoints || *maxPoints < 2 ||
        *maxPoints > 20000 || !seed || *seed < 0) {
        err << "poissonscope eval: --projections must be 1..100000, --max-points 2..20000, --seed "
               ">= 0\n";
        return kExitBadInput;
    }
    try {
        physics::LoadLimits limits;
        limits.minDim = 1;
        const auto samples = physics::loadPoints(parser.value("samples"), limits);
        const auto data = physics::loadPoints(parser.value("data"), limits);
        const auto train =
            parser.has("train") ? physics::loadPoints(parser.value("train"), limits) : data;
        if (samples.dim != data.dim || train.dim != data.dim) {
            err << "poissonscope eval: the files have different dimensions (" << samples.dim << ", "
                << data.dim << ", " << train.dim << ")\n";
            return kExitBadInput;
        }
        const int n = data.dim;
        const auto s = static_cast<std::uint64_t>(*seed);
        const double sw2 = physics::slicedWasserstein2(samples.values, data.values, n,
                                                       static_cast<int>(*projections), s);
        const double mmd = physics::mmdRbf(samples.values, data.values, n,
                                           static_cast<std::size_t>(*maxPoints), s);
        const double memo = physics::memorisationRatio(samples.values, train.values, n);
        char line[200];
        std::snprintf(line, sizeof line, "sw2 %.6g\nmmd %.6g\nmemorisation %.6g\n", sw2, mmd, memo);
        out << line;
    } catch (const physics::PointIoError& e) {
        err << "poissonscope eval: " << e.what() << "\n";
        return kExitBadInput;
    } catch (const std::invalid_argument& e) {
        err << "poissonscope eval: " << e.what() << "\n";
        return kExitBadInput;
    }
    return kExitOk;
}

} // namespace psc::app
