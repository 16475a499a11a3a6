#!/usr/bin/env python3
"""Differential test: `tcpgrade dump --format tsv` against `tshark -T fields`, frame by frame.

Usage: tshark_diff.py --tcpgrade PATH [--report] [--strict-analysis] [--exclusions TSV] CAPTURE...
(a CAPTURE may be a directory: its *.pcap, *.pcapng and *.cap files, in name order)

For every capture both tools read every frame. On frames where both see a TCP segment, the
CORE fields (stream, ports, relative and raw Seq/Ack, Len, flags, raw and scaled window, window
scale factor, MSS, WS shift, SACK_PERM, TSval/TSecr, next Seq) must agree on every frame; the
analysis flags (tcp.analysis.*, compared as a set, with the duplicate ACK number and frame) are
reported but fail the run only with --strict-analysis. A frame that only one tool decodes as
TCP is a disagreement too. tshark runs single-pass with its default TCP preferences (relative
sequence numbers, sequence analysis on), pinned explicitly and isolated from any user profile.

Frames that tshark decodes inside a tunnel (VXLAN, Geneve, GRE, sFlow samples, Juniper link
types), which tcpgrade does not open, are excluded when their file is listed in
tests/data/tshark_exclusions.tsv (file<TAB>reason); TCP headers quoted inside ICMP errors are
not segments and are always excluded. Every exclusion is printed, and tshark's stream numbers
are renumbered past streams that hold only excluded frames. A TCP header cut by the snap length
(tshark shows its ports but gives it no stream; tcpgrade reports the frame truncated) is listed
and not compared.

--report also prints per-field counts and always exits 0 when the comparison ran (for
gathering figures); without it the exit code is 0 when core agreement is 100% on every file,
1 otherwise (or on analysis disagreements with --strict-analysis), 2 on usage errors and 77
when tshark is not installed (CTest's skip code).
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile

EXIT_PASS, EXIT_FAIL, EXIT_USAGE, EXIT_SKIP = 0, 1, 2, 77

# tcp.analysis.* flag fields of tshark 4.0 (FT_NONE: printed as "1" when present).
ANALYSIS_FLAGS = [
    "tcp.analysis.retransmission",
    "tcp.analysis.spurious_retransmission",
    "tcp.analysis.fast_retransmission",
    "tcp.analysis.out_of_order",
    "tcp.analysis.lost_segment",
    "tcp.analysis.ack_lost_segment",
    "tcp.analysis.duplicate_ack",
    "tcp.analysis.zero_window",
    "tcp.analysis.zero_window_probe",
    "tcp.analysis.zero_window_probe_ack",
    "tcp.analysis.window_full",
    "tcp.analysis.window_update",
    "tcp.analysis.keep_alive",
    "tcp.analysis.keep_alive_ack",
    "tcp.analysis.reused_ports",
]
# Names tcpgrade lists in its analysis column that are no tcp.analysis field of tshark:
# a RST is Wireshark's expert note tcp.connection.rst, not an analysis flag.
OURS_ONLY_ANALYSIS = {"tcp.connection.rst"}

TSHARK_FIELDS = [
    "frame.number", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.seq", "tcp.ack",
    "tcp.seq_raw", "tcp.ack_raw", "tcp.len", "tcp.flags", "tcp.window_size_value",
    "tcp.window_size", "tcp.window_size_scalefactor", "tcp.options.mss_val",
    "tcp.options.wscale.shift", "tcp.options.sack_perm", "tcp.options.timestamp.tsval",
    "tcp.options.timestamp.tsecr", "tcp.analysis.flags",
] + ANALYSIS_FLAGS + [
    "tcp.analysis.duplicate_ack_num", "tcp.analysis.duplicate_ack_frame", "tcp.nxtseq",
    "frame.protocols",  # last: only for exclusions and for explaining one-sided frames
]

# The defaults, pinned so that a changed default or a stray profile cannot move the figures.
TSHARK_PREFERENCES = [
    "tcp.relative_sequence_numbers:TRUE",
    "tcp.analyze_sequence_numbers:TRUE",
    "tcp.default_window_scaling:Not known",  # scale factor -1 until both SYNs are seen
]

# Protocols whose payload tshark opens but tcpgrade does not: a TCP header after one of these
# in frame.protocols belongs to a tunnelled packet.
TUNNEL_PROTOCOLS = {"vxlan", "geneve", "gre", "sflow", "juniper", "erspan", "etherip",
                    "l2tp", "gtp", "nsh", "teredo", "udpencap"}
ICMP_PROTOCOLS = {"icmp", "icmpv6"}
CAPTURE_SUFFIXES = (".pcap", ".pcapng", ".cap")


def flag_value(text):
    return int(text, 16) if text else 0


def shift_as_factor(shift_text):
    """Our window_shift (-1 unknown, -2 none, else the shift) in tshark's terms (multiplier)."""
    shift = int(shift_text)
    return shift if shift < 0 else 1 << shift  # no cap: a shift above 14 must show


