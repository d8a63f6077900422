// TeX's math layout (TeXbook, Appendix G), simplified: styles D/T/S/SS with cramping, the
// inter-atom spacing table, scripts (rule 18), fractions (15), radicals (11), accents (12), big
// operators with limits (13) and \left…\right (19). The font parameters are Computer Modern's
// (cmsy10/cmex10, in em), except the x-height and the axis, which are measured in the font in use
// so that fraction bars line up with its minus sign.
#include "app/formula/formula.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace psc::formula {
namespace {

// σ and ξ parameters of cmsy10 and cmex10, in em.
constexpr float kNum1 = 0.677f, kNum2 = 0.394f, kDenom1 = 0.686f, kDenom2 = 0.345f;
constexpr float kSup1 = 0.413f, kSup2 = 0.363f, kSup3 = 0.289f, kSub1 = 0.15f, kSub2 = 0.247f;
constexpr float kSupDrop = 0.386f, kSubDrop = 0.05f;
constexpr float kBigOpSpacing1 = 0.111f, kBigOpSpacing2 = 0.167f, kBigOpSpacing3 = 0.2f,
                kBigOpSpacing4 = 0.6f, kBigOpSpacing5 = 0.1f;
constexpr float kScriptSpace = 0.05f, kNullDelimiterSpace = 0.12f, kDelimiterShortfall = 0.5f;
// TeX asks for 90.1% of the body's height and then takes the next of its discrete delimiter
// sizes, which is mostly taller; a glyph stretched to exactly the asked size needs all of it.
constexpr float kDelimiterFactor = 1.0f;
// Display-style big operators (∑ in cmex10's second size) are about 1.4 times the text ones.
constexpr float kDisplayOperatorScale = 1.4f;

enum class Level { Display, Text, Script, ScriptScript };

struct Style {
    Level level = Level::Display;
    bool cramped = false;
};

Style superscriptOf(Style s) {
    return {s.level <= Level::Text ? Level::Script : Level::ScriptScript, s.cramped};
}
Style subscriptOf(Style s) {
    return {superscriptOf(s).level, true};
}
Style numeratorOf(Style s) {
    return {s.level == Level::Display ? Level::Text
            : s.level == Level::Text  ? Level::Script
                                      : Level::ScriptScript,
            s.cramped};
}
Style denominatorOf(Style s) {
    return {numeratorOf(s).level, true};
}
Style crampedOf(Style s) {
    return {s.level, true};
}
bool isScript(Style s) {
    return s.level >= Level::Script;
}

// TeX's spacing between atom classes, in mu (1/18 em): negative entries apply only outside
// scripts.
constexpr int kSpacing[8][8] = {
    // Ord Op  Bin Rel Open Close Punct Inner
    {0, 3, -4, -5, 0, 0, 0, -3},     // Ord
    {3, 3, 0, -5, 0, 0, 0, -3},      // Op
    {-4, -4, 0, 0, -4, 0, 0, -4},    // Bin
    {-5, -5, 0, 0, -5, 0, 0, -5},    // Rel
    {0, 0, 0, 0, 0, 0, 0, 0},        // Open
    {0, 3, -4, -5, 0, 0, 0, -3},     // Close
    {-3, -3, 0, -3, -3, -3, -3, -3}, // Punct
    {-3, 3, -4, -5, -3, 0, -3, -3},  // Inner
};

struct Box {
    float width = 0, height = 0, depth = 0;
    float italic = 0;            // italic correction of a lone character
    std::vector<DrawItem> items; // origin on the baseline at the left edge, y down

