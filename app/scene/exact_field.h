// The exact field of a scene's charges, by the scene's method and tolerance.
#pragma once

#include "physics/charge_set.h"
#include "physics/charge_tree.h"
#include "physics/denoiser.h"
#include "physics/field_method.h"

#include <memory>

namespace psc::app {

// The tree over the charges depends on nothing else, so the last one built is kept and reused
// when the same charges come again (a D change, a new seed, another particle count): the
// window's recompute after a D change builds no tree. Safe from several threads.
// The kept tree for these charges, built when they are not the last ones asked for. The cpu
// backend of the commands and the Python module use it too: a notebook that samples the same
// million charges again builds no tree.
std::shared_ptr<const physics::ChargeTree> keptChargeTree(const physics::ChargeSet& charges);

std::unique_ptr<physics::Denoiser> sceneExactField(const physics::ChargeSet& charges, double d,
                                                   physics::FieldMethod method, double tolerance);

} // namespace psc::app
