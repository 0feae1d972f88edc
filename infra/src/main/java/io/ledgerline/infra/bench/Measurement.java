package io.ledgerline.infra.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one phase observed: latencies of completed operations (only those: a 2xx, or a transfer seen
 * COMPLETED) in one HdrHistogram, latencies of every answer in a second, a count per status, and a
 * point per second for the charts. Records nothing before {@link #start} (the warm-up) or after
 * {@link #stop}. Thread-safe: any number of load threads record at once.
 *
 * <p>Given the benchmark's {@link ProcessSampler}, it also takes each part's CPU and memory over
 * the same seconds, so that a long warm-up (the JIT compilers' busiest time) does not count.
 */
final class Measurement {

  /** One second of a phase: how much completed, how much did not, and the latencies of the done. */
  record Second(
      double at, double length, long done, long other, Double p50Millis, Double p99Millis) {

    double doneRate() {
      return length <= 0 ? 0 : done / length;
    }

    double otherRate() {
      return length <= 0 ? 0 : other / length;
    }
  }

  private static final int DIGITS = 3;

  private final Recorder doneRecorder = new Recorder(DIGITS);
  private final Recorder allRecorder = new Recorder(DIGITS);
  private final Histogram done = new Histogram(DIGITS);
  private final Histogram all = new Histogram(DIGITS);
  private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> otherStatuses = new ConcurrentHashMap<>();
  private final LongAdder otherThisSecond = new LongAdder();
  private final List<Second> series = new ArrayList<>();
  private volatile boolean recording;
  private long startNanos;
  private long lastTickNanos;
  private long stopNanos;
  private ScheduledExecutorService ticker;
  private final ProcessSampler sampler;
  private ProcessSampler.Window window;
  private Map<String, ProcessSampler.Usage> resources = Map.of();
  private final List<String> notes = new ArrayList<>();

  /** Records answers only. */
  Measurement() {
    this(null);
  }

  /** Records answers and, over the same seconds, what each part of the stack used. */
  Measurement(ProcessSampler sampler) {
    this.sampler = sampler;
  }

  /** Starts recording: the warm-up is over. */
  synchronized void start() {
    // The window first: opening it reads every part's memory, which takes a while.
    if (sampler != null) {
      window = sampler.open();
    }
    doneRecorder.reset();
    allRecorder.reset();
    startNanos = System.nanoTime();
    lastTickNanos = startNanos;
    recording = true;
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bench-ticker");
              thread.setDaemon(true);
              return thread;
            });
    ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
  }

  /** Stops recording; what is still in flight afterwards is not counted. */
  synchronized void stop() {
    if (!recording) {
      return;
    }
    recording = false;
    ticker.shutdownNow();
    stopNanos = System.nanoTime();
    closeInterval(stopNanos);
    if (window != null) {
      resources = window.close();
    }
  }

  /** Each part's CPU and memory between {@link #start} and {@link #stop}; empty without sampler. */
  synchronized Map<String, ProcessSampler.Usage> resources() {
    return resources;
  }

  /** Adds a line for the phase's notes (how its warm-up went). */
  synchronized void note(String note) {
    notes.add(note);
  }

  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  /**
   * Records one answer or outcome.
   *
   * @param nanos how long it took, from sending to seeing the outcome
   * @param label its status code ("200", "429", "timeout") or outcome ("COMPLETED", "FAILED")
   * @param completed whether it counts as done: a 2xx, or the end state the phase waits for
   */
  void record(long nanos, String label, boolean completed) {
    if (!recording) {
      return;
    }
    long micros = Math.max(1, nanos / 1_000);
    allRecorder.recordValue(micros);
    statuses.computeIfAbsent(label, key -> new LongAdder()).increment();
    if (completed) {
      doneRecorder.recordValue(micros);
    } else {
      otherStatuses.computeIfAbsent(label, key -> new LongAdder()).increment();
      otherThisSecond.increment();
    }
  }

  private synchronized void tick() {
    if (recording) {
      closeInterval(System.nanoTime());
    }
  }

  private void closeInterval(long now) {
    Histogram second = doneRecorder.getIntervalHistogram();
    Histogram any = allRecorder.getIntervalHistogram();
    long other = otherThisSecond.sumThenReset();
    done.add(second);
    all.add(any);
    double at = (lastTickNanos - startNanos) / 1e9;
    double length = (now - lastTickNanos) / 1e9;
    lastTickNanos = now;
    // A last sliver of a second says little and would draw a misleading spike.
    if (length >= 0.25) {
      series.add(
          new Second(
              at,
              length,
              second.getTotalCount(),
              other,
              second.getTotalCount() == 0 ? null : second.getValueAtPercentile(50) / 1000.0,
              second.getTotalCount() == 0 ? null : second.getValueAtPercentile(99) / 1000.0));
    }
  }

  /** Seconds between {@link #start} and {@link #stop}. */
  synchronized double seconds() {
    return (stopNanos - startNanos) / 1e9;
  }

  synchronized long doneCount() {
    return done.getTotalCount();
  }

  /** Completed operations per second. */
  synchronized double rate() {
    double seconds = seconds();
    return seconds <= 0 ? 0 : done.getTotalCount() / seconds;
  }

  /** A percentile of the completed operations' latencies in milliseconds; null when none. */
  synchronized Double doneMillis(double percentile) {
    return done.getTotalCount() == 0 ? null : done.getValueAtPercentile(percentile) / 1000.0;
  }

  /** A percentile of every answer's latency in milliseconds; null when none. */
  synchronized Double allMillis(double percentile) {
    return all.getTotalCount() == 0 ? null : all.getValueAtPercentile(percentile) / 1000.0;
  }

  synchronized Double doneMaxMillis() {
    return done.getTotalCount() == 0 ? null : done.getMaxValue() / 1000.0;
  }

  /** Every answer by label, done or not. */
  Map<String, Long> statuses() {
    return counts(statuses);
  }

  /** The answers that did not count as done, by label. */
  Map<String, Long> otherStatuses() {
    return counts(otherStatuses);
  }

  synchronized List<Second> series() {
    return List.copyOf(series);
  }

  private static Map<String, Long> counts(Map<String, LongAdder> adders) {
    Map<String, Long> counts = new TreeMap<>();
    adders.forEach((label, adder) -> counts.put(label, adder.sum()));
    return counts;
  }
}
