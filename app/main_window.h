// The application window: menus, the OpenGL viewport with its ImGui panel, and the status bar.
#pragma once

#include "app/scene/learned_field_store.h"
#include "app/scene/scene_file.h"
#include "app/scene/scene_session.h"
#include "app/theme.h"

#include <QMainWindow>
#include <QStringList>
#include <QVariantMap>

#include <vector>

class QAction;
class QLabel;
class QMenu;
class QTimer;

namespace psc::app {

class ViewportWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;
    // The scene the window shows; the viewport draws it.
    SceneSession& session() { return m_session; }
    ViewportWidget* viewport() const { return m_viewport; }

    // Opens a data file (.csv/.npy/.ply/.xyz) or a scene file (.json). Returns false after telling
    // the user why; the current scene is then untouched.
    bool openFile(const QString& path);
    // Starts a lesson file (built-in ones are under :/lessons). Returns false after telling the
    // user why; a running lesson and the scene are then untouched.
    bool openLesson(const QString& path);
    // Saves the scene, view and camera; false (after a message box) on failure.
    bool saveScene(const QString& path);

    // The last run's theme, panel layout, learned fields and (with scene) scene, view and camera;
    // a saved scene that no longer loads is reported in the status bar and the default scene
    // stays. From then on the session is saved a few seconds after any change (and on close),
    // atomically, so a killed window loses nothing. main() restores; tests that want a fresh
    // window do not.
    void restoreSession(bool scene = true);
    // Writes what changed since the last save; true when something was written.
    bool saveSession();
    void setTheme(Theme theme);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void buildMenus();
    void saveScreenshot(bool transparent);
    void exportVideo();
    void exportTrajectories();
    bool openData(const QString& path);
    void showNotice(const QString& text);
    bool openScene(const QString& path);
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    QVariantMap sessionValues();

    SceneSession m_session;
    ViewportWidget* m_viewport;
    QLabel* m_frameLabel;
    QMenu* m_recentMenu = nullptr;
    QLabel* m_notice = nullptr;
    std::vector<QAction*> m_themeActions;
    LearnedFieldStore m_fieldStore;
    QVariantMap m_saved; // what the settings hold, as last written or read
    QTimer* m_autosave = nullptr;
};

} // namespace psc::app
