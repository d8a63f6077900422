// Median cut, the nearest-colour cube and the ordered dither behind GIF export.
#include "app/export/gif_palette.h"

#include <algorithm>
#include <cassert>
#include <limits>

namespace psc::exporter {

namespace {

constexpr int kCells = 32 * 32 * 32;
constexpr std::uint8_t kUnset = 255; // never a colour: GifPalette uses 255 entries at most

// A drifted frame: mean squared RGB error above twice the palette's error on its own frame, and
// above an RMS error of 8 per channel (so that a palette built on a flat frame, with error ~0,
// is not rebuilt for noise).
constexpr double kDriftFactor = 2.0;
constexpr double kDriftFloor = 3 * 8.0 * 8.0;

// 4×4 Bayer thresholds as offsets of -7..8 levels, about one cube cell: enough to break up the
// banding of gradients, and being tied to the position, static areas stay identical from frame
// to frame (error diffusion would not, and gif.c only stores what changed).
constexpr int kBayer[4][4] = {{0, 8, 2, 10}, {12, 4, 14, 6}, {3, 11, 1, 9}, {15, 7, 13, 5}};

struct Cell {
    std::uint32_t count = 0;
    std::uint64_t r = 0, g = 0, b = 0, squares = 0;
    int key = 0;
    double mean(int axis) const { return double(axis == 0 ? r : axis == 1 ? g : b) / count; }
};

int cellKey(int r, int g, int b) {
    return (r >> 3) << 10 | (g >> 3) << 5 | b >> 3;
}

QImage asRgb32(const QImage& image) {
    switch (image.format()) {
    case QImage::Format_RGB32:
    case QImage::Format_ARGB32:
    case QImage::Format_ARGB32_Premultiplied: // alpha ignored: premultiplied is "over black"
        return image;
    default:
        return image.convertToFormat(QImage::Format_RGB32);
    }
}

// Only the populated cells, each with its pixels' sums.
std::vector<Cell> histogram(const QImage& rgb) {
    std::vector<Cell> all(kCells);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); ++x) {
            const int r = qRed(line[x]), g = qGreen(line[x]), b = qBlue(line[x]);
            Cell& c = all[cellKey(r, g, b)];
            ++c.count;
            c.r += r, c.g += g, c.b += b;
            c.squares += std::uint64_t(r * r + g * g + b * b);
        }
    }
    std::vector<Cell> cells;
    for (int k = 0; k < kCells; ++k)
        if (all[k].count) {
            all[k].key = k;
            cells.push_back(all[k]);
        }
    return cells;
}

struct Box {
    std::size_t begin, end;
    double error; // sum of squared distances of its pixels to their mean
};

Box makeBox(const std::vector<Cell>& cells, std::size_t begin, std::size_t end) {
    double n = 0, r = 0, g = 0, b = 0, squares = 0;
    for (std::size_t i = begin; i < end; ++i) {
        n += cells[i].count;
        r += double(cells[i].r), g += double(cells[i].g), b += double(cells[i].b);
        squares += double(cells[i].squares);
    }
    return {begin, end, squares - (r * r + g * g + b * b) / n};
}

void split(std::vector<Cell>& cells, std::vector<Box>& boxes, std::size_t which) {
    const Box box = boxes[which];
    double n = 0, sum[3] = {}, squares[3] = {};
    for (std::size_t i = box.begin; i < box.end; ++i)
        for (int a = 0; a < 3; ++a) {
            const double m = cells[i].mean(a);
            sum[a] += m * cells[i].count, squares[a] += m * m * cells[i].count;
        }
    for (std::size_t i = box.begin; i < box.end; ++i) n += cells[i].count;
    int axis = 0;
    double widest = -1;
    for (int a = 0; a < 3; ++a) {
        const double variance = squares[a] / n - (sum[a] / n) * (sum[a] / n);
        if (variance > widest) widest = variance, axis = a;
    }
    const auto first = cells.begin() + std::ptrdiff_t(box.begin);
    std::sort(first, cells.begin() + std::ptrdiff_t(box.end),
              [axis](const Cell& l, const Cell& r) { return l.mean(axis) < r.mean(axis); });
    std::size_t at = box.begin;
    for (double seen = 0; at < box.end - 1 && (seen += cells[at].count) < n / 2;) ++at;
    const std::size_t middle = std::clamp(at + 1, box.begin + 1, box.end - 1);
    boxes[which] = makeBox(cells, box.begin, middle);
    boxes.push_back(makeBox(cells, middle, box.end));
}