    // Puts `b` with its origin at (x, dy below this baseline), growing height and depth.
    void place(const Box& b, float x, float dy) {
        for (DrawItem item : b.items) {
            item.x += x;
            item.y += dy;
            items.push_back(item);
        }
        height = std::max(height, b.height - dy);
        depth = std::max(depth, b.depth + dy);
    }
    void shiftDown(float dy) {
        for (DrawItem& item : items) item.y += dy;
        height -= dy;
        depth += dy;
    }
};

DrawItem rule(float x, float y, float width, float height) {
    DrawItem item;
    item.kind = DrawItem::Kind::Rule;
    item.x = x, item.y = y, item.width = width, item.height = height;
    return item;
}

class Typesetter {
public:
    Typesetter(const FormulaMetrics& metrics, float size) : m_metrics(metrics), m_size(size) {
        // Measured once at size 1 em and scaled: glyph metrics are linear in size.
        if (m_metrics.hasGlyph('x', FontStyle::Italic))
            m_xHeight = m_metrics.glyph('x', FontStyle::Italic, size).ascent / size;
        for (char32_t c : {U'−', U'+'}) {
            if (!m_metrics.hasGlyph(c, FontStyle::Upright)) continue;
            const GlyphMetrics g = m_metrics.glyph(c, FontStyle::Upright, size);
            m_axis = (g.ascent - g.descent) / 2 / size;
            break;
        }
    }

    std::set<char32_t> missing;

    Box list(const NodeList& nodes, Style s) {
        const std::vector<AtomClass> classes = effectiveClasses(nodes);
        Box out;
        int previous = -1;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const Node& n = nodes[i];
            if (n.kind == Node::Kind::Space) {
                out.width += n.space * em(s);
                continue;
            }
            if (previous >= 0) {
                const int mu = kSpacing[previous][static_cast<int>(classes[i])];
                if (mu > 0 || !isScript(s)) out.width += std::abs(mu) / 18.0f * em(s);
            }
            const Box b = atom(n, s);
            out.place(b, out.width, 0);
            out.width += b.width;
            previous = static_cast<int>(classes[i]);
        }
        return out;
    }

private:
    const FormulaMetrics& m_metrics;
    float m_size;
    float m_xHeight = 0.431f, m_axis = 0.25f;

    float em(Style s) const {
        return m_size * (s.level == Level::Script         ? 0.7f
                         : s.level == Level::ScriptScript ? 0.5f
                                                          : 1.0f);
    }
    float xHeight(Style s) const { return m_xHeight * em(s); }
    float axis(Style s) const { return m_axis * em(s); }
    // At least a pixel: thinner bars vanish on screen.
    float ruleThickness(Style s) const { return std::max(1.0f, 0.045f * em(s)); }

