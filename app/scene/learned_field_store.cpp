#include "app/scene/learned_field_store.h"

#include "app/scene/learned_fields.h"
#include "app/scene/learned_model.h"

#include <QDir>
#include <QFile>
#include <QUuid>

#include <algorithm>

namespace psc::app {

LearnedFieldStore::LearnedFieldStore(QString dir) : m_dir(std::move(dir)) {}

QStringList LearnedFieldStore::sync(const LearnedFields& fields, QStringList* problems) {
    const auto models = fields.trainer().state().models;
    std::vector<std::pair<std::shared_ptr<const LearnedModel>, QString>> kept;
    QStringList names;
    for (const auto& model : models) {
        auto known = std::find_if(m_onDisk.begin(), m_onDisk.end(),
                                  [&](const auto& entry) { return entry.first == model; });
        QString name;
        if (known != m_onDisk.end()) {
            name = known->second;
        } else {
            if (!QDir().mkpath(m_dir)) {
                if (problems) *problems << "cannot create " + m_dir;
                continue;
            }
            // Unique names: a field removed and a new one made must not share a file.
            name = QUuid::createUuid().toString(QUuid::WithoutBraces) + ".field";
            if (const auto error = fields.save(QDir(m_dir).filePath(name), model)) {
                if (problems) *problems << *error;
                continue;
            }
        }
        kept.emplace_back(model, name);
        names << name;
    }
    for (const auto& [model, name] : m_onDisk)
        if (!names.contains(name)) QFile::remove(QDir(m_dir).filePath(name));
    m_onDisk = std::move(kept);
    return names;
}

QStringList LearnedFieldStore::restore(LearnedFields& fields, const QStringList& files) {
    QStringList problems;
    for (const QString& name : files) {
        try {
            auto model = fields.load(QDir(m_dir).filePath(name), "kept from the last session");
            m_onDisk.emplace_back(std::move(model), name);
        } catch (const std::exception& e) {
            problems << QString::fromUtf8(e.what());
        }
    }
    return problems;
}

} // namespace psc::app