# Core comparisons: (name, compare). compare(ours_row, tshark_row) returns None when the
# field does not apply to this frame, else the pair (ours shown, tshark shown) to compare.
def plain(ours_column, tshark_field):
    return lambda o, t: (o[ours_column], t[tshark_field])


def with_ack_flag(ours_column, tshark_field):
    # Without the ACK flag tcpgrade leaves ack and ack_raw empty; tshark 4.0 still prints the
    # raw Acknowledgment field in both tcp.ack and tcp.ack_raw. Only "empty" is checked then.
    def compare(o, t):
        if flag_value(t["tcp.flags"]) & 0x10:
            return o[ours_column], t[tshark_field]
        return o[ours_column], ""
    return compare


def flags(o, t):
    # tshark prints 0x0012 (12 bits: reserved, AE, CWR..FIN), tcpgrade 0x012.
    if not o["flags"] or not t["tcp.flags"]:
        return o["flags"], t["tcp.flags"]
    same = flag_value(o["flags"]) == flag_value(t["tcp.flags"])
    return (t["tcp.flags"] if same else o["flags"]), t["tcp.flags"]


def scale_factor(o, t):
    # tshark has no tcp.window_size_scalefactor on SYN segments (their window is never scaled).
    if t["tcp.window_size_scalefactor"] == "":
        return None
    if o["window_shift"] == "":
        return "", t["tcp.window_size_scalefactor"]
    factor = shift_as_factor(o["window_shift"])
    shown = str(factor) if factor < 0 else f"{factor} (shift {o['window_shift']})"
    if str(factor) == t["tcp.window_size_scalefactor"]:
        shown = t["tcp.window_size_scalefactor"]
    return shown, t["tcp.window_size_scalefactor"]


def sack_perm(o, t):
    return o["sack_perm"], "1" if t["tcp.options.sack_perm"] else "0"


def next_seq(o, t):
    # tcpgrade leaves next_seq empty when the segment takes no sequence space; tshark 4.0
    # prints tcp.nxtseq = tcp.seq then.
    theirs = t["tcp.nxtseq"]
    if o["next_seq"] == "" and theirs != "" and theirs == t["tcp.seq"]:
        theirs = ""
    return o["next_seq"], theirs


CORE_FIELDS = [
    ("stream", plain("stream", "tcp.stream")),
    ("src_port", plain("src_port", "tcp.srcport")),
    ("dst_port", plain("dst_port", "tcp.dstport")),
    ("seq", plain("seq", "tcp.seq")),
    ("ack", with_ack_flag("ack", "tcp.ack")),
    ("seq_raw", plain("seq_raw", "tcp.seq_raw")),
    ("ack_raw", with_ack_flag("ack_raw", "tcp.ack_raw")),
    ("len", plain("len", "tcp.len")),
    ("flags", flags),
    ("window_raw", plain("window_raw", "tcp.window_size_value")),
    ("window", plain("window", "tcp.window_size")),
    ("window_shift", scale_factor),
    ("mss", plain("mss", "tcp.options.mss_val")),
    ("ws", plain("ws", "tcp.options.wscale.shift")),
    ("sack_perm", sack_perm),
    ("tsval", plain("tsval", "tcp.options.timestamp.tsval")),
    ("tsecr", plain("tsecr", "tcp.options.timestamp.tsecr")),
    ("next_seq", next_seq),
]


