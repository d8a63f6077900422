// Lesson formulas: every shipped formula parses and lays out with the window's real fonts and no
// missing glyph (and that check fails on an unknown command or a glyph the fonts lack); layout
// oracles (fractions, scripts, spacing, radicals, delimiters); parse errors with their offsets;
// ImGui and QPainter drawing put ink inside the reported box; a broken formula fails its lesson.
#include "app/formula/formula.h"
#include "app/formula/formula_imgui.h"
#include "app/formula/formula_qpainter.h"
#include "app/formula/formula_symbols.h"
#include "app/scene/lesson.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <imgui.h>

#include <algorithm>
#include <vector>

using namespace psc;
using namespace psc::formula;

namespace {

constexpr float kSize = 20;

// Each test owns its ImGui context, fonts loaded as the window loads them, atlas built.
struct ImGuiFonts {
    ImGuiContext* context = nullptr;
    FormulaFonts loaded;

    ImGuiFonts() {
        context = ImGui::CreateContext();
        ImGui::GetIO().IniFilename = nullptr; // no imgui.ini in the working directory
        loaded = loadFonts(ImGui::GetIO(), 1.0f);
        unsigned char* pixels = nullptr;
        int width = 0, height = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    }
    ~ImGuiFonts() { ImGui::DestroyContext(context); }
    ImGuiFonts(const ImGuiFonts&) = delete;
    ImGuiFonts& operator=(const ImGuiFonts&) = delete;

    ImGuiFormulaMetrics metrics() const {
        return ImGuiFormulaMetrics(formulaFonts(*ImGui::GetIO().Fonts));
    }
};

// Monospaced boxes without italic corrections: exact arithmetic for the oracles.
class BoxMetrics : public FormulaMetrics {
public:
    bool hasGlyph(char32_t, FontStyle) const override { return true; }
    GlyphMetrics glyph(char32_t c, FontStyle, float size) const override {
        if (c == U'+' || c == U'−') return {0.8f * size, 0.55f * size, -0.05f, 0.1f, 0.7f * size};
        return {0.5f * size, 0.7f * size, 0.1f * size, 0.05f * size, 0.45f * size};
    }
};

// Why a formula would not show as written: its parse error or the code points the fonts lack.
QString problemWith(const QString& tex, const FormulaMetrics& metrics) {
    try {
        const FormulaLayout layout = typesetFormula(tex.toStdString(), metrics, kSize);
        QStringList missing;
        for (char32_t c : layout.missing)
            missing << QString("U+%1").arg(static_cast<uint>(c), 4, 16, QChar('0')).toUpper();
        if (!missing.isEmpty()) return "the fonts lack " + missing.join(' ');
        if (layout.items.empty()) return "nothing to draw";
        return {};
    } catch (const FormulaError& e) {
        return QString::fromUtf8(e.what());
    }
}

std::vector<DrawItem> glyphs(const FormulaLayout& layout, char32_t c) {
    std::vector<DrawItem> found;
    for (const DrawItem& item : layout.items)
        if (item.kind == DrawItem::Kind::Glyph && item.codePoint == c) found.push_back(item);
    return found;
}

std::vector<DrawItem> rules(const FormulaLayout& layout) {
    std::vector<DrawItem> found;
    for (const DrawItem& item : layout.items)
        if (item.kind == DrawItem::Kind::Rule) found.push_back(item);
    return found;
}

// The ink of a glyph item, in layout coordinates.
QRectF inkOf(const DrawItem& g, const FormulaMetrics& metrics) {
    const GlyphMetrics m = metrics.glyph(g.codePoint, g.style, g.size);
    return QRectF(QPointF(g.x + m.inkLeft, g.y - g.scaleY * m.ascent),
                  QPointF(g.x + m.inkRight, g.y + g.scaleY * m.descent));
}

// The formulas of every lesson that ships, through the project's own loader (which refuses a
// formula that does not parse: that is reported in *error).
QStringList shippedFormulas(QString* error) {
    QStringList paths;
    for (const auto& [title, path] : app::builtinLessons()) paths << path;
    const QString source = qEnvironmentVariable("PSC_SOURCE_DIR");
    if (!source.isEmpty()) {
        const QDir dir(source + "/assets/lessons");
        for (const QString& name : dir.entryList({"*.json"}, QDir::Files))
            paths << dir.filePath(name);
    }
    QStringList formulas;
    for (const QString& path : paths) {
        try {
            const app::Lesson lesson = app::loadLesson(path);
            for (const app::LessonStep& step : lesson.steps)
                if (!step.formula.isEmpty()) formulas << step.formula;
        } catch (const app::LessonError& e) {
            *error += QString::fromUtf8(e.what()) + "\n";
        }
    }
    return formulas;
}

} // namespace

