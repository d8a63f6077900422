// Renders the frames of a VideoJob offscreen, one at a time, as the window would draw them.
#pragma once

#include "app/export/video_job.h"
#include "app/formula/formula_qpainter.h"

#include "app/scene/image_tiles.h"
#include "app/scene/scene_data.h"
#include "physics/progress.h"
#include "render/axis_warp.h"
#include "render/camera.h"

#include <QImage>

#include <array>
#include <functional>
#include <memory>
#include <stdexcept>

namespace psc::render {
class OffscreenTarget;
class SceneRenderer;
} // namespace psc::render

namespace psc::exporter {

class ExportSetupError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Needs a QGuiApplication. The constructor computes the scenes the job needs (one; four for the
// grid; the d-sweep computes one per frame as it goes) and makes an offscreen context. Throws
// ExportSetupError (the input: bad data or settings, or cancelled) or std::runtime_error (no
// OpenGL 3.3 core context, a shader failure), each with a one-line reason.
class VideoFrames {
public:
    // pump, when given, is called every ~20 ms while a scene is computed (on a worker thread), so
    // a GUI caller can keep processing events (progress, Cancel) meanwhile.
    explicit VideoFrames(const VideoJob& job, const physics::CancelFlag* cancel = nullptr,
                         std::function<void()> pump = {});
    ~VideoFrames();

    int count() const { return m_count; }
    // Frame i in [0, count()), RGBA8888 (straight alpha; opaque unless the job is transparent).
    // A null image when cancelled during a d-sweep's scene computation.
    QImage frame(int i);
    // Changes only what is burned in (no scene is recomputed): for previews while a title or a
    // formula is typed. A formula that does not parse throws formula::FormulaError from frame().
    void setDecorations(bool labels, const std::string& title, const std::string& formula);

private:
    void drawScene(std::size_t slot, const app::SceneData& scene, double clock, float yawOffset,
                   glm::ivec2 origin, glm::ivec2 size);
    void burnLabels(QImage& image, double d, double clock, const app::SceneData& scene) const;
    void burnImageTiles(QImage& image, const app::ImageTiles& tiles, double sigma) const;
    std::shared_ptr<const app::SceneData> compute(const app::SceneSettings& settings) const;
    // Quadrant q of the frame (0 top left, 1 top right, 2 bottom left, 3 bottom right): GL origin
    // (lower left) and size; odd sizes give the extra pixel to the right and top panels.
    QRect quadrant(std::size_t q) const;

    VideoJob m_job;
    const physics::CancelFlag* m_cancel;
    std::function<void()> m_pump;
    int m_count;
    std::unique_ptr<render::OffscreenTarget> m_target;
    std::array<std::shared_ptr<const app::SceneData>, 4> m_scenes;
    std::array<std::unique_ptr<render::SceneRenderer>, 4> m_renderers;
    render::AxisWarp m_warp;
    render::OrbitCamera m_camera;
    // The captions' and formula's fonts, found once per video (fontconfig, then QRawFont).
    std::unique_ptr<formula::QPainterFormulaFonts> m_fonts;
};

} // namespace psc::exporter
