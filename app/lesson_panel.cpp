// Lesson window: fixed width so the text wraps the same on every step, height to fit.
#include "app/lesson_panel.h"

#include "app/formula/formula_imgui.h"

#include <QStringList>

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>
#include <vector>

namespace psc::app {
namespace {

void remember(float rect[4]) {
    const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
    rect[0] = lo.x, rect[1] = lo.y, rect[2] = hi.x, rect[3] = hi.y;
}

// The step's measured result: a bar per row from 0 to its mean, its interval as a whisker, the
// numbers at the right, and the caption in words under it.
void chartItem(const LessonChart& chart) {
    ImGui::Spacing();
    ImGui::TextColored(ImVec4(0.75f, 0.9f, 1.0f, 1.0f), "%s", chart.title.toStdString().c_str());
    float labelWidth = 0, valueWidth = 0;
    double top = 0;
    std::vector<std::string> values;
    for (const auto& bar : chart.bars) {
        labelWidth = std::max(labelWidth, ImGui::CalcTextSize(bar.label.toStdString().c_str()).x);
        char text[64];
        std::snprintf(text, sizeof text, "%.3g [%.3g, %.3g]", bar.mean, bar.lo, bar.hi);
        values.emplace_back(text);
        valueWidth = std::max(valueWidth, ImGui::CalcTextSize(text).x);
        top = std::max(top, bar.hi);
    }
    const float row = ImGui::GetFontSize() * 1.35f, gap = ImGui::GetFontSize() * 0.6f;
    const float width = ImGui::GetContentRegionAvail().x;
    const float plot = std::max(40.0f, width - labelWidth - valueWidth - 2 * gap);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text), barColor = IM_COL32(90, 150, 230, 255),
                whisker = IM_COL32(240, 240, 240, 255);
    auto xOf = [&](double v) {
        return origin.x + labelWidth + gap + static_cast<float>(top > 0 ? v / top : 0) * plot;
    };
    for (std::size_t i = 0; i < chart.bars.size(); ++i) {
        const auto& bar = chart.bars[i];
        const float y = origin.y + i * row, mid = y + row / 2;
        draw->AddText(
            ImVec2(origin.x + labelWidth - ImGui::CalcTextSize(bar.label.toStdString().c_str()).x,
                   mid - ImGui::GetFontSize() / 2),
            text, bar.label.toStdString().c_str());
        draw->AddRectFilled(ImVec2(xOf(0), y + row * 0.2f), ImVec2(xOf(bar.mean), y + row * 0.8f),
                            barColor);
        draw->AddLine(ImVec2(xOf(bar.lo), mid), ImVec2(xOf(bar.hi), mid), whisker, 1.5f);
        for (double end : {bar.lo, bar.hi})
            draw->AddLine(ImVec2(xOf(end), y + row * 0.3f), ImVec2(xOf(end), y + row * 0.7f),
                          whisker, 1.5f);
        draw->AddText(
            ImVec2(origin.x + labelWidth + plot + 2 * gap, mid - ImGui::GetFontSize() / 2), text,
            values[i].c_str());
    }
    ImGui::Dummy(ImVec2(width, row * chart.bars.size()));
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("%s", chart.axis.toStdString().c_str());
    ImGui::TextUnformatted(chart.caption.toStdString().c_str());
    ImGui::PopTextWrapPos();
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
    if (s.chart) chartItem(*s.chart);
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
