// Choosing the exact field's evaluation.
#include "physics/field_method.h"

#include "physics/fast_denoiser.h"

#include <cstdio>

namespace psc::physics {

std::string formatFieldTolerance(double tolerance) {
    char text[32];
    std::snprintf(text, sizeof text, "%.0e", tolerance);
    return text;
}

bool usesTree(std::size_t count, int dim, FieldMethod method) {
    if (method == FieldMethod::Direct || dim > ChargeTree::kMaxDim) return false;
    return method == FieldMethod::Tree || count >= kTreeFromCharges;
}

bool usesTree(const ChargeSet& charges, FieldMethod method) {
    return usesTree(charges.size(), charges.dim(), method);
}

std::unique_ptr<Denoiser> makeExactField(const ChargeSet& charges, double d, FieldMethod method,
                                         double tolerance, int threads,
                                         std::shared_ptr<const ChargeTree> tree) {
    if (!usesTree(charges, method)) return std::make_unique<FastDenoiser>(charges, d, threads);
    if (!tree) tree = std::make_shared<const ChargeTree>(charges, threads);
    return std::make_unique<TreeDenoiser>(std::move(tree), d, tolerance, threads);
}

} // namespace psc::physics
