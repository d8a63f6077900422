// Lesson window: fixed width so the text wraps the same on every step, height to fit.
#include "app/lesson_panel.h"

#include "app/formula/formula_imgui.h"

#include <QStringList>

#include <imgui.h>

#include <algorithm>
#include <cfloat>

namespace psc::app {
namespace {

void remember(float rect[4]) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    rect[0] = lo.x, rect[1] = lo.y, rect[2] = hi.x, rect[3] = hi.y;
}

} // namespace

LessonPanelResult drawLessonPanel(const Lesson& lesson, int step, const std::string& note,
                                  LessonPanelMemory& memory) {
    LessonPanelResult result;
    const LessonStep& s = lesson.steps[static_cast<std::size_t>(step)];
    const int count = static_cast<int>(lesson.steps.size());
    // Placed by the caller at the top of the right column, beside the scene, never over it.
    ImGui::SetNextWindowBgAlpha(0.94f);
    // The title names the lesson; the ### part keeps one window across lessons.
    const std::string title = lesson.title.toStdString() + "###lesson";
    if (!ImGui::Begin(title.c_str(), nullptr,
                      ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove)) {
        ImGui::End();
        return result;
    }
    ++memory.framesDrawn;
    char progress[48];
    std::snprintf(progress, sizeof progress, "step %d of %d", step + 1, count);
    ImGui::ProgressBar(static_cast<float>(step + 1) / count,
                       ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 0.9f),
                       progress);
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.45f, 1.0f), "%d. %s", step + 1,
                       s.title.toStdString().c_str());
    ImGui::Spacing();
    ImGui::PushTextWrapPos(0.0f);
    for (const QString& paragraph : s.text.split("\n\n")) {
        ImGui::TextUnformatted(paragraph.toStdString().c_str());
        ImGui::Spacing();
    }
    ImGui::PopTextWrapPos();
    if (!s.formula.isEmpty()) {
        // The formula typeset on a blackboard of its own, centred, the board as tall as it is.
        const ImVec2 padding(ImGui::GetFontSize() * 0.8f, ImGui::GetFontSize() * 0.6f);
        const formula::ImGuiFormula board = formula::layoutImGuiFormula(
            s.formula.toStdString(), ImGui::GetContentRegionAvail().x - 2 * padding.x);
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.10f, 0.14f, 0.22f, 1.0f));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, padding);
        ImGui::BeginChild("formula", ImVec2(0, board.size.y + 2 * padding.y), false,
                          ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_AlwaysUseWindowPadding);
        if (board.error.empty())
            ImGui::SetCursorPosX(std::max(padding.x, (ImGui::GetWindowWidth() - board.size.x) / 2));
        formula::formulaItem(board, ImGui::GetColorU32(ImVec4(0.75f, 0.9f, 1.0f, 1.0f)));
        ImGui::EndChild();
        ImGui::PopStyleVar();
        ImGui::PopStyleColor();
    }
    if (!note.empty()) ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.35f, 1.0f), "%s", note.c_str());
    ImGui::Spacing();
    ImGui::BeginDisabled(step == 0);
    if (ImGui::Button("< Back")) result.go = -1;
    remember(memory.backRect);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Previous step (Page Up)");
    ImGui::SameLine();
    if (step + 1 < count) {
        if (ImGui::Button("Next >")) result.go = +1;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Next step (Page Down)");
    } else {
        if (ImGui::Button("Finish")) result.close = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("End the lesson; the scene stays.");
    }
    remember(memory.nextRect);
    ImGui::SameLine(ImGui::GetContentRegionMax().x - ImGui::CalcTextSize("Close").x -
                    2 * ImGui::GetStyle().FramePadding.x);
    if (ImGui::Button("Close")) result.close = true;
    remember(memory.closeRect);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("End the lesson (Esc); the scene stays.");
    ImGui::End();
    return result;
}

} // namespace psc::app
