#include "physics/training_health.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace psc::physics {

std::optional<std::string> trainingTrouble(std::span<const double> losses, int windowSteps) {
    constexpr char kAdvice[] =
        "; try a smaller learning rate, or truncate the noise's tail (tail quantile 0.99)";
    char text[256];
    for (std::size_t i = 0; i < losses.size(); ++i)
        if (!std::isfinite(losses[i])) {
            std::snprintf(text, sizeof text, "loss not finite: at step %zu the loss is %g%s",
                          (i + 1) * windowSteps, losses[i], kAdvice);
            return text;
        }
    constexpr std::size_t kSmooth = 4;
    if (losses.size() < 2 * kSmooth) return std::nullopt;
    // The median of four windows: one bad batch of heavy-tailed noise moves it little.
    auto medianFrom = [&](std::size_t i) {
        double w[kSmooth];
        std::copy(losses.begin() + i, losses.begin() + i + kSmooth, w);
        std::sort(w, w + kSmooth);
        return 0.5 * (w[kSmooth / 2 - 1] + w[kSmooth / 2]);
    };
    const std::size_t last = losses.size() - kSmooth;
    double best = medianFrom(0);
    std::size_t bestAt = 0;
    for (std::size_t i = 1; i + kSmooth <= last; ++i)
        if (medianFrom(i) < best) best = medianFrom(i), bestAt = i;
    const double now = medianFrom(last);
    if (!(now > 2 * best)) return std::nullopt;
    std::snprintf(text, sizeof text,
                  "loss rising: %.3g over the last %zu steps, %.1f times its lowest (%.3g around "
                  "step %zu)%s",
                  now, kSmooth * windowSteps, now / best, best, (bestAt + kSmooth) * windowSteps,
                  kAdvice);
    return text;
}

} // namespace psc::physics
