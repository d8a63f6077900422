// Formulas drawn with QPainter (captions of exported videos and images): the same font files as
// the window (formula_font_files.h) read as QRawFont, the same layout. Needs a QGuiApplication;
// an object is not thread-safe (it caches fonts per size), so each thread makes its own.
#pragma once

#include "app/formula/formula.h"
#include "app/formula/formula_font_files.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QRawFont>

#include <cstddef>
#include <map>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

class QPainter;

namespace psc::formula {

class QPainterFormulaFonts : public FormulaMetrics {
public:
    QPainterFormulaFonts() : QPainterFormulaFonts(findFormulaFontFiles()) {}
    explicit QPainterFormulaFonts(const FormulaFontFiles& files);

    bool hasGlyph(char32_t codePoint, FontStyle style) const override;
    GlyphMetrics glyph(char32_t codePoint, FontStyle style, float size) const override;

    // The font (at `size` px per em) and glyph index that draw a code point; an invalid font
    // when no face has it and none could be loaded.
    std::pair<QRawFont, quint32> glyphFont(char32_t codePoint, FontStyle style, float size) const;

    // Fonts that were not found, from fontconfig or from Qt; empty when all were.
    const std::string& problem() const { return m_problem; }

private:
    // Faces per style in order of preference, each at its scale of a reference size for
    // metrics (linear in size: the fonts are not hinted).
    struct Face {
        QRawFont font;
        float scale = 1;
        std::u32string only;
    };
    std::vector<Face> m_faces[kFontStyleCount];
    mutable std::map<std::tuple<int, std::ptrdiff_t, float>, QRawFont> m_sized; // style, face

    std::string m_problem;

    const Face* faceFor(char32_t codePoint, FontStyle style) const;
};

// Draws `layout` with its top left at `topLeft`; antialiased.
void drawFormula(QPainter& painter, QPointF topLeft, const FormulaLayout& layout,
                 const QPainterFormulaFonts& fonts, const QColor& colour);

// A transparent image of the formula at `size` px per em with `margin` pixels around it; the
// layout (relative to the image's top left, offset by the margin) in *layout when given.
// Throws FormulaError.
QImage formulaImage(const std::string& tex, float size, const QColor& colour,
                    const QPainterFormulaFonts& fonts, int margin = 0,
                    FormulaLayout* layout = nullptr);

} // namespace psc::formula
