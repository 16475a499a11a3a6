// Reads frames from a pcap or pcapng file (or stdin) through libpcap, with nanosecond
// timestamps whatever the file's precision. Opening problems are errors; a file cut short in
// the middle of a record is not: the frames before it are delivered and a warning is kept.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "capture/decoded_frame.h"

struct pcap;

namespace tcpgrade {

class PcapngReader;

// A capture that cannot be read at all. what() is one line naming the file and the cause.
class CaptureError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RawFrame {
  uint64_t number = 0;  // 1-based
  Timestamp timestamp;
  uint32_t captured_length = 0;
  uint32_t wire_length = 0;
  std::span<const uint8_t> bytes;  // valid until the next call to next()
  int link_type = 0;               // libpcap's DLT_ value: a pcapng file's interfaces differ
};

class CaptureReader {
 public:
  // path "-" reads standard input. Throws CaptureError.
  explicit CaptureReader(const std::string& path);
  // Reads `fd`, a file already open at its start (grade opens each submission once, without
  // following symlinks, and hands its children the descriptor). The reader reads a duplicate,
  // so `fd` stays the caller's; `path` names the file in messages, exactly as the path
  // constructor would. Throws CaptureError.
  CaptureReader(int fd, const std::string& path);
  ~CaptureReader();
  CaptureReader(const CaptureReader&) = delete;
  CaptureReader& operator=(const CaptureReader&) = delete;

  // The next frame, or false at the end of the file (or where it was cut short).
  bool next(RawFrame& frame);

  // libpcap's DLT_ value: the file's, or a pcapng file's first interface's (each frame has its
  // own in RawFrame::link_type).
  int link_type() const { return link_type_; }
  std::string link_type_name() const;
  uint32_t snap_length() const { return snap_length_; }
  const std::string& path() const { return path_; }
  // Set when the file ended in the middle of a record, e.g.
  // "LEARN.pcap: file cut short at byte 1234 (frame 9 incomplete); using the 8 frames before it",
  // or "LEARN.pcap: the file shrank to 500 bytes while it was read ...".
  const std::optional<std::string>& warning() const { return warning_; }
  // Packets the capturing tool recorded as dropped (pcapng interface statistics), once the
  // file has been read to its end; none for pcap files and pcapng without such counters.
  std::optional<uint64_t> dropped() const;

 private:
  // Sets up libpcap on file_ (owned unless stdin); `file_size` is -1 unless a regular file.
  void open_stream(long file_size);
  std::optional<std::string> shrunk_while_read() const;

  std::string path_;
  std::unique_ptr<char[]> read_buffer_;  // file_'s stdio buffer; outlives it (closed first)
  FILE* file_ = nullptr;
  pcap* handle_ = nullptr;
  // A pcapng regular file is read by our own reader (pcapng_reader.h): libpcap reads only one
  // link type per file.
  std::unique_ptr<PcapngReader> pcapng_;
  int link_type_ = 0;
  uint32_t snap_length_ = 0;
  uint64_t frames_read_ = 0;
  long size_at_open_ = -1;  // regular files only
  long next_record_ = -1;   // file offset of the next classic pcap record; -1: ask ftell
  std::optional<std::string> warning_;
};

}  // namespace tcpgrade
