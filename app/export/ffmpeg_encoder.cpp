// Video export on libavcodec/libavformat/libswscale: a temporary sibling is written and renamed
// onto the target only by a successful finish().
#include "app/export/ffmpeg_encoder.h"

#include "app/export/gif_palette.h"

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libswscale/swscale.h>
}

#include <QBuffer>
#include <QImageWriter>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <sys/stat.h>
#include <type_traits>
#include <unistd.h>

namespace psc::exporter {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxSide = 16384;

// Speeds measured on the 2-core development machine, 90 frames of 1280×720 gradients with
// 1500 moving dots and 64 curves, quality 70 (CRF 23 / 26), frames rendered beforehand:
//   x264 medium 30 fps (39.6 dB), fast 38, faster 47, veryfast 80 fps (38.7 dB, same size).
// Medium is no faster than real time at 30 fps before the scene is even rendered, so veryfast.
//   VP9 realtime cpu-used 5: 45 fps (42.5 dB), 6: 59 fps (42.4 dB), 8: 74 fps (41.6 dB, +30%).
// cpu-used 6 keeps twice real time, leaving the renderer a core's worth, for a smaller file.
constexpr const char* kX264Preset = "veryfast";
constexpr int kVp9CpuUsed = 6;

// unique_ptr deleters from FFmpeg's free functions, the T** ones (which null the pointer) or not.
template <auto release>
struct Release {
    template <class T>
    void operator()(T* p) const {
        if constexpr (std::is_invocable_v<decltype(release), T**>)
            release(&p);
        else
            release(p);
    }
};
void closeAndFree(AVFormatContext* c) {
    avio_closep(&c->pb);
    avformat_free_context(c);
}
struct Options {
    AVDictionary* dict = nullptr;
    ~Options() { av_dict_free(&dict); }
    void set(const char* key, const std::string& value) {
        av_dict_set(&dict, key, value.c_str(), 0);
    }
    // FFmpeg leaves the options it did not know in the dictionary; a misspelt one is a bug here.
    std::string firstUnused() const {
        const AVDictionaryEntry* e = av_dict_get(dict, "", nullptr, AV_DICT_IGNORE_SUFFIX);
        return e ? e->key : "";
    }
};

std::string avError(int rc) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(rc, text, sizeof text);
    return text;
}

// quality 1..100 onto a CRF range, linearly: best at 100, worst at 1.
int crfFor(int quality, int best, int worst) {
    return int(std::lround(worst - (quality - 1) * double(worst - best) / 99.0));
}

// The one layout sws and GifPalette read (0xAARRGGBB words, alpha ignored); others are converted.
QImage asRgb32(const QImage& image) {
    const QImage::Format f = image.format();
    if (f == QImage::Format_RGB32 || f == QImage::Format_ARGB32 ||
        f == QImage::Format_ARGB32_Premultiplied)
        return image;
    return image.convertToFormat(QImage::Format_RGB32);
}

std::string randomSuffix() {
    static constexpr char kChars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::random_device random;
    std::string s(6, 'x');
    for (char& c : s) c = kChars[random() % 36];
    return s;
}

} // namespace

struct FfmpegEncoder::State {
    fs::path target, temp;
    bool committed = false;
    std::unique_ptr<AVFormatContext, Release<closeAndFree>> format;
    std::unique_ptr<AVCodecContext, Release<avcodec_free_context>> codec;
    std::unique_ptr<AVFrame, Release<av_frame_free>> frame;
    std::unique_ptr<AVPacket, Release<av_packet_free>> packet;
    std::unique_ptr<SwsContext, Release<sws_freeContext>> sws;
    AVStream* stream = nullptr;
    GifPalette palette;
    // FFmpeg's gif muxer holds back the last packet and frees it only in its write_trailer (it
    // has no deinit), so an abandoned GIF still gets a trailer, into the file about to go.
    bool gifTrailerPending = false;