def analysis_pairs(o, t):
    """(field, ours, tshark) for each analysis item that differs."""
    ours_names = {name for name in o["analysis"].split(",") if name} - OURS_ONLY_ANALYSIS
    theirs_names = {name for name in ANALYSIS_FLAGS if t[name]}
    differences = []
    if ours_names != theirs_names:
        differences.append(("analysis", ",".join(sorted(ours_names - theirs_names)) or "-",
                            ",".join(sorted(theirs_names - ours_names)) or "-"))
    for ours_column, field in (("dup_ack_num", "tcp.analysis.duplicate_ack_num"),
                               ("dup_ack_frame", "tcp.analysis.duplicate_ack_frame")):
        if o[ours_column] != t[field]:
            differences.append((ours_column, o[ours_column], t[field]))
    return differences


# The tcpgrade dump --format tsv columns this comparison reads.
OURS_COLUMNS = ["frame", "stream", "src_port", "dst_port", "flags", "seq", "ack", "seq_raw",
                "ack_raw", "next_seq", "len", "window_raw", "window", "window_shift", "mss",
                "ws", "sack_perm", "tsval", "tsecr", "analysis", "dup_ack_num", "dup_ack_frame",
                "status", "problem"]


class Capture:
    def __init__(self, path, label):
        self.path = path
        self.label = label
        self.error = None          # why the comparison could not run
        self.warnings = []
        self.frames = 0
        self.tcp_both = 0
        self.core_agree = 0
        self.analysis_agree = 0
        self.core = []             # (frame, field, ours, tshark)
        self.analysis = []
        self.one_sided = []        # (frame, text)
        self.partial = []          # frames whose TCP header both found cut short
        self.excluded = {}         # reason -> frame numbers
        self.field_misses = {}


def run_tcpgrade(tcpgrade, path):
    result = subprocess.run([tcpgrade, "dump", path, "--format", "tsv"], capture_output=True,
                            text=True, errors="replace")
    if result.returncode != 0:
        message = result.stderr.strip().splitlines()
        raise RuntimeError(f"tcpgrade dump exited {result.returncode}: "
                           f"{message[-1] if message else 'no message'}")
    lines = result.stdout.split("\n")
    header = lines[0].split("\t")
    missing = [column for column in OURS_COLUMNS if column not in header]
    if missing:
        raise RuntimeError(f"tcpgrade dump header lacks {', '.join(missing)}")
    rows = {}
    for line in lines[1:]:
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(header):
            raise RuntimeError(f"tcpgrade dump row with {len(cells)} cells, header has "
                               f"{len(header)}: {line[:80]}")
        row = dict(zip(header, cells))
        rows[int(row["frame"])] = row
    warnings = [line for line in result.stderr.splitlines() if line.strip()]
    return rows, warnings


def run_tshark(tshark, config_dir, path):
    command = [tshark, "-n", "-r", path, "-T", "fields", "-E", "separator=/t",
               "-E", "occurrence=f", "-E", "header=n"]
    for preference in TSHARK_PREFERENCES:
        command += ["-o", preference]
    for field in TSHARK_FIELDS:
        command += ["-e", field]
    environment = dict(os.environ, HOME=config_dir, XDG_CONFIG_HOME=config_dir, LC_ALL="C")
    result = subprocess.run(command, capture_output=True, text=True, errors="replace",
                            env=environment)
    errors = [line for line in result.stderr.splitlines()
              if line.strip() and not line.startswith("Running as user")]
    rows = {}
    for line in result.stdout.split("\n"):
        if not line:
            continue
        cells = line.split("\t")
        if len(cells) != len(TSHARK_FIELDS):
            raise RuntimeError(f"tshark row with {len(cells)} cells, expected "
                               f"{len(TSHARK_FIELDS)}: {line[:80]}")
        row = dict(zip(TSHARK_FIELDS, cells))
        rows[int(row["frame.number"])] = row
    if result.returncode != 0 and not rows:
        raise RuntimeError(f"tshark exited {result.returncode}: "
                           f"{errors[-1] if errors else 'no message'}")
    # A capture cut mid-record: tshark reads up to the cut, then complains.
    warnings = [f"tshark: {line}" for line in errors] if result.returncode != 0 else []
    return rows, warnings


def protocols_before_tcp(protocols):
    names = protocols.split(":")
    return names[:names.index("tcp")] if "tcp" in names else names


