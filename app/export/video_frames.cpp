// Frame i of a video: the clock, D and camera for that instant, drawn by the viewport's own
// per-frame path (app/scene_frame) into an offscreen framebuffer, then labels burned in.
#include "app/export/video_frames.h"

#include "app/control_panel.h"
#include "app/offscreen_scene.h"
#include "app/scene/d_scale.h"
#include "app/scene/scene_geometry_builder.h"
#include "app/scene_frame.h"

#include "physics/extra_dims.h"
#include "render/offscreen_target.h"
#include "render/scene_renderer.h"
#include "render/stage.h"

#include <QFont>
#include <QPainter>
#include <QPen>

#include <chrono>
#include <cmath>
#include <future>
#include <limits>

namespace psc::exporter {
namespace {

constexpr std::array<double, 4> kGridD{1.0, 8.0, 128.0, std::numeric_limits<double>::infinity()};
// The d-sweep spends this share of its frames going from D = 1 to the top of the morph for the
// data's dimension (log-uniform, both ends shown; d_scale.h), and holds at ∞ for the rest.
constexpr double kSweepFinite = 0.85;

double sweepD(int i, int count, int dim) {
    const int finite = std::max(1, static_cast<int>(std::lround(kSweepFinite * count)));
    if (i >= finite) return physics::kInfiniteD;
    return app::dAlongMorph(finite > 1 ? static_cast<double>(i) / (finite - 1) : 0.0, dim);
}

// The captions as TeX, typeset like the lesson's formulas: "\sigma = 0.31", "D = ∞".
std::string sigmaTex(const app::SceneData& scene, double clock) {
    return clock <= app::clockBottom(scene) + 1e-9
               ? std::string("\\sigma = 0")
               : "\\sigma = " + QString::number(std::exp(clock), 'g', 3).toStdString();
}

std::string dTex(double d) {
    return "D = " + app::displayD(d);
}

QColor qColour(glm::vec4 c) {
    return QColor::fromRgbF(c.r, c.g, c.b, c.a);
}

} // namespace

VideoFrames::VideoFrames(const VideoJob& job, const physics::CancelFlag* cancel,
                         std::function<void()> pump)
    : m_job(job), m_cancel(cancel), m_pump(std::move(pump)), m_count(videoFrameCount(job)) {
    if (auto err = validateVideoJob(job)) throw ExportSetupError(*err);
    m_fonts = std::make_unique<formula::QPainterFormulaFonts>();
    try {
        if (job.content == VideoContent::Grid) {
            for (std::size_t q = 0; q < 4; ++q) {
                app::SceneSettings s = job.scene;
                s.d = kGridD[q]; // same seed: every panel starts from the same noise
                m_scenes[q] = compute(s);
            }
        } else {
            app::SceneSettings s = job.scene;
            // A learned field belongs to one D; a sweep through every D shows the exact field.
            // The sweep starts at D = 1 (sweepD of frame 0).
            if (job.content == VideoContent::DSweep) s.d = 1.0, s.learned.clear();
            m_scenes[0] = compute(s);
        }
    } catch (const std::exception& e) {
        throw ExportSetupError(e.what());
    }
    for (const auto& scene : m_scenes)
        if (!scene && (job.content == VideoContent::Grid || &scene == &m_scenes[0]))
            throw ExportSetupError("cancelled");
    m_target = std::make_unique<render::OffscreenTarget>(job.size);
    if (!m_target->valid())
        throw std::runtime_error(m_target->error().toStdString()); // the machine, not the input
    m_target->bind();
    m_warp = app::sceneWarp(*m_scenes[0]);
    m_camera = app::fittedCamera(*m_scenes[0], job.preset);
    if (job.camera) app::applyCameraState(m_camera, *job.camera);
    try {
        for (std::size_t q = 0; q < 4; ++q) {
            if (!m_scenes[q]) continue;
            m_renderers[q] = std::make_unique<render::SceneRenderer>();
            m_renderers[q]->setGeometry(app::buildSceneGeometry(*m_scenes[q], job.view, m_warp));
        }
    } catch (const std::exception& e) {
        throw std::runtime_error(e.what()); // a shader failure: the driver, not the input
    }
}

std::shared_ptr<const app::SceneData>
VideoFrames::compute(const app::SceneSettings& settings) const {
    if (!m_pump) return app::computeScene(settings, m_cancel);
    auto result =
        std::async(std::launch::async, [&] { return app::computeScene(settings, m_cancel); });
    while (result.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) m_pump();
    return result.get(); // rethrows the computation's exception here
}

QRect VideoFrames::quadrant(std::size_t q) const {
    const int w = m_job.size.width(), h = m_job.size.height();
    const int left = w / 2, bottom = h / 2;
    const bool right = q % 2 == 1, top = q < 2;
    return QRect(right ? left : 0, top ? bottom : 0, right ? w - left : left,
                 top ? h - bottom : bottom);
}

void VideoFrames::setDecorations(bool labels, const std::string& title,
                                 const std::string& formula) {
    m_job.labels = labels;
    m_job.title = title;
    m_job.formula = formula;
}

VideoFrames::~VideoFrames() {
    if (m_target) m_target->bind(); // GL objects die with their context current
    for (auto& renderer : m_renderers) renderer.reset();
}

void VideoFrames::drawScene(std::size_t slot, const app::SceneData& scene, double clock,
                            float yawOffset, glm::ivec2 origin, glm::ivec2 size) {
    render::OrbitCamera camera = m_camera;
    // Without a camera of its own the video follows the flow as the window does.
    if (!m_job.camera || m_job.camera->follow)
        app::frameClock(camera, scene, m_warp, clock,
                        m_job.content == VideoContent::Grid ? physics::kInfiniteD
                                                            : scene.settings.d,
                        1.0f, static_cast<float>(size.x) / std::max(1, size.y));
    camera.setYaw(camera.yaw() + yawOffset);
    render::FrameParams frame;
    frame.viewProjection = camera.projection(static_cast<float>(size.x) / size.y) * camera.view();
    frame.framebufferSize = size;
    frame.viewportOrigin = origin;
    // Transparent black: the blending then leaves premultiplied colour, which the read-back
    // un-premultiplies.
    if (m_job.transparent) frame.background = glm::vec4(0.0f);
    app::drawSceneFrame(*m_renderers[slot], scene, m_job.view, m_warp,
                        std::clamp(clock, app::clockBottom(scene), app::clockTop(scene)), frame);
}

QImage VideoFrames::frame(int i) {
    const double t = m_count > 1 ? static_cast<double>(i) / (m_count - 1) : 1.0;
    const app::SceneData& first = *m_scenes[0];
    const double top = app::clockTop(first), bottom = app::clockBottom(first);
    const double flowClock =
        m_job.view.forward ? bottom + (top - bottom) * t : top + (bottom - top) * t;
    m_target->bind();
    const glm::ivec2 full(m_job.size.width(), m_job.size.height());
    double d = first.settings.d, clock = flowClock;
    switch (m_job.content) {
    case VideoContent::Flow:
        drawScene(0, first, flowClock, 0.0f, {0, 0}, full);
        break;
    case VideoContent::Orbit: // i/N, not i/(N−1): a looping video must not show its first frame
                              // twice
        drawScene(0, first, flowClock, static_cast<float>(2.0 * M_PI * i / m_count), {0, 0}, full);
        break;
    case VideoContent::DSweep: {
        d = sweepD(i, m_count, app::dataDim(*m_scenes[0]));
        if (d != m_scenes[0]->settings.d &&
            !(physics::isInfiniteD(d) && physics::isInfiniteD(m_scenes[0]->settings.d))) {
            app::SceneSettings s = m_job.scene;
            s.d = d;
            s.learned.clear();
            auto scene = compute(s);
            if (!scene) return {};
            m_scenes[0] = std::move(scene);
            m_renderers[0]->setGeometry(app::buildSceneGeometry(*m_scenes[0], m_job.view, m_warp));
        }
        clock = std::clamp(app::clockLogSigma(*m_scenes[0], m_job.sweepSigma),
                           app::clockBottom(*m_scenes[0]), app::clockTop(*m_scenes[0]));
        drawScene(0, *m_scenes[0], clock, 0.0f, {0, 0}, full);
        break;
    }
    case VideoContent::Grid: {
        for (std::size_t q = 0; q < 4; ++q) {
            const QRect r = quadrant(q);
            drawScene(q, *m_scenes[q], flowClock, 0.0f, {r.x(), r.y()}, {r.width(), r.height()});
        }
        break;
    }
    }
    QImage image = m_target->image();
    if (m_job.labels || !m_job.title.empty() || !m_job.formula.empty())
        burnLabels(image, d, clock, *m_scenes[0]);
    if (m_job.content != VideoContent::Grid &&
        (m_job.view.layers & static_cast<unsigned>(render::Layer::Images)))
        burnImageTiles(image, app::imageTiles(*m_scenes[0], clock),
                       clock <= app::clockBottom(*m_scenes[0]) + 1e-9 ? 0.0 : std::exp(clock));
    return image;
}

// The window's image tiles (app/scene_overlay.h), at the top left under the title's band: each
// particle as an image beside the training image it lands nearest to.
void VideoFrames::burnImageTiles(QImage& image, const app::ImageTiles& tiles, double sigma) const {
    if (tiles.tiles.empty()) return;
    const render::StagePalette& stage = render::stagePalette(m_job.view.stage);
    const auto colour = [](glm::vec4 c) { return QColor::fromRgbF(c.r, c.g, c.b, c.a); };
    const int side = std::max(24, image.height() / 14), gap = std::max(2, side / 16);
    const int pairGap = side / 4, perRow = 4;
    const int top = image.height() / 8, left = side / 3;
    const int rows = (static_cast<int>(tiles.tiles.size()) + perRow - 1) / perRow;
    QPainter painter(&image);
    QFont font = painter.font();
    font.setPixelSize(std::max(11, side / 3));
    painter.setFont(font);
    const int textHeight = painter.fontMetrics().height();
    const int width = perRow * (2 * side + gap) + (perRow - 1) * pairGap;
    painter.fillRect(QRect(left - 6, top - textHeight - 6, width + 12,
                           textHeight + rows * (side + pairGap) - pairGap + 12),
                     colour(stage.backdrop));
    painter.setPen(colour(stage.text));
    painter.drawText(QPoint(left, top - 6),
                     QString("particles at σ = %1  |  nearest training image")
                         .arg(QString::number(sigma, 'g', 3)));
    const auto tileImage = [&](const std::vector<float>& grey) {
        QImage out(tiles.width, tiles.height, QImage::Format_Grayscale8);
        for (int y = 0; y < tiles.height; ++y)
            for (int x = 0; x < tiles.width; ++x)
                out.scanLine(y)[x] = static_cast<uchar>(
                    std::lround(255 * grey[static_cast<std::size_t>(y) * tiles.width + x]));
        return out;
    };
    for (std::size_t k = 0; k < tiles.tiles.size(); ++k) {
        const int row = static_cast<int>(k) / perRow, column = static_cast<int>(k) % perRow;
        const int x = left + column * (2 * side + gap + pairGap), y = top + row * (side + pairGap);
        painter.drawImage(QRect(x, y, side, side), tileImage(tiles.tiles[k].particle));
        const QRect nearest(x + side + gap, y, side, side);
        painter.drawImage(nearest, tileImage(tiles.tiles[k].nearest));
        painter.setPen(colour(stage.accent));
        painter.drawRect(nearest.adjusted(0, 0, -1, -1));
    }
}

// Text drawn into the pixels, so the video carries it wherever it is played: D and σ (each grid
// panel's D) typeset, the title, the formula at the foot on a backdrop; in the stage's colours.
void VideoFrames::burnLabels(QImage& image, double d, double clock,
                             const app::SceneData& scene) const {
    const render::StagePalette& stage = render::stagePalette(m_job.view.stage);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    const int pixels = std::max(12, image.height() / 28);
    const int margin = pixels / 2;
    const QRectF area = QRectF(image.rect()).adjusted(margin, margin / 2, -margin, -margin / 2);
    const QColor text = qColour(stage.text);
    // In text style at `size` px per em; the captions are known to parse, the job's formula was
    // checked by validateVideoJob.
    const auto typeset = [&](const std::string& tex, float size) {
        return formula::typesetFormula(tex, *m_fonts, size, false);
    };
    const auto drawRight = [&](const QRectF& box, const std::string& tex) {
        const auto layout = typeset(tex, static_cast<float>(pixels));
        formula::drawFormula(painter, QPointF(box.right() - layout.width, box.top()), layout,
                             *m_fonts, text);
    };
    QRectF sigmaBox; // where the σ caption went, so the formula keeps clear of it
    if (m_job.content == VideoContent::Grid) {
        const int h = image.height();
        for (std::size_t q = 0; q < 4 && m_job.labels; ++q) {
            const QRect gl = quadrant(q); // GL rows count from the bottom, image rows from the top
            const QRectF panel(gl.x(), h - gl.y() - gl.height(), gl.width(), gl.height());
            drawRight(panel.adjusted(margin, margin / 2, -margin, -margin / 2),
                      dTex(kGridD[q]) + (m_scenes[q]->flowModel ? "\\;\\text{(learned)}" : ""));
        }
        painter.setPen(QPen(qColour(stage.outline), 1.5));
        const QRect topRight = quadrant(1);
        painter.drawLine(QPointF(topRight.x(), 0), QPointF(topRight.x(), h));
        painter.drawLine(QPointF(0, h - topRight.y()), QPointF(image.width(), h - topRight.y()));
        if (m_job.labels) {
            const auto layout = typeset(sigmaTex(scene, clock), static_cast<float>(pixels));
            sigmaBox =
                QRectF(area.left(), area.bottom() - layout.height(), layout.width, layout.height());
            formula::drawFormula(painter, sigmaBox.topLeft(), layout, *m_fonts, text);
        }
    } else if (m_job.labels) {
        // N belongs beside D once the picture is a projection (the window's caption does the same).
        const std::string n =
            scene.projected ? "N = " + std::to_string(app::dataDim(scene)) + "\\qquad " : "";
        drawRight(area, n + dTex(d) + "\\qquad " + sigmaTex(scene, clock));
    }
    if (!m_job.title.empty()) {
        QFont titleFont("DejaVu Sans");
        titleFont.setPixelSize(pixels * 5 / 4);
        titleFont.setBold(true);
        painter.setFont(titleFont);
        painter.setPen(text);
        painter.drawText(area, Qt::AlignTop | Qt::AlignLeft, QString::fromStdString(m_job.title));
    }
    if (!m_job.formula.empty()) {
        const auto layout = typeset(m_job.formula, pixels * 1.15f);
        const double pad = 0.4 * pixels;
        QRectF box(0, 0, layout.width + 2 * pad, layout.height() + 2 * pad);
        box.moveCenter(QPointF(area.center().x(), area.bottom() - box.height() / 2));
        if (box.intersects(sigmaBox)) box.moveBottom(sigmaBox.top() - margin / 2.0);
        painter.setPen(Qt::NoPen);
        painter.setBrush(qColour(stage.backdrop));
        painter.drawRoundedRect(box, pad, pad);
        formula::drawFormula(painter, box.topLeft() + QPointF(pad, pad), layout, *m_fonts, text);
    }
}

} // namespace psc::exporter
