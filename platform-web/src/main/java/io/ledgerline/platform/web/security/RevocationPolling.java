package io.ledgerline.platform.web.security;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;

/** Reads the {@link RevocationList} at start-up and then every interval, on a thread of its own. */
final class RevocationPolling implements SmartLifecycle {

  private final RevocationList list;
  private final Duration interval;
  private ScheduledExecutorService schedule;

  RevocationPolling(RevocationList list, Duration interval) {
    this.list = list;
    this.interval = interval;
  }

  @Override
  public synchronized void start() {
    schedule =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "revocation-list");
              thread.setDaemon(true);
              return thread;
            });
    schedule.scheduleWithFixedDelay(list::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (schedule != null) {
      schedule.shutdownNow();
      schedule = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return schedule != null;
  }
}
