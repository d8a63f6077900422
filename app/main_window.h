// The application window: menus, the OpenGL viewport with its ImGui panel, and the status bar.
#pragma once

#include <QMainWindow>

class QLabel;

namespace psc::app {

class ViewportWidget;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ViewportWidget* viewport() const { return m_viewport; }

private:
    void buildMenus();
    void saveScreenshot();
    void openData(const QString& path);

    ViewportWidget* m_viewport;
    QLabel* m_frameLabel;
};

} // namespace psc::app
