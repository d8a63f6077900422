// A small line chart painter; the axes are chosen from the data (log y, linear x).
#include "app/export/experiment_plot.h"

#include "physics/extra_dims.h"
#include "render/color_map.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>
#include <map>

namespace psc::exporter {
namespace {

struct Panel {
    const char* protocol;
    const char* xLabel;
};
const Panel kPanels[] = {{"alpha", "noise strength α (x ← x + α σ ε before each step)"},
                         {"nfe", "function evaluations (Heun)"},
                         {"bits", "weight bits (post-training quantisation)"}};

QString dLabel(double d) {
    return "D = " + QString::fromStdString(physics::formatExtraDims(d));
}

} // namespace

QImage plotExperiment(const std::vector<physics::ExperimentRow>& rows, const QString& title,
                      QSize size) {
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont font("DejaVu Sans");
    font.setPixelSize(std::max(11, size.height() / 40));
    p.setFont(font);
    QFont titleFont = font;
    titleFont.setPixelSize(font.pixelSize() * 3 / 2);
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.drawText(QRect(0, 8, size.width(), titleFont.pixelSize() * 2),
               Qt::AlignHCenter | Qt::AlignVCenter, title);
    p.setFont(font);

    std::vector<double> ds;
    for (const auto& r : rows)
        if (std::find(ds.begin(), ds.end(), r.d) == ds.end()) ds.push_back(r.d);
    std::sort(ds.begin(), ds.end());
    auto colorOf = [&](double d) {
        const std::size_t i = std::find(ds.begin(), ds.end(), d) - ds.begin();
        const auto c = render::colorAt(render::ColorMapKind::Viridis,
                                       ds.size() > 1 ? 0.9f * i / (ds.size() - 1) : 0.0f);
        return QColor::fromRgbF(c.r, c.g, c.b);
    };
    double yMin = INFINITY, yMax = 0;
    for (const auto& r : rows)
        if (r.sw2 > 0 && std::isfinite(r.sw2))
            yMin = std::min(yMin, r.sw2), yMax = std::max(yMax, r.sw2);
    if (!(yMin < INFINITY)) yMin = 1e-3, yMax = 1;
    const double lo = std::floor(std::log10(yMin) * 4) / 4,
                 hi = std::max(lo + 0.25, std::ceil(std::log10(yMax) * 4) / 4);

    const int top = titleFont.pixelSize() * 3, legendHeight = font.pixelSize() * 2;
    const int panelWidth = size.width() / 3;
    for (int k = 0; k < 3; ++k) {
        const QRect box(k * panelWidth + font.pixelSize() * 5, top,
                        panelWidth - font.pixelSize() * 6,
                        size.height() - top - font.pixelSize() * 4 - legendHeight);
        double xMin = INFINITY, xMax = -INFINITY;
        for (const auto& r : rows)
            if (r.protocol == kPanels[k].protocol)
                xMin = std::min(xMin, r.value), xMax = std::max(xMax, r.value);
        if (!(xMin < xMax)) xMin -= 1, xMax += 1;
        auto at = [&](double x, double y) {
            const double u = (x - xMin) / (xMax - xMin), v = (std::log10(y) - lo) / (hi - lo);
            return QPointF(box.left() + u * box.width(), box.bottom() - v * box.height());
        };
        p.setPen(QColor(200, 200, 205));
        for (double e = std::ceil(lo); e <= hi; e += 1) { // decades
            const QPointF a = at(xMin, std::pow(10, e)), b = at(xMax, std::pow(10, e));
            p.drawLine(a, b);
            p.setPen(Qt::black);
            p.drawText(QRectF(box.left() - font.pixelSize() * 5, a.y() - font.pixelSize(),
                              font.pixelSize() * 4.6, font.pixelSize() * 2),
                       Qt::AlignRight | Qt::AlignVCenter, QString("1e%1").arg(e));
            p.setPen(QColor(200, 200, 205));
        }
        std::vector<double> xs;
        for (const auto& r : rows)
            if (r.protocol == kPanels[k].protocol &&
                std::find(xs.begin(), xs.end(), r.value) == xs.end())
                xs.push_back(r.value);
        p.setPen(Qt::black);
        for (double x : xs) {
            const QPointF a = at(x, std::pow(10, lo));
            p.drawLine(a, a + QPointF(0, 5));
            p.drawText(QRectF(a.x() - 40, a.y() + 6, 80, font.pixelSize() * 1.5),
                       Qt::AlignHCenter | Qt::AlignTop, QString::number(x, 'g', 3));
        }
        p.drawRect(box);
        p.drawText(QRect(box.left(), box.bottom() + font.pixelSize() * 2, box.width(),
                         font.pixelSize() * 2),
                   Qt::AlignHCenter, kPanels[k].xLabel);
        p.save();
        p.translate(box.left() - font.pixelSize() * 4.2, box.center().y());
        p.rotate(-90);
        p.drawText(QRect(-box.height() / 2, -font.pixelSize(), box.height(), font.pixelSize() * 2),
                   Qt::AlignCenter, "sliced W2 to held-out data");
        p.restore();
        for (double d : ds) {
            std::map<double, double> curve;
            for (const auto& r : rows)
                if (r.protocol == kPanels[k].protocol && r.d == d && r.sw2 > 0)
                    curve[r.value] = r.sw2;
            QPainterPath path;
            bool first = true;
            p.setPen(QPen(colorOf(d), 2.2));
            for (const auto& [x, y] : curve) {
                const QPointF q = at(x, y);
                first ? path.moveTo(q) : path.lineTo(q);
                first = false;
                p.drawEllipse(q, 3, 3);
            }
            p.drawPath(path);
        }
    }
    // Legend along the bottom.
    int x = font.pixelSize() * 5;
    const int y = size.height() - legendHeight;
    for (double d : ds) {
        p.setPen(QPen(colorOf(d), 3));
        p.drawLine(x, y + legendHeight / 2, x + 24, y + legendHeight / 2);
        p.setPen(Qt::black);
        p.drawText(QRect(x + 30, y, 200, legendHeight), Qt::AlignVCenter | Qt::AlignLeft,
                   dLabel(d));
        x += 30 + p.fontMetrics().horizontalAdvance(dLabel(d)) + 30;
    }
    return image;
}

} // namespace psc::exporter
