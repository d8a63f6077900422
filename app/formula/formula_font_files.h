// The font files formulas and the UI are drawn with, found through fontconfig (no hard-coded
// paths), shared by the ImGui and QPainter renderers so that both lay out alike.
#pragma once

#include "app/formula/formula.h"

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace psc::formula {

// Computer Modern Unicode draws θ as ϑ, the form of Greek text, which mathematics uses as a
// different symbol; θ comes from the next face.
inline constexpr std::u32string_view kMathGreekForms = U"θ";

struct FontFile {
    std::string path;
    int index = 0; // face within a collection
    // unitsPerEm / (ascender − descender) of the file's hhea table: ImGui sizes fonts by that
    // height, formulas by the em. 0 when the file could not be read.
    float emPerHeight = 0;
    // The face is drawn this many em per formula em: a face that fills in for the main one is
    // scaled to the main face's x-height, so that its letters and operators match in size.
    float scale = 1;
    std::u32string only; // when not empty, the face draws only these code points
};

struct FormulaFontFiles {
    std::vector<FontFile> ui; // DejaVu Sans, or nothing
    // Per FontStyle, in order of preference for each code point: faces with `only` first (they
    // override the main face for those), the main math face, then faces that supply glyphs it
    // lacks.
    std::array<std::vector<FontFile>, kFontStyleCount> math;
    std::string mathFamily; // the main math family found; empty when none was
    std::string problem;    // what is missing and what is used instead; empty when all was found
};

// Asks fontconfig (a configuration of its own, so any thread may call it). Formulas prefer CMU
// Serif, then DejaVu Serif, then DejaVu Sans, with Latin Modern Math for operators when it is
// installed; see the .cpp for why. Never throws.
FormulaFontFiles findFormulaFontFiles();

// The em of a TrueType/OpenType file per unit of ImGui's font height; 0 when unreadable.
float emPerHeight(const std::string& path, int index);

// The height of the file's 'x' in em, from its glyf table; 0 when unknown (CFF outlines).
float xHeight(const std::string& path, int index);

} // namespace psc::formula
