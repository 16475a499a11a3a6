// Reads a pcapng file block by block, each frame with the link type of its own interface.
// libpcap reads a pcapng file as if it had one link type: a second interface of another type
// stops it, and so does a second LINKTYPE_RAW interface (it compares the first interface's
// DLT_RAW, 12, with the next one's LINKTYPE_RAW, 101). tshark reads both; so do we. Follows
// the pcapng specification (draft-ietf-opsawg-pcapng): SHB, IDB (if_tsresol, if_tsoffset),
// EPB, SPB, the obsolete packet block and the interface statistics' drop counters; other
// blocks are skipped.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "capture/capture_reader.h"

namespace tcpgrade {

class PcapngReader {
 public:
  // Reads the section header and the blocks up to the first interface description, from
  // `file` at its start (not owned). `name` names the file in messages. Throws CaptureError.
  PcapngReader(FILE* file, std::string name, long file_size);

  // The next frame, or false at the end; a file cut short or a malformed block ends the
  // frames, with warning() set as libpcap's reading would.
  bool next(RawFrame& frame);

  int first_link_type() const { return interfaces_.front().link_type; }
  uint32_t first_snap_length() const { return interfaces_.front().snap_length; }
  const std::optional<std::string>& warning() const { return warning_; }
  // Packets the capturing tool says were dropped (interface statistics blocks: isb_ifdrop and
  // isb_osdrop, the last block of each interface), once read past them; none when no block
  // says.
  std::optional<uint64_t> dropped() const;

 private:
  struct Interface {
    int link_type = 0;  // libpcap's DLT_ value
    uint32_t snap_length = 0;
    uint64_t units_per_second = 1'000'000;
    int64_t offset_seconds = 0;
  };
  enum class Read { block, end, cut, malformed };

  Read read_block();  // type_ and body_ (without the trailing length); reason_ when not a block
  void read_section_header();
  bool read_interface();
  void read_statistics();
  bool frame_from_body(RawFrame& frame);
  uint32_t u32(size_t at) const;
  uint16_t u16(size_t at) const;

  FILE* file_;
  std::string name_;
  long file_size_;
  long offset_ = 0;  // where the next block starts
  bool swapped_ = false;
  uint32_t type_ = 0;
  std::vector<uint8_t> body_;
  std::string reason_;
  std::vector<Interface> interfaces_;
  uint64_t frames_read_ = 0;
  std::optional<std::string> warning_;
  std::vector<std::optional<uint64_t>> drops_;  // per interface of this section
};

// libpcap's DLT_ value for a pcapng LINKTYPE_ value: LINKTYPE_RAW (101) and the raw-IP values
// of other systems (12, 14) are DLT_RAW; the rest are the same numbers on Linux.
int dlt_of_linktype(uint16_t linktype);

}  // namespace tcpgrade
