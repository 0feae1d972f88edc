package io.ledgerline.command.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * No event handler may skip an event. Axon's default logs a handler's failure and moves on; here
 * the failure propagates instead: a subscribing handler fails the command that produced the event
 * (nothing is stored), a tracking processor rolls its batch back and retries it with back-off.
 *
 * <p>The tracking processors with a dead-letter queue (see {@code deadletter}) set one failure
 * apart: one that no retry can cure parks its event, with the reason, and the processor goes on.
 * Every other failure still propagates and is retried; no failure is ever logged and skipped.
 */
@Configuration(proxyBeanMethods = false)
class EventProcessingConfiguration {

  @Bean
  ConfigurerModule propagateEventHandlerFailures() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultListenerInvocationErrorHandler(
                configuration -> PropagatingErrorHandler.instance())
            // Axon's default too: stated here because retrying a failed batch depends on it.
            .registerDefaultErrorHandler(configuration -> PropagatingErrorHandler.instance());
  }
}
