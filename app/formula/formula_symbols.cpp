// The tables of the formula language. Code points are Unicode's, as in unicode-math, so a font
// that covers the Mathematical Operators and Greek blocks draws them all.
#include "app/formula/formula_symbols.h"

#include <algorithm>
#include <array>
#include <utility>

namespace psc::formula::detail {
namespace {

constexpr auto Ord = AtomClass::Ord, Op = AtomClass::Op, Bin = AtomClass::Bin, Rel = AtomClass::Rel,
               Open = AtomClass::Open, Close = AtomClass::Close;
constexpr auto It = FontStyle::Italic, Up = FontStyle::Upright;

struct NamedSymbol {
    std::string_view name;
    Symbol symbol;
};

// Sorted by name: looked up by binary search.
// clang-format off
constexpr NamedSymbol kSymbols[] = {
    {"Delta", {U'Δ', Ord, Up}},                {"Downarrow", {U'⇓', Rel, Up}},
    {"Gamma", {U'Γ', Ord, Up}},                {"Im", {U'ℑ', Ord, Up}},
    {"Lambda", {U'Λ', Ord, Up}},               {"Leftarrow", {U'⇐', Rel, Up}},
    {"Leftrightarrow", {U'⇔', Rel, Up}},       {"Omega", {U'Ω', Ord, Up}},
    {"Phi", {U'Φ', Ord, Up}},                  {"Pi", {U'Π', Ord, Up}},
    {"Psi", {U'Ψ', Ord, Up}},                  {"Re", {U'ℜ', Ord, Up}},
    {"Rightarrow", {U'⇒', Rel, Up}},           {"Sigma", {U'Σ', Ord, Up}},
    {"Theta", {U'Θ', Ord, Up}},                {"Uparrow", {U'⇑', Rel, Up}},
    {"Upsilon", {U'Υ', Ord, Up}},              {"Vert", {U'‖', Ord, Up}},
    {"Xi", {U'Ξ', Ord, Up}},                   {"aleph", {U'ℵ', Ord, Up}},
    {"alpha", {U'α', Ord, It}},                {"approx", {U'≈', Rel, Up}},
    {"ast", {U'∗', Bin, Up}},                  {"backslash", {U'\\', Ord, Up}},
    {"beta", {U'β', Ord, It}},                 {"bigcap", {U'⋂', Op, Up, true, true}},
    {"bigcup", {U'⋃', Op, Up, true, true}},    {"bot", {U'⊥', Ord, Up}},
    {"bullet", {U'∙', Bin, Up}},               {"cap", {U'∩', Bin, Up}},
    {"cdot", {U'⋅', Bin, Up}},                 {"cdots", {U'⋯', AtomClass::Inner, Up}},
    {"chi", {U'χ', Ord, It}},                  {"circ", {U'∘', Bin, Up}},
    {"colon", {U':', AtomClass::Punct, Up}},   {"coloneqq", {U'≔', Rel, Up}},
    {"cong", {U'≅', Rel, Up}},                 {"coprod", {U'∐', Op, Up, true, true}},
    {"cup", {U'∪', Bin, Up}},                  {"ddots", {U'⋱', AtomClass::Inner, Up}},
    {"delta", {U'δ', Ord, It}},                {"div", {U'÷', Bin, Up}},
    {"dots", {U'…', AtomClass::Inner, Up}},    {"downarrow", {U'↓', Rel, Up}},
    {"ell", {U'ℓ', Ord, Up}},                  {"emptyset", {U'∅', Ord, Up}},
    {"epsilon", {U'ϵ', Ord, It}},              {"equiv", {U'≡', Rel, Up}},
    {"eta", {U'η', Ord, It}},                  {"exists", {U'∃', Ord, Up}},
    {"forall", {U'∀', Ord, Up}},               {"gamma", {U'γ', Ord, It}},
    {"ge", {U'≥', Rel, Up}},                   {"geq", {U'≥', Rel, Up}},
    {"gets", {U'←', Rel, Up}},                 {"gg", {U'≫', Rel, Up}},
    {"hbar", {U'ℏ', Ord, Up}},                 {"iff", {U'⟺', Rel, Up}},
    {"implies", {U'⟹', Rel, Up}},              {"in", {U'∈', Rel, Up}},
    {"infty", {U'∞', Ord, Up}},                {"int", {U'∫', Op, Up, true, false}},
    {"iota", {U'ι', Ord, It}},                 {"kappa", {U'κ', Ord, It}},
    {"lambda", {U'λ', Ord, It}},               {"langle", {U'⟨', Open, Up}},
    {"lbrace", {U'{', Open, Up}},              {"lceil", {U'⌈', Open, Up}},
    {"ldots", {U'…', AtomClass::Inner, Up}},   {"le", {U'≤', Rel, Up}},
    {"leftarrow", {U'←', Rel, Up}},            {"leftrightarrow", {U'↔', Rel, Up}},
    {"leq", {U'≤', Rel, Up}},                  {"lfloor", {U'⌊', Open, Up}},
    {"ll", {U'≪', Rel, Up}},                   {"lvert", {U'|', Open, Up}},
    {"mapsto", {U'↦', Rel, Up}},               {"mid", {U'|', Rel, Up}},
    {"mp", {U'∓', Bin, Up}},                   {"mu", {U'μ', Ord, It}},
    {"nabla", {U'∇', Ord, Up}},                {"ne", {U'≠', Rel, Up}},
    {"neg", {U'¬', Ord, Up}},                  {"neq", {U'≠', Rel, Up}},
    {"ni", {U'∋', Rel, Up}},                   {"notin", {U'∉', Rel, Up}},
    {"nu", {U'ν', Ord, It}},                   {"odot", {U'⊙', Bin, Up}},
    {"oint", {U'∮', Op, Up, true, false}},     {"omega", {U'ω', Ord, It}},
    {"oplus", {U'⊕', Bin, Up}},                {"otimes", {U'⊗', Bin, Up}},
    {"parallel", {U'∥', Rel, Up}},             {"partial", {U'∂', Ord, Up}},
    {"perp", {U'⊥', Rel, Up}},                 {"phi", {U'ϕ', Ord, It}},
    {"pi", {U'π', Ord, It}},                   {"pm", {U'±', Bin, Up}},
    {"prime", {U'′', Ord, Up}},                {"prod", {U'∏', Op, Up, true, true}},
    {"propto", {U'∝', Rel, Up}},               {"psi", {U'ψ', Ord, It}},
    {"rangle", {U'⟩', Close, Up}},             {"rbrace", {U'}', Close, Up}},
    {"rceil", {U'⌉', Close, Up}},              {"rfloor", {U'⌋', Close, Up}},
    {"rho", {U'ρ', Ord, It}},                  {"rightarrow", {U'→', Rel, Up}},
    {"rvert", {U'|', Close, Up}},              {"setminus", {U'∖', Bin, Up}},
    {"sigma", {U'σ', Ord, It}},                {"sim", {U'∼', Rel, Up}},
    {"simeq", {U'≃', Rel, Up}},                {"star", {U'⋆', Bin, Up}},
    {"subset", {U'⊂', Rel, Up}},               {"subseteq", {U'⊆', Rel, Up}},
    {"sum", {U'∑', Op, Up, true, true}},       {"supset", {U'⊃', Rel, Up}},
    {"supseteq", {U'⊇', Rel, Up}},             {"tau", {U'τ', Ord, It}},
    {"theta", {U'θ', Ord, It}},                {"times", {U'×', Bin, Up}},
    {"to", {U'→', Rel, Up}},                   {"top", {U'⊤', Ord, Up}},
    {"uparrow", {U'↑', Rel, Up}},              {"upsilon", {U'υ', Ord, It}},
    {"varepsilon", {U'ε', Ord, It}},           {"varphi", {U'φ', Ord, It}},
    {"varpi", {U'ϖ', Ord, It}},                {"varrho", {U'ϱ', Ord, It}},
    {"varsigma", {U'ς', Ord, It}},             {"vartheta", {U'ϑ', Ord, It}},
    {"vdots", {U'⋮', Ord, Up}},                {"vee", {U'∨', Bin, Up}},
    {"vert", {U'|', Ord, Up}},                 {"wedge", {U'∧', Bin, Up}},
    {"xi", {U'ξ', Ord, It}},                   {"zeta", {U'ζ', Ord, It}},
    {"{", {U'{', Open, Up}},                   {"|", {U'‖', Ord, Up}},
    {"}", {U'}', Close, Up}},
};
// clang-format on

struct NamedFunction {
    std::string_view name;
    bool limits;
};

constexpr NamedFunction kFunctions[] = {
    {"Pr", true},   {"arccos", false}, {"arcsin", false}, {"arctan", false}, {"arg", false},
    {"cos", false}, {"cosh", false},   {"cot", false},    {"csc", false},    {"deg", false},
    {"det", true},  {"dim", false},    {"exp", false},    {"gcd", true},     {"inf", true},
    {"ker", false}, {"lg", false},     {"lim", true},     {"liminf", true},  {"limsup", true},
    {"ln", false},  {"log", false},    {"max", true},     {"min", true},     {"sec", false},
    {"sin", false}, {"sinh", false},   {"sup", true},     {"tan", false},    {"tanh", false},
};

template <typename Row, std::size_t n>
const Row* findName(const Row (&table)[n], std::string_view name) {
    const Row* it =
        std::lower_bound(table, table + n, name,
                         [](const Row& row, std::string_view key) { return row.name < key; });
    return it != table + n && it->name == name ? it : nullptr;
}

constexpr auto kByName = [](const auto& a, const auto& b) { return a.name < b.name; };
static_assert(std::is_sorted(std::begin(kSymbols), std::end(kSymbols), kByName));
static_assert(std::is_sorted(std::begin(kFunctions), std::end(kFunctions), kByName));

} // namespace

std::optional<Symbol> symbolCommand(std::string_view name) {
    if (const NamedSymbol* row = findName(kSymbols, name)) return row->symbol;
    return std::nullopt;
}

std::vector<std::string_view> symbolCommandNames() {
    std::vector<std::string_view> names;
    for (const NamedSymbol& row : kSymbols) names.push_back(row.name);
    return names;
}

std::vector<std::string_view> functionNames() {
    std::vector<std::string_view> names;
    for (const NamedFunction& row : kFunctions) names.push_back(row.name);
    return names;
}

std::optional<bool> functionTakesLimits(std::string_view name) {
    if (const NamedFunction* row = findName(kFunctions, name)) return row->limits;
    return std::nullopt;
}

bool isGreek(char32_t c) {
    return (c >= U'Α' && c <= U'ω' && c != 0x3A2) || c == U'ϑ' || c == U'ϕ' || c == U'ϖ' ||
           c == U'ϵ' || c == U'ϱ';
}

bool isLetter(char32_t c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xC0 && c <= 0x24F && c != U'×' && c != U'÷');
}

