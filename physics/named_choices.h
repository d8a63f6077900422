// Closed sets of named values (solvers, backends, layers, ...) declared once as a table of rows
// with a `value` and a `name`: parsing, names, and the lists in help texts and error messages all
// come from that one table.
#pragma once

#include <iterator>
#include <optional>
#include <string>
#include <string_view>

namespace psc::physics {

// The row whose name is `name`, or null.
template <typename Table>
auto findChoice(const Table& table, std::string_view name) -> decltype(&*std::begin(table)) {
    for (const auto& row : table)
        if (row.name == name) return &row;
    return nullptr;
}

// The row of `value`; every value has one (a missing row is a programmer error: null).
template <typename Table, typename Value>
auto choiceOf(const Table& table, Value value) -> decltype(&*std::begin(table)) {
    for (const auto& row : table)
        if (row.value == value) return &row;
    return nullptr;
}

template <typename Table>
auto parseChoice(const Table& table, std::string_view name)
    -> std::optional<decltype(std::begin(table)->value)> {
    if (const auto* row = findChoice(table, name)) return row->value;
    return std::nullopt;
}

// "euler|heun|rk4|rk45": the value placeholder of a command-line option.
template <typename Table>
std::string choiceNames(const Table& table, std::string_view sep = "|") {
    std::string out;
    for (const auto& row : table) {
        if (!out.empty()) out += sep;
        out += row.name;
    }
    return out;
}

// "euler, heun, rk4 or rk45": the same names in a sentence.
template <typename Table>
std::string choiceSentence(const Table& table) {
    std::string out;
    std::size_t i = 0, count = 0;
    for ([[maybe_unused]] const auto& row : table) ++count;
    for (const auto& row : table) {
        if (i > 0) out += i + 1 == count ? " or " : ", ";
        out += row.name;
        ++i;
    }
    return out;
}

} // namespace psc::physics
