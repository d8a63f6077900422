// The kept tree behind sceneExactField.
#include "app/scene/exact_field.h"

#include <cstdint>
#include <cstring>
#include <mutex>

namespace psc::app {

namespace {

// FNV-1a over the charges' coordinates and weights: equal charges, equal key.
std::uint64_t fingerprint(const physics::ChargeSet& charges) {
    std::uint64_t h = 1469598103934665603ull ^ static_cast<std::uint64_t>(charges.dim());
    auto mix = [&h](std::span<const double> values) {
        for (double v : values) {
            std::uint64_t bits;
            std::memcpy(&bits, &v, sizeof bits);
            h = (h ^ bits) * 1099511628211ull;
        }
    };
    mix(charges.positions());
    mix(charges.weights());
    return h;
}

struct KeptTree {
    std::mutex mutex;
    std::uint64_t key = 0;
    std::size_t count = 0;
    std::shared_ptr<const physics::ChargeTree> tree;
};

KeptTree& keptTree() {
    static KeptTree kept;
    return kept;
}

} // namespace

std::shared_ptr<const physics::ChargeTree> keptChargeTree(const physics::ChargeSet& charges) {
    const std::uint64_t key = fingerprint(charges);
    KeptTree& kept = keptTree();
    std::shared_ptr<const physics::ChargeTree> tree;
    {
        const std::lock_guard lock(kept.mutex);
        if (kept.tree && kept.key == key && kept.count == charges.size()) tree = kept.tree;
    }
    if (!tree) {
        tree = std::make_shared<const physics::ChargeTree>(charges);
        const std::lock_guard lock(kept.mutex);
        kept.key = key;
        kept.count = charges.size();
        kept.tree = tree;
    }
    return tree;
}

std::unique_ptr<physics::Denoiser> sceneExactField(const physics::ChargeSet& charges, double d,
                                                   physics::FieldMethod method, double tolerance) {
    if (!physics::usesTree(charges, method))
        return physics::makeExactField(charges, d, method, tolerance);
    return physics::makeExactField(charges, d, method, tolerance, 0, keptChargeTree(charges));
}

} // namespace psc::app