    ~State() {
        if (gifTrailerPending) av_write_trailer(format.get());
        // The file must be closed before it is removed.
        codec.reset();
        format.reset();
        std::error_code ignored;
        if (!temp.empty() && !committed) fs::remove_all(temp, ignored);
    }
};

void FfmpegEncoder::fail(const std::string& reason) const {
    throw ExportError("cannot export to '" + m_path + "': " + reason);
}

void FfmpegEncoder::check(int rc, const char* what) {
    if (rc >= 0) return;
    m_done = true;
    fail(std::string(what) + ": " + avError(rc));
}

FfmpegEncoder::FfmpegEncoder(const std::string& path, VideoFormat format,
                             const VideoSettings& settings)
    : m_path(path), m_format(format), m_settings(settings), m_state(std::make_unique<State>()) {
    const VideoSettings& s = settings;
    const std::string size = std::to_string(s.width) + "x" + std::to_string(s.height);
    if (s.width < 1 || s.height < 1 || s.width > kMaxSide || s.height > kMaxSide)
        fail("size " + size + " is outside 1..16384");
    if (s.fps < 1 || s.fps > 120) fail("fps " + std::to_string(s.fps) + " is outside 1..120");
    if (format == VideoFormat::Gif && s.fps > 50)
        fail("GIF stores delays in 1/100 s: at most 50 fps, not " + std::to_string(s.fps));
    if (s.quality < 1 || s.quality > 100)
        fail("quality " + std::to_string(s.quality) + " is outside 1..100");
    const bool yuv = format == VideoFormat::Mp4 || format == VideoFormat::WebM;
    if (yuv && (s.width % 2 || s.height % 2))
        fail(std::string(videoFormatName(format)) + " needs an even width and height, not " + size);
    const auto named = videoFormatForPath(path);
    if (named ? *named != format : format != VideoFormat::PngSequence)
        fail(std::string("the name does not fit ") + videoFormatName(format) +
             " (.mp4, .webm, .gif, or a directory ending in / for png frames)");

    State& st = *m_state;
    st.target = fs::path(path);
    if (!st.target.has_filename()) st.target = st.target.parent_path(); // "frames/" → "frames"
    const std::string name = st.target.filename().string();
    if (name.empty() || name == "." || name == "..") fail("not a file or directory name");
    const fs::path dir = st.target.has_parent_path() ? st.target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) fail("directory '" + dir.string() + "' does not exist");
    const bool png = format == VideoFormat::PngSequence;
    if (fs::is_directory(st.target, ec) && (!png || !fs::is_empty(st.target, ec)))
        fail(png ? "the directory exists and is not empty" : "it is a directory");
    if (png && fs::exists(st.target, ec) && !fs::is_directory(st.target, ec))
        fail("it exists and is not a directory");

    // A fresh name, created exclusively, so two exports to one path never share a temporary.
    for (int attempt = 0;; ++attempt) {
        st.temp = dir / ("." + name + ".part-" + randomSuffix());
        const int fd =
            png ? -1 : ::open(st.temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        const bool created = png ? ::mkdir(st.temp.c_str(), 0777) == 0 : fd >= 0;
        const int error = errno;
        if (fd >= 0) ::close(fd);
        if (created) break;
        if (error != EEXIST || attempt == 16) {
            st.temp.clear(); // not ours: never remove it
            fail("cannot write in directory '" + dir.string() + "': " + std::strerror(error));
        }
    }
    if (!png) openCodec();
}

