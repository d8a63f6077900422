// The formula parser: recursive descent over code points, one node per atom, errors at the
// offset of the construct that is left open or unknown.
#include "app/formula/formula.h"

#include "app/formula/formula_symbols.h"

#include <optional>

namespace psc::formula {

FormulaError::FormulaError(const std::string& message, std::size_t offset)
    : std::runtime_error(message + " at " + std::to_string(offset)), m_offset(offset) {}

namespace {

using namespace detail;

std::u32string decodeUtf8(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto byte = static_cast<unsigned char>(s[i]);
        const int length = byte < 0x80         ? 1
                           : (byte >> 5) == 6  ? 2
                           : (byte >> 4) == 14 ? 3
                           : (byte >> 3) == 30 ? 4
                                               : 0;
        if (length == 0 || i + length > s.size()) throw FormulaError("invalid UTF-8", out.size());
        char32_t c = length == 1 ? byte : byte & (0x7F >> length);
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(s[i + k]);
            if ((next >> 6) != 2) throw FormulaError("invalid UTF-8", out.size());
            c = (c << 6) | (next & 0x3F);
        }
        out.push_back(c);
        i += static_cast<std::size_t>(length);
    }
    return out;
}

bool isSpace(char32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0xA0 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x202F || c == 0x205F || c == 0x3000;
}

std::string ascii(std::u32string_view s) {
    return std::string(s.begin(), s.end());
}

// \mathrm and friends change the letters of everything inside them, scripts included.
enum class Alphabet { Roman, Italic, Bold, Calligraphic, DoubleStruck };

void restyle(NodeList& list, Alphabet alphabet) {
    for (Node& n : list) {
        if (n.kind == Node::Kind::Char && (isLetter(n.glyph) || isGreek(n.glyph) ||
                                           (alphabet == Alphabet::Bold && n.glyph < 0x80))) {
            switch (alphabet) {
            case Alphabet::Roman:
                n.style = FontStyle::Upright;
                break;
            case Alphabet::Italic:
                n.style = FontStyle::Italic;
                break;
            case Alphabet::Bold:
                n.style = FontStyle::Bold;
                break;
            // The script capitals (U+1D49C …) lie outside the Basic Multilingual Plane, which
            // is all ImGui 1.86 can draw, and the plane's few (ℬ ℰ ℋ …) would make a mixed
            // alphabet: upright capitals read better.
            case Alphabet::Calligraphic:
                n.style = FontStyle::Upright;
                break;
            // 𝔼 and most double-struck letters are outside the plane too: ℝ ℕ ℤ ℂ ℚ ℙ ℍ are
            // in it, the rest are bold.
            case Alphabet::DoubleStruck:
                if (const char32_t bb = doubleStruck(n.glyph)) {
                    n.glyph = bb;
                    n.style = FontStyle::Upright;
                } else {
                    n.style = FontStyle::Bold;
                }
                break;
            }
        }
        restyle(n.body, alphabet);
        restyle(n.second, alphabet);
        restyle(n.sub, alphabet);
        restyle(n.sup, alphabet);
    }
}

class Parser {
public:
    explicit Parser(std::u32string source) : m_s(std::move(source)) {}

    Formula parse() {
        Formula formula;
        for (;;) {
            bool newLine = false;
            formula.lines.push_back(parseList(Until::End, "", 0, &newLine));
            if (!newLine) return formula;
        }
    }

private:
    enum class Until { End, Brace, Bracket, Right };

    std::u32string m_s;
    std::size_t m_pos = 0;
    int m_depth = 0;

    bool atEnd() const { return m_pos >= m_s.size(); }
    char32_t peek() const { return atEnd() ? 0 : m_s[m_pos]; }
    void skipSpaces() {
        while (!atEnd() && isSpace(m_s[m_pos])) ++m_pos;
    }

    // After a backslash: a run of letters, or one other character ("\," "\{" "\\").
    std::string readCommandName() {
        const std::size_t start = m_pos;
        while (!atEnd() && ((peek() >= 'a' && peek() <= 'z') || (peek() >= 'A' && peek() <= 'Z')))
            ++m_pos;
        if (m_pos == start && !atEnd()) ++m_pos;
        return ascii(std::u32string_view(m_s).substr(start, m_pos - start));
    }

    struct DepthGuard {
        int& depth;
        DepthGuard(int& d, std::size_t at) : depth(d) {
            if (++depth > kMaxFormulaDepth)
                throw FormulaError("groups nested deeper than " + std::to_string(kMaxFormulaDepth),
                                   at);
        }
        ~DepthGuard() { --depth; }
    };