Symbol characterSymbol(char32_t c) {
    switch (c) {
    case '+':
    case U'±':
    case U'∓':
    case U'×':
    case U'÷':
    case U'·':
    case U'⋅':
    case U'∗':
    case U'−':
    case U'∘':
    case U'∙':
    case U'∩':
    case U'∪':
    case U'⊕':
    case U'⊗':
        return {c, Bin, Up};
    case '-':
        return {U'−', Bin, Up};
    case '*':
        return {U'∗', Bin, Up};
    case '=':
    case '<':
    case '>':
    case ':':
    case U'≈':
    case U'≃':
    case U'≅':
    case U'∼':
    case U'∝':
    case U'≤':
    case U'≥':
    case U'≠':
    case U'≡':
    case U'→':
    case U'←':
    case U'↔':
    case U'⇒':
    case U'⇐':
    case U'⇔':
    case U'↦':
    case U'∈':
    case U'∉':
    case U'∋':
    case U'⊂':
    case U'⊃':
    case U'⊆':
    case U'⊇':
    case U'≪':
    case U'≫':
    case U'∣':
    case U'≔':
    case U'⟹':
        return {c, Rel, Up};
    case '(':
    case '[':
    case U'⟨':
    case U'⌊':
    case U'⌈':
        return {c, Open, Up};
    case ')':
    case ']':
    case U'⟩':
    case U'⌋':
    case U'⌉':
    case '!':
    case '?':
        return {c, Close, Up};
    case ',':
    case ';':
        return {c, AtomClass::Punct, Up};
    case U'∑':
    case U'∏':
    case U'∐':
    case U'⋃':
    case U'⋂':
        return {c, Op, Up, true, true};
    case U'∫':
    case U'∮':
        return {c, Op, Up, true, false};
    case U'…':
    case U'⋯':
        return {c, AtomClass::Inner, Up};
    case '\'':
        return {U'′', Ord, Up};
    default:
        break;
    }
    if (isLetter(c)) return {c, Ord, It};
    // Lower-case Greek is italic in TeX, capitals upright.
    if (isGreek(c)) return {c, Ord, c >= U'α' ? It : Up};
    return {c, Ord, Up};
}

