// Fusion plus a palette is the one Qt style that looks the same on every desktop and follows a
// palette fully; ImGui's own light and dark colour sets, with the panel's shapes on top.
#include "app/theme.h"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

#include <imgui.h>

namespace psc::app {

const char* themeName(Theme theme) {
    return theme == Theme::Light ? "light" : "dark";
}

std::optional<Theme> parseTheme(std::string_view name) {
    if (name == "dark") return Theme::Dark;
    if (name == "light") return Theme::Light;
    return std::nullopt;
}

void applyQtTheme(Theme theme) {
    QApplication::setStyle(QStyleFactory::create("Fusion"));
    if (theme == Theme::Light) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    QPalette p;
    const QColor window(37, 40, 48), base(26, 28, 34), text(225, 228, 236), accent(74, 130, 210);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::white);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent.lighter(130));
    p.setColor(QPalette::PlaceholderText, text.darker(160));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, text.darker(180));
    QApplication::setPalette(p);
}

void applyImGuiTheme(Theme theme) {
    if (theme == Theme::Light)
        ImGui::StyleColorsLight();
    else
        ImGui::StyleColorsDark();
    ImGuiStyle& style = ImGui::GetStyle();
    style.WindowRounding = 6.0f;
    style.FrameRounding = 4.0f;
    style.Colors[ImGuiCol_WindowBg].w = theme == Theme::Light ? 0.92f : 0.88f;
    // ImGui draws a slider's value over its grab. A thin grab covers a sliver of a digit at most,
    // and a grab dark enough for white text (contrast ≥ 4.5:1, WCAG AA; the light set's already
    // is for black text) keeps that sliver readable. Integer sliders of few values still get a
    // grab one value wide, which the same colours keep readable.
    style.GrabMinSize = 4.0f;
    style.GrabRounding = 2.0f;
    if (theme == Theme::Dark) {
        style.Colors[ImGuiCol_SliderGrab] = ImVec4(0.26f, 0.40f, 0.62f, 1.0f);
        style.Colors[ImGuiCol_SliderGrabActive] = ImVec4(0.28f, 0.46f, 0.74f, 1.0f);
    }
}

} // namespace psc::app
