package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import io.ledgerline.platform.web.problem.OutageDetector;
import java.io.IOException;
import org.springframework.stereotype.Component;

/**
 * Elasticsearch unreachable, overloaded (429) or failing (5xx) is an outage of the query side: a
 * 503 with {@code Retry-After}. A request it rejects (another 4xx) is not.
 */
@Component
class ReadStoreOutage implements OutageDetector {

  @Override
  public boolean isOutage(Throwable cause) {
    if (cause instanceof ElasticsearchException rejected) {
      return rejected.status() == 429 || rejected.status() >= 500;
    }
    return cause instanceof IOException;
  }
}
