// Counts in words for every message that prints one: "1 charge", "2 charges", "0 charges".
#pragma once

#include <string>
#include <string_view>

namespace psc::app {

// n, a space, and the noun in agreement with n: the singular for n = 1 (and −1), the plural
// otherwise (English takes the plural for 0). `plural` empty: the singular with an "s".
// Digits are not grouped ("1500 particles"), as elsewhere in the interface.
std::string countText(long long n, std::string_view singular, std::string_view plural = {});

} // namespace psc::app