def compare_capture(capture, tcpgrade, tshark, config_dir, exclusions):
    reason = exclusions.get(os.path.basename(capture.path))
    try:
        theirs, warnings = run_tshark(tshark, config_dir, capture.path)
        capture.warnings += warnings
    except (OSError, RuntimeError) as error:
        capture.error = str(error)
        return capture
    try:
        ours, warnings = run_tcpgrade(tcpgrade, capture.path)
        capture.warnings += [line for line in warnings if "no TCP segments" not in line]
    except (OSError, RuntimeError) as error:
        if reason is None:
            capture.error = str(error).replace(capture.path, capture.label)
            return capture
        # A listed file tcpgrade refuses as a whole (a Juniper link type): all frames go.
        why = f"{reason} [{str(error).replace(capture.path, capture.label)}]"
        capture.excluded[why] = sorted(theirs)
        capture.frames = len(theirs)
        return capture

    capture.frames = max(len(ours), len(theirs))
    both = []  # frames where both read a TCP segment
    for number in sorted(set(ours) | set(theirs)):
        o, t = ours.get(number), theirs.get(number)
        if o is None or t is None:
            capture.one_sided.append((number, "frame read by tshark only" if o is None
                                      else "frame read by tcpgrade only"))
            continue
        below = protocols_before_tcp(t["frame.protocols"])
        if t["tcp.srcport"] and ICMP_PROTOCOLS.intersection(below):
            why = "TCP header quoted inside an ICMP error (not a segment)"
            capture.excluded.setdefault(why, []).append(number)
            continue
        if reason is not None and TUNNEL_PROTOCOLS.intersection(below):
            capture.excluded.setdefault(reason, []).append(number)
            continue
        # tshark gives a segment its stream only once the whole fixed header was read; with
        # less (a snap length cutting the header) it shows the ports alone, as tcpgrade's
        # "TCP header cut" frames carry no TCP at all. Neither reads a segment there.
        ours_tcp, theirs_tcp = o["src_port"] != "", t["tcp.stream"] != ""
        if not ours_tcp and not theirs_tcp and t["tcp.srcport"]:
            capture.partial.append(number)
            continue
        if ours_tcp != theirs_tcp:
            if ours_tcp:
                text = f"TCP for tcpgrade only (tshark: {t['frame.protocols']})"
            else:
                problem = f": {o['problem']}" if o["problem"] else ""
                text = (f"TCP for tshark only ({t['frame.protocols']}; tcpgrade: "
                        f"{o['status']}{problem})")
            capture.one_sided.append((number, text))
            continue
        if ours_tcp:
            both.append(number)

    # tshark numbers the conversations of excluded frames too (an ICMP-quoted header, a
    # tunnelled flow); tcpgrade never sees them. Renumber tshark's streams past such phantoms.
    compared_streams = {theirs[number]["tcp.stream"] for number in both}
    phantoms = sorted({int(theirs[number]["tcp.stream"])
                       for frames in capture.excluded.values() for number in frames
                       if theirs[number]["tcp.stream"]} - {int(x) for x in compared_streams})
    if phantoms and compared_streams:
        which = ("stream " if len(phantoms) == 1 else "streams ") + ",".join(map(str, phantoms))
        capture.warnings.append(f"tshark {which}: only excluded frames; tshark's later "
                                "streams renumbered to match")
    for number in both:
        o, t = ours[number], dict(theirs[number])
        stream = int(t["tcp.stream"])
        t["tcp.stream"] = str(stream - sum(1 for phantom in phantoms if phantom < stream))
        capture.tcp_both += 1
        core_ok = True
        for name, compare in CORE_FIELDS:
            pair = compare(o, t)
            if pair is None or pair[0] == pair[1]:
                continue
            core_ok = False
            capture.core.append((number, name, pair[0], pair[1]))
            capture.field_misses[name] = capture.field_misses.get(name, 0) + 1
        capture.core_agree += core_ok
        differences = analysis_pairs(o, t)
        capture.analysis_agree += not differences
        for field, ours_text, theirs_text in differences:
            capture.analysis.append((number, field, ours_text, theirs_text))
            capture.field_misses[field] = capture.field_misses.get(field, 0) + 1
    if reason is not None and reason not in capture.excluded:
        capture.warnings.append(f"listed in the exclusions ({reason}) but no frame was excluded")
    return capture


