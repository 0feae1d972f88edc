package io.ledgerline.events;

import java.util.Locale;

/**
 * A transfer ended without moving money: the debit was refused, or the credit was and the debit was
 * reversed.
 *
 * <p>Revision 2 added {@code failureCode}; revision-1 events (reason only) are upcast with {@link
 * #failureCodeFor(String)}.
 *
 * @param transferId the transfer
 * @param reason why, for people
 * @param failureCode why, for programs: one of {@code INSUFFICIENT_FUNDS}, {@code SOURCE_FROZEN},
 *     {@code SOURCE_CLOSED}, {@code SOURCE_MISSING}, {@code DESTINATION_FROZEN}, {@code
 *     DESTINATION_CLOSED}, {@code DESTINATION_MISSING}, {@code CURRENCY_MISMATCH}, {@code OTHER}
 */
public record TransferFailed(String transferId, String reason, String failureCode)
    implements TransferEvent {

  /** The failure code a reason stands for; how revision-1 events gain theirs. */
  public static String failureCodeFor(String reason) {
    String text = reason == null ? "" : reason.toLowerCase(Locale.ROOT);
    if (text.contains("insufficient")) {
      return "INSUFFICIENT_FUNDS";
    }
    if (text.contains("does not exist") || text.contains("not found")) {
      return text.startsWith("source") ? "SOURCE_MISSING" : "DESTINATION_MISSING";
    }
    if (text.contains(" in ") && text.contains(", not ")) {
      return "CURRENCY_MISMATCH";
    }
    boolean source = text.startsWith("source");
    if (text.contains("frozen")) {
      return source ? "SOURCE_FROZEN" : "DESTINATION_FROZEN";
    }
    if (text.contains("closed")) {
      return source ? "SOURCE_CLOSED" : "DESTINATION_CLOSED";
    }
    return "OTHER";
  }
}
