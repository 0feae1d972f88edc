package io.ledgerline.events;

import java.util.Map;

/**
 * The current revision of each event's stored shape. An event absent here is at its first revision
 * ({@code null}). Bumping a revision requires an upcaster from the previous one, on every reader of
 * stored events.
 */
public final class EventRevisions {

  private static final Map<Class<?>, String> REVISIONS = Map.of(TransferFailed.class, "2");

  private EventRevisions() {}

  /** The current revision of {@code eventType}, or {@code null} for the first. */
  public static String revisionOf(Class<?> eventType) {
    return REVISIONS.get(eventType);
  }
}
