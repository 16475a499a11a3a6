// Turns one captured frame into a DecodedFrame: link layer, IP, TCP.
#pragma once

#include "capture/capture_reader.h"
#include "capture/decoded_frame.h"

namespace tcpgrade {

// `dlt` is the capture's libpcap link type; unsupported types are rejected when the capture
// is opened (see link_type_supported), so here they decode as "not IP".
DecodedFrame decode_frame(int dlt, const RawFrame& raw);
// The same, into `frame` (all of it overwritten): a reader of a whole capture reuses one.
void decode_frame(int dlt, const RawFrame& raw, DecodedFrame& frame);

}  // namespace tcpgrade
