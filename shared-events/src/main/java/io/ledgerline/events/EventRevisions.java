package io.ledgerline.events;

import java.util.Map;

/**
 * The current revision of each event's stored shape. An event absent here is at its first revision
 * ({@code null}). Bumping a revision requires an upcaster from the previous one, on every reader of
 * stored events.
 */
public final class EventRevisions {

  // Revision 2 of the events with personal fields (PersonalFields): those fields hold SealedText.
  // The JSON shape is the same, so no upcaster is needed: a value that is not sealed text is the
  // clear text of revision 1, which readers show as it is.
  private static final Map<Class<?>, String> REVISIONS =
      Map.of(
          TransferFailed.class, "2",
          FundsDeposited.class, "2",
          FundsWithdrawn.class, "2",
          TransferRequested.class, "2",
          AccountFrozen.class, "2",
          AccountUnfrozen.class, "2",
          AccountClosed.class, "2");

  private EventRevisions() {}

  /** The current revision of {@code eventType}, or {@code null} for the first. */
  public static String revisionOf(Class<?> eventType) {
    return REVISIONS.get(eventType);
  }
}
