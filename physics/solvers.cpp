// The solver table.
#include "physics/solvers.h"

#include "physics/named_choices.h"

#include <cassert>

namespace psc::physics {
namespace {

constexpr SolverInfo kSolvers[] = {
    {SolverKind::Euler,
     "euler",
     "Euler",
     "first order, one evaluation per step",
     false,
     {1, {0}, {0}, {1}}},
    {SolverKind::Heun,
     "heun",
     "Heun",
     "EDM's second-order method: Euler predictor, trapezoid corrector (none on the step to 0)",
     false,
     {2, {0, 1}, {0, 1}, {0.5, 0.5}}},
    {SolverKind::Rk4,
     "rk4",
     "RK4",
     "the classical fourth-order Runge-Kutta method",
     false,
     {4, {0, 0.5, 0.5, 1}, {0, 0.5, 0.5, 1}, {1.0 / 6, 1.0 / 3, 1.0 / 3, 1.0 / 6}}},
    {SolverKind::Rk45,
     "rk45",
     "RK45 (adaptive)",
     "adaptive Dormand-Prince 5(4) with relative and absolute tolerances",
     true,
     {}},
};

} // namespace

std::span<const SolverInfo> solverTable() {
    return kSolvers;
}

const SolverInfo& solverInfo(SolverKind kind) {
    const SolverInfo* info = choiceOf(kSolvers, kind);
    assert(info && "physics::solverInfo: a solver without a row in the table");
    return *info;
}

} // namespace psc::physics
