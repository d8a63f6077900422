// A video file as an independent reader sees it: Debian's ffprobe, run as a process.
#pragma once

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>

struct VideoProbe {
    QString codec, pixFmt; // empty when ffprobe could not read the file
    int width = 0, height = 0, frames = 0;
    double duration = 0;
};

// The first video stream: codec, pixel format, size, decoded frame count, container duration.
inline VideoProbe probeVideo(const QString& path) {
    QProcess p;
    p.start("ffprobe", {"-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                        "stream=codec_name,width,height,nb_read_frames,pix_fmt", "-show_entries",
                        "format=duration", "-of", "json", path});
    p.waitForFinished(60000);
    const QJsonObject root = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    const QJsonObject stream = root["streams"].toArray().at(0).toObject();
    VideoProbe r;
    r.codec = stream["codec_name"].toString();
    r.pixFmt = stream["pix_fmt"].toString();
    r.width = stream["width"].toInt();
    r.height = stream["height"].toInt();
    r.frames = stream["nb_read_frames"].toString().toInt();
    r.duration = root["format"].toObject()["duration"].toString().toDouble();
    return r;
}
