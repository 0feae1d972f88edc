package io.ledgerline.query.reconciliation;

import java.util.Iterator;
import java.util.Map;

/**
 * Merge-joins what the event store expects, aggregate by aggregate, with the documents of one read
 * model, both in ascending id order: memory holds neither side, only the current pair. An id only
 * in the store is a missing document, an id only in the read model a document without events.
 *
 * @param <E> what the events say a document should hold
 */
final class SortedMerge<E> {

  /** A read-model document with its id. */
  record Document(String id, Map<String, Object> source) {}

  /** Compares one expectation with its document, adding what differs. */
  interface Comparison<E> {
    void compare(String id, E expected, Map<String, Object> document, Differences differences);
  }

  private final String kind;
  private final Iterator<Document> documents;
  private final Comparison<E> comparison;
  private final Differences differences;
  private Document pending;
  private String lastExpected;
  private String lastDocument;
  private long checked;

  SortedMerge(
      String kind,
      Iterator<Document> documents,
      Comparison<E> comparison,
      Differences differences) {
    this.kind = kind;
    this.documents = documents;
    this.comparison = comparison;
    this.differences = differences;
  }

  /** The next expectation; ids must come in strictly ascending order. */
  void expect(String id, E expected) {
    if (lastExpected != null && compareIds(lastExpected, id) >= 0) {
      throw new IllegalStateException(
          "the event store is not in id order: " + id + " after " + lastExpected);
    }
    lastExpected = id;
    checked++;
    while (true) {
      Document document = peek();
      int order = document == null ? 1 : compareIds(document.id(), id);
      if (order > 0) {
        differences.add(kind + " " + id + " is missing");
        return;
      }
      pending = null;
      if (order == 0) {
        comparison.compare(id, expected, document.source(), differences);
        return;
      }
      differences.add(kind + " " + document.id() + " has no events");
    }
  }

  /** After the last expectation: every document left has no events. */
  void finish() {
    for (Document document = peek(); document != null; document = peek()) {
      pending = null;
      differences.add(kind + " " + document.id() + " has no events");
    }
  }

  /** Expectations compared so far. */
  long checked() {
    return checked;
  }

  private Document peek() {
    if (pending == null && documents.hasNext()) {
      pending = documents.next();
      if (lastDocument != null && compareIds(lastDocument, pending.id()) >= 0) {
        throw new IllegalStateException(
            "the read model is not in id order: " + pending.id() + " after " + lastDocument);
      }
      lastDocument = pending.id();
    }
    return pending;
  }

  /**
   * Orders ids by code point, which is the order of their UTF-8 bytes: that of PostgreSQL's {@code
   * collate "C"} and of an Elasticsearch keyword sort ({@link String#compareTo} differs above
   * U+FFFF).
   */
  static int compareIds(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int x = a.codePointAt(i);
      int y = b.codePointAt(j);
      if (x != y) {
        return Integer.compare(x, y);
      }
      i += Character.charCount(x);
      j += Character.charCount(y);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
