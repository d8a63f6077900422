// Every item ImGui's widgets add, seen as they add it: ImGui::ItemAdd is wrapped at link time
// (psc_observe_imgui_items in tests/app/CMakeLists.txt links with -Wl,--wrap; Debian's libimgui is
// static and its widgets call ItemAdd from another object file, so every widget of every window
// passes through here, whoever wrote the panel). Include from one source file of a test.
#pragma once

#include <imgui.h>
#include <imgui_internal.h>

#include <functional>

namespace psc::test {

struct SubmittedItem {
    ImGuiWindow* window; // the window it was added to
    ImGuiID id;          // 0 for items that take no input (text)
    ImRect rect;
};

// Called for every item added while set.
inline std::function<void(const SubmittedItem&)>& itemObserver() {
    static std::function<void(const SubmittedItem&)> observer;
    return observer;
}

} // namespace psc::test

extern "C" bool __real__ZN5ImGui7ItemAddERK6ImRectjPS1_i(const ImRect&, ImGuiID, const ImRect*,
                                                         ImGuiItemFlags);
extern "C" bool __wrap__ZN5ImGui7ItemAddERK6ImRectjPS1_i(const ImRect& bb, ImGuiID id,
                                                         const ImRect* navBb,
                                                         ImGuiItemFlags flags) {
    if (const auto& observe = psc::test::itemObserver())
        observe({ImGui::GetCurrentWindow(), id, bb});
    return __real__ZN5ImGui7ItemAddERK6ImRectjPS1_i(bb, id, navBb, flags);
}
