// A small chart painter with error bars; axes are chosen from the intervals.
#include "app/export/experiment_plot.h"

#include "app/export/experiment_report.h"

#include "physics/extra_dims.h"
#include "render/color_map.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace psc::exporter {
namespace {

struct Panel {
    physics::FieldKind field;
    const char* protocol;
    physics::Metric metric;
    const char* title;
    const char* xLabel;
    const char* yLabel;
    bool logY = true;
    bool relative = false; // divided by the data baseline's SW2
};

const Panel kPanels[] = {
    {physics::FieldKind::Learned, "alpha", physics::Metric::Sw2, "learned: noise injected",
     "α (x ← x + α σ ε before each step)", "SW2 / data's own", true, true},
    {physics::FieldKind::Learned, "nfe", physics::Metric::Sw2, "learned: fewer steps",
     "function evaluations (Heun)", "SW2 / data's own", true, true},
    {physics::FieldKind::Learned, "bits", physics::Metric::Sw2, "learned: quantised weights",
     "weight bits", "SW2 / data's own", true, true},
    {physics::FieldKind::Exact, "alpha", physics::Metric::Sw2, "exact field: noise injected",
     "α (x ← x + α σ ε before each step)", "SW2 / data's own", true, true},
    {physics::FieldKind::Exact, "nfe", physics::Metric::EndpointDistance,
     "exact field: distance to the rk45 end", "function evaluations (Heun)",
     "mean distance / data spread", true, false},
    {physics::FieldKind::Exact, "nfe", physics::Metric::LandedFraction,
     "exact field: lands on the rk45's charge", "function evaluations (Heun)", "share of points",
     false, false},
};

QColor colorOf(const std::vector<double>& ds, double d) {
    const std::size_t i = std::find(ds.begin(), ds.end(), d) - ds.begin();
    const auto c = render::colorAt(render::ColorMapKind::Viridis,
                                   ds.size() > 1 ? 0.9f * i / (ds.size() - 1) : 0.0f);
    return QColor::fromRgbF(c.r, c.g, c.b);
}

QString dLabel(double d) {
    return "D = " + QString::fromStdString(physics::formatExtraDims(d));
}

void drawPanel(QPainter& p, const QRect& box, const Panel& panel,
               const std::vector<physics::SummaryPoint>& points, const std::vector<double>& ds,
               double baseline) {
    const QFont font = p.font();
    const int fs = font.pixelSize();
    std::vector<const physics::SummaryPoint*> mine;
    for (const auto& pt : points)
        if (pt.field == panel.field && pt.protocol == panel.protocol) mine.push_back(&pt);
    const double scale = panel.relative && baseline > 0 ? 1 / baseline : 1;
    auto interval = [&](const physics::SummaryPoint& pt) {
        auto i = physics::metricOf(pt, panel.metric);
        i.mean *= scale, i.lo *= scale, i.hi *= scale;
        return i;
    };
    double xMin = INFINITY, xMax = -INFINITY, yMin = INFINITY, yMax = -INFINITY;
    for (const auto* pt : mine) {
        xMin = std::min(xMin, pt->value), xMax = std::max(xMax, pt->value);
        const auto i = interval(*pt);
        const double lo = panel.logY ? std::max(i.lo, i.mean * 0.1) : i.lo;
        if (std::isfinite(lo) && (!panel.logY || lo > 0)) yMin = std::min(yMin, lo);
        if (std::isfinite(i.hi)) yMax = std::max(yMax, i.hi);
    }
    if (!(xMin < xMax)) xMin -= 1, xMax += 1;
    double lo, hi;
    if (panel.logY) {
        if (!(yMin < INFINITY) || !(yMin > 0)) yMin = 1e-3;
        if (!(yMax > yMin)) yMax = yMin * 10;
        lo = std::floor(std::log10(yMin) * 2) / 2;
        hi = std::min(std::max(lo + 0.5, std::ceil(std::log10(yMax) * 2) / 2), lo + 4);
    } else {
        lo = 0, hi = 1.05;
    }
    auto yOf = [&](double y) {
        const double v =
            panel.logY ? (std::log10(std::max(y, 1e-300)) - lo) / (hi - lo) : (y - lo) / (hi - lo);
        return box.bottom() - std::clamp(v, 0.0, 1.0) * box.height();
    };
    auto xOf = [&](double x) { return box.left() + (x - xMin) / (xMax - xMin) * box.width(); };

    p.setPen(QColor(215, 215, 220));
    const double tickStep = panel.logY ? (hi - lo > 2 ? 1 : 0.5) : 0.25;
    for (double e = std::ceil(lo / tickStep) * tickStep; e <= hi + 1e-9; e += tickStep) {
        const double y = panel.logY ? yOf(std::pow(10, e)) : yOf(e);
        p.setPen(QColor(215, 215, 220));
        p.drawLine(QPointF(box.left(), y), QPointF(box.right(), y));
        p.setPen(Qt::black);
        const double v = panel.logY ? std::pow(10, e) : e;
        p.drawText(QRectF(box.left() - fs * 4.5, y - fs, fs * 4.2, fs * 2),
                   Qt::AlignRight | Qt::AlignVCenter, QString::number(v, 'g', 2));
    }
    if (panel.relative) { // the data's own SW2: 1 on this axis
        p.setPen(QPen(QColor(120, 120, 120), 1, Qt::DashLine));
        p.drawLine(QPointF(box.left(), yOf(1)), QPointF(box.right(), yOf(1)));
    }
    std::vector<double> xs;
    for (const auto* pt : mine)
        if (std::find(xs.begin(), xs.end(), pt->value) == xs.end()) xs.push_back(pt->value);
    p.setPen(Qt::black);
    for (double x : xs) {
        p.drawLine(QPointF(xOf(x), box.bottom()), QPointF(xOf(x), box.bottom() + 4));
        p.drawText(QRectF(xOf(x) - 40, box.bottom() + 5, 80, fs * 1.5), Qt::AlignHCenter,
                   QString::number(x, 'g', 3));
    }
    p.drawRect(box);
    p.drawText(QRect(box.left(), box.top() - fs * 2, box.width(), fs * 2),
               Qt::AlignHCenter | Qt::AlignVCenter, panel.title);
    p.drawText(QRect(box.left(), box.bottom() + fs * 2, box.width(), fs * 2), Qt::AlignHCenter,
               panel.xLabel);
    p.save();
    p.translate(box.left() - fs * 4.4, box.center().y());
    p.rotate(-90);
    p.drawText(QRect(-box.height() / 2, -fs, box.height(), fs * 2), Qt::AlignCenter, panel.yLabel);
    p.restore();

    // Curves dodged sideways a little per D so their bars do not hide each other.
    const double dodge = ds.size() > 1 ? std::min(6.0, box.width() / 60.0) : 0;
    for (std::size_t k = 0; k < ds.size(); ++k) {
        const double d = ds[k];
        const QColor color = colorOf(ds, d);
        const double shift = (k - 0.5 * (ds.size() - 1)) * dodge;
        QPainterPath path;
        bool first = true;
        std::vector<const physics::SummaryPoint*> curve;
        for (const auto* pt : mine)
            if (pt->d == d) curve.push_back(pt);
        std::sort(curve.begin(), curve.end(), [](auto* a, auto* b) { return a->value < b->value; });
        for (const auto* pt : curve) {
            const auto i = interval(*pt);
            if (!std::isfinite(i.mean)) continue;
            const double x = xOf(pt->value) + shift;
            const bool above = panel.logY && std::log10(i.mean) > hi;
            const QPointF q(x, yOf(i.mean));
            first ? path.moveTo(q) : path.lineTo(q);
            first = false;
            p.setPen(QPen(color, 1.4));
            if (above) {
                QPolygonF tri;
                tri << QPointF(x, box.top() + 1) << QPointF(x - 5, box.top() + 10)
                    << QPointF(x + 5, box.top() + 10);
                p.setBrush(color);
                p.drawPolygon(tri);
                p.setBrush(Qt::NoBrush);
                p.drawText(QRectF(x - 40, box.top() + 11, 80, fs * 1.4), Qt::AlignHCenter,
                           QString::number(i.mean, 'g', 2));
                continue;
            }
            if (i.spread) {
                const double y0 = yOf(panel.logY ? std::max(i.lo, 1e-300) : i.lo), y1 = yOf(i.hi);
                p.drawLine(QPointF(x, y0), QPointF(x, y1));
                p.drawLine(QPointF(x - 3, y0), QPointF(x + 3, y0));
                p.drawLine(QPointF(x - 3, y1), QPointF(x + 3, y1));
            }
            p.setBrush(color);
            p.drawEllipse(q, 3, 3);
            p.setBrush(Qt::NoBrush);
        }
        p.setPen(QPen(color, 2.0));
        p.drawPath(path);
    }
}

} // namespace