class TestFormula : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void fontsAreFound();
    void shippedFormulasTypesetWithoutMissingGlyphs();
    void everyCommandHasItsGlyphs();
    void theCheckCatchesWhatWouldNotShow_data();
    void theCheckCatchesWhatWouldNotShow();
    void fractionsStackAroundTheBar();
    void scriptsSitBelowAndAboveSmaller();
    void scriptsOfOneNucleusShareTheirX();
    void widthsAddUpWithTexSpacing();
    void radicalBarCoversTheRadicand();
    void delimitersGrowWithTheirContent();
    void limitsGoBelowAndAboveInDisplayStyle();
    void parseErrorsCarryTheOffset_data();
    void parseErrorsCarryTheOffset();
    void qpainterInkStaysInTheBox();
    void imguiItemDrawsInItsBoxAndShowsErrors();
    void withoutFontsImGuiFallsBack();
    void aBrokenFormulaFailsItsLesson();
};

void TestFormula::fontsAreFound() {
    ImGuiFonts imgui;
    QVERIFY2(imgui.loaded.problem.empty(), imgui.loaded.problem.c_str());
    QVERIFY(imgui.loaded.ui);
    for (const auto& list : formulaFonts(*ImGui::GetIO().Fonts).math) QVERIFY(list.size() >= 2);
    QPainterFormulaFonts qt;
    QVERIFY2(qt.problem().empty(), qt.problem().c_str());
}

