// QPainter formulas. Glyphs are drawn one by one as glyph runs of QRawFonts loaded from the very
// files ImGui rasterises: Qt's own font fallback would pick faces the layout did not measure.
#include "app/formula/formula_qpainter.h"

#include <QGlyphRun>
#include <QPainter>

#include <cmath>

namespace psc::formula {
namespace {

constexpr qreal kReferenceSize = 100; // px per em at which metrics are measured

quint32 glyphIndex(const QRawFont& font, char32_t c) {
    const QList<quint32> indexes = font.glyphIndexesForString(QString::fromUcs4(&c, 1));
    return indexes.isEmpty() ? 0 : indexes.front();
}

} // namespace

QPainterFormulaFonts::QPainterFormulaFonts(const FormulaFontFiles& files)
    : m_problem(files.problem) {
    for (int s = 0; s < kFontStyleCount; ++s) {
        for (const FontFile& file : files.math[s]) {
            QRawFont font(QString::fromStdString(file.path), kReferenceSize * file.scale,
                          QFont::PreferNoHinting);
            if (font.isValid())
                m_faces[s].push_back({font, file.scale, file.only});
            else
                m_problem += (m_problem.empty() ? "" : "; ") + file.path + ": Qt cannot read it";
        }
    }
    // A face missing in one style borrows the upright ones, as the window does.
    for (auto& faces : m_faces)
        if (faces.empty()) faces = m_faces[static_cast<int>(FontStyle::Upright)];
}

const QPainterFormulaFonts::Face* QPainterFormulaFonts::faceFor(char32_t c, FontStyle style) const {
    const auto& faces = m_faces[static_cast<int>(style)];
    for (const Face& face : faces)
        if ((face.only.empty() || face.only.find(c) != std::u32string::npos) &&
            face.font.supportsCharacter(c))
            return &face;
    for (const Face& face : faces) // the main face's replacement glyph
        if (face.only.empty()) return &face;
    return nullptr;
}

bool QPainterFormulaFonts::hasGlyph(char32_t c, FontStyle style) const {
    const Face* face = faceFor(c, style);
    return face && face->font.supportsCharacter(c);
}

GlyphMetrics QPainterFormulaFonts::glyph(char32_t c, FontStyle style, float size) const {
    const Face* face = faceFor(c, style);
    if (!face) return {0.5f * size, 0.7f * size, 0, 0, 0.5f * size};
    const quint32 index = glyphIndex(face->font, c);
    const QRectF ink = face->font.boundingRect(index);
    const QList<QPointF> advances = face->font.advancesForGlyphIndexes(QList<quint32>{index});
    const auto k = static_cast<float>(size / kReferenceSize);
    return {static_cast<float>(advances.isEmpty() ? 0 : advances.front().x()) * k,
            static_cast<float>(-ink.top()) * k, static_cast<float>(ink.bottom()) * k,
            static_cast<float>(ink.left()) * k, static_cast<float>(ink.right()) * k};
}

std::pair<QRawFont, quint32> QPainterFormulaFonts::glyphFont(char32_t c, FontStyle style,
                                                             float size) const {
    const Face* face = faceFor(c, style);
    if (!face) return {QRawFont(), 0};
    const auto key = std::make_tuple(static_cast<int>(style),
                                     face - m_faces[static_cast<int>(style)].data(), size);
    auto it = m_sized.find(key);
    if (it == m_sized.end()) {
        QRawFont sized = face->font;
        sized.setPixelSize(size * face->scale);
        it = m_sized.emplace(key, sized).first;
    }
    return {it->second, glyphIndex(it->second, c)};
}

void drawFormula(QPainter& painter, QPointF topLeft, const FormulaLayout& layout,
                 const QPainterFormulaFonts& fonts, const QColor& colour) {
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(colour);
    for (const DrawItem& item : layout.items) {
        const QPointF at = topLeft + QPointF(item.x, item.y);
        if (item.kind == DrawItem::Kind::Rule) {
            painter.fillRect(QRectF(at, QSizeF(item.width, item.height)), colour);
            continue;
        }
        const auto [font, index] = fonts.glyphFont(item.codePoint, item.style, item.size);
        if (!font.isValid()) continue;
        QGlyphRun run;
        run.setRawFont(font);
        run.setGlyphIndexes({index});
        run.setPositions({QPointF(0, 0)});
        painter.save();
        painter.translate(at);
        painter.scale(1, item.scaleY);
        painter.drawGlyphRun(QPointF(0, 0), run);
        painter.restore();
    }
    painter.restore();
}

QImage formulaImage(const std::string& tex, float size, const QColor& colour,
                    const QPainterFormulaFonts& fonts, int margin, FormulaLayout* layout) {
    const FormulaLayout laid = typesetFormula(tex, fonts, size);
    QImage image(static_cast<int>(std::ceil(laid.width)) + 2 * margin,
                 static_cast<int>(std::ceil(laid.height())) + 2 * margin,
                 QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    drawFormula(painter, QPointF(margin, margin), laid, fonts, colour);
    painter.end();
    if (layout) *layout = laid;
    return image;
}

} // namespace psc::formula
