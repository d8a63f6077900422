// ImGui fonts and drawing for formulas. ImGui's fonts carry no user data, so each font added here
// is named with what the lookup needs ("psc-formula <style> <em>"), and formulaFonts() reads the
// names back.
#include "app/formula/formula_imgui.h"

#include "app/formula/formula_font_files.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

namespace psc::formula {
namespace {

// Latin-1, accents (ˆ ˜ ˙), Greek, the modifier letters of old Unicode formulas (ᵢ ᴺ),
// punctuation (′ …), super- and subscripts, letterlike symbols (ℝ ℓ), arrows, mathematical
// operators, ⌈⌉⌊⌋ and ⟨⟩ ⟹.
// Only glyphs a font has are rasterised. The script sizes and the italic and bold faces get
// less, to keep the atlas small: they draw letters and the operators of scripts.
const ImWchar kTextRanges[] = {0x0020, 0x00FF, 0x02C6, 0x02DD, 0x0370, 0x03FF, 0x1D2C,
                               0x1D6A, 0x2000, 0x206F, 0x2070, 0x209F, 0x2100, 0x214F,
                               0x2190, 0x21FF, 0x2200, 0x22FF, 0x2308, 0x230B, 0x27E8,
                               0x27E9, 0x27F5, 0x27FF, 0};
const ImWchar kScriptRanges[] = {0x0020, 0x00FF, 0x02C6, 0x02DD, 0x0370, 0x03FF, 0x2032, 0x2034,
                                 0x2100, 0x214F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0};
const ImWchar kLetterRanges[] = {0x0020, 0x00FF, 0x0370, 0x03FF, 0};
// kMathGreekForms, the only code points of a face that overrides the main one.
const ImWchar kMathGreekRanges[] = {0x03B8, 0x03B8, 0};
const ImWchar kLargeRanges[] = {0x0028, 0x0029, 0x002F, 0x002F, 0x005B, 0x005D, 0x007B, 0x007D,
                                0x2016, 0x2016, 0x220F, 0x2211, 0x221A, 0x221A, 0x222B, 0x222E,
                                0x22C0, 0x22C3, 0x2308, 0x230B, 0x27E8, 0x27E9, 0};

constexpr float kScriptScale = 0.7f, kScriptScriptScale = 0.5f, kLargeScale = 1.4f;

// Each file is read once; the atlas owns the first copy and the other fonts share it (the atlas
// frees all its input data at once).
class FontData {
public:
    void* get(const std::string& path, int& size, bool& owned) {
        auto it = m_files.find(path);
        owned = it == m_files.end();
        if (owned) {
            std::ifstream in(path, std::ios::binary);
            std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
            void* data = nullptr;
            if (!bytes.empty()) {
                data = IM_ALLOC(bytes.size());
                std::copy(bytes.begin(), bytes.end(), static_cast<char*>(data));
            }
            it = m_files.emplace(path, std::make_pair(data, static_cast<int>(bytes.size()))).first;
        }
        size = it->second.second;
        return it->second.first;
    }

private:
    std::map<std::string, std::pair<void*, int>> m_files;
};

// One atlas font at `em` atlas pixels: the first file, the others merged in for what it lacks.
ImFont* addFont(ImFontAtlas& atlas, FontData& data, const std::vector<FontFile>& files, float em,
                const ImWchar* ranges, const char* name) {
    ImFont* font = nullptr;
    for (const FontFile& file : files) {
        if (!file.only.empty() && file.only != kMathGreekForms) continue; // no ranges for it
        ImFontConfig config;
        config.OversampleH = 2;
        config.FontNo = file.index;
        config.MergeMode = font != nullptr;
        std::snprintf(config.Name, sizeof config.Name, "%s", name);
        int size = 0;
        bool owned = false;
        void* bytes = data.get(file.path, size, owned);
        if (!bytes) continue;
        config.FontDataOwnedByAtlas = owned;
        // ImGui sizes a font by its ascender-to-descender height, formulas by the em.
        ImFont* added =
            atlas.AddFontFromMemoryTTF(bytes, size, em * file.scale / file.emPerHeight, &config,
                                       file.only.empty() ? ranges : kMathGreekRanges);
        if (!font) font = added;
    }
    return font;
}

const std::vector<AtlasFont>& fontsFor(const FormulaFonts& fonts, FontStyle style) {
    return fonts.math[static_cast<int>(style)];
}

// The font that has the glyph at the smallest em not below the wanted one, else the largest
// that has it; the first font when none has it (ImGui draws its fallback glyph).
const AtlasFont* pick(const FormulaFonts& fonts, FontStyle style, char32_t c, float size) {
    const auto& list = fontsFor(fonts, style);
    if (list.empty()) return nullptr;
    const float wanted = size * fonts.pixelRatio * 0.999f;
    const AtlasFont* best = nullptr;
    if (c <= IM_UNICODE_CODEPOINT_MAX) {
        for (const AtlasFont& f : list) {
            if (!f.font->FindGlyphNoFallback(static_cast<ImWchar>(c))) continue;
            best = &f;
            if (f.em >= wanted) break;
        }
    }
    return best ? best : &list.front();
}

const ImFontGlyph* glyphOf(const AtlasFont& f, char32_t c) {
    return f.font->FindGlyph(c <= IM_UNICODE_CODEPOINT_MAX ? static_cast<ImWchar>(c)
                                                           : f.font->FallbackChar);
}

} // namespace

FormulaFonts loadFonts(ImGuiIO& io, float pixelRatio) {
    FormulaFonts fonts;
    const FormulaFontFiles files = findFormulaFontFiles();
    fonts.problem = files.problem;
    fonts.pixelRatio = pixelRatio > 0 ? pixelRatio : 1.0f;
    ImFontAtlas& atlas = *io.Fonts;
    FontData data;
    char name[40];
    std::snprintf(name, sizeof name, "psc-ui %.4f", fonts.pixelRatio);
    if (!files.ui.empty())
        fonts.ui = addFont(atlas, data, files.ui,
                           kUiFontSize * fonts.pixelRatio * files.ui.front().emPerHeight,
                           kTextRanges, name);
    if (fonts.ui) {
        io.FontGlobalScale = 1.0f / fonts.pixelRatio;
    } else {
        fonts.ui = atlas.AddFontDefault();
        fonts.pixelRatio = 1;
    }
    for (int s = 0; s < kFontStyleCount; ++s) {
        const auto style = static_cast<FontStyle>(s);
        std::vector<std::pair<float, const ImWchar*>> sizes = {
            {1.0f, style == FontStyle::Upright ? kTextRanges : kLetterRanges},
            {kScriptScale, style == FontStyle::Upright ? kScriptRanges : kLetterRanges}};
        if (style != FontStyle::Bold) sizes.emplace_back(kScriptScriptScale, sizes.back().second);
        if (style == FontStyle::Upright) sizes.emplace_back(kLargeScale, kLargeRanges);
        for (const auto& [scale, ranges] : sizes) {
            const float em = kFormulaSize * scale * fonts.pixelRatio;
            std::snprintf(name, sizeof name, "psc-formula %d %.3f", s, em);
            if (ImFont* font = addFont(atlas, data, files.math[s], em, ranges, name))
                fonts.math[s].push_back({font, em});
        }
    }
    return fonts;
}

FormulaFonts formulaFonts(const ImFontAtlas& atlas) {
    FormulaFonts fonts;
    for (ImFont* font : atlas.Fonts) {
        const char* name = font->GetDebugName();
        int style = 0;
        float value = 0;
        if (std::sscanf(name, "psc-ui %f", &value) == 1 && value > 0) {
            fonts.ui = font;
            fonts.pixelRatio = value;
        } else if (std::sscanf(name, "psc-formula %d %f", &style, &value) == 2 && style >= 0 &&
                   style < kFontStyleCount && value > 0) {
            fonts.math[style].push_back({font, value});
        }
    }
    if (!fonts.ui && !atlas.Fonts.empty()) fonts.ui = atlas.Fonts[0];
    for (auto& list : fonts.math)
        std::sort(list.begin(), list.end(), [](auto& a, auto& b) { return a.em < b.em; });
    // Missing faces borrow: italic and bold from upright, upright from the interface font.
    auto& upright = fonts.math[static_cast<int>(FontStyle::Upright)];
    if (upright.empty() && fonts.ui) upright.push_back({fonts.ui, fonts.ui->FontSize});
    for (auto& list : fonts.math)
        if (list.empty()) list = upright;
    return fonts;
}

bool ImGuiFormulaMetrics::hasGlyph(char32_t c, FontStyle style) const {
    if (c > IM_UNICODE_CODEPOINT_MAX) return false;
    const auto& list = fontsFor(m_fonts, style);
    return std::any_of(list.begin(), list.end(), [&](const AtlasFont& f) {
        return f.font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
    });
}

GlyphMetrics ImGuiFormulaMetrics::glyph(char32_t c, FontStyle style, float size) const {
    const AtlasFont* f = pick(m_fonts, style, c, size);
    const ImFontGlyph* g = f ? glyphOf(*f, c) : nullptr;
    if (!g) return {0.5f * size, 0.7f * size, 0, 0, 0.5f * size};
    // Glyph boxes are in atlas pixels from the top of the line; the baseline is at the
    // rounded ascent (ImFontAtlasBuildWithStbTruetype).
    const float k = size / f->em, baseline = std::round(f->font->Ascent);
    return {g->AdvanceX * k, (baseline - g->Y0) * k, (g->Y1 - baseline) * k, g->X0 * k, g->X1 * k};
}

void drawFormula(ImDrawList* draw, ImVec2 topLeft, const FormulaLayout& layout,
                 const FormulaFonts& fonts, ImU32 colour) {
    const float ratio = fonts.pixelRatio;
    // Glyphs drawn at their atlas size stay sharp only on whole device pixels.
    const auto snap = [ratio](float v) { return std::round(v * ratio) / ratio; };
    for (const DrawItem& item : layout.items) {
        if (item.kind == DrawItem::Kind::Rule) {
            const float y0 = snap(topLeft.y + item.y);
            const float height = std::max(1.0f / ratio, snap(item.height));
            draw->AddRectFilled(ImVec2(topLeft.x + item.x, y0),
                                ImVec2(topLeft.x + item.x + item.width, y0 + height), colour);
            continue;
        }
        const AtlasFont* f = pick(fonts, item.style, item.codePoint, item.size);
        const ImFontGlyph* g = f ? glyphOf(*f, item.codePoint) : nullptr;
        if (!g || !g->Visible) continue;
        const float k = item.size / f->em, baseline = std::round(f->font->Ascent);
        const float x = topLeft.x + item.x;
        float y = topLeft.y + item.y;
        if (item.scaleY == 1 && std::abs(k * ratio - 1) < 1e-3f) y = snap(y);
        const ImVec2 p0(x + g->X0 * k, y + (g->Y0 - baseline) * k * item.scaleY);
        const ImVec2 p1(x + g->X1 * k, y + (g->Y1 - baseline) * k * item.scaleY);
        draw->AddImage(f->font->ContainerAtlas->TexID, p0, p1, ImVec2(g->U0, g->V0),
                       ImVec2(g->U1, g->V1), colour);
    }
}

ImGuiFormula layoutImGuiFormula(const std::string& tex, float maxWidth) {
    ImGuiFormula out;
    const ImGuiFormulaMetrics metrics(formulaFonts(*ImGui::GetIO().Fonts));
    try {
        const Formula formula = parseFormula(tex);
        out.layout = layoutFormula(formula, metrics, kFormulaSize);
        if (maxWidth > 0 && out.layout.width > maxWidth)
            out.layout = layoutFormula(formula, metrics,
                                       kFormulaSize * std::max(0.5f, maxWidth / out.layout.width));
        out.size = ImVec2(out.layout.width, out.layout.height());
    } catch (const FormulaError& e) {
        out.error = std::string("formula: ") + e.what();
        out.size =
            ImGui::CalcTextSize(out.error.c_str(), nullptr, false, maxWidth > 0 ? maxWidth : -1.0f);
    }
    return out;
}

void formulaItem(const ImGuiFormula& formula, ImU32 colour) {
    if (!formula.error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 95, 95, 255));
        ImGui::TextWrapped("%s", formula.error.c_str());
        ImGui::PopStyleColor();
        return;
    }
    const ImVec2 at = ImGui::GetCursorScreenPos();
    drawFormula(ImGui::GetWindowDrawList(), ImVec2(std::floor(at.x), std::floor(at.y)),
                formula.layout, formulaFonts(*ImGui::GetIO().Fonts), colour);
    ImGui::Dummy(formula.size);
}

void formulaItem(const std::string& tex, ImU32 colour, float maxWidth) {
    formulaItem(layoutImGuiFormula(tex, maxWidth), colour);
}

} // namespace psc::formula
