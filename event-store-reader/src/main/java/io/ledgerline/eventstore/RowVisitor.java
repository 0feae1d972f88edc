package io.ledgerline.eventstore;

/**
 * Receives the rows of a stream one at a time, while the reader holds the cursor.
 *
 * @param <T> the row type
 * @param <X> what the visitor may throw; the reader passes it on unchanged
 */
@FunctionalInterface
public interface RowVisitor<T, X extends Exception> {

  /** Handles one row; returns {@code false} to stop the stream there. */
  boolean visit(T row) throws X;
}
