// Formulas in Dear ImGui 1.86: the interface and formula fonts in ImGui's atlas (found through
// fontconfig), their metrics for the layout, drawing a layout into a draw list, and an item that
// takes its place in a window's flow. Needs a current ImGui context; not thread-safe.
#pragma once

#include "app/formula/formula.h"

#include <imgui.h>

#include <array>
#include <string>
#include <utility>
#include <vector>

namespace psc::formula {

// In logical pixels: the interface font's height (ImGui's measure) and the formulas' em.
// Computer Modern's x-height is small (0.43 em against DejaVu Sans' 0.55), so formulas are set
// at about 1.35 times the interface size to read as large as the text around them.
inline constexpr float kUiFontSize = 15.0f;
inline constexpr float kFormulaSize = 20.0f;

struct AtlasFont {
    ImFont* font = nullptr;
    float em = 0; // atlas pixels per em
};

struct FormulaFonts {
    ImFont* ui = nullptr; // the interface font, the atlas's first (ImGui's default)
    // Per FontStyle, by increasing em: the text, script and scriptscript sizes of formulas (a
    // larger upright one for big operators and delimiters). ImGui scales any of them to any
    // size; the nearest sizes are the sharpest.
    std::array<std::vector<AtlasFont>, kFontStyleCount> math;
    float pixelRatio = 1; // atlas pixels per logical pixel
    std::string problem;  // from loadFonts: fonts not found and what is used instead
};

// Adds the interface font (DejaVu Sans) and the formula fonts (CMU Serif with DejaVu merged in
// for the glyphs it lacks) to io.Fonts, rasterised at pixelRatio × their logical size, and sets
// io.FontGlobalScale = 1 / pixelRatio. Call before the atlas is built. A font that is not found
// is replaced (formulas by the interface font, that by ImGui's built-in font) and `problem`
// says so; never throws.
FormulaFonts loadFonts(ImGuiIO& io, float pixelRatio);

// The fonts that loadFonts added to `atlas`, found again by their names, so that a panel needs
// no pointer from the window. Without them, formulas use the atlas's first font.
FormulaFonts formulaFonts(const ImFontAtlas& atlas);

// Metrics of the atlas's glyphs (the atlas must be built). Code points above U+FFFF are always
// missing: ImGui 1.86 as Debian builds it has 16-bit ImWchar.
class ImGuiFormulaMetrics : public FormulaMetrics {
public:
    explicit ImGuiFormulaMetrics(FormulaFonts fonts) : m_fonts(std::move(fonts)) {}
    bool hasGlyph(char32_t codePoint, FontStyle style) const override;
    GlyphMetrics glyph(char32_t codePoint, FontStyle style, float size) const override;

private:
    FormulaFonts m_fonts;
};

// Draws `layout` with its top left at `topLeft` (screen coordinates, logical pixels).
void drawFormula(ImDrawList* draw, ImVec2 topLeft, const FormulaLayout& layout,
                 const FormulaFonts& fonts, ImU32 colour);

// A formula laid out with the current context's fonts at kFormulaSize, shrunk (to no less than
// half) to fit maxWidth when that is > 0; or the parse error's message.
struct ImGuiFormula {
    FormulaLayout layout;
    std::string error;
    ImVec2 size; // of the item: the formula's box, or the message
};
ImGuiFormula layoutImGuiFormula(const std::string& tex, float maxWidth = 0);

// The formula as an item at the cursor (ImGui::Dummy reserves its box), or its parse error in
// red. The second form lays out and draws in one call.
void formulaItem(const ImGuiFormula& formula, ImU32 colour);
void formulaItem(const std::string& tex, ImU32 colour, float maxWidth = 0);

} // namespace psc::formula
