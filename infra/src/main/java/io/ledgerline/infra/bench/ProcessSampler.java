package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.StackConfig;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Samples the CPU time and memory of each part of the stack (PostgreSQL, Kafka, Elasticsearch, both
 * services), of the benchmark itself and of the whole machine from {@code /proc}, twice a second,
 * and sums them up for each window (a phase). A part is found by the PID the launcher recorded in
 * {@code <home>/run/<part>.pid}; its CPU and memory include its child processes (PostgreSQL's
 * backends). Memory is the proportional set size (PSS, shared pages divided among the processes
 * sharing them, so PostgreSQL's shared buffers count once), or the RSS where PSS is unreadable.
 *
 * <p>Memory is read every {@value #MEMORY_EVERY_NTH} samples (and when a window opens or closes),
 * CPU at every one. The kernel answers {@code smaps_rollup} by walking every page table of the
 * process under its memory-map lock: read twice a second for the JVMs, Elasticsearch's mapped files
 * and some twenty PostgreSQL backends, that walk took 6 to 7 % of this two-core machine's CPU
 * (perf, during P1), most of what the benchmark's own CPU column showed, and taken from the stack.
 */
final class ProcessSampler implements AutoCloseable {

  /** The parts, in the order the report shows them. */
  static final List<String> PARTS =
      List.of("postgres", "kafka", "elasticsearch", "command-side", "query-side", "bench");

  /** The whole machine's CPU use, as a share of all its cores. */
  static final String MACHINE = "machine";

  /** CPU time the hypervisor gave to other machines, as a share of all cores. */
  static final String STEAL = "steal";

  /** CPU the machine spent outside the parts above (other processes, the kernel), of one core. */
  static final String UNATTRIBUTED = "unattributed";

  // Shorter windows hold too few 10 ms ticks for a CPU share to mean anything.
  private static final double MIN_CPU_SECONDS = 1.0;

  // USER_HZ: the unit of /proc's CPU times, 100 on every mainstream Linux.
  private static final double TICKS_PER_SECOND = 100.0;
  private static final long PERIOD_MILLIS = 500;
  // Every 15 s: memory moves slowly, and its walk costs (above); read every 5 s it still took about
  // 1 % of the machine during P1.
  private static final int MEMORY_EVERY_NTH = 30;

  /** What one part used during a window: CPU in % of one core, memory in MiB. */
  record Usage(
      Long pid, Double cpuPercent, Double avgMemoryMb, Double maxMemoryMb, Double maxRssMb) {}

  /** One read of a part; {@code memoryRead} says whether its memory was read this time. */
  private record Sample(long pid, long ticks, double pssMb, double rssMb, boolean memoryRead) {}

  private final StackConfig config;
  private final Map<String, Sample> last = new LinkedHashMap<>();
  private final List<Window> open = new ArrayList<>();
  private long lastMachineBusy;
  private long lastMachineTotal;
  private long lastMachineSteal;
  private int samplesTaken;
  private final Thread thread;
  private volatile boolean running = true;

  ProcessSampler(StackConfig config) {
    this.config = config;
    sample(true);
    thread =
        new Thread(
            () -> {
              while (running) {
                try {
                  Thread.sleep(PERIOD_MILLIS);
                } catch (InterruptedException e) {
                  return;
                }
                sample(++samplesTaken % MEMORY_EVERY_NTH == 0);
              }
            },
            "bench-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  /** Whether CPU and memory can be read here at all (Linux's /proc). */
  static boolean available() {
    return Files.isReadable(Path.of("/proc/stat"));
  }

  /** Opens a window: everything sampled from now on until {@link Window#close} counts for it. */
  synchronized Window open() {
    sample(true);
    Window window = new Window();
    open.add(window);
    return window;
  }

  /** The current memory of each part (PSS, else RSS, in MiB), for the whole stack's footprint. */
  synchronized Map<String, Usage> now() {
    sample(true);
    Map<String, Usage> usage = new LinkedHashMap<>();
    for (String part : PARTS) {
      Sample sample = last.get(part);
      usage.put(
          part,
          sample == null
              ? new Usage(null, null, null, null, null)
              : new Usage(
                  sample.pid(),
                  null,
                  memory(sample),
                  memory(sample),
                  sample.rssMb() > 0 ? sample.rssMb() : null));
    }
    return usage;
  }

  /** One phase's share of the samples. */
  final class Window {
    private final Map<String, Long> ticks = new LinkedHashMap<>();
    private final Map<String, Double> memorySum = new LinkedHashMap<>();
    private final Map<String, Double> memoryMax = new LinkedHashMap<>();
    private final Map<String, Double> rssMax = new LinkedHashMap<>();
    private final Map<String, Integer> samples = new LinkedHashMap<>();
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final long openedNanos = System.nanoTime();
    private long machineBusy;
    private long machineTotal;
    private long machineSteal;
    private Map<String, Usage> result;

    private void add(String part, Sample previous, Sample current) {
      if (previous != null
          && previous.pid() == current.pid()
          && current.ticks() >= previous.ticks()) {
        ticks.merge(part, current.ticks() - previous.ticks(), Long::sum);
      }
      pids.put(part, current.pid());
      if (!current.memoryRead()) {
        return;
      }
      memorySum.merge(part, memory(current), Double::sum);
      memoryMax.merge(part, memory(current), Math::max);
      rssMax.merge(part, current.rssMb(), Math::max);
      samples.merge(part, 1, Integer::sum);
    }

    /** Stops counting for this window and returns each part's use, plus the machine's. */
    Map<String, Usage> close() {
      synchronized (ProcessSampler.this) {
        if (result != null) {
          return result;
        }
        sample(true);
        open.remove(this);
        double seconds = Math.max(0.001, (System.nanoTime() - openedNanos) / 1e9);
        boolean cpu = seconds >= MIN_CPU_SECONDS;
        result = new LinkedHashMap<>();
        long attributed = 0;
        for (String part : PARTS) {
          if (!pids.containsKey(part)) {
            result.put(part, new Usage(null, null, null, null, null));
            continue;
          }
          attributed += ticks.getOrDefault(part, 0L);
          // Memory is read at the window's close at the latest; a part that was gone then has none.
          Integer count = samples.get(part);
          result.put(
              part,
              new Usage(
                  pids.get(part),
                  cpu ? ticks.getOrDefault(part, 0L) / TICKS_PER_SECOND / seconds * 100 : null,
                  count == null ? null : memorySum.get(part) / count,
                  memoryMax.get(part),
                  count != null && rssMax.get(part) > 0 ? rssMax.get(part) : null));
        }
        boolean machine = cpu && machineTotal > 0;
        result.put(MACHINE, cpuOnly(machine ? 100.0 * machineBusy / machineTotal : null));
        result.put(STEAL, cpuOnly(machine ? 100.0 * machineSteal / machineTotal : null));
        result.put(
            UNATTRIBUTED,
            cpuOnly(
                machine
                    ? Math.max(0, machineBusy - attributed) / TICKS_PER_SECOND / seconds * 100
                    : null));
        return result;
      }
    }
  }

  private static Usage cpuOnly(Double percent) {
    return new Usage(null, percent, null, null, null);
  }

  private static double memory(Sample sample) {
    return sample.pssMb() > 0 ? sample.pssMb() : sample.rssMb();
  }

  private synchronized void sample(boolean withMemory) {
    ProcessTable table = ProcessTable.scan();
    for (String part : PARTS) {
      Optional<Long> pid =
          part.equals("bench") ? Optional.of(ProcessHandle.current().pid()) : recordedPid(part);
      Sample current = pid.flatMap(found -> read(table, found, withMemory)).orElse(null);
      Sample previous = last.get(part);
      if (current == null) {
        last.remove(part);
        continue;
      }
      for (Window window : open) {
        window.add(part, previous, current);
      }
      last.put(part, current);
    }
    long[] machine = machineTicks();
    if (machine != null) {
      if (lastMachineTotal > 0) {
        long busy = machine[0] - lastMachineBusy;
        long total = machine[1] - lastMachineTotal;
        long steal = machine[2] - lastMachineSteal;
        for (Window window : open) {
          window.machineBusy += busy;
          window.machineTotal += total;
          window.machineSteal += steal;
        }
      }
      lastMachineBusy = machine[0];
      lastMachineTotal = machine[1];
      lastMachineSteal = machine[2];
    }
  }

  /** The PID the launcher recorded for {@code part}, if that process still runs and is ours. */
  private Optional<Long> recordedPid(String part) {
    Path file = config.home().resolve("run").resolve(part + ".pid");
    try {
      long pid = Long.parseLong(Files.readString(file).trim());
      String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      // A recycled PID belongs to someone else: the stack's processes name its home.
      return commandLine.contains(config.home().toString()) ? Optional.of(pid) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** CPU ticks of a process and all its descendants, and their memory if asked. */
  private static Optional<Sample> read(ProcessTable table, long root, boolean withMemory) {
    if (!table.ticks().containsKey(root)) {
      return Optional.empty();
    }
    long ticks = 0;
    double pss = 0;
    double rss = 0;
    for (long pid : table.tree(root)) {
      ticks += table.ticks().getOrDefault(pid, 0L);
      if (withMemory) {
        Path proc = Path.of("/proc", Long.toString(pid));
        rss += kilobytes(proc.resolve("status"), "VmRSS:") / 1024.0;
        pss += kilobytes(proc.resolve("smaps_rollup"), "Pss:") / 1024.0;
      }
    }
    return Optional.of(new Sample(root, ticks, pss, rss, withMemory));
  }

  /**
   * Every process's parent and CPU ticks, from one pass over {@code /proc}. Each part's tree is
   * found in it: asking {@link ProcessHandle#descendants} per part scanned all of {@code /proc}
   * once for each, six scans per sample, most of the sampler's cost after the memory walk.
   */
  record ProcessTable(Map<Long, Long> ticks, Map<Long, List<Long>> children) {

    static ProcessTable scan() {
      Map<Long, Long> ticks = new HashMap<>();
      Map<Long, List<Long>> children = new HashMap<>();
      try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"))) {
        for (Path process : processes) {
          String name = process.getFileName().toString();
          if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
            continue;
          }
          try {
            String stat = Files.readString(process.resolve("stat"));
            // After the command name (which may hold spaces and parentheses): state is the first
            // field, the parent the second, utime the 12th.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long pid = Long.parseLong(name);
            // Children's times, once reaped, move into their parent's cutime/cstime: counting all
            // four keeps the sum continuous while PostgreSQL's backends come and go.
            ticks.put(
                pid,
                Long.parseLong(fields[11])
                    + Long.parseLong(fields[12])
                    + Long.parseLong(fields[13])
                    + Long.parseLong(fields[14]));
            children.computeIfAbsent(Long.parseLong(fields[1]), p -> new ArrayList<>()).add(pid);
          } catch (IOException | RuntimeException e) {
            // Gone meanwhile, or not readable: the rest still counts.
          }
        }
      } catch (IOException e) {
        // No /proc: nothing is found, and the report says so.
      }
      return new ProcessTable(ticks, children);
    }

    /** {@code root} and all its descendants. */
    List<Long> tree(long root) {
      List<Long> tree = new ArrayList<>();
      // A PID reused during the scan could link back to an ancestor: each process once.
      Set<Long> seen = new HashSet<>();
      tree.add(root);
      seen.add(root);
      for (int i = 0; i < tree.size(); i++) {
        for (long child : children.getOrDefault(tree.get(i), List.of())) {
          if (seen.add(child)) {
            tree.add(child);
          }
        }
      }
      return tree;
    }
  }

  private static long kilobytes(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Unreadable (another user's process, or gone): counted as unknown.
    }
    return 0;
  }

  /** Busy, total and stolen CPU ticks of the whole machine, from the first line of /proc/stat. */
  private static long[] machineTicks() {
    try {
      String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
      String[] fields = first.trim().split("\\s+");
      // user nice system idle iowait irq softirq steal; guest times are already in user and nice.
      long[] value = new long[9];
      for (int i = 1; i < Math.min(fields.length, 9); i++) {
        value[i] = Long.parseLong(fields[i]);
      }
      long busy = value[1] + value[2] + value[3] + value[6] + value[7];
      long steal = value[8];
      return new long[] {busy, busy + value[4] + value[5] + steal, steal};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
