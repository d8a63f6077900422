// Training a learned PFGM++ field on two moons: throughput (samples/s), and the wall time until
// samples from the learned field are within 2x of the held-out data's own sliced-W2 to the
// training set's distribution (the baseline: a second draw of two moons against the held-out set).
//
//   ./build/tests/bench/bench_training [D=128] [threads=0]
#include "physics/datasets.h"
#include "physics/extra_dims.h"
#include "physics/flow_solver.h"
#include "physics/metrics.h"
#include "physics/samplers.h"
#include "physics/torch/learned_field.h"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace psc::physics;

int main(int argc, char** argv) {
    const double d = argc > 1 ? *parseExtraDims(argv[1]) : 128.0;
    const int threads = argc > 2 ? std::stoi(argv[2]) : 0;
    DatasetParams params;
    params.count = 2000;
    params.seed = 1;
    const ChargeSet train = makeDataset("two-moons", params);
    params.seed = 2;
    const ChargeSet heldOut = makeDataset("two-moons", params);
    params.seed = 3;
    const ChargeSet fresh = makeDataset("two-moons", params);
    const auto values = [](const ChargeSet& c) {
        return std::vector<double>(c.positions().begin(), c.positions().end());
    };
    const double baseline = slicedWasserstein2(values(fresh), values(heldOut), 2);
    std::printf(
        "two moons, 2000 training points, D = %s; held-out baseline SW2 = %.4f (target %.4f)\n",
        formatExtraDims(d).c_str(), baseline, 2 * baseline);
    FlowSettings flow; // heun, 18 steps, sigma 80 -> 0, as `sample`
    double total = 0;
    for (int steps : {250, 500, 1000, 2000, 4000, 8000}) {
        TrainSettings settings;
        settings.d = d;
        settings.steps = steps;
        settings.threads = threads;
        double rate = 0;
        const auto start = std::chrono::steady_clock::now();
        const auto model =
            LearnedField::train(train, settings, "two-moons",
                                [&](const TrainProgress& p) { rate = p.samplesPerSecond; });
        const double seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        total += seconds;
        const auto startPoints = samplePriorCentred(train, flow.sigmaMax, d, 2000, 7);
        const auto result = integrateFlow(*model, startPoints, flow);
        const double sw2 = slicedWasserstein2(result.points, values(heldOut), 2);
        std::printf("  %5d steps: %6.1f s training, %8.0f samples/s, SW2 to held-out %.4f (%.2fx "
                    "baseline)%s\n",
                    steps, seconds, rate, sw2, sw2 / baseline,
                    sw2 <= 2 * baseline ? "  <- within 2x" : "");
        if (sw2 <= 2 * baseline) {
            std::printf("reached 2x the baseline after %d steps: %.1f s of training for that run\n",
                        steps, seconds);
            break;
        }
    }
    std::printf("(every run trains from scratch with the same seed; %.1f s in all)\n", total);
    return 0;
}
