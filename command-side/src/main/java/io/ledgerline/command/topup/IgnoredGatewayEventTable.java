package io.ledgerline.command.topup;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@link IgnoredGatewayEvents} in {@code gateway_event_ignored}: one row per gateway event id,
 * counting its deliveries.
 */
@Component
class IgnoredGatewayEventTable implements IgnoredGatewayEvents {

  private final JdbcTemplate jdbc;

  IgnoredGatewayEventTable(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void record(String eventId, String type, String intentId, String topUpId, Reason reason) {
    jdbc.update(
        "insert into gateway_event_ignored (event_id, event_type, intent_id, top_up_id, reason)"
            + " values (?, ?, ?, ?, ?) on conflict (event_id) do update"
            + " set deliveries = gateway_event_ignored.deliveries + 1, last_received = now()",
        bounded(eventId, 255),
        bounded(type, 255),
        bounded(intentId, 255),
        bounded(topUpId, 255),
        reason.code());
  }

  // The gateway's payload is signed, but a column's width is ours to keep.
  private static String bounded(String value, int length) {
    return value == null || value.length() <= length ? value : value.substring(0, length);
  }
}
