package io.ledgerline.query.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The reconciliations run on this instance: {@code ledgerline.reconciliation.differences}, the last
 * result's differences (NaN before the first run), and {@code ledgerline.reconciliation.runs} by
 * {@code result} ({@code clean} or {@code differences}).
 */
@Component
public class ReconciliationMeters {

  static final String DIFFERENCES = "ledgerline.reconciliation.differences";
  static final String RUNS = "ledgerline.reconciliation.runs";

  private final AtomicLong lastDifferences = new AtomicLong(-1);
  private final AtomicLong cleanRuns = new AtomicLong();
  private final AtomicLong runsWithDifferences = new AtomicLong();

  ReconciliationMeters(MeterRegistry registry) {
    Gauge.builder(DIFFERENCES, lastDifferences, last -> last.get() < 0 ? Double.NaN : last.get())
        .description("Differences the last reconciliation found between read models and events")
        .register(registry);
    FunctionCounter.builder(RUNS, cleanRuns, AtomicLong::get)
        .description("Reconciliations run, by result")
        .tag("result", "clean")
        .register(registry);
    FunctionCounter.builder(RUNS, runsWithDifferences, AtomicLong::get)
        .description("Reconciliations run, by result")
        .tag("result", "differences")
        .register(registry);
  }

  /** Records a finished reconciliation that found {@code differences}. */
  public void completed(long differences) {
    lastDifferences.set(differences);
    (differences == 0 ? cleanRuns : runsWithDifferences).incrementAndGet();
  }
}