    // Rule of TeX's Appendix G, 5: a binary operator with nothing to operate on is ordinary.
    static std::vector<AtomClass> effectiveClasses(const NodeList& nodes) {
        std::vector<AtomClass> classes(nodes.size(), AtomClass::Ord);
        int previous = -1;
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            if (nodes[i].kind == Node::Kind::Space) continue;
            AtomClass c = nodes[i].atom;
            const AtomClass before = previous >= 0 ? classes[previous] : AtomClass::Op;
            if (c == AtomClass::Bin &&
                (before == AtomClass::Bin || before == AtomClass::Op || before == AtomClass::Rel ||
                 before == AtomClass::Open || before == AtomClass::Punct))
                c = AtomClass::Ord;
            if ((c == AtomClass::Rel || c == AtomClass::Close || c == AtomClass::Punct) &&
                previous >= 0 && classes[previous] == AtomClass::Bin)
                classes[previous] = AtomClass::Ord;
            classes[i] = c;
            previous = static_cast<int>(i);
        }
        if (previous >= 0 && classes[previous] == AtomClass::Bin)
            classes[previous] = AtomClass::Ord;
        return classes;
    }

    GlyphMetrics measure(char32_t c, FontStyle style, float size) {
        if (!m_metrics.hasGlyph(c, style)) missing.insert(c);
        return m_metrics.glyph(c, style, size);
    }

    Box character(char32_t c, FontStyle style, float size) {
        const GlyphMetrics g = measure(c, style, size);
        Box b;
        b.width = g.advance;
        b.height = std::max(0.0f, g.ascent);
        b.depth = std::max(0.0f, g.descent);
        if (style == FontStyle::Italic) b.italic = std::max(0.0f, g.inkRight - g.advance);
        DrawItem item;
        item.codePoint = c;
        item.style = style;
        item.size = size;
        b.items.push_back(item);
        return b;
    }

    Box text(const std::u32string& s, Style style) {
        Box out;
        for (char32_t c : s) {
            const Box b = character(c, FontStyle::Upright, em(style));
            out.place(b, out.width, 0);
            out.width += b.width;
        }
        return out;
    }

    Box atom(const Node& n, Style s) {
        Box nucleus;
        bool isCharacter = false;
        switch (n.kind) {
        case Node::Kind::Char:
            if (n.large) return bigOperator(n, s);
            nucleus = character(n.glyph, n.style, em(s));
            isCharacter = true;
            break;
        case Node::Kind::Text:
            nucleus = text(n.text, s);
            if (n.atom == AtomClass::Op && n.limits && s.level == Level::Display)
                return limits(std::move(nucleus), n, s);
            break;
        case Node::Kind::Group:
            nucleus = list(n.body, s);
            break;
        case Node::Kind::Fraction:
            nucleus = fraction(n, s);
            break;
        case Node::Kind::Radical:
            nucleus = radical(n, s);
            break;
        case Node::Kind::Accent:
            nucleus = accent(n, s);
            break;
        case Node::Kind::Fenced:
            nucleus = fenced(n, s);
            break;
        case Node::Kind::Space:
            break;
        }
        return scripts(std::move(nucleus), n, s, isCharacter);
    }

    // Rule 18: superscripts up by at least sup1–3, subscripts down by sub1–2, apart by 4θ.
    Box scripts(Box nucleus, const Node& n, Style s, bool isCharacter) {
        if (!n.hasSub && !n.hasSup) {
            nucleus.width += nucleus.italic;
            return nucleus;
        }
        const Style supStyle = superscriptOf(s), subStyle = subscriptOf(s);
        float u = isCharacter ? 0 : nucleus.height - kSupDrop * em(supStyle);
        float v = isCharacter ? 0 : nucleus.depth + kSubDrop * em(subStyle);
        const float e = em(s), xh = xHeight(s);
        Box sup, sub;
        if (n.hasSup) {
            sup = list(n.sup, supStyle);
            const float p = s.cramped ? kSup3 : s.level == Level::Display ? kSup1 : kSup2;
            u = std::max({u, p * e, sup.depth + 0.25f * xh});
        }
        if (n.hasSub) {
            sub = list(n.sub, subStyle);
            if (!n.hasSup) {
                v = std::max({v, kSub1 * e, sub.height - 0.8f * xh});
            } else {
                v = std::max(v, kSub2 * e);
                const float theta = ruleThickness(s);
                if ((u - sup.depth) - (sub.height - v) < 4 * theta) {
                    v = 4 * theta - (u - sup.depth) + sub.height;
                    const float psi = 0.8f * xh - (u - sup.depth);
                    if (psi > 0) u += psi, v -= psi;
                }
            }
        }
        Box out = std::move(nucleus);
        // The italic correction separates the superscript only: a subscript tucks under.
        const float base = out.width;
        float right = base;
        if (n.hasSup) {
            out.place(sup, base + out.italic, -u);
            right = std::max(right, base + out.italic + sup.width);
        }
        if (n.hasSub) {
            out.place(sub, base, v);
            right = std::max(right, base + sub.width);
        }
        out.width = right + kScriptSpace * e;
        out.italic = 0;
        return out;
    }

    // Rule 13: ∑ ∏ ∫ bigger in display style and centred on the axis.
    Box bigOperator(const Node& n, Style s) {
        const float scale = s.level == Level::Display ? kDisplayOperatorScale : 1.0f;
        Box op = character(n.glyph, FontStyle::Upright, em(s) * scale);
        op.shiftDown((op.height - op.depth) / 2 - axis(s));
        if (n.limits && s.level == Level::Display) return limits(std::move(op), n, s);
        return scripts(std::move(op), n, s, false);
    }

    // Rule 13a: the scripts centred above and below the operator.
    Box limits(Box op, const Node& n, Style s) {
        const float e = em(s);
        Box sup = n.hasSup ? list(n.sup, superscriptOf(s)) : Box{};
        Box sub = n.hasSub ? list(n.sub, subscriptOf(s)) : Box{};
        const float width = std::max({op.width, sup.width, sub.width});
        Box out;
        out.place(op, (width - op.width) / 2, 0);
        if (n.hasSup) {
            const float gap = std::max(kBigOpSpacing1 * e, kBigOpSpacing3 * e - sup.depth);
            out.place(sup, (width - sup.width) / 2, -(op.height + gap + sup.depth));
            out.height += kBigOpSpacing5 * e;
        }
        if (n.hasSub) {
            const float gap = std::max(kBigOpSpacing2 * e, kBigOpSpacing4 * e - sub.height);
            out.place(sub, (width - sub.width) / 2, op.depth + gap + sub.height);
            out.depth += kBigOpSpacing5 * e;
        }
        out.width = width;
        return out;
    }

    // Rule 15: numerator and denominator clear of the bar on the axis by φ.
    Box fraction(const Node& n, Style s) {
        const Style f = n.display       ? Style{Level::Display, s.cramped}
                        : n.inlineStyle ? Style{std::max(Level::Text, s.level), s.cramped}
                                        : s;
        const Box num = list(n.body, numeratorOf(f)), den = list(n.second, denominatorOf(f));
        const bool display = f.level == Level::Display;
        const float e = em(f), theta = ruleThickness(f), a = axis(f);
        float u = (display ? kNum1 : kNum2) * e, v = (display ? kDenom1 : kDenom2) * e;
        const float phi = display ? 3 * theta : theta;
        u += std::max(0.0f, phi - ((u - num.depth) - (a + theta / 2)));
        v += std::max(0.0f, phi - ((a - theta / 2) - (den.height - v)));
        const float width = std::max(num.width, den.width), pad = kNullDelimiterSpace * e;
        Box out;
        out.place(num, pad + (width - num.width) / 2, -u);
        out.place(den, pad + (width - den.width) / 2, v);
        out.items.push_back(rule(pad, -(a + theta / 2), width, theta));
        out.height = std::max(out.height, a + theta / 2);
        out.width = width + 2 * pad;
        return out;
    }

    // Rule 11: the radicand under a bar θ thick, ψ above it; √ stretched to reach the bar.
    Box radical(const Node& n, Style s) {
        const Box body = list(n.body, crampedOf(s));
        const float e = em(s), theta = ruleThickness(s);
        const float phi = s.level == Level::Display ? xHeight(s) : theta;
        float clearance = theta + phi / 4;
        const GlyphMetrics g = measure(U'√', FontStyle::Upright, e);
        const float natural = std::max(g.ascent + g.descent, 1e-3f * e);
        const float needed = body.height + body.depth + clearance + theta;
        float scaleY = 1;
        if (needed > natural)
            scaleY = needed / natural;
        else
            clearance += (natural - needed) / 2;
        const float top = body.height + clearance + theta; // of the bar, above the baseline
        DrawItem sign;
        sign.codePoint = U'√';
        sign.size = e;
        sign.scaleY = scaleY;
        sign.y = scaleY * g.ascent - top;
        Box out;
        out.items.push_back(sign);
        out.height = top;
        out.depth = std::max(body.depth, scaleY * (g.ascent + g.descent) - top);
        const float barX = std::max(g.inkRight, 0.5f * g.advance);
        out.place(body, barX, 0);
        out.items.push_back(rule(barX, -top, body.width, theta));
        out.height = std::max(out.height, top + theta);
        out.width = barX + body.width;
        if (!n.second.empty()) {
            // \sqrt[n]: the index in scriptscript style, raised 60% of the radical's height,
            // kerned 5 mu before and −10 mu after as plain TeX's \root does.
            const Box index = list(n.second, {Level::ScriptScript, false});
            const float before = 5 / 18.0f * e, after = -10 / 18.0f * e;
            const float shift = std::max(0.0f, before + index.width + after);
            Box rooted;
            rooted.place(index, before, -0.6f * (out.height - out.depth) - index.depth);
            rooted.place(out, shift, 0);
            rooted.width = shift + out.width;
            return rooted;
        }
        return out;
    }

    // Rule 12, by the ink: the accent just above the nucleus (or the x-height), centred and
    // skewed right over an italic letter.
    Box accent(const Node& n, Style s) {
        Box body = list(n.body, crampedOf(s));
        const float e = em(s), theta = ruleThickness(s);
        const bool italicLetter = n.body.size() == 1 && n.body[0].kind == Node::Kind::Char &&
                                  n.body[0].style == FontStyle::Italic;
        const float skew = italicLetter ? 0.12f * body.height : 0;
        if (n.glyph == 0) {
            body.items.push_back(rule(skew, -(body.height + 3 * theta), body.width, theta));
            body.height += 4 * theta;
            return body;
        }
        const float size = n.glyph == U'→' ? 0.7f * e : e;
        const GlyphMetrics g = measure(n.glyph, FontStyle::Upright, size);
        const float bottom = std::max(body.height, xHeight(s)) + 0.07f * e;
        DrawItem mark;
        mark.codePoint = n.glyph;
        mark.size = size;
        mark.x = body.width / 2 + skew - (g.inkLeft + g.inkRight) / 2;
        mark.y = -(bottom + g.descent);
        body.items.push_back(mark);
        body.height = std::max(body.height, bottom + g.descent + g.ascent);
        return body;
    }

    // Rule 19: delimiters covering the body symmetrically about the axis.
    Box fenced(const Node& n, Style s) {
        const Box body = list(n.body, s);
        const float e = em(s), a = axis(s);
        float height = n.space * e;
        if (n.space <= 0) {
            const float reach = std::max(body.height - a, body.depth + a);
            height = std::max(2 * reach * kDelimiterFactor, 2 * reach - kDelimiterShortfall * e);
        }
        Box out;
        const Box left = delimiter(n.left, height, s);
        out.place(left, 0, 0);
        out.place(body, left.width, 0);
        // \big( has no partner and no body.
        const Box right = n.space > 0 ? Box{} : delimiter(n.right, height, s);
        out.place(right, left.width + body.width, 0);
        out.width = left.width + body.width + right.width;
        return out;
    }

    // The glyph at its own size when tall enough; else somewhat bigger (heavier strokes, as
    // TeX's larger delimiters are) and stretched to `height`, centred on the axis.
    Box delimiter(char32_t c, float height, Style s) {
        const float e = em(s), a = axis(s);
        Box b;
        if (c == 0) {
            b.width = kNullDelimiterSpace * e;
            return b;
        }
        const GlyphMetrics natural = measure(c, FontStyle::Upright, e);
        const float naturalHeight = natural.ascent + natural.descent;
        if (height <= naturalHeight || naturalHeight <= 0)
            return character(c, FontStyle::Upright, e);
        const float size = e * std::min(1.3f, std::sqrt(height / naturalHeight));
        const GlyphMetrics g = measure(c, FontStyle::Upright, size);
        DrawItem item;
        item.codePoint = c;
        item.size = size;
        item.scaleY = height / std::max(g.ascent + g.descent, 1e-3f * e);
        item.y = -(a + height / 2 - item.scaleY * g.ascent);
        b.items.push_back(item);
        b.width = g.advance;
        b.height = a + height / 2;
        b.depth = height / 2 - a;
        return b;
    }
};

} // namespace

FormulaLayout layoutFormula(const Formula& formula, const FormulaMetrics& metrics, float size,
                            bool display) {
    FormulaLayout out;
    if (!(size > 0) || !std::isfinite(size)) return out;
    Typesetter typesetter(metrics, size);
    const Style style{display ? Level::Display : Level::Text, false};
    std::vector<Box> lines;
    for (const NodeList& line : formula.lines) {
        lines.push_back(typesetter.list(line, style));
        out.width = std::max(out.width, lines.back().width);
    }
    float baseline = 0, bottom = 0;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const Box& line = lines[i];
        if (i == 0)
            baseline = line.height;
        else
            baseline = std::max(baseline + 1.5f * size, bottom + 0.4f * size + line.height);
        for (DrawItem item : line.items) {
            item.x += (out.width - line.width) / 2;
            item.y += baseline;
            out.items.push_back(item);
        }
        bottom = baseline + line.depth;
    }
    out.ascent = lines.empty() ? 0 : lines.front().height;
    out.descent = bottom - out.ascent;
    out.missing.assign(typesetter.missing.begin(), typesetter.missing.end());
    return out;
}

} // namespace psc::formula
