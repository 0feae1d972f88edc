package io.ledgerline.command.gateway;

/**
 * Receives the gateway's events once their signature was verified, in the request that delivered
 * them: when a listener throws, the webhook is answered with an error and the gateway delivers it
 * again later. Every listener bean is called, in their order. A listener must therefore be
 * idempotent (the same event, or one of the same outcome, may arrive more than once) and must not
 * assume any order of events; it should be quick, as the gateway waits for the answer.
 */
@FunctionalInterface
public interface GatewayEventListener {

  void onEvent(GatewayEvent event);
}
