// Formulas for lesson blackboards: a small TeX subset parsed into atoms, and a TeX-like layout of
// boxes (Appendix G of the TeXbook, simplified) that any renderer can draw. No font library, no
// renderer: glyph metrics come in through FormulaMetrics, draw items go out.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace psc::formula {

// The input language (UTF-8), TeX math mode without the $:
//   grouping      {…}; spaces are ignored, as in TeX; \\ starts a new line (top level only)
//   scripts       x_i  x^{N+D}  x_i^2  x^2_i  (a single token or a group); x' is x followed by ′
//   structures    \frac{a}{b} \dfrac \tfrac  \sqrt{x} \sqrt[n]{x}
//                 \left( … \right)  with ( ) [ ] | \| \{ \} \langle \rangle . (none), scaled to
//                 the content; \big \Big \bigg \Bigg (and their l/r/m forms) for fixed sizes
//   accents       \hat \widehat \tilde \widetilde \bar \overline \dot \ddot \vec
//   fonts         \mathrm{…} \mathit{…} \mathbf{…} \operatorname{…}; \mathcal{N} is upright N
//                 and \mathbb{R} is ℝ (ℂ ℍ ℕ ℙ ℚ ℤ too) or a bold letter, since the other script
//                 and double-struck letters lie outside the 16-bit plane ImGui 1.86 draws;
//                 \text{…} (upright, spaces kept; \{ \} \_ \% \& \# \$ escapes only)
//   symbols       \alpha … \omega (\epsilon ϵ, \varepsilon ε, \phi ϕ, \varphi φ, \vartheta …),
//                 \Gamma \Delta \Theta \Lambda \Xi \Pi \Sigma \Upsilon \Phi \Psi \Omega,
//                 relations \to \rightarrow \propto \approx \sim \simeq \equiv \le \ge \ne \in …,
//                 operators \cdot \times \pm …, \infty \partial \nabla \prime \ldots \cdots …,
//                 big operators \sum \prod \int (limits below and above in display style;
//                 \limits \nolimits), function names \exp \log \ln \sin \max \min \lim …
//   spaces        \, (3/18 em) \: \> (4/18) \; (5/18) \! (−3/18) \quad \qquad "\ " and ~
//   Unicode       any other character stands for itself: "√D", "σ", "∑ᵢ" still typeset
// Letters are math italic (upper-case Greek upright), digits and punctuation upright; spacing
// between atoms follows TeX's table of ordinary, operator, binary, relation, open, close,
// punctuation and inner atoms (thin, medium and thick spaces; none inside scripts except thin).
// Not supported (an error): environments, \over, macros, colours, %, &, #, $.

// A formula that does not parse: the message names the construct and the offset, counted in
// code points from the start: "unknown command \fracc at 12", "missing } for \frac at 3".
class FormulaError : public std::runtime_error {
public:
    FormulaError(const std::string& message, std::size_t offset);
    std::size_t offset() const { return m_offset; }

private:
    std::size_t m_offset;
};

enum class FontStyle : unsigned char { Italic, Upright, Bold };
inline constexpr int kFontStyleCount = 3;

// TeX's atom classes; they decide the space between neighbours.
enum class AtomClass : unsigned char { Ord, Op, Bin, Rel, Open, Close, Punct, Inner };

struct Node;
using NodeList = std::vector<Node>;

// One atom of a parsed formula, with its scripts.
struct Node {
    enum class Kind : unsigned char {
        Char,     // glyph in style; a big operator when `large`
        Text,     // text: upright characters, spaces kept (\text, function names)
        Group,    // body
        Fraction, // body over second; `display` for \dfrac, `inlineStyle` for \tfrac
        Radical,  // √ body, index in second
        Accent,   // glyph above body; 0 is a bar
        Fenced,   // left, body, right (\left…\right); or left alone `space` em tall (\big)
        Space,    // `space` em
    };
    Kind kind = Kind::Char;
    AtomClass atom = AtomClass::Ord;
    FontStyle style = FontStyle::Italic;
    char32_t glyph = 0;
    std::u32string text;
    char32_t left = 0, right = 0; // Fenced; 0 draws nothing (".")
    float space = 0;              // Space: its width, Fenced: \big's height; in em
    bool large = false;           // Char: a big operator (∑ ∏ ∫)
    bool limits = false;          // Char/Text operators: scripts below and above in display style
    bool display = false, inlineStyle = false;
    NodeList body, second;
    NodeList sub, sup;
    bool hasSub = false, hasSup = false;
    std::size_t offset = 0; // code points from the start of the source
};

struct Formula {
    std::vector<NodeList> lines; // at least one, maybe empty
};

// Throws FormulaError. Groups nest at most kMaxFormulaDepth deep (an error beyond), so that the
// parser and the layout never run out of stack on hostile input.
inline constexpr int kMaxFormulaDepth = 32;
Formula parseFormula(std::string_view utf8);

// Glyph metrics in pixels at a size of `size` pixels per em: the advance, the ink's extent above
// (ascent) and below (descent) the baseline, and the ink's left and right edges from the origin.
struct GlyphMetrics {
    float advance = 0, ascent = 0, descent = 0, inkLeft = 0, inkRight = 0;
};

// What the layout needs from a renderer's fonts. glyph() is called for missing glyphs too (the
// renderer's replacement glyph will do). Implementations need not be thread-safe.
class FormulaMetrics {
public:
    virtual ~FormulaMetrics() = default;
    virtual bool hasGlyph(char32_t codePoint, FontStyle style) const = 0;
    virtual GlyphMetrics glyph(char32_t codePoint, FontStyle style, float size) const = 0;
};

// Something to draw. Coordinates in pixels, x to the right, y down, (0, 0) the top left of the
// formula's box.
struct DrawItem {
    enum class Kind : unsigned char { Glyph, Rule };
    Kind kind = Kind::Glyph;
    // Glyph: the code point in `style` at `size` px per em with its origin at (x, y) on the
    // baseline, stretched vertically by scaleY about the baseline (stretched delimiters, √).
    char32_t codePoint = 0;
    FontStyle style = FontStyle::Upright;
    float size = 0, scaleY = 1;
    float x = 0, y = 0;
    // Rule: the rectangle (x, y) – (x + width, y + height); fraction bars, radical overbars.
    float width = 0, height = 0;
};

struct FormulaLayout {
    std::vector<DrawItem> items;
    float width = 0;
    float ascent = 0;              // first line's baseline, from the top
    float descent = 0;             // from that baseline to the bottom (lines below included)
    std::vector<char32_t> missing; // code points the fonts lack, sorted, each once
    float height() const { return ascent + descent; }
};

// Lays out at `size` px per em; display style (full-size fractions, limits under ∑) unless
// `display` is false. Lines of a multi-line formula are centred on the widest.
FormulaLayout layoutFormula(const Formula& formula, const FormulaMetrics& metrics, float size,
                            bool display = true);

// parseFormula, then layoutFormula. Throws FormulaError.
FormulaLayout typesetFormula(std::string_view utf8, const FormulaMetrics& metrics, float size,
                             bool display = true);

} // namespace psc::formula
