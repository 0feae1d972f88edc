package io.ledgerline.query.reconciliation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The differences found: all of them counted, only the first few kept for the report. */
final class Differences {

  private final int limit;
  private final List<String> first = new ArrayList<>();
  private long total;

  Differences(int limit) {
    this.limit = limit;
  }

  void add(String difference) {
    total++;
    if (first.size() < limit) {
      first.add(difference);
    }
  }

  /** Adds a difference when a document's field does not hold what the events say. */
  void compare(String what, String field, Object expected, Object actual) {
    if (!Objects.equals(expected, actual)) {
      add(what + ": " + field + " is " + actual + ", the events say " + expected);
    }
  }

  List<String> first() {
    return List.copyOf(first);
  }

  long total() {
    return total;
  }

  boolean truncated() {
    return total > first.size();
  }
}