    // Atoms up to the end, a closing brace or bracket, or \right (left unread). `opener` and
    // `openedAt` name what is left open in the error message.
    NodeList parseList(Until until, const std::string& opener, std::size_t openedAt,
                       bool* newLine = nullptr) {
        DepthGuard guard(m_depth, openedAt);
        NodeList list;
        for (;;) {
            skipSpaces();
            if (atEnd()) {
                if (until == Until::End) return list;
                if (until == Until::Right)
                    throw FormulaError("missing \\right for \\left", openedAt);
                throw FormulaError(std::string("missing ") + (until == Until::Brace ? "}" : "]") +
                                       " for " + opener,
                                   openedAt);
            }
            const std::size_t at = m_pos;
            const char32_t c = peek();
            if (c == '}') {
                if (until != Until::Brace) throw FormulaError("unmatched }", at);
                ++m_pos;
                return list;
            }
            if (c == ']' && until == Until::Bracket) {
                ++m_pos;
                return list;
            }
            if (c == '^' || c == '_') {
                ++m_pos;
                attachScript(list, c == '^', at);
                continue;
            }
            if (c == '\\') {
                ++m_pos;
                const std::string name = readCommandName();
                if (name == "\\") {
                    if (until != Until::End || !newLine)
                        throw FormulaError("\\\\ (new line) outside the top level", at);
                    *newLine = true;
                    return list;
                }
                if (name == "right") {
                    if (until != Until::Right) throw FormulaError("\\right without \\left", at);
                    m_pos = at;
                    return list;
                }
                if (name == "limits" || name == "nolimits") {
                    if (list.empty() || list.back().atom != AtomClass::Op)
                        throw FormulaError("\\" + name + " after something not an operator", at);
                    list.back().limits = name == "limits";
                    continue;
                }
                list.push_back(parseCommand(name, at));
                continue;
            }
            ++m_pos;
            list.push_back(characterNode(c, at));
        }
    }

    void attachScript(NodeList& list, bool superscript, std::size_t at) {
        // A script with nothing before it (or after a space) has an empty nucleus, as in TeX.
        if (list.empty() || list.back().kind == Node::Kind::Space) {
            Node empty;
            empty.kind = Node::Kind::Group;
            empty.offset = at;
            list.push_back(std::move(empty));
        }
        Node& target = list.back();
        bool& has = superscript ? target.hasSup : target.hasSub;
        if (has) throw FormulaError(superscript ? "double superscript" : "double subscript", at);
        has = true;
        (superscript ? target.sup : target.sub) = parseArgument(superscript ? "^" : "_", at);
    }

    Node characterNode(char32_t c, std::size_t at) {
        if (c == '&' || c == '#' || c == '%' || c == '$')
            throw FormulaError(std::string("unsupported character ") + char(c), at);
        if (c == '{') {
            Node group;
            group.kind = Node::Kind::Group;
            group.offset = at;
            group.body = parseList(Until::Brace, "{", at);
            return group;
        }
        if (c == '~') return spaceNode(1.0f / 3, at);
        const Symbol s = characterSymbol(c);
        Node n;
        n.glyph = s.glyph;
        n.atom = s.atom;
        n.style = s.style;
        n.large = s.large;
        n.limits = s.limits;
        n.offset = at;
        return n;
    }

    static Node spaceNode(float em, std::size_t at) {
        Node n;
        n.kind = Node::Kind::Space;
        n.space = em;
        n.offset = at;
        return n;
    }

    // A group in braces, or one character or symbol command, as TeX takes `\frac12`.
    NodeList parseArgument(const std::string& owner, std::size_t ownerAt) {
        skipSpaces();
        const std::size_t at = m_pos;
        if (atEnd() || peek() == '}' || peek() == '^' || peek() == '_')
            throw FormulaError("missing argument for " + owner, ownerAt);
        if (peek() == '{') {
            ++m_pos;
            return parseList(Until::Brace, owner, ownerAt);
        }
        if (peek() == '\\') {
            ++m_pos;
            const std::string name = readCommandName();
            if (!symbolCommand(name))
                throw FormulaError("put the argument of " + owner + " in braces", at);
            return {parseCommand(name, at)};
        }
        ++m_pos;
        return {characterNode(m_s[at], at)};
    }

    // The raw characters of \text{…} and \operatorname{…}.
    std::u32string parseText(const std::string& owner, std::size_t ownerAt) {
        skipSpaces();
        if (peek() != '{') throw FormulaError("missing { after " + owner, ownerAt);
        ++m_pos;
        std::u32string text;
        for (int open = 1;;) {
            if (atEnd()) throw FormulaError("missing } for " + owner, ownerAt);
            const std::size_t at = m_pos;
            char32_t c = m_s[m_pos++];
            if (c == '{') ++open;
            if (c == '}' && --open == 0) return text;
            if (c == '{' || c == '}') continue;
            if (c == '\\') {
                c = peek();
                if (std::u32string_view(U"{}_%&#$ ").find(c) == std::u32string_view::npos)
                    throw FormulaError("commands inside " + owner, at);
                ++m_pos;
            }
            text.push_back(isSpace(c) ? U' ' : c);
        }
    }

