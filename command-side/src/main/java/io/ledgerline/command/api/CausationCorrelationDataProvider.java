package io.ledgerline.command.api;

import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.springframework.stereotype.Component;

/**
 * Copies who/why from a command to the events it causes: subject, correlation id and idempotency
 * key are inherited; the causation id is the id of the causing message.
 */
@Component
class CausationCorrelationDataProvider implements CorrelationDataProvider {

  @Override
  public Map<String, ?> correlationDataFor(Message<?> message) {
    Map<String, Object> data = new HashMap<>();
    for (String key :
        new String[] {
          RequestMetadata.SUBJECT, RequestMetadata.CORRELATION_ID, RequestMetadata.IDEMPOTENCY_KEY
        }) {
      Object value = message.getMetaData().get(key);
      if (value != null) {
        data.put(key, value);
      }
    }
    data.putIfAbsent(RequestMetadata.CORRELATION_ID, message.getIdentifier());
    data.put(RequestMetadata.CAUSATION_ID, message.getIdentifier());
    return data;
  }
}
