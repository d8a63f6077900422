// What the names and characters of the formula language mean: one table for commands that stand
// for a character (\alpha, \to, \sum), function names, accents, spaces and delimiters, and the
// class of a character typed as itself. Used by the parser only.
#pragma once

#include "app/formula/formula.h"

#include <optional>
#include <string_view>
#include <vector>

namespace psc::formula::detail {

struct Symbol {
    char32_t glyph = 0;
    AtomClass atom = AtomClass::Ord;
    FontStyle style = FontStyle::Upright;
    bool large = false;  // a big operator: bigger in display style, centred on the axis
    bool limits = false; // scripts below and above it in display style
};

// A command standing for one character (\alpha, \le, \sum, \{), or nothing.
std::optional<Symbol> symbolCommand(std::string_view name);

// The names of all of them and of the function names (tests typeset each).
std::vector<std::string_view> symbolCommandNames();
std::vector<std::string_view> functionNames();

// A character typed as itself: letters italic (upper-case Greek upright), the rest upright, with
// the class TeX gives it ('-' becomes the minus sign −, '*' the asterisk operator ∗).
Symbol characterSymbol(char32_t c);

// \exp, \log, \lim …: upright operator names; limits for \lim \max \min \sup \inf ….
std::optional<bool> functionTakesLimits(std::string_view name);

// \hat → ˆ, \tilde → ˜, …; 0 for the rule accents \bar and \overline.
std::optional<char32_t> accentGlyph(std::string_view name);

// \, \; \quad …, in em.
std::optional<float> spaceCommand(std::string_view name);

// A delimiter after \left, \right or \big: a character or a command name (without \).
std::optional<char32_t> delimiterCharacter(char32_t c);
std::optional<char32_t> delimiterCommand(std::string_view name);

// \mathbb: the Basic Multilingual Plane's double-struck capitals (ℂ ℍ ℕ ℙ ℚ ℝ ℤ), else 0.
char32_t doubleStruck(char32_t letter);

bool isLetter(char32_t c);
bool isGreek(char32_t c);

} // namespace psc::formula::detail