void TestFormula::shippedFormulasTypesetWithoutMissingGlyphs() {
    QString error;
    const QStringList formulas = shippedFormulas(&error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(formulas.size() >= 8);
    ImGuiFonts imgui;
    const ImGuiFormulaMetrics imguiMetrics = imgui.metrics();
    const QPainterFormulaFonts qtMetrics;
    for (const QString& tex : formulas) {
        const QString viaImGui = problemWith(tex, imguiMetrics);
        QVERIFY2(viaImGui.isEmpty(), qPrintable(tex + ": " + viaImGui));
        const QString viaQt = problemWith(tex, qtMetrics);
        QVERIFY2(viaQt.isEmpty(), qPrintable(tex + ": " + viaQt));
    }
}

void TestFormula::everyCommandHasItsGlyphs() {
    ImGuiFonts imgui;
    const ImGuiFormulaMetrics imguiMetrics = imgui.metrics();
    const QPainterFormulaFonts qtMetrics;
    QStringList commands;
    for (auto names : {detail::symbolCommandNames(), detail::functionNames()})
        for (std::string_view name : names)
            commands << "\\" + QString::fromLatin1(name.data(), static_cast<int>(name.size()));
    commands << R"(\hat{x} \tilde{x} \dot{x} \ddot{x} \vec{x} \bar{x})"
             << R"(\mathbb{R} \mathbb{E} \mathcal{N} \mathbf{v} \text{Ünïcödé})"
             << R"(\left\langle x \right\rangle \left\lfloor \frac{a}{b} \right\rceil \Bigg\|)"
             << "α ∑ √ ∞ ∂ ∇ ≤ ≈ ∝ → ·ᵢ ᴺ⁺ᴰ ₁₂ ² ′ …";
    QStringList missing;
    for (const QString& tex : commands) {
        for (const FormulaMetrics* metrics : {static_cast<const FormulaMetrics*>(&imguiMetrics),
                                              static_cast<const FormulaMetrics*>(&qtMetrics)}) {
            const QString problem = problemWith(tex, *metrics);
            if (!problem.isEmpty()) missing << tex + ": " + problem;
        }
    }
    QVERIFY2(missing.isEmpty(), qPrintable(missing.join("\n")));
}

void TestFormula::theCheckCatchesWhatWouldNotShow_data() {
    QTest::addColumn<QString>("tex");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<bool>("qtToo");
    QTest::newRow("unknown command") << R"(E = \fracc{1}{2})"
                                     << R"(unknown command \fracc at 4)" << true;
    QTest::newRow("unclosed group") << R"(\frac{1}{2)"
                                    << R"(missing } for \frac at 0)" << true;
    QTest::newRow("glyph no font has") << "x = 漢"
                                       << "the fonts lack U+6F22" << true;
    // DejaVu Sans has 𝔼, but ImGui 1.86's 16-bit ImWchar cannot draw it (Qt can).
    QTest::newRow("outside the 16-bit plane") << "𝔼[y]"
                                              << "the fonts lack U+1D53C" << false;
}

void TestFormula::theCheckCatchesWhatWouldNotShow() {
    QFETCH(QString, tex);
    QFETCH(QString, expected);
    QFETCH(bool, qtToo);
    ImGuiFonts imgui;
    QCOMPARE(problemWith(tex, imgui.metrics()), expected);
    if (qtToo) QCOMPARE(problemWith(tex, QPainterFormulaFonts()), expected);
}

void TestFormula::fractionsStackAroundTheBar() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    for (const char* tex :
         {R"(\frac{a}{b})", R"(\frac{x+y}{q})", R"(\tfrac{1}{2})", R"(x^{\frac{a}{b}})"}) {
        const FormulaLayout layout = typesetFormula(tex, metrics, kSize);
        QVERIFY(layout.missing.empty());
        const auto bars = rules(layout);
        QCOMPARE(bars.size(), std::size_t(1));
        const DrawItem bar = bars.front();
        std::vector<DrawItem> top, bottom;
        for (const DrawItem& g : layout.items) {
            // Not the base of x^…: the parts of a fraction sit off the main baseline.
            if (g.kind != DrawItem::Kind::Glyph || qAbs(g.y - layout.ascent) < 1e-3f) continue;
            (g.y < bar.y ? top : bottom).push_back(g);
        }
        QVERIFY(!top.empty() && !bottom.empty());
        for (const DrawItem& g : top) {
            const QRectF ink = inkOf(g, metrics);
            QVERIFY2(ink.bottom() <= bar.y, tex);
            QVERIFY(ink.left() >= bar.x - 1 && ink.right() <= bar.x + bar.width + 1);
        }
        for (const DrawItem& g : bottom) {
            const QRectF ink = inkOf(g, metrics);
            QVERIFY2(ink.top() >= bar.y + bar.height, tex);
            QVERIFY(ink.left() >= bar.x - 1 && ink.right() <= bar.x + bar.width + 1);
        }
        QVERIFY(bar.height >= 1);
    }
}

void TestFormula::scriptsSitBelowAndAboveSmaller() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    const FormulaLayout sub = typesetFormula("x_i", metrics, kSize);
    const DrawItem x = glyphs(sub, 'x').front(), i = glyphs(sub, 'i').front();
    QVERIFY(i.y > x.y);
    QVERIFY(i.size < x.size);
    QVERIFY(i.x >= x.x + metrics.glyph('x', FontStyle::Italic, kSize).advance - 0.01f);
    const FormulaLayout sup = typesetFormula("x^2", metrics, kSize);
    const DrawItem base = glyphs(sup, 'x').front(), two = glyphs(sup, '2').front();
    QVERIFY(two.y < base.y);
    QVERIFY(two.size < base.size);
    QVERIFY(inkOf(two, metrics).bottom() < base.y); // the whole 2 above the baseline
    // Scripts of scripts are smaller still.
    const FormulaLayout nested = typesetFormula("e^{x^2}", metrics, kSize);
    QVERIFY(glyphs(nested, '2').front().size < glyphs(nested, 'x').front().size);
}

