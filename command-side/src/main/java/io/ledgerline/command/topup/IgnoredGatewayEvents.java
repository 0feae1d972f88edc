package io.ledgerline.command.topup;

import java.util.Locale;

/**
 * Where the verified gateway events no top-up could take are kept: for a top-up the ledger does not
 * know, or one they do not match. An operator follows them up at the gateway (a payment taken for
 * no top-up is to be refunded there).
 */
@FunctionalInterface
interface IgnoredGatewayEvents {

  /** Why an event was ignored. */
  enum Reason {
    /** Its intent names no top-up of this ledger. */
    UNKNOWN_TOP_UP,
    /** Its intent, amount, currency or account is not its top-up's. */
    MISMATCH;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Keeps one more delivery of a gateway event; the same event id again counts as a redelivery. */
  void record(String eventId, String type, String intentId, String topUpId, Reason reason);
}