std::vector<QRgb> cut(std::vector<Cell> cells, int maxColours) {
    assert(maxColours >= 1 && maxColours <= 256 && "exporter::medianCutPalette: 1..256 colours");
    std::vector<QRgb> palette;
    if (cells.empty()) return palette;
    std::vector<Box> boxes{makeBox(cells, 0, cells.size())};
    while (int(boxes.size()) < maxColours) {
        std::size_t worst = boxes.size();
        for (std::size_t i = 0; i < boxes.size(); ++i)
            if (boxes[i].end - boxes[i].begin > 1 && boxes[i].error > 0 &&
                (worst == boxes.size() || boxes[i].error > boxes[worst].error))
                worst = i;
        if (worst == boxes.size()) break;
        split(cells, boxes, worst);
    }
    for (const Box& box : boxes) {
        std::uint64_t n = 0, r = 0, g = 0, b = 0;
        for (std::size_t i = box.begin; i < box.end; ++i)
            n += cells[i].count, r += cells[i].r, g += cells[i].g, b += cells[i].b;
        palette.push_back(qRgb(int((r + n / 2) / n), int((g + n / 2) / n), int((b + n / 2) / n)));
    }
    return palette;
}

int nearest(const std::array<std::uint32_t, 256>& colours, int used, int r, int g, int b) {
    int best = 0, bestDistance = std::numeric_limits<int>::max();
    for (int i = 0; i < used; ++i) {
        const int dr = qRed(colours[i]) - r, dg = qGreen(colours[i]) - g,
                  db = qBlue(colours[i]) - b;
        const int d = dr * dr + dg * dg + db * db;
        if (d < bestDistance) bestDistance = d, best = i;
    }
    return best;
}

} // namespace

std::vector<QRgb> medianCutPalette(const QImage& image, int maxColours) {
    return cut(histogram(asRgb32(image)), maxColours);
}

void GifPalette::rebuild(const QImage& rgb) {
    const std::vector<Cell> cells = histogram(rgb);
    const std::vector<QRgb> palette = cut(cells, kMaxColours);
    m_colours.fill(0xff000000u);
    std::copy(palette.begin(), palette.end(), m_colours.begin());
    m_used = int(palette.size());
    // Cells the frame uses get the palette colour nearest their pixels' mean, which keeps exact
    // colours exact; the rest are filled on first use from their centre.
    m_cube.assign(kCells, kUnset);
    for (const Cell& c : cells)
        m_cube[std::size_t(c.key)] = std::uint8_t(nearest(
            m_colours, m_used, int(c.mean(0) + 0.5), int(c.mean(1) + 0.5), int(c.mean(2) + 0.5)));
    m_referenceError = meanError(rgb);
    ++m_rebuilds;
}

std::uint8_t GifPalette::lookup(int r, int g, int b) {
    std::uint8_t& index = m_cube[std::size_t(cellKey(r, g, b))];
    if (index == kUnset)
        index = std::uint8_t(nearest(m_colours, m_used, (r & ~7) + 4, (g & ~7) + 4, (b & ~7) + 4));
    return index;
}

double GifPalette::meanError(const QImage& rgb) {
    // Every 4th pixel of every 4th row: the drift test must cost little next to the mapping.
    double sum = 0;
    std::size_t n = 0;
    for (int y = 0; y < rgb.height(); y += 4) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < rgb.width(); x += 4, ++n) {
            const int r = qRed(line[x]), g = qGreen(line[x]), b = qBlue(line[x]);
            const QRgb c = m_colours[lookup(r, g, b)];
            const int dr = qRed(c) - r, dg = qGreen(c) - g, db = qBlue(c) - b;
            sum += dr * dr + dg * dg + db * db;
        }
    }
    return n ? sum / double(n) : 0.0;
}

void GifPalette::map(const QImage& frame, std::uint8_t* indices, std::ptrdiff_t stride) {
    const QImage rgb = asRgb32(frame);
    if (m_cube.empty() || meanError(rgb) > std::max(kDriftFloor, kDriftFactor * m_referenceError))
        rebuild(rgb);
    for (int y = 0; y < rgb.height(); ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        std::uint8_t* out = indices + y * stride;
        for (int x = 0; x < rgb.width(); ++x) {
            const int d = m_dither ? kBayer[y & 3][x & 3] - 7 : 0;
            out[x] = lookup(std::clamp(qRed(line[x]) + d, 0, 255),
                            std::clamp(qGreen(line[x]) + d, 0, 255),
                            std::clamp(qBlue(line[x]) + d, 0, 255));
        }
    }
}

} // namespace psc::exporter
