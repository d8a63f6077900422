// Particle trajectories with σ at every recorded step, written as CSV, NPY or JSON.
#pragma once

#include "physics/flow_solver.h"

#include <string>
#include <vector>

namespace psc::physics {

// One particle's recorded states, in order: K values of σ (0 after the landing step) and K·N
// coordinates; step[k] is the solver step that reached state k.
struct Trajectory {
    std::vector<double> sigma;
    std::vector<double> x;
    std::vector<int> step;
};

struct TrajectorySet {
    int dim = 2;
    std::vector<std::string> columnNames; // N names ("x1".. when empty)
    std::vector<Trajectory> particles;
};

// From the frames of a flow (every frame holds every particle at one σ).
TrajectorySet trajectoriesFromFrames(const std::vector<TrajectoryFrame>& frames, int dim,
                                     std::vector<std::string> columnNames = {});

// By extension: ".csv" and ".npy" get one row per particle and state with the columns step,
// sigma, particle, x1..xN; ".json" gets {"columns": [...], "particles": [{"step": [...],
// "sigma": [...], "x": [[...], ...]}, ...]} with every number in full precision (non-finite
// values as null). Written atomically (temporary sibling, renamed on success); throws
// PointIoError naming the path and reason.
void saveTrajectories(const std::string& path, const TrajectorySet& set);

} // namespace psc::physics
