package io.ledgerline.infra.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs a phase's clients: each a thread with its own connections, doing one operation after another
 * (closed loop) or at a fixed pace (open loop), first for the warm-up, then for the measurement. A
 * client's unexpected exception is counted as "bench-error" and shown once.
 */
final class Load {

  /** One operation of one client; it records its own outcome in the phase's measurement. */
  @FunctionalInterface
  interface Step {
    void run(int client, long iteration, BenchHttp http) throws Exception;
  }

  /**
   * How a phase warms up: the load runs {@code fixed} first, then, with {@code settling}, until the
   * services' JIT compilers have settled (or its limit has passed).
   */
  record Warmup(Duration fixed, JitSettling settling) {

    static Warmup fixed(Duration fixed) {
      return new Warmup(fixed, null);
    }
  }

  private Load() {}

  /** Each client does operations back to back until the measurement's end. */
  static void closedLoop(
      String name,
      int clients,
      Warmup warmup,
      Duration measure,
      Measurement measurement,
      PrintStream out,
      Step step)
      throws InterruptedException {
    run(name, clients, 0, warmup, measure, List.of(measurement), out, step);
  }

  /**
   * The clients together start {@code perSecond} operations a second, evenly spaced, whatever the
   * system's answer times (as independent users would); a client that falls behind catches up
   * without waiting.
   */
  static void openLoop(
      String name,
      int clients,
      double perSecond,
      Warmup warmup,
      Duration measure,
      List<Measurement> measurements,
      PrintStream out,
      Step step)
      throws InterruptedException {
    run(name, clients, perSecond, warmup, measure, measurements, out, step);
  }

  private static void run(
      String name,
      int clients,
      double perSecond,
      Warmup warmup,
      Duration measure,
      List<Measurement> measurements,
      PrintStream out,
      Step step)
      throws InterruptedException {
    Measurement measurement = measurements.get(0);
    long begin = System.nanoTime();
    long warmupEnd = begin + warmup.fixed().toNanos();
    // Known once the warm-up is over: with settling, it ends when the compilers have settled.
    AtomicLong end = new AtomicLong(Long.MAX_VALUE);
    AtomicReference<Exception> firstError = new AtomicReference<>();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                long interval = perSecond > 0 ? (long) (clients * 1e9 / perSecond) : 0;
                long next = begin + (interval * client) / Math.max(1, clients);
                try (BenchHttp http = new BenchHttp()) {
                  long iteration = 0;
                  while (!stop.get()) {
                    if (interval > 0) {
                      long now = System.nanoTime();
                      if (next > now) {
                        LockSupport.parkNanos(next - now);
                      }
                      next += interval;
                    }
                    if (System.nanoTime() >= end.get()) {
                      break;
                    }
                    long started = System.nanoTime();
                    try {
                      step.run(client, iteration++, http);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    } catch (Exception e) {
                      firstError.compareAndSet(null, e);
                      measurement.record(System.nanoTime() - started, "bench-error", false);
                    }
                  }
                }
              },
              "bench-" + name + "-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    try {
      sleepUntil(warmupEnd);
      if (warmup.settling() != null) {
        measurement.note(warmup.settling().await(name));
      }
      end.set(System.nanoTime() + measure.toNanos());
      measurements.forEach(Measurement::start);
      sleepUntil(end.get());
    } finally {
      // Whatever ended the phase, its clients stop: without an end they would load on forever.
      end.compareAndSet(Long.MAX_VALUE, System.nanoTime());
      // Operations in flight at the end finish (bounded by their own timeouts), not counted.
      measurements.forEach(Measurement::stop);
      stop.set(true);
      for (Thread thread : threads) {
        thread.join(Duration.ofSeconds(90).toMillis());
      }
    }
    if (firstError.get() != null) {
      out.println("  (" + name + ": a client failed unexpectedly, counted as bench-error)");
      firstError.get().printStackTrace(out);
    }
  }

  /** Runs {@code work} once per client, in parallel, and waits for all; for set-up. */
  static void parallel(int clients, Step work) throws Exception {
    List<Thread> threads = new ArrayList<>();
    AtomicReference<Exception> failure = new AtomicReference<>();
    for (int c = 0; c < clients; c++) {
      int client = c;
      Thread thread =
          new Thread(
              () -> {
                try (BenchHttp http = new BenchHttp()) {
                  work.run(client, 0, http);
                } catch (Exception e) {
                  failure.compareAndSet(null, e);
                }
              },
              "bench-setup-" + c);
      thread.setDaemon(true);
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw failure.get();
    }
  }

  static void sleepUntil(long nanoTime) throws InterruptedException {
    long left;
    while ((left = nanoTime - System.nanoTime()) > 0) {
      Thread.sleep(Math.max(1, Math.min(left / 1_000_000, 200)));
    }
  }
}