    char32_t parseDelimiter(const std::string& owner, std::size_t ownerAt) {
        skipSpaces();
        const std::size_t at = m_pos;
        if (peek() == '\\') {
            ++m_pos;
            if (const auto d = delimiterCommand(readCommandName())) return *d;
        } else if (!atEnd()) {
            if (const auto d = delimiterCharacter(m_s[m_pos++])) return *d;
        }
        throw FormulaError("missing delimiter after " + owner, at == m_pos ? ownerAt : at);
    }

    Node parseCommand(const std::string& name, std::size_t at) {
        const std::string command = "\\" + name;
        Node n;
        n.offset = at;
        if (const auto s = symbolCommand(name)) {
            n.glyph = s->glyph;
            n.atom = s->atom;
            n.style = s->style;
            n.large = s->large;
            n.limits = s->limits;
            return n;
        }
        if (const auto em = spaceCommand(name)) return spaceNode(*em, at);
        if (const auto limits = functionTakesLimits(name)) {
            n.kind = Node::Kind::Text;
            n.atom = AtomClass::Op;
            n.text = std::u32string(name.begin(), name.end());
            n.limits = *limits;
            return n;
        }
        if (name == "operatorname") {
            n.kind = Node::Kind::Text;
            n.atom = AtomClass::Op;
            n.text = parseText(command, at);
            return n;
        }
        if (name == "text" || name == "textrm" || name == "mbox") {
            n.kind = Node::Kind::Text;
            n.text = parseText(command, at);
            return n;
        }
        if (name == "frac" || name == "dfrac" || name == "tfrac") {
            n.kind = Node::Kind::Fraction;
            n.display = name == "dfrac";
            n.inlineStyle = name == "tfrac";
            n.body = parseArgument(command, at);
            n.second = parseArgument(command, at);
            return n;
        }
        if (name == "sqrt") {
            n.kind = Node::Kind::Radical;
            skipSpaces();
            if (peek() == '[') {
                ++m_pos;
                n.second = parseList(Until::Bracket, command, at);
            }
            n.body = parseArgument(command, at);
            return n;
        }
        if (const auto accent = accentGlyph(name)) {
            n.kind = Node::Kind::Accent;
            n.glyph = *accent;
            n.body = parseArgument(command, at);
            return n;
        }
        if (const auto alphabet = alphabetOf(name)) {
            n.kind = Node::Kind::Group;
            n.body = parseArgument(command, at);
            restyle(n.body, *alphabet);
            return n;
        }
        if (name == "left") {
            n.kind = Node::Kind::Fenced;
            n.atom = AtomClass::Inner;
            n.left = parseDelimiter(command, at);
            n.body = parseList(Until::Right, command, at);
            m_pos += 6; // parseList stopped at "\right"
            n.right = parseDelimiter("\\right", m_pos - 6);
            return n;
        }
        if (const auto size = bigSize(name)) {
            n.kind = Node::Kind::Fenced;
            n.space = *size;
            n.left = parseDelimiter(command, at);
            const char last = name.back();
            n.atom = last == 'l'   ? AtomClass::Open
                     : last == 'r' ? AtomClass::Close
                     : last == 'm' ? AtomClass::Rel
                                   : AtomClass::Ord;
            return n;
        }
        throw FormulaError("unknown command " + command, at);
    }

    static std::optional<Alphabet> alphabetOf(const std::string& name) {
        if (name == "mathrm" || name == "mathsf" || name == "mathup") return Alphabet::Roman;
        if (name == "mathit") return Alphabet::Italic;
        if (name == "mathbf" || name == "boldsymbol") return Alphabet::Bold;
        if (name == "mathcal" || name == "mathscr") return Alphabet::Calligraphic;
        if (name == "mathbb") return Alphabet::DoubleStruck;
        return std::nullopt;
    }

    // The heights of plain TeX's \big … \Bigg delimiters, in em.
    static std::optional<float> bigSize(std::string name) {
        if (name.size() >= 4 && (name.back() == 'l' || name.back() == 'r' || name.back() == 'm'))
            name.pop_back();
        if (name == "big") return 1.2f;
        if (name == "Big") return 1.8f;
        if (name == "bigg") return 2.4f;
        if (name == "Bigg") return 3.0f;
        return std::nullopt;
    }
};

} // namespace

Formula parseFormula(std::string_view utf8) {
    return Parser(decodeUtf8(utf8)).parse();
}

FormulaLayout typesetFormula(std::string_view utf8, const FormulaMetrics& metrics, float size,
                             bool display) {
    return layoutFormula(parseFormula(utf8), metrics, size, display);
}

} // namespace psc::formula