void TestFormula::scriptsOfOneNucleusShareTheirX() {
    const BoxMetrics boxes;
    for (const char* tex : {"x_i^2", "x^2_i"}) {
        const FormulaLayout layout = typesetFormula(tex, boxes, kSize);
        const DrawItem i = glyphs(layout, 'i').front(), two = glyphs(layout, '2').front();
        QCOMPARE(i.x, two.x);
        QVERIFY(i.y > glyphs(layout, 'x').front().y && two.y < glyphs(layout, 'x').front().y);
    }
    // With real italics the superscript moves right by the letter's italic correction, as in TeX.
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    const FormulaLayout layout = typesetFormula("x_i^2", metrics, kSize);
    const GlyphMetrics x = metrics.glyph('x', FontStyle::Italic, kSize);
    const float shift = glyphs(layout, '2').front().x - glyphs(layout, 'i').front().x;
    QVERIFY(shift >= 0 && shift <= std::max(0.0f, x.inkRight - x.advance) + 1e-3f);
}

void TestFormula::widthsAddUpWithTexSpacing() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    const auto width = [&](const char* tex) { return typesetFormula(tex, metrics, kSize).width; };
    const float a = width("a"), b = width("b"), plus = width("+"), equals = width("=");
    QVERIFY(a > 0 && b > 0);
    QVERIFY(qAbs(width("ab") - (a + b)) < 1e-3f);
    QVERIFY(qAbs(width("abab") - 2 * (a + b)) < 1e-3f);
    // Medium spaces (4/18 em) around a binary operator, thick ones (5/18) around a relation,
    // none around a unary minus or inside scripts.
    QVERIFY(qAbs(width("a+b") - (a + plus + b + 2 * 4 * kSize / 18)) < 1e-3f);
    QVERIFY(qAbs(width("a=b") - (a + equals + b + 2 * 5 * kSize / 18)) < 1e-3f);
    QVERIFY(qAbs(width("+b") - (plus + b)) < 1e-3f);
    QVERIFY(qAbs(width(R"(a\,b)") - (a + b + 3 * kSize / 18)) < 1e-3f);
    QVERIFY(qAbs(width(R"(a\quad b)") - (a + b + kSize)) < 1e-3f);
}

void TestFormula::radicalBarCoversTheRadicand() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    for (const char* tex : {R"(\sqrt{D})", R"(\sqrt{x+y})", R"(\sqrt{\frac{u}{1-u}})"}) {
        const FormulaLayout layout = typesetFormula(tex, metrics, kSize);
        QVERIFY(layout.missing.empty());
        QCOMPARE(glyphs(layout, U'√').size(), std::size_t(1));
        const DrawItem sign = glyphs(layout, U'√').front();
        const auto bars = rules(layout);
        const DrawItem bar =
            *std::min_element(bars.begin(), bars.end(), [](auto& p, auto& q) { return p.y < q.y; });
        for (const DrawItem& g : layout.items) {
            if (g.kind != DrawItem::Kind::Glyph || g.codePoint == U'√') continue;
            const QRectF ink = inkOf(g, metrics);
            QVERIFY2(ink.top() >= bar.y + bar.height, tex);
            QVERIFY2(ink.left() >= bar.x - 1 && ink.right() <= bar.x + bar.width + 1, tex);
        }
        // The sign reaches up to the bar.
        QVERIFY2(qAbs(inkOf(sign, metrics).top() - bar.y) < 1.0, tex);
    }
}

void TestFormula::delimitersGrowWithTheirContent() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    const FormulaLayout small = typesetFormula(R"(\left( x \right))", metrics, kSize);
    QCOMPARE(glyphs(small, '(').front().scaleY, 1.0f);
    const FormulaLayout tall = typesetFormula(R"(\left( \frac{a}{b} \right)^2)", metrics, kSize);
    const QRectF paren = inkOf(glyphs(tall, '(').front(), metrics);
    QVERIFY(glyphs(tall, ')').front().scaleY > 1.0f);
    QVERIFY(paren.top() <= inkOf(glyphs(tall, 'a').front(), metrics).top() + 1);
    QVERIFY(paren.bottom() >= inkOf(glyphs(tall, 'b').front(), metrics).bottom() - 1);
    QVERIFY(glyphs(tall, '2').front().y < inkOf(glyphs(tall, 'a').front(), metrics).center().y());
}

