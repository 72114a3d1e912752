# Goals, summaries and the text report of tools/bench. Imported by tools/bench.
import os
import platform
import subprocess

GOAL_SCALING = 0.9        # ATCP(N) >= 0.9 x N x ATCP(1), up to N = 8
GOAL_FE_SHARE = 0.03      # bytes through the front-end's link <= 3% of bytes served
GOAL_CPU_FACTOR = 10      # front-end CPU per 1 MiB request <= nginx's / 10
GOAL_SPI_BYTES = 2.05     # SPI bytes per payload byte, disk path
GOAL_SPI_TRANSACTIONS = 8  # SPI transactions per segment
GOAL_ALLOCATIONS = 0      # managed bytes allocated per segment in steady state


def machine():
    try:
        with open("/proc/cpuinfo") as f:
            model = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "?")
    except OSError:
        model = "?"
    try:
        load = os.getloadavg()[0]
    except OSError:
        load = None
    return {"cpus": os.cpu_count(), "cpu_model": model, "kernel": platform.release(), "load_at_start": load}


def commit(repo):
    p = subprocess.run(["git", "-C", repo, "rev-parse", "--short", "HEAD"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    dirty = subprocess.run(["git", "-C", repo, "status", "--porcelain"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return p.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


def progress(log, what, r):
    log("  %-14s %7.2f MB/s %8.1f req/s  fe link %6.1f%% of served  fe cpu %7.3f ms/MiB %6.3f ms/req  errors %d" % (
        what, r["mb_per_s"], r["requests_per_s"], 100 * (r["fe_bytes_share"] or 0), r["fe_cpu_ms_per_mib"] or 0,
        r["fe_cpu_ms_per_request"] or 0, r["errors"]))


def _verdict(ok):
    return "met" if ok else "NOT met"


def _invalid(r):
    """True when more than 1% of a run's requests failed: its figures do not describe serving."""
    return bool(r) and r.get("errors", 0) > 0.01 * max(1, r.get("requests", 0))


def summarise(res):
    """Adds res["summary"]: ratios and, for each goal, the worst case and whether it is met."""
    s = {}
    rows = [r for r in res.get("scaling", []) if "atcp" in r]
    single = next((r["atcp"]["mb_per_s"] for r in rows if r["boards"] == 1), None)
    for r in rows:
        a, n = r["atcp"], r.get("nginx")
        if single:
            r["scaling_ratio"] = a["mb_per_s"] / (r["boards"] * single)
        if n:
            r["atcp_over_nginx"] = a["mb_per_s"] / n["mb_per_s"] if n["mb_per_s"] else None
            if a["fe_cpu_ms_per_mib"] and n["fe_cpu_ms_per_mib"]:
                r["cpu_nginx_over_atcp"] = n["fe_cpu_ms_per_mib"] / a["fe_cpu_ms_per_mib"]
            if a.get("fe_cpu_net_ms_per_mib") and n.get("fe_cpu_net_ms_per_mib"):
                r["cpu_net_nginx_over_atcp"] = n["fe_cpu_net_ms_per_mib"] / a["fe_cpu_net_ms_per_mib"]
    if rows and single:
        worst = min(r["scaling_ratio"] for r in rows)
        s["scaling"] = {"goal": ">= %.2f x N x single-board rate" % GOAL_SCALING, "worst": worst,
                        "up_to_boards": max(r["boards"] for r in rows), "met": worst >= GOAL_SCALING}
    if rows:
        worst = max(r["atcp"]["fe_bytes_share"] for r in rows)
        s["frontend_bytes"] = {"goal": "<= %.0f%% of bytes served" % (100 * GOAL_FE_SHARE), "worst": worst,
                               "met": worst <= GOAL_FE_SHARE}
    cpu_rows = [r for r in rows if r.get("cpu_nginx_over_atcp")]
    if cpu_rows:
        worst = min(r["cpu_nginx_over_atcp"] for r in cpu_rows)
        s["frontend_cpu"] = {"goal": "ATCP <= nginx / %d per 1 MiB request" % GOAL_CPU_FACTOR,
                             "worst_nginx_over_atcp": worst, "met": worst >= GOAL_CPU_FACTOR}
        net = [r["cpu_net_nginx_over_atcp"] for r in cpu_rows if r.get("cpu_net_nginx_over_atcp")]
        if net:
            s["frontend_cpu"]["worst_net_of_idle_nginx_over_atcp"] = min(net)
    fw = res.get("firmware", {})
    disk = fw.get("disk")
    if disk:
        s["spi_bytes"] = {"goal": "<= %.2f SPI bytes per payload byte (disk path)" % GOAL_SPI_BYTES,
                          "value": disk["spi_bytes_per_payload_byte"], "met": disk["spi_bytes_per_payload_byte"] <= GOAL_SPI_BYTES}
        s["spi_transactions"] = {"goal": "<= %d SPI transactions per segment" % GOAL_SPI_TRANSACTIONS,
                                 "value": disk["spi_transactions_per_segment"],
                                 "met": disk["spi_transactions_per_segment"] <= GOAL_SPI_TRANSACTIONS}
        s["allocations"] = {"goal": "%d managed bytes allocated per segment" % GOAL_ALLOCATIONS,
                            "value": disk["allocated_bytes_per_segment"],
                            "met": disk["allocated_bytes_per_segment"] <= GOAL_ALLOCATIONS}
    res["summary"] = s


def _f(v, fmt="%.2f"):
    return "-" if v is None else fmt % v


def _ms(v):
    return None if v is None else 1000 * v


def _pct(v):
    return "-" if v is None else "%.1f%%" % (100 * v)


METHOD_SCALING = """\
Method: tools/testbed in a private mount namespace; tbf on every board's egress (%(board)s Mbit/s)
and on both directions of the front-end's link (%(fe)s Mbit/s); the client's link is not limited.
Content: %(objects)d objects of 1 MiB (pseudo-random), spread over the boards' cards by
tools/sdimage (2 copies each from N = 2). For each N the client asks for the same number of objects
from every board (by first holder, the board the front-end asks: tools/sdimage placement),
interleaved board by board. wrk in atcp-client, 1 thread, 4N connections, keep-alive, cycling
through that list, --timeout 30s, a %(warm)d s unmeasured warm-up then %(secs)d s measured. MB/s = bytes wrk read (headers and bodies, 10^6 bytes) / wrk's duration.
ATCP: the daemon and N virtual boards (tools/testbed defaults: the daemon's own ACK relay defaults).
nginx: the ATCP programs stopped, each board namespace gets 198.18.0.(10+i) and an nginx back-end
(1 worker, sendfile) serving the same content directory; an nginx reverse proxy in atcp-fe on the
kernel address 198.18.0.2:8080 (workers = CPUs, keep-alive upstreams, proxy_buffering off)
spreads requests round-robin; the same links and limits. Addresses removed afterwards.
ratio = ATCP(N) / (N x ATCP(1)), both from this run.
fe link = (rx + tx bytes of atcp-fe's eth0, /sys/class/net/eth0/statistics) / bytes served: a
full proxy carries each body twice (in from a back-end, out to the client), so nginx is ~200%%.
fe CPU = CPU time of every process in atcp-fe's namespace (the daemon, or nginx's master and
workers) over the measured run, per MiB served (= per 1 MiB request); the goal is judged on this. It
is read from a cgroup the bench puts those processes in (nanoseconds, exited threads included;
tools/bench.d/fecpu.py), or where the kernel refuses one from /proc/<pid>/stat, whose 10 ms ticks
are +-20%% of a daemon using 50 ms in a run. This run: %(cpu_method)s.
"net of idle" subtracts what the same processes used per second in 3 s without load
between the warm-up (and a settling second) and the measured run (the daemon's timers,
heartbeats and management server; nginx idles at ~0)."""

METHOD_SMALL = """\
Method: the same cluster with N = %(n)d boards and no tbf at all; 64 objects of 4 KiB; wrk with 2
threads and %(c)d connections for %(secs)d s after a warm-up; nginx as above. CPU per request as above."""

METHOD_ACK = """\
Method: N = 2, the scaling topology and 1 MiB objects, 8 connections, %(secs)d s per setting; the
daemon restarted for each (K, T) with ATCP_Frontend__AckEvery / ATCP_Frontend__AckDelayMs (its
documented environment overrides of --ack-every / --ack-delay-ms). client ACKs and relay frames
(CLIENT_ACK or CLIENT_ACKS to a board; one frame may carry several streams' ACKs) are the daemon's
counters client_acks + net_TcpAcksSuperseded (ACKs a later one of their batch superseded) and
relay_frames (/status);
fe frames = rx + tx packets on atcp-fe's eth0 per MB served."""

METHOD_FIRMWARE = """\
Method: tools/Atcp.Bench runs the unchanged firmware (BoardRuntime) on the emulated W5500 and SD
cards (hardware/Atcp.Emulation, the same EmulatedBoard as atcp-vboard) in one thread: it sends a
sealed COMMAND for a %(mb)d MB object (disk card, made with the firmware's ObjectStore) and for a
file of the same size on the CD card (an .iso), MSS 1460, and acknowledges like the front-end's
relay (a CLIENT_ACK every %(ackseg)d segments, at once when the board has nothing left to send).
SPI bytes and transactions are the chip models' counters (every byte clocked on each bus) from
COMMAND to DONE, divided by payload bytes and by data segments. The emulated cards send NAC = 1
idle byte before the first block of a read and the given gap between blocks of a multiple block
read (atcp-bench --sd-gap; real cards: to be measured on the board). Allocations:
GC.GetAllocatedBytesForCurrentThread around each BoardRuntime.Step() (the board's poll loop),
summed after the first %(warm)d%% of the stream (steady state), per segment of that part. These
count what the firmware and the chip models allocate on the board's thread; the models are
host-side code, so a non-zero figure is attributed in the notes below."""


METHOD_TFTP = """\
Method: tools/testbed with 1 board, no tbf, no loss; the object (pseudo-random) on the board's card.
atftp 0.8 in atcp-client asks blksize 1428 (the front-end answers 1168 = 4 x 292, the boards' checksum
chunk grid) and windowsize 1 or 8 (RFC 7440); MB/s = object bytes (10^6) / wall-clock time of the
atftp process (request, OACK, every block, the last ACK). Every download is checked by SHA-256.
Window 1 is lock-step: each block waits for the client's ACK, relayed by the front-end (twice) to
the board, so the round trip (client, front-end daemon, virtual board loop) sets the rate. HTTP:
curl of the same object from the same board for scale (TCP, the front-end's ACK relay)."""


METHOD_LOSS = """\
Method: tools/testbed --boards 1 --loss PCT (nftables in the switch drops PCT% of every frame it
forwards: data segments, client ACKs, relayed ACKs, board messages), no tbf; curl in atcp-client
downloads a 20 MiB pseudo-random object; MB/s = bytes / curl's total time (10^6 bytes).
Recovery is the board's sender (SACK, fast retransmit, tail loss probe, RTO) fed by the
front-end's relay, which passes every ACK at once for a while after a loss signal."""


def text(res):
    L = []
    p = res.get("plan", {})
    L.append("atcp benchmark  %s  commit %s  %s%s" % (res["started"], res.get("commit"), "QUICK (smoke test) " if res.get("quick") else "",
                                                     "run took %d s" % res.get("seconds", 0)))
    m = res.get("machine", {})
    L.append("machine: %s CPUs (%s), kernel %s, load %s at start; shared and noisy: compare ratios within this run"
             % (m.get("cpus"), m.get("cpu_model"), m.get("kernel"), _f(m.get("load_at_start"))))
    L.append("")
    s = res.get("summary", {})
    L.append("== Goals")
    for key, label in (("scaling", "scaling"), ("frontend_bytes", "front-end bytes"), ("frontend_cpu", "front-end CPU"),
                       ("spi_bytes", "SPI bytes"), ("spi_transactions", "SPI transactions"), ("allocations", "allocations")):
        g = s.get(key)
        if not g:
            L.append("  %-17s not measured" % label)
            continue
        if key == "scaling":
            detail = "worst ratio %.2f (N up to %d)" % (g["worst"], g["up_to_boards"])
        elif key == "frontend_bytes":
            detail = "worst %s" % _pct(g["worst"])
        elif key == "frontend_cpu":
            detail = "worst: nginx uses %.1fx ATCP's CPU per MiB" % g["worst_nginx_over_atcp"]
            if g.get("worst_net_of_idle_nginx_over_atcp"):
                detail += " (%.1fx net of each one's idle CPU)" % g["worst_net_of_idle_nginx_over_atcp"]
        else:
            detail = "measured %s" % _f(g["value"], "%.3f")
        L.append("  %-17s %-7s  goal %s; %s" % (label, _verdict(g["met"]), g["goal"], detail))
    L.append("")

    rows = res.get("scaling", [])
    if rows:
        L.append("== 1. Scaling: 1 MiB objects, boards %d Mbit/s, front-end link %d Mbit/s"
                 % (res["links"]["board_mbit"], res["links"]["frontend_mbit"]))
        L.append("   N | ATCP MB/s | nginx MB/s | ATCP/(N x 1-board) | fe link ATCP | fe link nginx | fe CPU ms/MiB ATCP | nginx | nginx/ATCP | net of idle: ATCP | nginx | errors A/n")
        for r in rows:
            a, n = r.get("atcp", {}), r.get("nginx", {})
            L.append("  %2d | %9s | %10s | %18s | %12s | %13s | %18s | %5s | %10s | %17s | %5s | %s/%s" % (
                r["boards"], _f(a.get("mb_per_s")), _f(n.get("mb_per_s")), _f(r.get("scaling_ratio")),
                _pct(a.get("fe_bytes_share")), _pct(n.get("fe_bytes_share")), _f(a.get("fe_cpu_ms_per_mib"), "%.2f"),
                _f(n.get("fe_cpu_ms_per_mib"), "%.2f"), _f(r.get("cpu_nginx_over_atcp"), "%.2f"),
                _f(a.get("fe_cpu_net_ms_per_mib"), "%.2f"), _f(n.get("fe_cpu_net_ms_per_mib"), "%.2f"),
                a.get("errors", "-"), n.get("errors", "-")))
        for r in rows:
            for name in ("atcp", "nginx"):
                if _invalid(r.get(name)):
                    L.append("   INVALID: N=%d %s had %d failed requests of %d" % (r["boards"], name, r[name]["errors"], r[name]["requests"]))
        L.append("   (front-end CPU when idle, ms per s, ATCP / nginx: %s)" % ", ".join(
            "N=%d %s/%s" % (r["boards"], _f(_ms(r.get("atcp", {}).get("fe_idle_cpu_per_s")), "%.1f"),
                            _f(_ms(r.get("nginx", {}).get("fe_idle_cpu_per_s")), "%.1f")) for r in rows))
        L.append("   (requests completed, ATCP / nginx: %s)" % ", ".join(
            "N=%d %s/%s" % (r["boards"], r.get("atcp", {}).get("requests", "-"), r.get("nginx", {}).get("requests", "-")) for r in rows))
        L.append(METHOD_SCALING % {"board": res["links"]["board_mbit"], "fe": res["links"]["frontend_mbit"],
                                   "objects": p.get("mib_objects", 0), "warm": p.get("warmup", 0), "secs": p.get("seconds", 0),
                                   "cpu_method": ", ".join(sorted({r[x].get("fe_cpu_method", "ticks") for r in rows for x in ("atcp", "nginx") if r.get(x)}))})
        L.append("")

    sm = res.get("small_objects", {})
    if sm.get("atcp") or sm.get("nginx"):
        a, n = sm.get("atcp", {}), sm.get("nginx", {})
        L.append("== 2. Requests/s, 4 KiB objects, links unlimited, N = %d" % sm["boards"])
        L.append("          | req/s    | MB/s  | latency p50 / p99 ms | fe CPU ms/request | fe link bytes/request | errors")
        for name, r in (("ATCP", a), ("nginx", n)):
            if r:
                L.append("  %-7s | %8.0f | %5.2f | %8.1f / %-9.1f | %17.3f | %21.0f | %d" % (
                    name, r["requests_per_s"], r["mb_per_s"], r["wrk"]["latency_p50_us"] / 1000, r["wrk"]["latency_p99_us"] / 1000,
                    r["fe_cpu_ms_per_request"] or 0, r["fe_bytes_per_request"] or 0, r["errors"]))
        for name, r in (("ATCP", a), ("nginx", n)):
            if _invalid(r):
                L.append("  INVALID: %s's run had %d failed requests of %d: its row does not describe serving" % (name, r["errors"], r["requests"]))
        L.append(METHOD_SMALL % {"n": sm["boards"], "c": a.get("connections", n.get("connections", 0)), "secs": p.get("small_seconds", 0)})
        L.append("")

    ack = res.get("ack_relay", [])
    if ack:
        L.append("== 3. ACK relay at N = 2 (K = --ack-every, T = --ack-delay-ms)")
        L.append("   K |  T ms | MB/s  | client ACKs | relay frames | relay/client ACK | fe frames per MB | fe CPU ms/MiB | errors")
        for r in ack:
            L.append("  %2d | %5d | %5.2f | %11d | %12d | %16s | %16s | %13s | %d%s" % (
                r["ack_every"], r["ack_delay_ms"], r["mb_per_s"], r.get("client_acks", 0), r.get("relay_frames", 0),
                _f(r.get("relay_frames_per_client_ack"), "%.3f"), _f(r.get("fe_frames_per_mb"), "%.0f"),
                _f(r.get("fe_cpu_ms_per_mib"), "%.3f"), r["errors"], "  (daemon default, the scaling run)" if r.get("default") else ""))
        L.append(METHOD_ACK % {"secs": p.get("ack_seconds", 0)})
        L.append("")

    if rows or sm:
        L.append("== 4. Front-end CPU time per request")
        L.append("  object | where                          | ATCP ms | nginx ms | nginx/ATCP")
        if sm.get("atcp") and sm.get("nginx"):
            a, n = sm["atcp"]["fe_cpu_ms_per_request"], sm["nginx"]["fe_cpu_ms_per_request"]
            L.append("  4 KiB  | N=%d, unlimited links            | %7.3f | %8.3f | %s" % (sm["boards"], a, n, _f(n / a if a else None, "%.1f")))
        for r in rows:
            a, n = r.get("atcp", {}).get("fe_cpu_ms_per_request"), r.get("nginx", {}).get("fe_cpu_ms_per_request")
            L.append("  1 MiB  | N=%d, %d/%d Mbit/s                | %7s | %8s | %s" % (
                r["boards"], res["links"]["board_mbit"], res["links"]["frontend_mbit"], _f(a, "%.3f"), _f(n, "%.3f"),
                _f(n / a if a and n else None, "%.1f")))
        L.append("Method: fe CPU (all processes in atcp-fe, utime + stime) / requests completed in the runs above;")
        L.append("per request here, per MiB served in table 1 (they differ by the requests left open at the end).")
        L.append("")

    fw = res.get("firmware")
    if fw:
        L.append("== 5. Board firmware on the emulated chips (%s)" % fw.get("build", "?"))
        L.append("  source | payload MB | segments | SPI B/payload B (W5500 + SD) | SPI transactions/segment (W5500 + SD) | alloc B/segment | emulated MB/s")
        for key, name in (("disk", "disk"), ("cd", "CD")):
            d = fw.get(key)
            if not d:
                continue
            L.append("  %-6s | %10.2f | %8d | %5.3f (%5.3f + %5.3f)        | %5.2f (%5.2f + %5.2f)                  | %15.1f | %6.2f" % (
                name, d["payload_bytes"] / 1e6, d["segments"], d["spi_bytes_per_payload_byte"], d["w5500_spi_bytes_per_payload_byte"],
                d["sd_spi_bytes_per_payload_byte"], d["spi_transactions_per_segment"], d["w5500_spi_transactions_per_segment"],
                d["sd_spi_transactions_per_segment"], d["allocated_bytes_per_segment"], d["emulated_mb_per_s"]))
        if fw.get("floor_spi_bytes_per_payload_byte"):
            L.append("  floor   | SPI B/payload B at MSS 1460 with the cards' gap of %s byte(s): %.4f (W5500 %.4f + SD %.4f): per segment the"
                     % (fw.get("sd_block_gap_bytes"), fw["floor_spi_bytes_per_payload_byte"],
                        fw["floor_w5500_spi_bytes_per_payload_byte"], fw["floor_sd_spi_bytes_per_payload_byte"]))
            L.append("          | W5500 gets 3+54+1460 (frame), 3+2 (Sn_TX_WR), 3+2 (Sn_CR = SEND, Sn_IR cleared in the same frame),")
            L.append("          | the card clocks gap+1+512+2 per 512 payload bytes; receiving the CLIENT_ACKs comes on top.")
            if fw["floor_spi_bytes_per_payload_byte"] > GOAL_SPI_BYTES:
                L.append("          | The %.2f goal lies below this floor at MSS 1460: unreachable without a larger segment." % GOAL_SPI_BYTES)
        L.append(METHOD_FIRMWARE % {"mb": fw.get("megabytes", 0), "ackseg": fw.get("ack_every_segments", 0),
                                    "warm": int(100 * fw.get("warmup_fraction", 0))})
        firsts = ", ".join("%s %s B" % (k, fw[k].get("first_stream_allocated_bytes")) for k in ("disk", "cd") if fw.get(k))
        L.append("  The first (warm-up) stream of each source allocated, on the board's thread: %s (first use);" % firsts)
        L.append("  the steady-state figure above is from the second stream.")
        for note in fw.get("notes", []):
            L.append("  note: " + note)
        L.append("")

    t = res.get("tftp")
    if isinstance(t, dict) and t.get("runs"):
        L.append("== 6. TFTP: one board, links unlimited, a %d MiB object" % (t["object_bytes"] >> 20))
        L.append("  client           | windowsize | runs MB/s          | mean MB/s | exact")
        groups = []
        for r in t["runs"]:
            key = (r["protocol"], r["windowsize"])
            if key not in [g[0] for g in groups]:
                groups.append((key, []))
            next(g for g in groups if g[0] == key)[1].append(r)
        for (proto, window), rs in groups:
            name = "atftp (TFTP)" if proto == "tftp" else "curl (HTTP)"
            speeds = [r["mb_per_s"] for r in rs]
            L.append("  %-16s | %10s | %-18s | %9.2f | %s" % (name, window if window else "-", " ".join("%.2f" % v for v in speeds),
                                                            sum(speeds) / len(speeds), "yes" if all(r["exact"] for r in rs) else "NO"))
        L.append(METHOD_TFTP)
    else:
        L.append("== 6. TFTP: %s" % t)

    loss = res.get("loss", [])
    if loss:
        L.append("")
        L.append("== 7. Loss recovery: one board, links unlimited, 20 MiB download")
        L.append("  loss | MB/s (median) | runs MB/s            | complete | switch")
        for r in loss:
            L.append("  %3d%% | %13.2f | %-20s | %-8s | %s" % (
                r["loss_percent"], r["mb_per_s"], " ".join("%.2f" % x["mb_per_s"] for x in r["runs"]),
                "yes" if r["complete"] else "NO", r.get("switch", "")))
        L.append(METHOD_LOSS)
    if res.get("failures"):
        L.append("")
        L.append("== Failures (figures missing above)")
        for f in res["failures"]:
            L.append("  " + f.splitlines()[0][:300])
    return "\n".join(L) + "\n"
