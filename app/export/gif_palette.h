// 8-bit palettes for animated GIF: median cut over a frame, a colour cube for the lookup, ordered
// dithering, and a new palette only when the picture drifts away from the current one.
#pragma once

#include <QImage>

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace psc::exporter {

// Up to maxColours (1..256) colours, 0xffRRGGBB, summarising image (any format, alpha ignored):
// boxes in RGB space split at the weighted median of their widest channel, always splitting the
// box with the largest squared error. Fewer colours come back when the image has fewer. Exact
// for images of at most maxColours colours with no two in the same 8×8×8 cell.
std::vector<QRgb> medianCutPalette(const QImage& image, int maxColours);

// Why one palette for many frames: FFmpeg 5.1's gif encoder (libavcodec/gif.c) puts the first
// frame's palette in the global colour table, and only for later frames with the very same
// palette does it crop to the rectangle that changed and make unchanged pixels transparent; any
// other palette makes that frame a full image with a local colour table. So the palette is kept
// while the frames stay close to it and rebuilt only when they drift (a first frame that is
// blank, a scene that changes colours); the rebuilt palette then stays.
class GifPalette {
public:
    // 255 colours at most: the 256th index stays unused, so gif.c always finds a free index
    // to mark unchanged pixels transparent.
    static constexpr int kMaxColours = 255;

    explicit GifPalette(bool dither = true) : m_dither(dither) {}

    // Maps frame (any format, alpha ignored) to palette indices: row y at indices + y * stride,
    // frame.width() bytes each. Rebuilds the palette first when there is none yet or the frame
    // is far from it.
    void map(const QImage& frame, std::uint8_t* indices, std::ptrdiff_t stride);
    // The palette the last map() used, as AV_PIX_FMT_PAL8 wants it: 256 × 0xAARRGGBB, opaque;
    // entries past the used colours are opaque black.
    const std::array<std::uint32_t, 256>& colours() const { return m_colours; }
    int rebuilds() const { return m_rebuilds; }

private:
    void rebuild(const QImage& rgb);
    double meanError(const QImage& rgb);
    std::uint8_t lookup(int r, int g, int b);

    bool m_dither;
    std::array<std::uint32_t, 256> m_colours{};
    int m_used = 0;                   // colours in m_colours
    std::vector<std::uint8_t> m_cube; // 32×32×32 cells of 5-bit RGB → nearest palette index
    double m_referenceError = 0;      // meanError() on the frame the palette was built from
    int m_rebuilds = 0;
};

} // namespace psc::exporter