def read_exclusions(path):
    exclusions = {}
    if not path or not os.path.exists(path):
        return exclusions
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cells = line.split("\t")
            if len(cells) != 2 or not cells[0] or not cells[1]:
                raise ValueError(f"{path}:{number}: expected file<TAB>reason")
            exclusions[cells[0]] = cells[1]
    return exclusions


def percent(agree, total):
    if total == 0:
        return "n/a"
    if agree == total:
        return f"100% ({agree}/{total})"
    # Floor, so that 99.996% never shows as 100.00%.
    hundredths = agree * 10000 // total
    return f"{hundredths // 100}.{hundredths % 100:02}% ({agree}/{total})"


def ranges(numbers):
    parts, start, previous = [], None, None
    for number in numbers:
        if start is None:
            start = previous = number
        elif number == previous + 1:
            previous = number
        else:
            parts.append(f"{start}" if start == previous else f"{start}-{previous}")
            start = previous = number
    if start is not None:
        parts.append(f"{start}" if start == previous else f"{start}-{previous}")
    return ",".join(parts)


def table(rows, header):
    """Columns padded to their widest cell; numbers right-aligned, empty cells shown."""
    rows = [[cell if cell != "" else "(empty)" for cell in row] for row in rows]
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    lines = []
    for row in [header] + rows:
        cells = [str(cell).rjust(width) if isinstance(cell, int) else str(cell).ljust(width)
                 for cell, width in zip(row, widths)]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def print_report(captures, tshark_version, show_fields):
    out = [f"tshark_diff: tcpgrade dump --format tsv vs {tshark_version} "
           f"(single pass; {', '.join(TSHARK_PREFERENCES)})", ""]
    excluded = [(c.label, why, frames) for c in captures for why, frames in c.excluded.items()]
    if excluded:
        out.append(f"excluded frames ({sum(len(frames) for _, _, frames in excluded)}):")
        for label, why, frames in excluded:
            out.append(f"  {label}: frames {ranges(frames)} ({len(frames)}): {why}")
        out.append("")
    rows = []
    totals = [0, 0, 0, 0, 0, 0]
    for c in captures:
        if c.error:
            rows.append([c.label, "-", "-", "-", "ERROR", "-", "-"])
            continue
        excluded_count = sum(len(frames) for frames in c.excluded.values())
        rows.append([c.label, c.frames, excluded_count, c.tcp_both,
                     percent(c.core_agree, c.tcp_both), percent(c.analysis_agree, c.tcp_both),
                     len(c.one_sided)])
        for i, value in enumerate([c.frames, excluded_count, c.tcp_both, c.core_agree,
                                   c.analysis_agree, len(c.one_sided)]):
            totals[i] += value
    rows.append([f"total ({len(captures)} files)", totals[0], totals[1], totals[2],
                 percent(totals[3], totals[2]), percent(totals[4], totals[2]), totals[5]])
    header = ["file", "frames", "excluded", "tcp", "core", "analysis", "one-sided"]
    out += table(rows, header)
    out.append("")

    errors = [c for c in captures if c.error]
    if errors:
        out.append(f"files not compared ({len(errors)}):")
        out += [f"  {c.label}: {c.error}" for c in errors]
        out.append("")
    warnings = [(c.label, w) for c in captures for w in c.warnings]
    if warnings:
        out.append(f"warnings ({len(warnings)}):")
        out += [f"  {label}: {w}" for label, w in warnings]
        out.append("")
    for title, attribute in (("core disagreements", "core"),
                             ("analysis disagreements", "analysis")):
        items = [(c.label, *item) for c in captures for item in getattr(c, attribute)]
        out.append(f"{title} ({len(items)}):")
        if items:
            out += table([list(item) for item in items],
                         ["file", "frame", "field", "tcpgrade", "tshark"])
        out.append("")
    partial = [c for c in captures if c.partial]
    if partial:
        out.append("frames whose TCP header was cut by the snap length (tshark shows ports only, "
                   "tcpgrade a truncated frame; not compared):")
        out += [f"  {c.label}: frames {ranges(c.partial)} ({len(c.partial)})" for c in partial]
        out.append("")
    one_sided = [(c.label, number, text) for c in captures for number, text in c.one_sided]
    out.append(f"frames with TCP on one side only ({len(one_sided)}):")
    out += [f"  {label} frame {number}: {text}" for label, number, text in one_sided]
    out.append("")
    if show_fields:
        counts = {}
        for c in captures:
            for name, count in c.field_misses.items():
                counts[name] = counts.get(name, 0) + count
        out.append("disagreements per field:")
        names = [name for name, _ in CORE_FIELDS] + ["analysis", "dup_ack_num", "dup_ack_frame"]
        out += [f"  {name:<14} {counts.get(name, 0)}" for name in names]
        out.append("")
    sys.stdout.write("\n".join(out))


