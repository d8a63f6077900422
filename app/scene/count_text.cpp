// Counts in words: one rule instead of "%d charges" written at every place that prints a count.
#include "app/scene/count_text.h"

namespace psc::app {

std::string countText(long long n, std::string_view singular, std::string_view plural) {
    std::string text = std::to_string(n) + ' ';
    if (n == 1 || n == -1)
        text += singular;
    else if (plural.empty())
        (text += singular) += 's';
    else
        text += plural;
    return text;
}

} // namespace psc::app
