"""CPU time of the processes in one network namespace (the front-end's daemon, or nginx's master and
workers), the same way for both.

/proc/<pid>/stat gives utime + stime in clock ticks (10 ms): a daemon that uses 50 ms in a 15 s run
is 5 ticks, +-1. So the processes are put in a cgroup of their own and its CPU counter is read
instead (nanoseconds; threads that exited during the run still count): cgroup v2 cpu.stat
usage_usec, or v1 cpuacct.usage. Processes started later in the namespace are moved in at the next
read; their children are born inside. When the kernel offers neither (or refuses the move), the
ticks are used and the results say so."""
import os

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CGROUP_NAME = "atcp-bench-fe"


def _v2_root():
    # /sys/fs/cgroup on a pure v2 system; /sys/fs/cgroup/unified in hybrid mode, where v2 has no
    # controllers but still counts CPU usage. On v1 alone /sys/fs/cgroup is a tmpfs of hierarchies.
    for root in ("/sys/fs/cgroup", "/sys/fs/cgroup/unified"):
        if os.path.exists(os.path.join(root, "cgroup.procs")):
            return root
    return None


class NamespaceCpu:
    """CPU seconds used by every process in a namespace between start() and elapsed() (see the
    module's text). Made once the processes run; `method` says how it counts."""

    def __init__(self, pids_of):
        self._pids_of = pids_of  # () -> list of pid strings in the namespace
        self._dir = None
        self._base = None
        self.method = "ticks"
        for make in (self._make_v2, self._make_v1):
            try:
                if make() and self._adopt():
                    return
            except OSError:
                pass
            self.close()
        self.method = "ticks"

    def _make_v2(self):
        root = _v2_root()
        if root is None:
            return False
        self._dir, self._origin = os.path.join(root, CGROUP_NAME), os.path.join(root, "cgroup.procs")
        os.makedirs(self._dir, exist_ok=True)
        self._counter, self._scale, self._key = "cpu.stat", 1e6, "usage_usec"
        self._read()
        self.method = "cgroup v2 cpu.stat usage_usec"
        return True

    def _make_v1(self):
        root = "/sys/fs/cgroup/cpuacct"
        if not os.path.exists(os.path.join(root, "cpuacct.usage")):
            return False
        self._dir, self._origin = os.path.join(root, CGROUP_NAME), os.path.join(root, "cgroup.procs")
        os.makedirs(self._dir, exist_ok=True)
        self._counter, self._scale, self._key = "cpuacct.usage", 1e9, None
        self._read()
        self.method = "cgroup v1 cpuacct.usage"
        return True

    def _read(self):
        with open(os.path.join(self._dir, self._counter)) as f:
            if self._key is None:
                return int(f.read()) / self._scale
            for line in f:
                key, value = line.split()
                if key == self._key:
                    return int(value) / self._scale
        raise OSError("no %s in %s" % (self._key, self._counter))

    def _adopt(self):
        """Moves the namespace's processes into the cgroup; False when the kernel refuses."""
        for pid in self._pids_of():
            try:
                with open(os.path.join(self._dir, "cgroup.procs"), "w") as f:
                    f.write(pid)
            except ProcessLookupError:
                pass  # exited meanwhile
            except OSError:
                return False
        return True

    def _now(self):
        if self._dir is not None:
            self._adopt()  # a process started since (its CPU until now is not in the baseline)
            return self._read()
        return ticks_seconds(self._pids_of())

    def start(self):
        self._base = self._now()

    def elapsed(self):
        """CPU seconds since start() (with ticks, a process new since counts whole)."""
        now = self._now()
        if self._dir is not None:
            return now - self._base
        return sum(t - self._base.get(pid, 0.0) for pid, t in now.items())

    def close(self):
        """Moves the processes back and removes the cgroup (it must be empty to go)."""
        if self._dir is None:
            return
        try:
            with open(os.path.join(self._dir, "cgroup.procs")) as f:
                pids = f.read().split()
            for pid in pids:
                try:
                    with open(self._origin, "w") as f:
                        f.write(pid)
                except OSError:
                    pass
            os.rmdir(self._dir)
        except OSError:
            pass
        self._dir = None


def ticks_seconds(pids):
    """{pid: utime+stime seconds} (/proc/<pid>/stat fields 14, 15: the whole process, every thread)."""
    cpu = {}
    for pid in pids:
        try:
            with open("/proc/%s/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            cpu[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            pass
    return cpu
