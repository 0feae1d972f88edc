package io.ledgerline.events;

import java.util.List;
import java.util.Map;

/**
 * Which fields of which events hold personal data: free text a client or an operator wrote (which
 * may name people), and an owner's name and e-mail. Each is stored as {@link SealedText} under the
 * key of the owner concerned (the account's owner; for a transfer, the source account's owner), or
 * {@code null}; everything else (ids, amounts, currencies, the ledger's own reasons) stays in
 * clear.
 */
public final class PersonalFields {

  /** A client's free-text reference of a deposit, withdrawal or transfer. */
  public static final String REFERENCE = "reference";

  /** An operator's free-text reason for freezing, unfreezing or closing an account. */
  public static final String REASON = "reason";

  /** An owner's name. */
  public static final String NAME = "name";

  /** An owner's e-mail address. */
  public static final String EMAIL = "email";

  private static final Map<Class<?>, List<String>> FIELDS =
      Map.of(
          FundsDeposited.class, List.of(REFERENCE),
          FundsWithdrawn.class, List.of(REFERENCE),
          TransferRequested.class, List.of(REFERENCE),
          AccountFrozen.class, List.of(REASON),
          AccountUnfrozen.class, List.of(REASON),
          AccountClosed.class, List.of(REASON),
          OwnerProfileRecorded.class, List.of(NAME, EMAIL));

  private PersonalFields() {}

  /** The sealed fields of {@code eventType}, in the order of its components; empty for none. */
  public static List<String> of(Class<?> eventType) {
    return FIELDS.getOrDefault(eventType, List.of());
  }
}
