#include "capture/capture_reader.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <pcap/pcap.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "capture/pcapng_reader.h"

namespace tcpgrade {
namespace {

constexpr size_t read_buffer_size = 256 * 1024;

// The byte count in libpcap's "tried to read N file header bytes, only got M", or -1.
long header_bytes_read(const std::string& libpcap_message) {
  size_t at = libpcap_message.find("only got ");
  if (at == std::string::npos) return -1;
  return std::strtol(libpcap_message.c_str() + at + 9, nullptr, 10);
}

// libpcap's messages are written for programmers; say what a student's file is instead. The
// size comes from what libpcap read, not from stat: a pipe has none, and /proc files say 0.
std::string explain_open_error(const std::string& path, const std::string& libpcap_message,
                               long file_size) {
  const std::string read_error = "error reading dump file: ";
  if (libpcap_message.rfind(read_error, 0) == 0)
    return fmt::format("{}: cannot read: {}", path, libpcap_message.substr(read_error.size()));
  if (libpcap_message.find("unknown file format") != std::string::npos)
    return fmt::format("{}: not a pcap or pcapng capture (unknown file format)", path);
  long got = header_bytes_read(libpcap_message);
  if (got == 0 && libpcap_message.find("read 4 file header bytes") != std::string::npos)
    return fmt::format("{}: empty file (0 bytes), not a capture", path);
  if (libpcap_message.find("truncated dump file") != std::string::npos ||
      libpcap_message.find("truncated pcapng dump file") != std::string::npos) {
    if (file_size < 0)
      return fmt::format("{}: capture file cut short inside its file header", path);
    return fmt::format("{}: capture file cut short inside its file header ({} bytes)", path,
                       file_size);
  }
  return fmt::format("{}: not a readable capture ({})", path, libpcap_message);
}

}  // namespace

CaptureReader::CaptureReader(const std::string& path) : path_(path) {
  if (path == "-") {
    file_ = stdin;
    open_stream(-1);
    return;
  }
  struct stat info {};
  if (stat(path.c_str(), &info) != 0)
    throw CaptureError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  if (S_ISDIR(info.st_mode)) throw CaptureError(fmt::format("{}: is a directory", path));
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw CaptureError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  open_stream(S_ISREG(info.st_mode) ? static_cast<long>(info.st_size) : -1);
}

CaptureReader::CaptureReader(int fd, const std::string& path) : path_(path) {
  struct stat info {};
  if (::fstat(fd, &info) != 0)
    throw CaptureError(fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  if (S_ISDIR(info.st_mode)) throw CaptureError(fmt::format("{}: is a directory", path));
  // A duplicate: fclose (through pcap_close) closes it, never the caller's descriptor.
  int own = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (own >= 0) file_ = ::fdopen(own, "rb");
  if (!file_) {
    int error = errno;
    if (own >= 0) ::close(own);
    throw CaptureError(fmt::format("{}: cannot open: {}", path, std::strerror(error)));
  }
  open_stream(S_ISREG(info.st_mode) ? static_cast<long>(info.st_size) : -1);
}

void CaptureReader::open_stream(long file_size) {
  const std::string& path = path_;
  // libpcap reads each record with two freads: a large stdio buffer makes that one read
  // system call per 256 KiB instead of per 4 KiB. Set before the first read of the stream;
  // not on stdin, which outlives this reader and so its buffer.
  if (file_ != stdin) {
    read_buffer_ = std::make_unique<char[]>(read_buffer_size);
    std::setvbuf(file_, read_buffer_.get(), _IOFBF, read_buffer_size);
  }
  // A regular file's first bytes can be looked at without consuming them; a pipe's cannot, so
  // a pcapng stream on stdin stays libpcap's (one link type).
  uint8_t magic[4];
  if (file_ != stdin && ::pread(fileno(file_), magic, 4, 0) == 4 &&
      std::equal(magic, magic + 4, "\x0a\x0d\x0d\x0a")) {
    try {
      pcapng_ = std::make_unique<PcapngReader>(file_, path, file_size);
    } catch (...) {
      std::fclose(file_);
      file_ = nullptr;
      throw;
    }
    size_at_open_ = file_size;
    link_type_ = pcapng_->first_link_type();
    snap_length_ = pcapng_->first_snap_length();
    return;
  }
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  handle_ = pcap_fopen_offline_with_tstamp_precision(file_, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (!handle_) {
    if (file_ != stdin) std::fclose(file_);
    file_ = nullptr;
    throw CaptureError(explain_open_error(path == "-" ? "<stdin>" : path, errbuf, file_size));
  }
  size_at_open_ = file_size;
  link_type_ = pcap_datalink(handle_);
  snap_length_ = static_cast<uint32_t>(pcap_snapshot(handle_));
  // Classic pcap records are a 16-byte header and the captured bytes: where each starts is
  // counted, not asked of ftell (a system call per frame). pcapng keeps asking.
  if (file_ != stdin && ::pread(fileno(file_), magic, 4, 0) == 4) {
    uint32_t m = static_cast<uint32_t>(magic[0]) << 24 | magic[1] << 16 | magic[2] << 8 | magic[3];
    if (m == 0xa1b2c3d4 || m == 0xd4c3b2a1 || m == 0xa1b23c4d || m == 0x4d3cb2a1)
      next_record_ = std::ftell(file_);
  }
}

CaptureReader::~CaptureReader() {
  if (handle_) pcap_close(handle_);  // closes file_ too
  if (pcapng_ && file_ && file_ != stdin) std::fclose(file_);
}

std::string CaptureReader::link_type_name() const {
  const char* name = pcap_datalink_val_to_name(link_type_);
  return name ? fmt::format("{} ({})", name, link_type_) : fmt::format("{}", link_type_);
}

bool CaptureReader::next(RawFrame& frame) {
  if (pcapng_ && !warning_) {
    if (pcapng_->next(frame)) return true;
    if (std::optional<std::string> shrunk = shrunk_while_read())
      warning_ = std::move(shrunk);
    else
      warning_ = pcapng_->warning();
    return false;
  }
  if (!handle_ || warning_) return false;
  long record_start = next_record_ >= 0 ? next_record_ : file_ ? std::ftell(file_) : -1;
  pcap_pkthdr* header = nullptr;
  const u_char* data = nullptr;
  int result = pcap_next_ex(handle_, &header, &data);
  if (result == 1) {
    // A record libpcap may have cut to its buffer takes more bytes than it reports: from
    // there on, ask ftell.
    bool whole = header->caplen <= header->len && header->caplen < snap_length_;
    next_record_ =
        next_record_ >= 0 && whole ? next_record_ + 16 + static_cast<long>(header->caplen) : -1;
    frame.number = ++frames_read_;
    frame.timestamp = {static_cast<int64_t>(header->ts.tv_sec),
                       static_cast<uint32_t>(header->ts.tv_usec)};  // nanoseconds, see open
    frame.captured_length = header->caplen;
    frame.wire_length = header->len;
    frame.bytes = {data, header->caplen};
    frame.link_type = link_type_;
    return true;
  }
  if (std::optional<std::string> shrunk = shrunk_while_read()) {
    warning_ = std::move(shrunk);
  } else if (result == PCAP_ERROR) {
    std::string message = pcap_geterr(handle_);
    const std::string& name = path_ == "-" ? std::string("<stdin>") : path_;
    // libpcap reads one link type per file; what follows the second interface is lost, so
    // grading the frames before it would grade half a capture.
    if (message.find("different from the type of the first interface") != std::string::npos)
      throw CaptureError(fmt::format(
          "{}: pcapng file mixes link types (the first interface is {}, a later one is not); "
          "libpcap reads one link type per file: keep one interface with "
          "tshark -r FILE -Y 'frame.interface_id == 0' -w OUT.pcapng",
          name, link_type_name()));
    // libpcap reads a record whole, so the record that failed starts where the file stood.
    std::string where = record_start >= 0 ? fmt::format(" at byte {}", record_start) : "";
    warning_ = fmt::format(
        "{}: file cut short{} (frame {} incomplete: {}); using the {} frame{} "
        "before it",
        name, where, frames_read_ + 1, message, frames_read_, frames_read_ == 1 ? "" : "s");
  }
  return false;
}

std::optional<std::string> CaptureReader::shrunk_while_read() const {
  // A file now shorter than when it was opened was truncated by another process while it was
  // read: libpcap sees an end or a short record, and the frames after the cut are lost.
  struct stat info {};
  if (size_at_open_ < 0 || !file_ || ::fstat(::fileno(file_), &info) != 0 ||
      info.st_size >= size_at_open_)
    return std::nullopt;
  return fmt::format(
      "{}: the file shrank from {} to {} bytes while it was read (another "
      "process truncated it); using the {} frame{} read before",
      path_, size_at_open_, static_cast<long>(info.st_size), frames_read_,
      frames_read_ == 1 ? "" : "s");
}

std::optional<uint64_t> CaptureReader::dropped() const {
  return pcapng_ ? pcapng_->dropped() : std::nullopt;
}

}  // namespace tcpgrade
