#include "app/export/sample_sheet.h"

#include "physics/extra_dims.h"

#include <QPainter>

#include <algorithm>
#include <cmath>

namespace psc::exporter {
namespace {

constexpr int kCell = 64; // pixels a sample is drawn in

void drawImage(QPainter& p, const QRect& cell, const double* values, int w, int h, double lo,
               double hi) {
    QImage tile(w, h, QImage::Format_Grayscale8);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double v = std::clamp((values[y * w + x] - lo) / (hi - lo), 0.0, 1.0);
            tile.scanLine(y)[x] = static_cast<uchar>(std::lround(255 * v));
        }
    p.drawImage(cell, tile);
}

} // namespace

QImage sampleSheet(const physics::ExperimentResult& result, const physics::ChargeSet& heldOut,
                   int imageWidth, int imageHeight, const QString& title, int perRow) {
    if (result.generated.empty()) return {};
    const int n = heldOut.dim();
    const bool images = imageWidth > 0 && imageHeight > 0 && imageWidth * imageHeight == n;
    const auto held = heldOut.positions();
    const auto [lo, hi] = std::minmax_element(held.begin(), held.end());
    const double vlo = *lo, vhi = *hi > *lo ? *hi : *lo + 1;

    QFont font("DejaVu Sans");
    font.setPixelSize(15);
    const int label = images ? 150 : 10, pad = 6; // scatters carry their names underneath
    const int rows = static_cast<int>(result.generated.size()) + 1;
    const int scatter = 220; // pixels of one scatter panel
    const int rowHeight = images ? kCell + pad : scatter + pad;
    const int width = images ? label + perRow * (kCell + pad) : label + rows * (scatter + pad);
    const int height = images ? 40 + rows * rowHeight : 40 + scatter + pad + 30;
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setFont(font);
    p.drawText(QRect(0, 0, width, 36), Qt::AlignCenter, title);

    // Scatter bounds from the held-out data, so every panel shares one frame.
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    for (std::size_t i = 0; i < heldOut.size(); ++i) {
        const auto y = heldOut.position(i);
        x0 = std::min(x0, y[0]), x1 = std::max(x1, y[0]);
        const double v = n > 1 ? y[1] : 0;
        y0 = std::min(y0, v), y1 = std::max(y1, v);
    }
    const double mx = 0.15 * (x1 - x0 + 1e-12), my = 0.15 * (y1 - y0 + 1e-12);
    x0 -= mx, x1 += mx, y0 -= my, y1 += my;
    auto scatterPanel = [&](const QRect& box, const std::vector<double>& points, QColor color) {
        p.setPen(QColor(190, 190, 190));
        p.drawRect(box);
        auto at = [&](const double* y) {
            const double v = n > 1 ? y[1] : 0;
            return QPointF(box.left() + (y[0] - x0) / (x1 - x0) * box.width(),
                           box.bottom() - (v - y0) / (y1 - y0) * box.height());
        };
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(200, 200, 200));
        for (std::size_t i = 0; i < heldOut.size(); ++i)
            p.drawEllipse(at(held.data() + i * n), 1.5, 1.5);
        p.setBrush(color);
        for (std::size_t i = 0; i + n <= points.size(); i += n) {
            const QPointF q = at(points.data() + i);
            if (box.contains(q.toPoint())) p.drawEllipse(q, 1.6, 1.6);
        }
        p.setBrush(Qt::NoBrush);
    };

    for (int row = 0; row < rows; ++row) {
        const bool data = row == 0;
        const auto* set = data ? nullptr : &result.generated[row - 1];
        const QString name =
            data ? "held-out data"
                 : "D = " + QString::fromStdString(physics::formatExtraDims(set->d));
        if (images) {
            const int top = 40 + row * rowHeight;
            p.setPen(Qt::black);
            p.drawText(QRect(0, top, label - pad, kCell), Qt::AlignRight | Qt::AlignVCenter, name);
            const std::size_t count = data ? heldOut.size() : set->points.size() / n;
            for (int k = 0; k < perRow && std::size_t(k) < count; ++k) {
                const double* v = data ? held.data() + k * n : set->points.data() + k * n;
                drawImage(p, QRect(label + k * (kCell + pad), top, kCell, kCell), v, imageWidth,
                          imageHeight, vlo, vhi);
            }
        } else {
            const QRect box(label + row * (scatter + pad), 40, scatter, scatter);
            std::vector<double> points = data ? std::vector<double>() : set->points;
            scatterPanel(box, points, QColor(30, 90, 200));
            p.setPen(Qt::black);
            p.drawText(QRect(box.left(), box.bottom() + 4, scatter, 24), Qt::AlignHCenter, name);
        }
    }
    return image;
}

} // namespace psc::exporter