QImage plotExperiment(const physics::ExperimentResult& result, const QString& title,
                      const QString& caption, int width) {
    const auto points = physics::summarize(result.rows);
    double baseline = NAN;
    for (const auto& pt : points)
        if (pt.field == physics::FieldKind::Data) baseline = pt.sw2.mean;
    std::vector<physics::FieldKind> fields;
    for (auto f : {physics::FieldKind::Learned, physics::FieldKind::Exact})
        if (std::any_of(points.begin(), points.end(), [&](auto& pt) { return pt.field == f; }))
            fields.push_back(f);
    std::vector<double> ds = result.ds;

    QFont font("DejaVu Sans");
    const int fs = std::max(11, width / 100);
    font.setPixelSize(fs);
    const int panelWidth = width / 3, panelHeight = fs * 26;
    const int top = fs * 4, rowHeight = panelHeight + fs * 7;
    const QRect captionBox(fs * 2, 0, width - fs * 4, 0);
    QImage probe(1, 1, QImage::Format_RGB32);
    QPainter measure(&probe);
    measure.setFont(font);
    const QRect captionRect =
        measure.boundingRect(QRect(0, 0, captionBox.width(), 100000), Qt::TextWordWrap, caption);
    measure.end();
    const int legendTop =
        top + static_cast<int>(std::max<std::size_t>(fields.size(), 1)) * rowHeight;
    const int height = legendTop + fs * 3 + captionRect.height() + fs * 2;

    QImage image(width, height, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    QFont titleFont = font;
    titleFont.setPixelSize(fs * 3 / 2);
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.drawText(QRect(0, fs / 2, width, fs * 2), Qt::AlignHCenter | Qt::AlignVCenter, title);
    p.setFont(font);
    for (std::size_t row = 0; row < fields.size(); ++row) {
        int column = 0;
        for (const auto& panel : kPanels) {
            if (panel.field != fields[row]) continue;
            const QRect box(column * panelWidth + fs * 6,
                            top + static_cast<int>(row) * rowHeight + fs * 2, panelWidth - fs * 7,
                            panelHeight);
            drawPanel(p, box, panel, points, ds, baseline);
            ++column;
        }
    }
    int x = fs * 6;
    for (double d : ds) {
        p.setPen(QPen(colorOf(ds, d), 3));
        p.drawLine(x, legendTop + fs, x + 24, legendTop + fs);
        p.setPen(Qt::black);
        p.drawText(QRect(x + 30, legendTop, 200, fs * 2), Qt::AlignVCenter | Qt::AlignLeft,
                   dLabel(d));
        x += 30 + p.fontMetrics().horizontalAdvance(dLabel(d)) + 30;
    }
    p.setPen(QColor(40, 40, 40));
    p.drawText(
        QRect(captionBox.left(), legendTop + fs * 3, captionBox.width(), captionRect.height() + fs),
        Qt::TextWordWrap, caption);
    return image;
}

} // namespace psc::exporter
