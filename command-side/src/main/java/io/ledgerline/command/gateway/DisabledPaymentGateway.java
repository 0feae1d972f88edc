package io.ledgerline.command.gateway;

/** No gateway configured: every call fails as {@link GatewayException.Kind#DISABLED}. */
final class DisabledPaymentGateway implements PaymentGateway {

  @Override
  public boolean isEnabled() {
    return false;
  }

  @Override
  public PaymentIntent createPaymentIntent(
      String topUpId, String accountId, long amountMinor, String currency) {
    throw disabled();
  }

  @Override
  public PaymentIntent retrievePaymentIntent(String intentId) {
    throw disabled();
  }

  private static GatewayException disabled() {
    return new GatewayException(
        GatewayException.Kind.DISABLED,
        "no payment gateway is configured (ledgerline.gateway.api-base and api-key)",
        null,
        null,
        null);
  }
}