void FfmpegEncoder::openCodec() {
    State& st = *m_state;
    const VideoSettings& s = m_settings;
    const bool gif = m_format == VideoFormat::Gif;
    const char* codecName = m_format == VideoFormat::Mp4 ? "libx264" : gif ? "gif" : "libvpx-vp9";
    const char* muxer = m_format == VideoFormat::Mp4 ? "mp4" : gif ? "gif" : "webm";
    const AVCodec* codec = avcodec_find_encoder_by_name(codecName);
    if (!codec) fail(std::string("the ") + codecName + " encoder is not available in this FFmpeg");

    // "file:" keeps a ':' in the path from being read as a protocol name.
    const std::string url = "file:" + st.temp.string();
    AVFormatContext* formatContext = nullptr;
    check(avformat_alloc_output_context2(&formatContext, nullptr, muxer, url.c_str()), "muxer");
    st.format.reset(formatContext);
    st.codec.reset(avcodec_alloc_context3(codec));
    st.frame.reset(av_frame_alloc());
    st.packet.reset(av_packet_alloc());
    if (!st.codec || !st.frame || !st.packet) fail("out of memory");

    AVCodecContext* c = st.codec.get();
    c->width = s.width;
    c->height = s.height;
    c->time_base = {1, s.fps};
    c->framerate = {s.fps, 1};
    c->pix_fmt = gif ? AV_PIX_FMT_PAL8 : AV_PIX_FMT_YUV420P;
    Options options;
    if (!gif) {
        c->gop_size = 2 * s.fps;
        c->thread_count = 0; // one per core
        // What sws writes (BT.709 matrix, 16..235), said in the stream so players undo it.
        c->color_primaries = AVCOL_PRI_BT709;
        c->color_trc = AVCOL_TRC_BT709;
        c->colorspace = AVCOL_SPC_BT709;
        c->color_range = AVCOL_RANGE_MPEG;
    }
    if (m_format == VideoFormat::Mp4) {
        options.set("preset", kX264Preset);
        options.set("crf", std::to_string(crfFor(s.quality, 15, 40)));
    } else if (m_format == VideoFormat::WebM) {
        c->bit_rate = 0; // with crf: constant quality (VPX_Q), no bitrate target
        options.set("crf", std::to_string(crfFor(s.quality, 15, 50)));
        options.set("deadline", "realtime");
        options.set("cpu-used", std::to_string(kVp9CpuUsed));
        options.set("row-mt", "1");
    }
    if (formatContext->oformat->flags & AVFMT_GLOBALHEADER) c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    check(avcodec_open2(c, codec, &options.dict), "opening the encoder");
    if (!options.firstUnused().empty())
        fail(std::string(codecName) + " has no option " + options.firstUnused());

    st.stream = avformat_new_stream(formatContext, nullptr);
    if (!st.stream) fail("out of memory");
    st.stream->time_base = c->time_base;
    st.stream->avg_frame_rate = c->framerate;
    check(avcodec_parameters_from_context(st.stream->codecpar, c), "stream parameters");
    check(avio_open(&formatContext->pb, url.c_str(), AVIO_FLAG_WRITE), "opening the file");
    Options muxing;
    // faststart: the muxer rewrites the file at the end with the index (moov) before the
    // data, so players and browsers can start before the whole file has arrived.
    if (m_format == VideoFormat::Mp4) muxing.set("movflags", "+faststart");
    if (gif) muxing.set("loop", "0"); // forever
    check(avformat_write_header(formatContext, &muxing.dict), "writing the header");
    st.gifTrailerPending = gif;
    if (!muxing.firstUnused().empty())
        fail(std::string(muxer) + " has no option " + muxing.firstUnused());

    st.frame->format = c->pix_fmt;
    st.frame->width = s.width;
    st.frame->height = s.height;
    check(av_frame_get_buffer(st.frame.get(), 0), "frame buffer");
    if (gif) return;
    st.sws.reset(sws_getContext(s.width, s.height, AV_PIX_FMT_RGB32, s.width, s.height,
                                AV_PIX_FMT_YUV420P, SWS_BILINEAR, nullptr, nullptr, nullptr));
    if (!st.sws) fail("no RGB to YUV conversion in this FFmpeg");
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(st.sws.get(), bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
}

void FfmpegEncoder::addFrame(const QImage& frame) {
    if (m_done) fail("a frame after finish() or an earlier error");
    if (frame.width() != m_settings.width || frame.height() != m_settings.height)
        fail("frame " + std::to_string(m_frames + 1) + " is " + std::to_string(frame.width()) +
             "x" + std::to_string(frame.height()) + ", not " + std::to_string(m_settings.width) +
             "x" + std::to_string(m_settings.height));
    if (m_format == VideoFormat::PngSequence) {
        savePng(frame);
        ++m_frames;
        return;
    }
    State& st = *m_state;
    AVFrame* f = st.frame.get();
    // The encoder may still hold the previous frame (gif.c keeps it to find what changed).
    check(av_frame_make_writable(f), "frame buffer");
    const QImage image = asRgb32(frame);
    if (m_format == VideoFormat::Gif) {
        st.palette.map(image, f->data[0], f->linesize[0]);
        std::memcpy(f->data[1], st.palette.colours().data(), AVPALETTE_SIZE);
    } else {
        const std::uint8_t* planes[1] = {image.constBits()};
        const int strides[1] = {int(image.bytesPerLine())};
        check(sws_scale(st.sws.get(), planes, strides, 0, image.height(), f->data, f->linesize),
              "RGB to YUV");
    }
    f->pts = m_frames;
    check(avcodec_send_frame(st.codec.get(), f), "encoding");
    drain();
    ++m_frames;
}

void FfmpegEncoder::drain() {
    State& st = *m_state;
    AVPacket* p = st.packet.get();
    for (;;) {
        const int rc = avcodec_receive_packet(st.codec.get(), p);
        if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
        check(rc, "encoding");
        // Every frame lasts 1/fps; encoders leave the duration out, and the muxers need it for
        // the last frame (mp4 sample duration, gif delay).
        if (p->duration <= 0) p->duration = 1;
        av_packet_rescale_ts(p, st.codec->time_base, st.stream->time_base);
        p->stream_index = st.stream->index;
        check(av_interleaved_write_frame(st.format.get(), p), "writing");
    }
}

void FfmpegEncoder::savePng(const QImage& frame) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%05d.png", m_frames + 1);
    // Encoded in memory, written with POSIX calls: on a full disk QImageWriter and QFile both
    // say only "Unknown error".
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    QImageWriter writer(&buffer, "png");
    if (!writer.write(frame)) {
        m_done = true;
        fail(std::string("encoding ") + name + ": " + writer.errorString().toStdString());
    }
    const int fd =
        ::open((m_state->temp / name).c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    int error = fd < 0 ? errno : 0;
    for (qsizetype done = 0; !error && done < bytes.size();) {
        const ssize_t n = ::write(fd, bytes.constData() + done, std::size_t(bytes.size() - done));
        if (n >= 0)
            done += n;
        else if (errno != EINTR)
            error = errno;
    }
    if (fd >= 0 && ::close(fd) != 0 && !error) error = errno;
    if (error) {
        m_done = true;
        fail(std::string("writing ") + name + ": " + std::strerror(error));
    }
}

void FfmpegEncoder::finish() {
    if (m_done) fail("finish() after finish() or an earlier error");
    if (m_frames == 0) fail("no frames were added");
    m_done = true;
    State& st = *m_state;
    if (m_format != VideoFormat::PngSequence) {
        check(avcodec_send_frame(st.codec.get(), nullptr), "flushing the encoder");
        drain();
        AVFormatContext* f = st.format.get();
        st.gifTrailerPending = false;
        check(av_write_trailer(f), "writing the trailer");
        check(f->pb->error, "writing");
        check(avio_closep(&f->pb), "closing the file");
    }
    std::error_code ec;
    fs::rename(st.temp, st.target, ec);
    if (ec) fail("renaming the finished file: " + ec.message());
    st.committed = true;
}

FfmpegEncoder::~FfmpegEncoder() = default;

} // namespace psc::exporter