std::optional<char32_t> accentGlyph(std::string_view name) {
    if (name == "hat" || name == "widehat") return U'ˆ';
    if (name == "tilde" || name == "widetilde") return U'˜';
    if (name == "dot") return U'˙';
    if (name == "ddot") return U'¨';
    if (name == "vec") return U'→';
    if (name == "bar" || name == "overline") return char32_t{0};
    return std::nullopt;
}

std::optional<float> spaceCommand(std::string_view name) {
    if (name == ",") return 3.0f / 18;
    if (name == ":" || name == ">") return 4.0f / 18;
    if (name == ";") return 5.0f / 18;
    if (name == "!") return -3.0f / 18;
    if (name == " ") return 1.0f / 3;
    if (name == "quad") return 1.0f;
    if (name == "qquad") return 2.0f;
    return std::nullopt;
}

std::optional<char32_t> delimiterCharacter(char32_t c) {
    switch (c) {
    case '(':
    case ')':
    case '[':
    case ']':
    case '|':
    case '/':
    case U'⟨':
    case U'⟩':
    case U'‖':
    case U'⌊':
    case U'⌋':
    case U'⌈':
    case U'⌉':
        return c;
    case '<':
        return U'⟨';
    case '>':
        return U'⟩';
    case '.':
        return char32_t{0};
    default:
        return std::nullopt;
    }
}

std::optional<char32_t> delimiterCommand(std::string_view name) {
    static constexpr std::pair<std::string_view, char32_t> kDelimiters[] = {
        {"Vert", U'‖'},   {"langle", U'⟨'}, {"lbrace", U'{'}, {"lceil", U'⌈'},  {"lfloor", U'⌊'},
        {"lVert", U'‖'},  {"lvert", U'|'},  {"rangle", U'⟩'}, {"rbrace", U'}'}, {"rceil", U'⌉'},
        {"rfloor", U'⌋'}, {"rVert", U'‖'},  {"rvert", U'|'},  {"vert", U'|'},   {"{", U'{'},
        {"|", U'‖'},      {"}", U'}'},
    };
    for (const auto& [n, c] : kDelimiters)
        if (n == name) return c;
    return std::nullopt;
}

char32_t doubleStruck(char32_t letter) {
    switch (letter) {
    case 'C':
        return U'ℂ';
    case 'H':
        return U'ℍ';
    case 'N':
        return U'ℕ';
    case 'P':
        return U'ℙ';
    case 'Q':
        return U'ℚ';
    case 'R':
        return U'ℝ';
    case 'Z':
        return U'ℤ';
    default:
        return 0;
    }
}

} // namespace psc::formula::detail
