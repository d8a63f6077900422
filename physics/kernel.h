// The PFGM++ kernel in double precision: log-weights, log-density and field of the charges.
#pragma once

#include "physics/charge_set.h"

#include <span>
#include <vector>

namespace psc::physics {

// Log of the unnormalised weight of charge y at squared distance d2 from x, at time σ:
//   finite D: −((N+D)/2) · log1p(d2 / r²),  r = σ√D   (the −((N+D)/2)·log r² constant dropped)
//   D = ∞   : −d2 / (2σ²)
// log1p keeps the value exact to rounding for D up to 1e9 and beyond, where log(d2 + r²) loses
// every digit of the data-dependent part.
double kernelLogWeight(double d2, double sigma, double d, int n);

// The normalised perturbation density p_σ(x | y) at squared distance d2, in log
// (physics/README.md §3):
//   finite D: log Γ((N+D)/2) − log Γ(D/2) − (N/2) log π + D log r − ((N+D)/2) log(d2 + r²)
//   D = ∞   : −(N/2) log(2πσ²) − d2 / (2σ²)
double kernelLogDensity(double d2, double sigma, double d, int n);

// log p_σ(x) = log Σ q_i p_σ(x | y_i): the perturbed data density, which is also the flux
// density of the field through the plane σ = const (p ∝ r^(D−1) E_r). Finite for every D.
double logPerturbedDensity(const ChargeSet& charges, std::span<const double> x, double sigma,
                           double d);

// The (N+D)-dimensional field in (x, r) with the positive constant chosen so that
// E = Σ q_i (x − y_i, r) (|x − y_i|² + r²)^(−(N+D)/2) exactly (finite D only, r > 0).
// Returns N+1 values: E_x (N) then E_r. Used by the divergence oracle.
std::vector<double> augmentedField(const ChargeSet& charges, std::span<const double> x, double r,
                                   double d);

} // namespace psc::physics
