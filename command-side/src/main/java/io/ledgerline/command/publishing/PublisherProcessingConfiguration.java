package io.ledgerline.command.publishing;

import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A failed publish must stop the publisher, not skip the event: Axon's default handler logs and
 * moves on. Propagating the error rolls the batch back; the tracking processor retries it with
 * back-off until Kafka takes it.
 */
@Configuration(proxyBeanMethods = false)
class PublisherProcessingConfiguration {

  @Bean
  ConfigurerModule kafkaPublisherErrorHandling() {
    return configurer ->
        configurer
            .eventProcessing()
            .registerListenerInvocationErrorHandler(
                KafkaEventPublisher.PROCESSOR, configuration -> PropagatingErrorHandler.instance());
  }
}
