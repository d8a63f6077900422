// Where D changes the picture, and how D is written for people. For data of dimension N the
// PFGM++ kernel is already close to the Gaussian (D = ∞) once D is a few tens of N: for N = 2
// everything from D ≈ 50 up looks alike. The D slider, the d-sweep video and the ladder of live
// previews therefore spend their travel on [1, morphTopD(N)], log-uniformly, and then step to ∞.
#pragma once

#include <string>
#include <vector>

namespace psc::app {

// 25 N: D = 50 for N = 2, 75 for N = 3.
double morphTopD(int dim);
// u in [0, 1] → D, log-uniform from 1 to morphTopD(dim) (u outside is clamped).
double dAlongMorph(double u, int dim);
// The inverse: D → u in [0, 1]; D above the top (and ∞) give 1.
double morphPosition(double d, int dim);
// The D values a drag of the slider previews: `finite` log-uniform from 1 to the top, then ∞.
std::vector<double> morphLadder(int dim, int finite = 16);

// D for a person: three significant figures ("21.4", "3.5"), integers as they are ("2048"),
// "∞" for the diffusion limit. Files and the command line keep the exact value
// (physics::formatExtraDims).
std::string displayD(double d);

} // namespace psc::app
