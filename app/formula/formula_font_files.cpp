// Font choice. Formulas are set in CMU Serif (Debian fonts-cmu): Computer Modern, the face of
// LaTeX, so the blackboard looks like the lecturer's slides and the paper; its TrueType files
// are read by ImGui's stb_truetype and by Qt. CMU lacks most of the Mathematical Operators block
// (∑ ∝ ≈ ∞ ≤ ∂ ∇ ∈ …) and draws θ as ϑ. Latin Modern Math (fonts-lmodern), Computer Modern's
// own operators, supplies those in upright style; its math italic lies outside the 16-bit plane
// that ImGui 1.86 can draw, so it cannot be the main face. DejaVu Serif (fonts-dejavu-core, the
// italic from fonts-dejavu-extra) supplies θ and whatever else is missing, scaled to CMU's
// x-height, and DejaVu Sans the last letterlike symbols. Without CMU, DejaVu Serif is the main
// face.
#include "app/formula/formula_font_files.h"

#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>

namespace psc::formula {
namespace {

constexpr const char* kMathFamilies[] = {"CMU Serif", "DejaVu Serif", "DejaVu Sans"};
constexpr const char* kUiFamily = "DejaVu Sans";
constexpr const char* kOperatorFamily = "Latin Modern Math";

bool sameName(const char* a, const char* b) {
    for (; *a && *b; ++a, ++b)
        if (std::tolower(static_cast<unsigned char>(*a)) !=
            std::tolower(static_cast<unsigned char>(*b)))
            return false;
    return *a == *b;
}

// fontconfig always answers with some font; only an answer of the asked family, slant and
// weight, in a format stb_truetype reads, counts.
std::optional<FontFile> match(FcConfig* config, const char* family, FontStyle style) {
    FcPattern* pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, reinterpret_cast<const FcChar8*>(family));
    FcPatternAddInteger(pattern, FC_SLANT,
                        style == FontStyle::Italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
    FcPatternAddInteger(pattern, FC_WEIGHT,
                        style == FontStyle::Bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pattern, FC_WIDTH, FC_WIDTH_NORMAL);
    FcConfigSubstitute(config, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result = FcResultNoMatch;
    FcPattern* found = FcFontMatch(config, pattern, &result);
    FcPatternDestroy(pattern);
    if (!found) return std::nullopt;
    std::optional<FontFile> file;
    bool familyMatches = false;
    FcChar8* name = nullptr;
    for (int i = 0; FcPatternGetString(found, FC_FAMILY, i, &name) == FcResultMatch; ++i)
        familyMatches = familyMatches || sameName(reinterpret_cast<const char*>(name), family);
    int slant = 0, weight = 0, width = FC_WIDTH_NORMAL, index = 0;
    FcPatternGetInteger(found, FC_SLANT, 0, &slant);
    FcPatternGetInteger(found, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(found, FC_WIDTH, 0, &width);
    FcPatternGetInteger(found, FC_INDEX, 0, &index);
    FcChar8* format = nullptr;
    FcChar8* path = nullptr;
    const bool readable = FcPatternGetString(found, FC_FONTFORMAT, 0, &format) == FcResultMatch &&
                          (sameName(reinterpret_cast<const char*>(format), "TrueType") ||
                           sameName(reinterpret_cast<const char*>(format), "CFF")) &&
                          FcPatternGetString(found, FC_FILE, 0, &path) == FcResultMatch;
    const bool styleMatches = (style == FontStyle::Italic) == (slant >= FC_SLANT_ITALIC) &&
                              (style == FontStyle::Bold) == (weight >= FC_WEIGHT_DEMIBOLD) &&
                              width == FC_WIDTH_NORMAL;
    if (familyMatches && styleMatches && readable) {
        const std::string p = reinterpret_cast<const char*>(path);
        file.emplace();
        file->path = p;
        file->index = index;
        file->emPerHeight = emPerHeight(p, index);
        if (file->emPerHeight <= 0) file.reset();
    }
    FcPatternDestroy(found);
    return file;
}

// Big-endian fields of an sfnt file (TrueType or OpenType), one face of it.
class SfntReader {
public:
    SfntReader(const std::string& path, int index) : m_in(path, std::ios::binary) {
        if (read(0, 4) == 0x74746366) { // 'ttcf': a collection
            if (index < 0 || static_cast<std::uint32_t>(index) >= read(8, 4)) return;
            m_face = read(12 + 4 * index, 4);
        }
        const std::uint32_t tables = read(m_face + 4, 2);
        for (std::uint32_t i = 0; i < tables && i < 256; ++i) {
            const std::streamoff record = m_face + 12 + 16 * static_cast<std::streamoff>(i);
            m_tables.emplace_back(read(record, 4), read(record + 8, 4));
        }
    }

    // A table's offset in the file; 0 when the face has none.
    std::uint32_t table(const char (&tag)[5]) const {
        const std::uint32_t t = (std::uint32_t(std::uint8_t(tag[0])) << 24) |
                                (std::uint32_t(std::uint8_t(tag[1])) << 16) |
                                (std::uint32_t(std::uint8_t(tag[2])) << 8) | std::uint8_t(tag[3]);
        for (const auto& [name, offset] : m_tables)
            if (name == t) return offset;
        return 0;
    }

    std::uint32_t read(std::streamoff at, int bytes) {
        m_in.clear();
        m_in.seekg(at);
        std::uint32_t value = 0;
        for (int i = 0; i < bytes; ++i)
            value = (value << 8) | static_cast<std::uint8_t>(m_in.get());
        return m_in ? value : 0;
    }
    std::int16_t readSigned(std::streamoff at) { return static_cast<std::int16_t>(read(at, 2)); }

    // The glyph of a code point through the (3,1) or (0,x) format-4 cmap; 0 when none.
    std::uint32_t glyphIndex(std::uint16_t c) {
        const std::uint32_t cmap = table("cmap");
        if (!cmap) return 0;
        std::uint32_t sub = 0;
        for (std::uint32_t i = 0, n = read(cmap + 2, 2); i < n && i < 64; ++i) {
            const std::uint32_t platform = read(cmap + 4 + 8 * i, 2);
            const std::uint32_t encoding = read(cmap + 6 + 8 * i, 2);
            const std::uint32_t offset = cmap + read(cmap + 8 + 8 * i, 4);
            if ((platform == 3 && encoding == 1) || platform == 0)
                if (read(offset, 2) == 4) sub = offset;
        }
        if (!sub) return 0;
        const std::uint32_t segments = read(sub + 6, 2) / 2;
        const std::uint32_t ends = sub + 14, starts = ends + 2 * segments + 2;
        const std::uint32_t deltas = starts + 2 * segments, ranges = deltas + 2 * segments;
        for (std::uint32_t i = 0; i < segments; ++i) {
            if (read(ends + 2 * i, 2) < c) continue;
            const std::uint32_t first = read(starts + 2 * i, 2);
            if (first > c) return 0;
            const std::uint32_t delta = read(deltas + 2 * i, 2), range = read(ranges + 2 * i, 2);
            if (range == 0) return (c + delta) & 0xFFFF;
            const std::uint32_t g = read(ranges + 2 * i + range + 2 * (c - first), 2);
            return g ? (g + delta) & 0xFFFF : 0;
        }
        return 0;
    }

private:
    std::ifstream m_in;
    std::streamoff m_face = 0;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> m_tables;
};

} // namespace

float emPerHeight(const std::string& path, int index) {
    SfntReader font(path, index);
    const std::uint32_t head = font.table("head"), hhea = font.table("hhea");
    if (!head || !hhea) return 0;
    const auto unitsPerEm = static_cast<float>(font.read(head + 18, 2));
    const float height = static_cast<float>(font.readSigned(hhea + 4) - font.readSigned(hhea + 6));
    return unitsPerEm > 0 && height > 0 ? unitsPerEm / height : 0;
}

float xHeight(const std::string& path, int index) {
    SfntReader font(path, index);
    const std::uint32_t head = font.table("head"), loca = font.table("loca");
    const std::uint32_t glyf = font.table("glyf");
    if (!head || !loca || !glyf) return 0;
    const std::uint32_t glyph = font.glyphIndex('x');
    if (!glyph) return 0;
    const bool longOffsets = font.readSigned(head + 50) == 1;
    const std::uint32_t offset =
        longOffsets ? font.read(loca + 4 * glyph, 4) : 2 * font.read(loca + 2 * glyph, 2);
    const auto unitsPerEm = static_cast<float>(font.read(head + 18, 2));
    const float yMax = font.readSigned(glyf + offset + 8);
    return unitsPerEm > 0 && yMax > 0 ? yMax / unitsPerEm : 0;
}

FormulaFontFiles findFormulaFontFiles() {
    FormulaFontFiles files;
    FcConfig* config = FcInitLoadConfigAndFonts();
    if (!config) {
        files.problem = "fontconfig could not load its configuration: formulas and the "
                        "interface use ImGui's built-in font";
        return files;
    }
    if (auto ui = match(config, kUiFamily, FontStyle::Upright)) files.ui.push_back(*ui);
    constexpr int kFamilies = std::size(kMathFamilies);
    std::optional<FontFile> found[kFamilies][kFontStyleCount];
    int main = -1; // the first family with all three styles; the others only fill gaps
    for (int f = 0; f < kFamilies; ++f) {
        bool all = true;
        for (int s = 0; s < kFontStyleCount; ++s) {
            found[f][s] = match(config, kMathFamilies[f], static_cast<FontStyle>(s));
            all = all && found[f][s];
        }
        if (all && main < 0) main = f;
    }
    if (main >= 0) files.mathFamily = kMathFamilies[main];
    for (int s = 0; s < kFontStyleCount; ++s) {
        std::vector<FontFile>& faces = files.math[s];
        if (main >= 0) faces.push_back(*found[main][s]);
        for (int f = 0; f < kFamilies; ++f)
            if (f != main && found[f][s]) faces.push_back(*found[f][s]);
        if (faces.empty()) continue;
        if (main == 0 && s == static_cast<int>(FontStyle::Upright))
            if (auto operators = match(config, kOperatorFamily, FontStyle::Upright))
                faces.insert(faces.begin() + 1, *operators);
        // DejaVu's x-height is a fifth larger than Computer Modern's: unscaled, its ∝ ≈ ∞ and
        // Greek look a size too big and too heavy beside CMU's letters.
        const float mainX = xHeight(faces.front().path, faces.front().index);
        for (std::size_t i = 1; i < faces.size(); ++i) {
            const float x = xHeight(faces[i].path, faces[i].index);
            if (mainX > 0 && x > 0) faces[i].scale = std::clamp(mainX / x, 0.7f, 1.3f);
        }
        if (main == 0 && faces.size() > 1) {
            FontFile greek = faces[1];
            greek.only = std::u32string(kMathGreekForms);
            faces.insert(faces.begin(), greek);
        }
    }
    FcConfigDestroy(config);
    if (files.ui.empty())
        files.problem = "DejaVu Sans (fonts-dejavu-core) not found: the interface uses ImGui's "
                        "built-in font, which has no Greek";
    const std::string preferred = kMathFamilies[0];
    if (files.mathFamily != preferred) {
        if (!files.problem.empty()) files.problem += "; ";
        files.problem += preferred + " (fonts-cmu) not found: formulas use " +
                         (files.mathFamily.empty() ? std::string("whatever fonts were found")
                                                   : files.mathFamily);
    }
    return files;
}

} // namespace psc::formula