void TestFormula::limitsGoBelowAndAboveInDisplayStyle() {
    ImGuiFonts imgui;
    const auto metrics = imgui.metrics();
    const FormulaLayout layout = typesetFormula(R"(\sum_{i=1}^{N} q_i)", metrics, kSize);
    const QRectF sum = inkOf(glyphs(layout, U'∑').front(), metrics);
    QVERIFY(inkOf(glyphs(layout, 'N').front(), metrics).bottom() < sum.top());
    QVERIFY(inkOf(glyphs(layout, '1').front(), metrics).top() > sum.bottom());
    // In text style they are scripts to the right.
    const FormulaLayout inlined =
        layoutFormula(parseFormula(R"(\sum_{i=1}^{N})"), metrics, kSize, false);
    QVERIFY(glyphs(inlined, 'N').front().x > glyphs(inlined, U'∑').front().x);
}

void TestFormula::parseErrorsCarryTheOffset_data() {
    QTest::addColumn<QString>("tex");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("offset");
    QTest::newRow("unknown command") << R"(\fracc{1}{2})"
                                     << R"(unknown command \fracc at 0)" << 0;
    QTest::newRow("unclosed argument") << R"(x = \frac{1{2})"
                                       << R"(missing } for \frac at 4)" << 4;
    QTest::newRow("unclosed script") << "a^{b"
                                     << "missing } for ^ at 1" << 1;
    QTest::newRow("unclosed group") << "a {b"
                                    << "missing } for { at 2" << 2;
    QTest::newRow("no right") << R"(\left( x)"
                              << R"(missing \right for \left at 0)" << 0;
    QTest::newRow("right alone") << R"(x \right))"
                                 << R"(\right without \left at 2)" << 2;
    QTest::newRow("double subscript") << "x_1_2"
                                      << "double subscript at 3" << 3;
    QTest::newRow("unmatched brace") << "x }"
                                     << "unmatched } at 2" << 2;
    QTest::newRow("no argument") << R"(\sqrt)"
                                 << R"(missing argument for \sqrt at 0)" << 0;
    QTest::newRow("code points, not bytes") << R"(σ + \foo)"
                                            << R"(unknown command \foo at 4)" << 4;
    QTest::newRow("too deep") << QString(40, '{') << "groups nested deeper than 32 at 31" << 31;
    QTest::newRow("comment sign") << "100 %"
                                  << "unsupported character % at 4" << 4;
    QTest::newRow("text with a command") << R"(\text{a \alpha})"
                                         << R"(commands inside \text at 8)" << 8;
    QTest::newRow("new line in a group") << R"({a \\ b})"
                                         << R"(\\ (new line) outside the top level at 3)" << 3;
}

void TestFormula::parseErrorsCarryTheOffset() {
    QFETCH(QString, tex);
    QFETCH(QString, message);
    QFETCH(int, offset);
    try {
        parseFormula(tex.toStdString());
        QFAIL("a broken formula parsed");
    } catch (const FormulaError& e) {
        QCOMPARE(QString::fromUtf8(e.what()), message);
        QCOMPARE(static_cast<int>(e.offset()), offset);
    }
}

void TestFormula::qpainterInkStaysInTheBox() {
    const QPainterFormulaFonts fonts;
    const int margin = 24;
    FormulaLayout layout;
    const QImage image =
        formulaImage(R"(E(x) = \sum_i q_i \frac{x - y_i}{\left| x - y_i \right|^{N+D}})", 40,
                     Qt::white, fonts, margin, &layout);
    QVERIFY(layout.width > 200 && layout.height() > 60);
    const QRectF box(margin, margin, layout.width, layout.height());
    const QRectF tolerance = box.adjusted(-2, -2, 2, 2);
    int inside = 0, outside = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            if (qAlpha(image.pixel(x, y)) < 32) continue;
            (tolerance.contains(x + 0.5, y + 0.5) ? inside : outside)++;
        }
    QCOMPARE(outside, 0);
    QVERIFY2(inside > box.width() * box.height() * 0.03, qPrintable(QString::number(inside)));
}

