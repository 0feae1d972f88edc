package io.ledgerline.infra.bench;

import io.ledgerline.infra.localstack.DevTokens;
import io.ledgerline.infra.localstack.ServiceLag;
import io.ledgerline.infra.localstack.StackConfig;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Waits until the live pipeline has processed every event in the store: the command side's tracking
 * processors (the Kafka publisher among them) and the query side's projections, read as {@code
 * infra/bin/ledgerline status} reads them ({@link ServiceLag}). P5 waits for it after seeding the
 * store, or its replay would share the machine with the pipeline still working through the seeded
 * events, and reconciliation would compare read models that are still behind.
 */
final class PipelineCatchUp {

  /**
   * How long after the last append a command-side lag of zero counts: the service refreshes those
   * gauges every {@code ledgerline.metrics.refresh-interval} (10 s by default), so a zero read
   * sooner may have been computed before the append.
   */
  static final Duration GAUGE_AGE = Duration.ofSeconds(12);

  /** How long to wait at most: a slow machine projects a few thousand events a second. */
  static final Duration TIMEOUT = Duration.ofMinutes(30);

  private static final Duration POLL = Duration.ofSeconds(1);
  private static final Duration PROGRESS = Duration.ofSeconds(10);

  private final Supplier<ServiceLag.Lag> commandSide;
  private final Supplier<ServiceLag.Lag> querySide;
  private final PrintStream out;

  PipelineCatchUp(StackConfig config, PrintStream out) {
    DevTokens tokens = new DevTokens(config);
    this.commandSide = () -> ServiceLag.commandSide(config);
    this.querySide = () -> ServiceLag.querySide(config, tokens);
    this.out = out;
  }

  /**
   * Whether the pipeline has caught up: both services' figures known and zero, the command side's
   * read at least {@link #GAUGE_AGE} after the last append.
   */
  static boolean caughtUp(
      ServiceLag.Lag commandSide, ServiceLag.Lag querySide, Duration sinceLastAppend) {
    return sinceLastAppend.compareTo(GAUGE_AGE) >= 0
        && commandSide.caughtUp()
        && querySide.caughtUp();
  }

  /**
   * Polls both services until they have caught up with the store as it was at {@code
   * appendedAtNanos} ({@link System#nanoTime()}), printing their lag every 10 s.
   *
   * @return the seconds it took
   * @throws IllegalStateException when they have not caught up within {@link #TIMEOUT}
   */
  double await(long appendedAtNanos) throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + TIMEOUT.toNanos();
    long nextProgress = started + PROGRESS.toNanos();
    while (true) {
      // The command side first: once its publisher is through, every event is on Kafka before
      // the projections' lag is read.
      ServiceLag.Lag command = commandSide.get();
      ServiceLag.Lag query = querySide.get();
      long now = System.nanoTime();
      double seconds = (now - started) / 1e9;
      if (caughtUp(command, query, Duration.ofNanos(now - appendedAtNanos))) {
        out.printf(Locale.ROOT, "  pipeline caught up after %.1f s%n", seconds);
        return seconds;
      }
      if (now >= deadline) {
        throw new IllegalStateException(
            "the pipeline did not catch up with the store within "
                + TIMEOUT.toMinutes()
                + " min: command side "
                + command.text()
                + "; query side "
                + query.text());
      }
      if (now >= nextProgress) {
        out.printf(
            Locale.ROOT,
            "  catching up, %.0f s: command side %s; query side %s%n",
            seconds,
            command.text(),
            query.text());
        nextProgress = now + PROGRESS.toNanos();
      }
      Thread.sleep(POLL.toMillis());
    }
  }
}