def main():
    parser = argparse.ArgumentParser(
        description="Compare tcpgrade dump --format tsv with tshark, frame by frame.")
    parser.add_argument("--tcpgrade", required=True, help="path of the tcpgrade binary")
    parser.add_argument("--report", action="store_true",
                        help="also count disagreements per field; exit 0 whatever the figures")
    parser.add_argument("--strict-analysis", action="store_true",
                        help="fail on analysis-flag disagreements too")
    parser.add_argument("--exclusions",
                        default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "data",
                                             "tshark_exclusions.tsv"),
                        help="file<TAB>reason list of files whose tunnelled frames are excluded")
    parser.add_argument("--tshark", default="tshark", help="tshark binary (default: from PATH)")
    parser.add_argument("captures", nargs="+", metavar="CAPTURE",
                        help="pcap or pcapng file, or a directory of them")
    args = parser.parse_args()

    tshark = shutil.which(args.tshark)
    if tshark is None:
        print("tshark not installed: skipped")
        return EXIT_SKIP
    if not (os.path.isfile(args.tcpgrade) and os.access(args.tcpgrade, os.X_OK)):
        print(f"tshark_diff: error: {args.tcpgrade}: not an executable file", file=sys.stderr)
        return EXIT_USAGE
    paths = []
    for path in args.captures:
        if os.path.isdir(path):  # a directory stands for its captures, in name order
            paths += sorted(os.path.join(path, name) for name in os.listdir(path)
                            if name.endswith(CAPTURE_SUFFIXES)
                            and os.path.isfile(os.path.join(path, name)))
        elif os.path.isfile(path):
            paths.append(path)
        else:
            print(f"tshark_diff: error: {path}: no such file or directory", file=sys.stderr)
            return EXIT_USAGE
    if not paths:
        print("tshark_diff: error: no capture to compare", file=sys.stderr)
        return EXIT_USAGE
    try:
        exclusions = read_exclusions(args.exclusions)
    except (OSError, ValueError) as error:
        print(f"tshark_diff: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    version = subprocess.run([tshark, "--version"], capture_output=True, text=True).stdout
    version = version.splitlines()[0].split(" (Git")[0] if version else "tshark"

    basenames = [os.path.basename(path) for path in paths]
    captures = [Capture(path, name if basenames.count(name) == 1 else path)
                for path, name in zip(paths, basenames)]
    with tempfile.TemporaryDirectory(prefix="tshark_diff.") as config_dir:
        workers = min(8, os.cpu_count() or 1)
        with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda c: compare_capture(c, args.tcpgrade, tshark, config_dir,
                                                    exclusions), captures))
    print_report(captures, version, args.report)

    problems = [(sum(len(c.core) for c in captures), "core disagreements"),
                (sum(len(c.one_sided) for c in captures), "frames with TCP on one side only"),
                (sum(1 for c in captures if c.error), "files not compared")]
    core_failed = any(count for count, _ in problems)
    analysis_count = sum(len(c.analysis) for c in captures)
    failed = core_failed or (args.strict_analysis and analysis_count > 0)
    core_text = ", ".join(f"{count} {what}" for count, what in problems if count) \
        if core_failed else "core 100% on every file"
    analysis_text = "analysis agrees" if analysis_count == 0 else \
        f"{analysis_count} analysis disagreements" + \
        (" (failing: --strict-analysis)" if args.strict_analysis else " (reported, not failing)")
    print(f"result: {'FAIL' if failed else 'PASS'}: {core_text}; {analysis_text}")
    if args.report:
        return EXIT_PASS
    return EXIT_FAIL if failed else EXIT_PASS


if __name__ == "__main__":
    sys.exit(main())
