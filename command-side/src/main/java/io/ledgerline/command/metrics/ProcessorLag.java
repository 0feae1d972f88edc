package io.ledgerline.command.metrics;

import java.util.List;
import java.util.OptionalLong;

/** How far a tracking processor is behind the head of the event store. */
final class ProcessorLag {

  private ProcessorLag() {}

  /**
   * The positions between the head and the processor's slowest segment: events, give or take the
   * gaps that rolled-back appends left in the global order.
   *
   * @param head the highest global index in the store, 0 while it is empty
   * @param segments each segment's token position; empty for one that has processed nothing yet
   */
  static long of(long head, List<OptionalLong> segments) {
    long slowest = head;
    for (OptionalLong position : segments) {
      slowest = Math.min(slowest, position.orElse(0));
    }
    // A token read before the head may already be past it.
    return Math.max(0, head - slowest);
  }
}
