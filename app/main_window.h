// The application window. For now a preview of the default scene; the GL viewer replaces the centre.
#pragma once

#include <QMainWindow>

namespace psc::app {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace psc::app
