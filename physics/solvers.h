// The ODE solvers of the flows, declared once: the name files and options use, the label people
// read, and the Butcher tableau that the CPU (flow_solver.cpp, log_sigma_flow.cpp) and the GPU
// (render/compute/gl_curves.cpp) both step with (physics/README.md §4.2).
#pragma once

#include <array>
#include <span>
#include <string_view>

namespace psc::physics {

enum class SolverKind { Euler, Heun, Rk4, Rk45 };

// An explicit Runge–Kutta method whose stage j depends on stage j − 1 alone (Euler, Heun, the
// classical RK4): stage j evaluates the slope k_j at time τ + c_j·h and at the point
// x + a_j·h·k_(j−1) (a_0 = c_0 = 0), and the step is x + h·Σ_j b_j·k_j.
struct ButcherTableau {
    int stages = 0;
    std::array<double, 4> c{}, a{}, b{};
};

struct SolverInfo {
    SolverKind value;
    std::string_view name;  // "heun": scene files and command lines
    std::string_view label; // "Heun": panels
    std::string_view help;
    bool adaptive;          // rk45: Dormand–Prince with error control (dormand_prince.h)
    ButcherTableau tableau; // fixed-step solvers only (stages = 0 for rk45)
};

// Every solver, in the order panels list them.
std::span<const SolverInfo> solverTable();
const SolverInfo& solverInfo(SolverKind kind);

} // namespace psc::physics