void TestFormula::imguiItemDrawsInItsBoxAndShowsErrors() {
    ImGuiFonts imgui;
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(800, 600);
    io.DeltaTime = 1.0f / 60;
    ImGui::NewFrame();
    ImGui::SetNextWindowPos(ImVec2(10, 10));
    ImGui::SetNextWindowSize(ImVec2(700, 500));
    ImGui::Begin("board");
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const int before = draw->VtxBuffer.Size;
    formulaItem(
        R"(p_\sigma(x \mid y) \propto \left(\|x - y\|^2 + \sigma^2 D\right)^{-\frac{N+D}{2}})",
        IM_COL32_WHITE);
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    QVERIFY(hi.x - lo.x > 100 && hi.y - lo.y > 20);
    QVERIFY(draw->VtxBuffer.Size > before + 4 * 20);
    for (int v = before; v < draw->VtxBuffer.Size; ++v) {
        const ImVec2 p = draw->VtxBuffer[v].pos;
        QVERIFY2(p.x >= lo.x - 2 && p.x <= hi.x + 2 && p.y >= lo.y - 2 && p.y <= hi.y + 2,
                 qPrintable(QString("%1, %2").arg(p.x).arg(p.y)));
    }
    // A broken formula shows its error as text instead.
    const ImGuiFormula broken = layoutImGuiFormula(R"(\frac{1}{2)");
    QCOMPARE(QString::fromStdString(broken.error), R"(formula: missing } for \frac at 0)");
    formulaItem(broken, IM_COL32_WHITE);
    QVERIFY(ImGui::GetItemRectSize().y > 0);
    // Too wide for the room: shrunk to fit.
    const char* wide = "a + b + c + d";
    const float full = layoutImGuiFormula(wide).size.x;
    QVERIFY(layoutImGuiFormula(wide, 0.7f * full).size.x <= 0.7f * full + 0.5f);
    ImGui::End();
    ImGui::EndFrame();
}

void TestFormula::withoutFontsImGuiFallsBack() {
    // fontconfig reads this configuration for loadFonts' own lookup: no font directories.
    QTemporaryDir dir;
    const QString config = dir.filePath("fonts.conf");
    QFile file(config);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("<?xml version=\"1.0\"?><fontconfig><cachedir>" + dir.path().toUtf8() +
               "</cachedir></fontconfig>");
    file.close();
    const QByteArray saved = qgetenv("FONTCONFIG_FILE");
    qputenv("FONTCONFIG_FILE", config.toUtf8());
    ImGuiContext* context = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    const FormulaFonts fonts = loadFonts(ImGui::GetIO(), 2.0f);
    if (saved.isNull())
        qunsetenv("FONTCONFIG_FILE");
    else
        qputenv("FONTCONFIG_FILE", saved);
    QVERIFY(fonts.ui);
    QVERIFY(!fonts.problem.empty());
    QCOMPARE(ImGui::GetIO().Fonts->Fonts.Size, 1); // ImGui's own font only
    unsigned char* pixels = nullptr;
    int width = 0, height = 0;
    ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&pixels, &width, &height);
    const ImGuiFormulaMetrics metrics(formulaFonts(*ImGui::GetIO().Fonts));
    const FormulaLayout layout = typesetFormula(R"(\frac{a}{b} + \sigma)", metrics, kSize);
    QVERIFY(layout.width > 0);
    QVERIFY(layout.missing == std::vector<char32_t>{U'σ'}); // the built-in font is Latin-1
    ImGui::DestroyContext(context);
}

void TestFormula::aBrokenFormulaFailsItsLesson() {
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath("broken.json");
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    const QByteArray step = R"({"title": "a", "text": "b", "scene": {}, "formula": "x"})";
    file.write(R"({"format": "poissonscope-lesson", "version": 1, "title": "t", "steps": [)" +
               step + ", " + step + R"(, {"title": "a", "text": "b", "scene": {},
               "formula": "x = \\frac{1}{2"}]})");
    file.close();
    try {
        app::loadLesson(path);
        QFAIL("a lesson with a broken formula was accepted");
    } catch (const app::LessonError& e) {
        QCOMPARE(QString::fromUtf8(e.what()),
                 QString(R"(broken.json: steps[2].formula: missing } for \frac at 4)"));
    }
}

QTEST_MAIN(TestFormula)
#include "tst_formula.moc"
