// The viewport's lessons: each step is applied as a scene, a view and learned-field actions; the
// step's training waits until its own data are on screen, and only D values without a field are
// trained.
#include "app/scene/learned_trainer.h"
#include "app/viewport_widget.h"

#include "physics/extra_dims.h"

#include <algorithm>
#include <cmath>

namespace psc::app {

void ViewportWidget::startLesson(Lesson lesson) {
    m_lesson = std::move(lesson);
    goToLessonStep(0);
}

void ViewportWidget::endLesson() {
    m_lesson.reset();
    m_lessonTrain.reset();
    update();
}

void ViewportWidget::goToLessonStep(int step) {
    if (!m_lesson) return;
    m_lessonStep = std::clamp(step, 0, static_cast<int>(m_lesson->steps.size()) - 1);
    const LessonStep& s = m_lesson->steps[static_cast<std::size_t>(m_lessonStep)];
    ViewSettings view = s.scene.view;
    view.compute = m_view.compute; // the machine's choice, not the lesson's
    setViewSettings(view);
    m_flowsLearned = s.flowsLearned.value_or(false);
    setSceneSettings(s.scene.scene);
    // Every step starts framed and at the top of its flow, even on the same data.
    m_lessonFramePending = true;
    if (s.scene.camera)
        setPendingCamera(
            [camera = *s.scene.camera](render::OrbitCamera& c) { applyCameraState(c, camera); });
    if (s.openLearnedPanel) openLearnedPanel();
    m_lessonTrain.reset();
    if (!s.trainDs.empty()) m_lessonTrain = LessonTraining{s.trainDs, s.trainSteps};
    m_sinceInput.restart();
    update();
}

void ViewportWidget::serviceLessonTraining() {
    if (!m_lessonTrain || !m_data || !showsCurrentScene()) return;
    const TrainerState state = m_trainer->state();
    std::vector<double> needed;
    for (double d : m_lessonTrain->ds) {
        const bool pending =
            std::any_of(state.pendingDs.begin(), state.pendingDs.end(), [&](double p) {
                return p == d || (physics::isInfiniteD(p) && physics::isInfiniteD(d));
            });
        if (!pending && !pickLearnedModel(state.models, d, m_data->charges)) needed.push_back(d);
    }
    physics::TrainSettings settings;
    settings.steps = m_lessonTrain->steps;
    m_lessonTrain.reset();
    if (!needed.empty()) trainOnScene(needed, settings);
}

std::string ViewportWidget::lessonNote(const TrainerState& trainer) const {
    if (!trainer.busy || trainer.stage.empty()) return {};
    if (trainer.step == 0) return trainer.stage + ": starting";
    char text[160];
    std::snprintf(text, sizeof text, "%s: %d%%, about %.0f s left%s", trainer.stage.c_str(),
                  trainer.steps > 0 ? 100 * trainer.step / trainer.steps : 0, trainer.etaSeconds,
                  trainer.queued ? " for this field" : "");
    return text;
}

void ViewportWidget::drawLessonFrame(const TrainerState& trainer) {
    if (!m_lesson) return;
    const auto r = drawLessonPanel(*m_lesson, m_lessonStep, lessonNote(trainer), m_lessonMemory);
    if (r.close)
        endLesson();
    else if (r.go)
        goToLessonStep(m_lessonStep + r.go);
}

} // namespace psc::app
