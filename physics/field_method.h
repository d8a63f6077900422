// How the exact field is evaluated, declared once: scene files, options, the panel and help all
// read kFieldMethods.
#pragma once

#include "physics/charge_set.h"
#include "physics/charge_tree.h"
#include "physics/denoiser.h"
#include "physics/tree_denoiser.h"

#include <memory>
#include <string>
#include <string_view>

namespace psc::physics {

enum class FieldMethod {
    Auto,   // the tree where it pays (kTreeFromCharges or more, N <= 3), brute force elsewhere
    Tree,   // the tree code whenever N <= 3 (TreeDenoiser: certified to the tolerance)
    Direct, // brute force: every charge for every point (FastDenoiser), the reference path
};
struct FieldMethodInfo {
    FieldMethod value;
    std::string_view name, label, help;
};
inline constexpr FieldMethodInfo kFieldMethods[] = {
    {FieldMethod::Auto, "auto", "auto",
     "the tree code from 10,000 charges on (data of up to 3 coordinates), brute force below"},
    {FieldMethod::Tree, "tree", "tree (certified)",
     "a k-d tree whose far charges are summarised by expansions with a certified error bound "
     "(data of up to 3 coordinates)"},
    {FieldMethod::Direct, "direct", "direct (every charge)",
     "brute force: every charge for every point, the reference"},
};

// Where auto switches to the tree: below, brute force is as fast (bench_tree).
inline constexpr std::size_t kTreeFromCharges = 10'000;
// The tolerance's range: below 1e-8 float rounding of the direct sums is larger; above 1e-2 the
// picture would show it.
inline constexpr double kMinFieldTolerance = 1e-8, kMaxFieldTolerance = 1e-2;

// "1e-04": a tolerance as the panel, help and logs print it.
std::string formatFieldTolerance(double tolerance);

// Whether `method` evaluates `count` charges of `dim` coordinates with the tree code.
bool usesTree(std::size_t count, int dim, FieldMethod method);
bool usesTree(const ChargeSet& charges, FieldMethod method);

// The exact field of the charges at D by `method` (tolerance: a fraction of the data's spread,
// used by the tree). tree: one already built for these charges, or null to build one.
std::unique_ptr<Denoiser> makeExactField(const ChargeSet& charges, double d, FieldMethod method,
                                         double tolerance = kDefaultFieldTolerance, int threads = 0,
                                         std::shared_ptr<const ChargeTree> tree = nullptr);

} // namespace psc::physics
