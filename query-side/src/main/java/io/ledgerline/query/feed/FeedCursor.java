package io.ledgerline.query.feed;

import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Where a live-feed client is: per Kafka partition, the offset of the last movement it received
 * ({@code "0:41,3:17"}). Movements of one partition become visible in offset order, so resuming
 * after these offsets misses nothing and repeats nothing.
 */
final class FeedCursor {

  private static final int MAX_PARTITIONS = 1024;
  private final TreeMap<Integer, Long> offsets;

  FeedCursor(Map<Integer, Long> offsets) {
    this.offsets = new TreeMap<>(offsets);
  }

  static FeedCursor parse(String value) {
    TreeMap<Integer, Long> offsets = new TreeMap<>();
    if (value == null || value.isBlank()) {
      return new FeedCursor(offsets);
    }
    try {
      for (String part : value.split(",", MAX_PARTITIONS + 1)) {
        String[] pair = part.split(":", 3);
        int partition = Integer.parseInt(pair[0].trim());
        long offset = Long.parseLong(pair[1].trim());
        if (pair.length != 2 || partition < 0 || partition >= MAX_PARTITIONS || offset < -1) {
          throw new IllegalArgumentException();
        }
        offsets.put(partition, offset);
      }
    } catch (RuntimeException e) {
      throw new InvalidParameterException("Last-Event-ID", "is not an id sent by this feed");
    }
    return new FeedCursor(offsets);
  }

  Map<Integer, Long> offsets() {
    return offsets;
  }

  FeedCursor advance(int partition, long offset) {
    TreeMap<Integer, Long> next = new TreeMap<>(offsets);
    next.merge(partition, offset, Math::max);
    return new FeedCursor(next);
  }

  String encode() {
    return offsets.entrySet().stream()
        .map(e -> e.getKey() + ":" + e.getValue())
        .collect(Collectors.joining(","));
  }
}
