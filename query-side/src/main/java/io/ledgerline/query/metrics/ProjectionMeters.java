package io.ledgerline.query.metrics;

import io.ledgerline.query.projection.DeadLetters;
import io.ledgerline.query.projection.ProjectionStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The projections' progress as gauges, per projection and partition, refreshed every {@code
 * ledgerline.projection.status-interval} from Kafka's offsets ({@link ProjectionStatus}): {@code
 * ledgerline.projection.position} (the committed offset), {@code ledgerline.projection.lag.events}
 * and {@code ledgerline.projection.lag.seconds} (the age of the oldest unprojected event); and
 * {@code ledgerline.projection.dead.letters.pending}, the parked events no retry has handled yet.
 * They are the consumer groups' values, not this instance's: every instance reports the same.
 */
@Component
class ProjectionMeters {

  static final String POSITION = "ledgerline.projection.position";
  static final String LAG_EVENTS = "ledgerline.projection.lag.events";
  static final String LAG_SECONDS = "ledgerline.projection.lag.seconds";
  static final String DEAD_LETTERS_PENDING = "ledgerline.projection.dead.letters.pending";

  private static final Logger log = LoggerFactory.getLogger(ProjectionMeters.class);
  private static final String GROUP_PREFIX = ProjectionStatus.groupOf("");

  /** One partition of one projection, as last read; NaN until then. */
  private static final class PartitionGauges {
    volatile double position = Double.NaN;
    volatile double lagEvents = Double.NaN;
    volatile double lagSeconds = Double.NaN;
  }

  private final ProjectionStatus status;
  private final DeadLetters deadLetters;
  private final MeterRegistry registry;
  private final Map<String, PartitionGauges> partitions = new ConcurrentHashMap<>();
  private volatile double pendingDeadLetters = Double.NaN;

  ProjectionMeters(ProjectionStatus status, DeadLetters deadLetters, MeterRegistry registry) {
    this.status = status;
    this.deadLetters = deadLetters;
    this.registry = registry;
    Gauge.builder(DEAD_LETTERS_PENDING, this, meters -> meters.pendingDeadLetters)
        .description("Events parked on the dead-letter topic that no retry has handled yet")
        .register(registry);
  }

  /** The projection a consumer group belongs to. */
  static String projectionOf(String group) {
    return group != null && group.startsWith(GROUP_PREFIX)
        ? group.substring(GROUP_PREFIX.length())
        : String.valueOf(group);
  }

  @Scheduled(fixedDelayString = "${ledgerline.projection.status-interval:PT15S}")
  void refresh() {
    // Each keeps its last values while Kafka is out of reach.
    try {
      update(status.all());
    } catch (Exception e) {
      log.debug("Projection gauges not refreshed: {}", e.getMessage());
    }
    try {
      pendingDeadLetters = deadLetters.pendingCount();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      log.debug("Dead-letter gauge not refreshed: {}", e.getMessage());
    }
  }

  void update(List<ProjectionStatus.Status> statuses) {
    for (ProjectionStatus.Status projection : statuses) {
      for (ProjectionStatus.PartitionStatus partition : projection.partitions()) {
        PartitionGauges gauges = gaugesOf(projection.projection(), partition.partition());
        gauges.position = partition.position();
        gauges.lagEvents = partition.lag();
        gauges.lagSeconds = partition.lagSeconds();
      }
    }
  }

  private PartitionGauges gaugesOf(String projection, int partition) {
    return partitions.computeIfAbsent(
        projection + "/" + partition,
        key -> {
          PartitionGauges gauges = new PartitionGauges();
          String[] tags = {"projection", projection, "partition", Integer.toString(partition)};
          Gauge.builder(POSITION, gauges, g -> g.position)
              .description("The projection's committed offset in the event topic's partition")
              .tags(tags)
              .register(registry);
          Gauge.builder(LAG_EVENTS, gauges, g -> g.lagEvents)
              .description("Events in the partition the projection has not projected yet")
              .tags(tags)
              .register(registry);
          Gauge.builder(LAG_SECONDS, gauges, g -> g.lagSeconds)
              .description("Age of the oldest event in the partition not projected yet")
              .tags(tags)
              .register(registry);
          return gauges;
        });
  }
}
