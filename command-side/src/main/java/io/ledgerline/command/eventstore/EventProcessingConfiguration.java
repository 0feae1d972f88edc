package io.ledgerline.command.eventstore;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * No event handler may skip an event. Axon's default logs a handler's failure and moves on; here
 * the failure propagates instead: a subscribing handler fails the command that produced the event
 * (nothing is stored), a tracking processor rolls its batch back and retries it with back-off.
 */
@Configuration(proxyBeanMethods = false)
class EventProcessingConfiguration {

  @Bean
  ConfigurerModule propagateEventHandlerFailures() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerDefaultListenerInvocationErrorHandler(
                configuration -> PropagatingErrorHandler.instance());
  }
}
