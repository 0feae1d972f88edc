package io.ledgerline.command.api;

import io.ledgerline.platform.web.correlation.CorrelationIdFilter;
import io.ledgerline.platform.web.security.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

/**
 * The metadata a command carries from the HTTP request into every event it produces: who acted, the
 * correlation id and the idempotency key.
 */
@Component
public class RequestMetadata {

  /** Metadata key: the authenticated subject who sent the command. */
  public static final String SUBJECT = "subject";

  /** Metadata key: the correlation id of the request that started it all. */
  public static final String CORRELATION_ID = "correlationId";

  /** Metadata key: the id of the message that directly caused this one. */
  public static final String CAUSATION_ID = "causationId";

  /** Metadata key: the client's idempotency key, when given. */
  public static final String IDEMPOTENCY_KEY = "idempotencyKey";

  /**
   * Metadata key: the payment gateway's event id ({@code evt_...}) whose signed webhook caused the
   * command, when one did.
   */
  public static final String GATEWAY_EVENT_ID = "gatewayEventId";

  /** The metadata for a command sent while handling {@code request}. */
  public MetaData of(HttpServletRequest request) {
    Map<String, Object> values = new HashMap<>();
    values.put(SUBJECT, subject(request));
    String correlationId = CorrelationIdFilter.of(request);
    if (correlationId != null) {
      values.put(CORRELATION_ID, correlationId);
    }
    String idempotencyKey = request.getHeader("Idempotency-Key");
    if (idempotencyKey != null && !idempotencyKey.isBlank() && idempotencyKey.length() <= 255) {
      values.put(IDEMPOTENCY_KEY, idempotencyKey);
    }
    return MetaData.from(values);
  }

  /** The authenticated subject a request acts as. */
  public String subject(HttpServletRequest request) {
    return Caller.current().subject();
  }
}
